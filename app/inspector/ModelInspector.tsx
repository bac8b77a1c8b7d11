import { MODEL_ROLES, type ModelRole, type NodeOf } from '../../src/graph/schema';
import { summarizeModel } from '../../src/graph/shapes';
import { trainerSettings } from '../../src/graph/factory';
import { modelRoleInfo, teacherAugmentShiftField } from '../../src/graph/nodeKinds';
import { architecturePresets, getArchitecturePreset } from '../../src/models/presets';
import { useStudio } from '../store';
import { formatBytes, formatCount } from '../editor/format';
import { ChoiceField, RegistryField } from './fields';
import { LayerEditor } from './LayerEditor';
import { TrainerSettingsFields } from './TrainerInspector';
import { TeacherDataFields } from './TeacherDataFields';

const roles = MODEL_ROLES.map((value) => ({ value, label: `${modelRoleInfo[value].label} (${modelRoleInfo[value].short})` }));

export function ModelInspector({ node }: { node: NodeOf<'model'> }) {
  const { role, architecture, teacherTraining } = node.params;
  const update = (patch: Partial<NodeOf<'model'>['params']>) => useStudio.getState().updateNodeParams(node.id, patch);
  const result = summarizeModel(architecture);
  const presetChoices = [{ value: '', label: 'Replace with a preset…' }, ...Object.keys(architecturePresets).map((id) => ({ value: id, label: id }))];

  const changeRole = (next: ModelRole) => {
    if (next === 'teacher') update({ role: next, teacherTraining: teacherTraining ?? trainerSettings() });
    else update({ role: next, teacherTraining: undefined });
  };

  return (
    <div className="inspector__section">
      <ChoiceField
        label="Role" testId="field-role" value={role} choices={roles} onChange={changeRole}
        description={`${modelRoleInfo[role].description} Teachers feed the teaching side of losses, students the learning side, assistants and peers either.`}
      />
      {result.ok && (
        <div className="stat-grid" data-testid="inspector-model-stats">
          <div><span>Parameters</span><b>{formatCount(result.summary.params)}</b></div>
          <div><span>Size (float32)</span><b>{formatBytes(result.summary.bytes)}</b></div>
          <div><span>FLOPs / image</span><b>{formatCount(result.summary.flops)}</b></div>
        </div>
      )}
      <ChoiceField
        label="Architecture" testId="field-architecture-preset" value="" choices={presetChoices}
        description={`Currently "${architecture.name}". Choosing a preset replaces every layer (undo brings them back).`}
        onChange={(id) => { if (id !== '') update({ architecture: getArchitecturePreset(id) }); }}
      />
      <h4>Layers</h4>
      <LayerEditor architecture={architecture} onChange={(spec) => update({ architecture: spec })} />
      {role === 'teacher' && teacherTraining !== undefined && (
        <>
          <h4>Teacher training</h4>
          <TrainerSettingsFields settings={teacherTraining} onPatch={(patch) => update({ teacherTraining: { ...teacherTraining, ...patch } })} />
          <RegistryField
            def={teacherAugmentShiftField} params={teacherTraining}
            onPatch={({ augmentShift }) => {
              const { augmentShift: _previous, ...settings } = teacherTraining;
              update({ teacherTraining: typeof augmentShift === 'number' ? { ...settings, augmentShift } : settings });
            }}
          />
          <TeacherDataFields node={node} training={teacherTraining} onChange={(next) => update({ teacherTraining: next })} />
        </>
      )}
    </div>
  );
}
