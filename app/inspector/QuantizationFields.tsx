import type { QuantizationSettings } from '../../src/graph/schema';
import { DEFAULT_QUANTIZATION } from '../../src/compress/qat';
import { BooleanField, ChoiceField, NumberField } from './fields';
import { useTexts } from '../i18n/texts';
import { quantizationTexts } from '../i18n/catalogs/quantization';

/** The trainer's INT8 switch, method (QAT or PTQ) and settings; off = no `quantization` field (FP32, as files from before it). */
export function QuantizationFields(
  { settings, onChange }: { settings: QuantizationSettings | undefined; onChange: (settings: QuantizationSettings | undefined) => void },
) {
  const tx = useTexts(quantizationTexts);
  return (
    <>
      <h4>{tx.heading}</h4>
      <BooleanField
        label={tx.qat} testId="field-quantization" value={settings !== undefined} description={tx.qatHelp}
        onChange={(on) => onChange(on ? { ...DEFAULT_QUANTIZATION } : undefined)}
      />
      {settings && (
        <ChoiceField
          label={tx.method} testId="field-quantization-method" value={settings.method ?? 'qat'} description={tx.methodHelp}
          choices={[{ value: 'qat', label: tx.methodQat }, { value: 'ptq', label: tx.methodPtq }]}
          onChange={(method) => onChange({ ...settings, method })}
        />
      )}
      {settings && (
        <div className="field-row">
          {settings.method !== 'ptq' && (
            <NumberField
              label={tx.emaMomentum} testId="field-quantization-emaMomentum" value={settings.emaMomentum} min={0} max={0.9999} step={0.01}
              description={tx.emaMomentumHelp} onChange={(value) => value !== null && onChange({ ...settings, emaMomentum: value })}
            />
          )}
          <NumberField
            label={tx.calibrationImages} testId="field-quantization-calibrationImages" value={settings.calibrationImages} min={1} max={60000} step={100} integer
            description={tx.calibrationImagesHelp} onChange={(value) => value !== null && onChange({ ...settings, calibrationImages: value })}
          />
        </div>
      )}
    </>
  );
}
