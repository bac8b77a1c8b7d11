import { MODEL_ROLES, type ModelRole, type NodeOf } from '../../src/graph/schema';
import { summarizeModel } from '../../src/graph/shapes';
import { trainerSettings } from '../../src/graph/factory';
import { teacherAugmentShiftField } from '../../src/graph/nodeKinds';
import { allArchitecturePresets, getArchitecturePreset } from '../../src/models/presets';
import { summarizeArchitecture } from '../../src/models/shapes';
import { useStudio } from '../store';
import { formatBytes, formatCount } from '../editor/format';
import { ChoiceField, RegistryField } from './fields';
import { LayerEditor } from './LayerEditor';
import { TrainerSettingsFields } from './TrainerInspector';
import { TeacherDataFields } from './TeacherDataFields';
import { useLanguage } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { inspectorModelTexts } from '../i18n/catalogs/inspectorModels';
import { roleChoiceLabel, roleText } from '../i18n/blocks/localizedBlocks';
import { ImportOnnxTeacher } from '../import/ImportOnnxTeacher';

/** Parameters and FLOPs of every preset, for the preset list (computed once: presets are fixed). */
const presetCounts = Object.entries(allArchitecturePresets).map(([id, spec]) => {
  const { params, flops } = summarizeArchitecture(spec);
  return { id, params, flops };
});

export function ModelInspector({ node }: { node: NodeOf<'model'> }) {
  const language = useLanguage();
  const tx = useTexts(inspectorModelTexts);
  const roles = MODEL_ROLES.map((value) => ({ value, label: roleChoiceLabel(value, language) }));
  const { role, architecture, teacherTraining } = node.params;
  const update = (patch: Partial<NodeOf<'model'>['params']>) => useStudio.getState().updateNodeParams(node.id, patch);
  const result = summarizeModel(architecture);
  const presetChoices = [{ value: '', label: tx.replaceWithPreset }, ...presetCounts.map(({ id, params, flops }) => (
    { value: id, label: tx.presetChoice(id, formatCount(params), formatCount(flops)) }))];

  const changeRole = (next: ModelRole) => {
    if (next === 'teacher') update({ role: next, teacherTraining: teacherTraining ?? trainerSettings() });
    else update({ role: next, teacherTraining: undefined, imported: undefined });
  };

  return (
    <div className="inspector__section">
      <ChoiceField
        label={tx.role} testId="field-role" value={role} choices={roles} onChange={changeRole}
        description={tx.roleHelp(roleText(role, language).description)}
      />
      {result.ok && (
        <div className="stat-grid" data-testid="inspector-model-stats">
          <div><span>{tx.parameters}</span><b>{formatCount(result.summary.params)}</b></div>
          <div><span>{tx.size}</span><b>{formatBytes(result.summary.bytes)}</b></div>
          <div><span>{tx.flops}</span><b>{formatCount(result.summary.flops)}</b></div>
        </div>
      )}
      <ChoiceField
        label={tx.architecture} testId="field-architecture-preset" value="" choices={presetChoices}
        description={tx.architectureHelp(architecture.name)}
        onChange={(id) => { if (id !== '') update({ architecture: getArchitecturePreset(id), imported: undefined }); }}
      />
      <h4>{tx.layers}</h4>
      <LayerEditor architecture={architecture} onChange={(spec) => update({ architecture: spec, imported: undefined })} />
      {role === 'teacher' && <ImportOnnxTeacher node={node} />}
      {role === 'teacher' && teacherTraining !== undefined && (
        <>
          <h4>{tx.teacherTraining}</h4>
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
