import { useMemo } from 'react';
import type { LearningRateSchedule, NodeOf, TrainerSettings, WeightSchedule } from '../../src/graph/schema';
import { describeNode, trainerSettingFields, weightDecayField } from '../../src/graph/nodeKinds';
import { lossesOfTrainer } from '../../src/graph/queries';
import { learnersOfTrainer } from '../../src/graph/validatePhases';
import { summarizeModel } from '../../src/graph/shapes';
import { useStudio } from '../store';
import { formatShape } from '../editor/format';
import { ChoiceField, NumberField, RegistryField, TextField } from './fields';
import { useTexts } from '../i18n/texts';
import { inspectorTrainingTexts } from '../i18n/catalogs/inspectorModels';
import { PruningFields } from './PruningFields';
import { QuantizationFields } from './QuantizationFields';

type TrainingTexts = typeof inspectorTrainingTexts.en;

function LearningRateScheduleFields({ schedule, onChange }: { schedule: LearningRateSchedule; onChange: (s: LearningRateSchedule) => void }) {
  const tx = useTexts(inspectorTrainingTexts);
  const scheduleKinds = [
    { value: 'constant', label: tx.constant },
    { value: 'step', label: tx.stepDecay },
    { value: 'cosine', label: tx.cosine },
  ] as const;
  return (
    <>
      <ChoiceField
        label={tx.lrSchedule} testId="field-lrSchedule" value={schedule.kind} choices={scheduleKinds}
        description={tx.lrScheduleHelp}
        onChange={(kind) => onChange(kind === 'step' ? { kind, everyEpochs: 1, factor: 0.5 } : { kind })}
      />
      {schedule.kind === 'step' && (
        <div className="field-row">
          <NumberField label={tx.everyEpochs} testId="field-lrEvery" value={schedule.everyEpochs} min={1} max={1000} step={1} integer
            onChange={(v) => { if (v !== null) onChange({ ...schedule, everyEpochs: v }); }} />
          <NumberField label={tx.factor} testId="field-lrFactor" value={schedule.factor} min={0.001} max={1} step={0.05}
            onChange={(v) => { if (v !== null) onChange({ ...schedule, factor: v }); }} />
        </div>
      )}
    </>
  );
}

/** Optimiser, learning rate and schedule, epochs, batch size, seed: shared by trainers and teacher training. */
export function TrainerSettingsFields({ settings, onPatch }: { settings: TrainerSettings; onPatch: (patch: Partial<TrainerSettings>) => void }) {
  return (
    <>
      {trainerSettingFields
        .filter((def) => def.key !== 'momentum' || settings.optimizer === 'sgd')
        .map((def) => <RegistryField key={def.key} def={def} params={settings} onPatch={(patch) => onPatch(patch as Partial<TrainerSettings>)} />)}
      {/* Optional: an empty field (null) or 0 stores no weightDecay, so older files stay as they were. */}
      <RegistryField
        def={weightDecayField} params={{ weightDecay: settings.weightDecay ?? null }}
        onPatch={({ weightDecay }) => onPatch({ weightDecay: typeof weightDecay === 'number' && weightDecay > 0 ? weightDecay : undefined })}
      />
      <LearningRateScheduleFields schedule={settings.lrSchedule} onChange={(lrSchedule) => onPatch({ lrSchedule })} />
    </>
  );
}

const weightScheduleKinds = (tx: TrainingTexts) => [
  { value: 'constant', label: tx.constant },
  { value: 'stepToZero', label: tx.stepToZero },
  { value: 'linearDecay', label: tx.linearDecay },
  { value: 'cosineDecay', label: tx.cosineDecay },
  { value: 'linearWarmup', label: tx.linearWarmup },
] as const;

