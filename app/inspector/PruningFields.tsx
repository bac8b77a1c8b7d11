import { DEFAULT_PRUNING, PRUNING_LIMITS, type PruningMethod, type PruningSettings } from '../../src/compress/types';
import { ChoiceField, NumberField } from './fields';
import { useTexts } from '../i18n/texts';
import { pruningTexts } from '../i18n/catalogs/pruning';

/**
 * A trainer stage's pruning settings (src/compress/types.ts). Off stores no `pruning`, so a file
 * that never pruned saves as before. Numbers are committed only when in range (the field says why not).
 */
export function PruningFields({ pruning, onChange }: { pruning: PruningSettings | undefined; onChange: (pruning: PruningSettings | undefined) => void }) {
  const tx = useTexts(pruningTexts);
  const methods = [
    { value: 'off', label: tx.off },
    { value: 'magnitude', label: tx.magnitude },
    { value: 'channel', label: tx.channel },
  ] as const;
  const help = pruning === undefined ? tx.offHelp : pruning.method === 'magnitude' ? tx.magnitudeHelp : tx.channelHelp;
  const patch = (change: Partial<PruningSettings>) => { if (pruning !== undefined) onChange({ ...pruning, ...change }); };
  return (
    <>
      <h4>{tx.heading}</h4>
      <ChoiceField
        label={tx.method} testId="field-pruningMethod" value={pruning?.method ?? 'off'} choices={methods} description={help}
        onChange={(value) => onChange(value === 'off' ? undefined : { ...DEFAULT_PRUNING[value as PruningMethod], ...(pruning ? { targetSparsity: pruning.targetSparsity, schedule: pruning.schedule } : {}), method: value as PruningMethod })}
      />
      {pruning !== undefined && (
        <>
          <NumberField
            label={tx.targetSparsity} testId="field-pruningSparsity" value={pruning.targetSparsity} step={0.05}
            min={PRUNING_LIMITS.targetSparsity.min} max={PRUNING_LIMITS.targetSparsity.max} description={tx.targetHelp}
            onChange={(value) => { if (value !== null) patch({ targetSparsity: value }); }}
          />
          <ChoiceField
            label={tx.schedule} testId="field-pruningSchedule" value={pruning.schedule}
            choices={[{ value: 'oneShot', label: tx.oneShot }, { value: 'gradual', label: tx.gradual }] as const}
            description={pruning.schedule === 'gradual' ? tx.gradualHelp : undefined}
            onChange={(schedule) => patch({ schedule })}
          />
          {pruning.schedule === 'gradual' && (
            <div className="field-row">
              <NumberField
                label={tx.everySteps} testId="field-pruningEvery" value={pruning.everySteps} step={1} integer
                min={PRUNING_LIMITS.everySteps.min} max={PRUNING_LIMITS.everySteps.max}
                onChange={(value) => { if (value !== null) patch({ everySteps: value }); }}
              />
              <NumberField
                label={tx.rampFraction} testId="field-pruningRamp" value={pruning.rampFraction} step={0.05}
                min={PRUNING_LIMITS.rampFraction.min} max={PRUNING_LIMITS.rampFraction.max}
                onChange={(value) => { if (value !== null) patch({ rampFraction: value }); }}
              />
            </div>
          )}
        </>
      )}
    </>
  );
}
