import { useMemo } from 'react';
import type { LearningRateSchedule, NodeOf, TrainerSettings, WeightSchedule } from '../../src/graph/schema';
import { trainerSettingFields } from '../../src/graph/nodeKinds';
import { lossesOfTrainer, modelsWithRole } from '../../src/graph/queries';
import { summarizeModel } from '../../src/graph/shapes';
import { useStudio } from '../store';
import { formatShape } from '../editor/format';
import { ChoiceField, NumberField, RegistryField, TextField } from './fields';

const scheduleKinds = [
  { value: 'constant', label: 'Constant' },
  { value: 'step', label: 'Step decay' },
  { value: 'cosine', label: 'Cosine' },
] as const;

function LearningRateScheduleFields({ schedule, onChange }: { schedule: LearningRateSchedule; onChange: (s: LearningRateSchedule) => void }) {
  return (
    <>
      <ChoiceField
        label="Learning-rate schedule" testId="field-lrSchedule" value={schedule.kind} choices={scheduleKinds}
        description="Step: multiply by a factor every few epochs. Cosine: anneal to zero over the stage."
        onChange={(kind) => onChange(kind === 'step' ? { kind, everyEpochs: 1, factor: 0.5 } : { kind })}
      />
      {schedule.kind === 'step' && (
        <div className="field-row">
          <NumberField label="Every (epochs)" testId="field-lrEvery" value={schedule.everyEpochs} min={1} max={1000} step={1} integer
            onChange={(v) => { if (v !== null) onChange({ ...schedule, everyEpochs: v }); }} />
          <NumberField label="Factor" testId="field-lrFactor" value={schedule.factor} min={0.001} max={1} step={0.05}
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
      <LearningRateScheduleFields schedule={settings.lrSchedule} onChange={(lrSchedule) => onPatch({ lrSchedule })} />
    </>
  );
}

const weightScheduleKinds = [
  { value: 'constant', label: 'Constant' },
  { value: 'stepToZero', label: 'Step to zero (early-stopped KD)' },
  { value: 'linearDecay', label: 'Linear decay to zero' },
  { value: 'cosineDecay', label: 'Cosine decay to zero' },
] as const;

function WeightScheduleField({ lossLabel, lossId, schedule, epochs, onChange }: {
  lossLabel: string; lossId: string; schedule: WeightSchedule; epochs: number; onChange: (s: WeightSchedule) => void;
}) {
  return (
    <div className="weight-schedule" data-testid={`weight-schedule-${lossId}`}>
      <ChoiceField
        label={lossLabel} testId={`weight-schedule-kind-${lossId}`} value={schedule.kind} choices={weightScheduleKinds}
        onChange={(kind) => onChange(kind === 'stepToZero' ? { kind, atEpoch: Math.max(1, Math.floor(epochs / 2)) } : { kind })}
      />
      {schedule.kind === 'stepToZero' && (
        <NumberField
          label="Weight becomes 0 at epoch" testId={`weight-schedule-epoch-${lossId}`} value={schedule.atEpoch}
          min={0} max={Math.max(epochs, 1)} step={1} integer
          description="ESKD (Cho & Hariharan 2019): stop distilling early, then train on labels only."
          onChange={(v) => { if (v !== null) onChange({ kind: 'stepToZero', atEpoch: v }); }}
        />
      )}
    </div>
  );
}

export function TrainerInspector({ node }: { node: NodeOf<'trainer'> }) {
  const experiment = useStudio((s) => s.experiment);
  const losses = useMemo(() => lossesOfTrainer(experiment, node.id), [experiment, node.id]);
  const student = modelsWithRole(experiment, 'student')[0];
  const summary = student === undefined ? null : summarizeModel(student.params.architecture);
  const studentLayers = summary?.ok ? summary.summary.layers : null;
  const p = node.params;
  const update = (patch: Partial<NodeOf<'trainer'>['params']>) => useStudio.getState().updateNodeParams(node.id, patch);
  const layerChoices = [
    { value: '', label: 'All layers (whole student)' },
    ...(studentLayers ?? []).map((l) => ({ value: l.id, label: `${l.id} · ${l.kind} ${formatShape(l.outputShape)}` })),
  ];
  return (
    <div className="inspector__section">
      <TextField label="Stage name" testId="field-stageName" value={p.stageName} onChange={(stageName) => update({ stageName })} />
      <TrainerSettingsFields settings={p} onPatch={update} />
      <h4>Loss weights over the stage</h4>
      {losses.length === 0 && <p className="muted">Connect loss blocks to this trainer's Losses input.</p>}
      {losses.map((loss) => (
        <WeightScheduleField
          key={loss.id} lossId={loss.id} lossLabel={`${loss.label} (×${loss.params.weight})`} epochs={p.epochs}
          schedule={p.weightSchedules[loss.id] ?? { kind: 'constant' }}
          onChange={(schedule) => update({ weightSchedules: { ...p.weightSchedules, [loss.id]: schedule } })}
        />
      ))}
      <h4>Trained layers</h4>
      <ChoiceField
        label="Train the student up to" testId="field-trainUpTo" value={p.trainUpTo ?? ''} choices={layerChoices}
        description="FitNet stage 1 trains only the layers up to the guided layer; later stages train all."
        onChange={(value) => update({ trainUpTo: value === '' ? null : value })}
      />
    </div>
  );
}