function WeightScheduleField({ lossLabel, lossId, schedule, epochs, onChange }: {
  lossLabel: string; lossId: string; schedule: WeightSchedule; epochs: number; onChange: (s: WeightSchedule) => void;
}) {
  const tx = useTexts(inspectorTrainingTexts);
  return (
    <div className="weight-schedule" data-testid={`weight-schedule-${lossId}`}>
      <ChoiceField
        label={lossLabel} testId={`weight-schedule-kind-${lossId}`} value={schedule.kind} choices={weightScheduleKinds(tx)}
        onChange={(kind) => onChange(
          kind === 'stepToZero' ? { kind, atEpoch: Math.max(1, Math.floor(epochs / 2)) }
            : kind === 'linearWarmup' ? { kind, epochs: Math.max(1, Math.min(20, epochs)) } : { kind })}
      />
      {schedule.kind === 'linearWarmup' && (
        <NumberField
          label={tx.warmupEpochs} testId={`weight-schedule-warmup-${lossId}`} value={schedule.epochs}
          min={1} max={Math.max(epochs, 1)} step={1} integer
          description={tx.warmupHelp}
          onChange={(v) => { if (v !== null) onChange({ kind: 'linearWarmup', epochs: v }); }}
        />
      )}
      {schedule.kind === 'stepToZero' && (
        <NumberField
          label={tx.zeroAtEpoch} testId={`weight-schedule-epoch-${lossId}`} value={schedule.atEpoch}
          min={0} max={Math.max(epochs, 1)} step={1} integer
          description={tx.zeroAtEpochHelp}
          onChange={(v) => { if (v !== null) onChange({ kind: 'stepToZero', atEpoch: v }); }}
        />
      )}
    </div>
  );
}

interface LayerChoice { value: string; label: string }

/**
 * 'Train up to' choices: the layers of the networks this trainer's chain trains. With several, a
 * layer id names the layer in every network that has it (the others train whole), so each id is
 * offered once, with the networks that have it.
 */
function trainUpToChoices(learners: readonly NodeOf<'model'>[]): LayerChoice[] {
  const byId = new Map<string, { text: string; models: string[] }>();
  for (const model of learners) {
    const summary = summarizeModel(model.params.architecture);
    if (!summary.ok) continue;
    for (const layer of summary.summary.layers) {
      const entry = byId.get(layer.id) ?? { text: `${layer.id} · ${layer.kind} ${formatShape(layer.outputShape)}`, models: [] };
      entry.models.push(model.label);
      byId.set(layer.id, entry);
    }
  }
  const several = learners.length > 1;
  return [...byId].map(([value, { text, models }]) => ({ value, label: several ? `${text} · ${models.join(', ')}` : text }));
}

export function TrainerInspector({ node }: { node: NodeOf<'trainer'> }) {
  const tx = useTexts(inspectorTrainingTexts);
  const experiment = useStudio((s) => s.experiment);
  const losses = useMemo(() => lossesOfTrainer(experiment, node.id), [experiment, node.id]);
  const learners = useMemo(() => learnersOfTrainer(experiment, node.id), [experiment, node.id]);
  const p = node.params;
  const update = (patch: Partial<NodeOf<'trainer'>['params']>) => useStudio.getState().updateNodeParams(node.id, patch);
  const trained = learners.length === 1 ? describeNode(learners[0]) : learners.length > 1 ? tx.theNetworks : tx.theNetwork;
  const layerChoices = [{ value: '', label: tx.allLayers(learners.length > 1) }, ...trainUpToChoices(learners)];
  // Keep a stale choice visible (validation explains it) rather than showing "All layers" for it.
  if (p.trainUpTo !== null && !layerChoices.some((choice) => choice.value === p.trainUpTo)) {
    layerChoices.push({ value: p.trainUpTo, label: tx.notALayer(p.trainUpTo) });
  }
  return (
    <div className="inspector__section">
      <TextField label={tx.stageName} testId="field-stageName" value={p.stageName} onChange={(stageName) => update({ stageName })} />
      <TrainerSettingsFields settings={p} onPatch={update} />
      <h4>{tx.lossWeights}</h4>
      {losses.length === 0 && <p className="muted">{tx.noLosses}</p>}
      {losses.map((loss) => (
        <WeightScheduleField
          key={loss.id} lossId={loss.id} lossLabel={`${loss.label} (×${loss.params.weight})`} epochs={p.epochs}
          schedule={p.weightSchedules[loss.id] ?? { kind: 'constant' }}
          onChange={(schedule) => update({ weightSchedules: { ...p.weightSchedules, [loss.id]: schedule } })}
        />
      ))}
      <h4>{tx.trainedLayers}</h4>
      {learners.length === 0 && <p className="muted">{tx.noLearners}</p>}
      <ChoiceField
        label={tx.trainUpTo(trained)} testId="field-trainUpTo" value={p.trainUpTo ?? ''} choices={layerChoices}
        description={tx.trainUpToHelp}
        onChange={(value) => update({ trainUpTo: value === '' ? null : value })}
      />
      <PruningFields pruning={p.pruning} onChange={(pruning) => update({ pruning })} />
      <QuantizationFields settings={p.quantization} onChange={(quantization) => update({ quantization })} />
    </div>
  );
}
