import type { QuantizationSettings } from '../../src/graph/schema';
import { DEFAULT_QUANTIZATION } from '../../src/compress/qat';
import { BooleanField, NumberField } from './fields';
import { useTexts } from '../i18n/texts';
import { quantizationTexts } from '../i18n/catalogs/quantization';

/** The trainer's QAT switch and settings; off = no `quantization` field (FP32, as files from before it). */
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
        <div className="field-row">
          <NumberField
            label={tx.emaMomentum} testId="field-quantization-emaMomentum" value={settings.emaMomentum} min={0} max={0.9999} step={0.01}
            description={tx.emaMomentumHelp} onChange={(value) => value !== null && onChange({ ...settings, emaMomentum: value })}
          />
          <NumberField
            label={tx.calibrationImages} testId="field-quantization-calibrationImages" value={settings.calibrationImages} min={1} max={60000} step={100} integer
            description={tx.calibrationImagesHelp} onChange={(value) => value !== null && onChange({ ...settings, calibrationImages: value })}
          />
        </div>
      )}
    </>
  );
}
