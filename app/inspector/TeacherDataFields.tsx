import { useEffect, useState } from 'react';
import type { NodeOf, TeacherTraining } from '../../src/graph/schema';
import { teacherCacheKeyOf } from '../../src/graph/compile';
import { parsePretrainedIndex, type PretrainedIndex, type PretrainedTeacher } from '../../src/train/pretrained';
import { useStudio } from '../store';
import { formatCount } from '../editor/format';
import { ChoiceField, NumberField } from './fields';
import { useTexts } from '../i18n/texts';
import { inspectorModelTexts } from '../i18n/catalogs/inspectorModels';

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
  const tx = useTexts(inspectorModelTexts);
  const datasetSubset = useStudio((s) => s.experiment.nodes.find((n): n is NodeOf<'dataset'> => n.kind === 'dataset')?.params.trainSubset);
  const key = useStudio((s) => teacherCacheKeyOf(s.experiment, node));
  const shipped = useShippedTeacher(key);
  const { trainSubset, sampler, ...rest } = training;
  const withData = (next: Pick<TeacherTraining, 'trainSubset' | 'sampler'>): TeacherTraining => ({
    ...rest,
    ...(next.trainSubset !== undefined ? { trainSubset: next.trainSubset } : {}),
    ...(next.sampler !== undefined ? { sampler: next.sampler } : {}),
  });
  const datasetImages = datasetSubset === null ? tx.all : datasetSubset === undefined ? '?' : formatCount(datasetSubset);
  const samplerChoices: { value: SamplerChoice; label: string }[] = [
    { value: 'dataset', label: tx.datasetBatches },
    { value: 'shuffled', label: tx.shuffled },
    ...(sampler?.kind === 'classUniform' ? [{ value: 'classUniform' as const, label: tx.classUniformFromFile(sampler.samplesPerClass) }] : []),
  ];

  return (
    <>
      <ChoiceField<SubsetChoice>
        label={tx.teacherImages} testId="field-teacherTrainSubset" value={subsetChoice(trainSubset)}
        choices={[
          { value: 'dataset', label: tx.datasetImages(datasetImages) },
          { value: 'all', label: tx.allImages },
          { value: 'first', label: tx.firstN },
        ]}
        description={tx.teacherImagesHelp}
        onChange={(choice) => onChange(withData({
          trainSubset: choice === 'dataset' ? undefined : choice === 'all' ? null : (typeof trainSubset === 'number' ? trainSubset : datasetSubset ?? 10_000),
          sampler,
        }))}
      />
      {typeof trainSubset === 'number' && (
        <NumberField
          label={tx.firstNImages} testId="field-teacherTrainSubsetCount" value={trainSubset} min={1} max={10_000_000} step={1000} integer
          onChange={(value) => { if (value !== null) onChange(withData({ trainSubset: value, sampler })); }}
        />
      )}
      <ChoiceField<SamplerChoice>
        label={tx.teacherBatches} testId="field-teacherSampler" value={sampler?.kind ?? 'dataset'} choices={samplerChoices}
        description={tx.teacherBatchesHelp}
        onChange={(choice) => onChange(withData({
          trainSubset,
          sampler: choice === 'dataset' ? undefined : choice === 'shuffled' ? { kind: 'shuffled' } : sampler,
        }))}
      />
      <p className="field__help" data-testid="teacher-pretrained" data-shipped={shipped !== null && shipped !== 'loading'}>
        {shipped === 'loading' ? tx.lookingForTeacher
          : shipped !== null ? tx.pretrained((shipped.testAccuracy * 100).toFixed(2)) : tx.notPretrained}
      </p>
    </>
  );
}
