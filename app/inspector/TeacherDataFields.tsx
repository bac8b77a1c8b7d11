import { useEffect, useState } from 'react';
import type { NodeOf, TeacherTraining } from '../../src/graph/schema';
import { teacherCacheKeyOf } from '../../src/graph/compile';
import { parsePretrainedIndex, type PretrainedIndex, type PretrainedTeacher } from '../../src/train/pretrained';
import { useStudio } from '../store';
import { formatCount } from '../editor/format';
import { ChoiceField, NumberField } from './fields';

/**
 * The teacher's own data (training images, batch order) and whether a pretrained teacher shipped
 * with the studio matches it: editing the architecture or recipe means training it again, and the
 * user should know that before pressing Run.
 */

type SubsetChoice = 'dataset' | 'all' | 'first';
type SamplerChoice = 'dataset' | 'shuffled' | 'classUniform';

const subsetChoice = (subset: TeacherTraining['trainSubset']): SubsetChoice =>
  subset === undefined ? 'dataset' : subset === null ? 'all' : 'first';

/** The shipped index, fetched once per page; null when there is none (or it cannot be read). */
let shippedIndex: Promise<PretrainedIndex | null> | null = null;
function loadShippedIndex(): Promise<PretrainedIndex | null> {
  shippedIndex ??= fetch('/teachers/index.json', { headers: { Accept: 'application/json' } })
    .then(async (response) => (response.ok && !response.headers.get('content-type')?.includes('text/html')
      ? parsePretrainedIndex(await response.json())
      : null))
    .catch(() => null);
  return shippedIndex;
}

function useShippedTeacher(key: string | null): PretrainedTeacher | null | 'loading' {
  const [index, setIndex] = useState<PretrainedIndex | null | 'loading'>('loading');
  useEffect(() => {
    let live = true;
    void loadShippedIndex().then((loaded) => { if (live) setIndex(loaded); });
    return () => { live = false; };
  }, []);
  if (index === 'loading') return 'loading';
  return index?.teachers.find((teacher) => teacher.key === key) ?? null;
}

export function TeacherDataFields({ node, training, onChange }: {
  node: NodeOf<'model'>; training: TeacherTraining; onChange: (next: TeacherTraining) => void;
}) {
  const datasetSubset = useStudio((s) => s.experiment.nodes.find((n): n is NodeOf<'dataset'> => n.kind === 'dataset')?.params.trainSubset);
  const key = useStudio((s) => teacherCacheKeyOf(s.experiment, node));
  const shipped = useShippedTeacher(key);
  const { trainSubset, sampler, ...rest } = training;
  const withData = (next: Pick<TeacherTraining, 'trainSubset' | 'sampler'>): TeacherTraining => ({
    ...rest,
    ...(next.trainSubset !== undefined ? { trainSubset: next.trainSubset } : {}),
    ...(next.sampler !== undefined ? { sampler: next.sampler } : {}),
  });
  const datasetImages = datasetSubset === null ? 'all' : datasetSubset === undefined ? '?' : formatCount(datasetSubset);
  const samplerChoices: { value: SamplerChoice; label: string }[] = [
    { value: 'dataset', label: "The dataset's batches" },
    { value: 'shuffled', label: 'Shuffled' },
    ...(sampler?.kind === 'classUniform' ? [{ value: 'classUniform' as const, label: `Class-uniform, ${sampler.samplesPerClass} per class (from the file)` }] : []),
  ];

  return (
    <>
      <ChoiceField<SubsetChoice>
        label="Teacher training images" testId="field-teacherTrainSubset" value={subsetChoice(trainSubset)}
        choices={[
          { value: 'dataset', label: `The dataset's (${datasetImages})` },
          { value: 'all', label: 'All training images' },
          { value: 'first', label: 'The first N…' },
        ]}
        description="A teacher trained on more images than its students can still teach them: its soft targets carry what it learned from the rest."
        onChange={(choice) => onChange(withData({
          trainSubset: choice === 'dataset' ? undefined : choice === 'all' ? null : (typeof trainSubset === 'number' ? trainSubset : datasetSubset ?? 10_000),
          sampler,
        }))}
      />
      {typeof trainSubset === 'number' && (
        <NumberField
          label="First N images" testId="field-teacherTrainSubsetCount" value={trainSubset} min={1} max={10_000_000} step={1000} integer
          onChange={(value) => { if (value !== null) onChange(withData({ trainSubset: value, sampler })); }}
        />
      )}
      <ChoiceField<SamplerChoice>
        label="Teacher batches" testId="field-teacherSampler" value={sampler?.kind ?? 'dataset'} choices={samplerChoices}
        description="Class-uniform batches on the dataset (for CC) need not reach the teacher: shuffled keeps it the usual teacher."
        onChange={(choice) => onChange(withData({
          trainSubset,
          sampler: choice === 'dataset' ? undefined : choice === 'shuffled' ? { kind: 'shuffled' } : sampler,
        }))}
      />
      <p className="field__help" data-testid="teacher-pretrained" data-shipped={shipped !== null && shipped !== 'loading'}>
        {shipped === 'loading' ? 'Looking for a pretrained teacher…'
          : shipped !== null
            ? `Pretrained: a teacher trained by exactly this recipe ships with the studio (${(shipped.testAccuracy * 100).toFixed(2)} % test), ` +
              'so Run starts from it. Changing its layers or training settings means training it again.'
            : 'No shipped teacher matches this architecture and recipe: Run trains it (or restores it from this browser\'s cache).'}
      </p>
    </>
  );
}
