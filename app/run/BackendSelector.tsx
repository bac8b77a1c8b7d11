import { useState } from 'react';
import { useStudio } from '../store';
import { BACKEND_PREFERENCES, isBackendPreference } from './backendPreference';
import { backendProbeStore, browserStorage } from './backendProbeStore';
import { useTexts } from '../i18n/texts';
import { runTexts } from '../i18n/catalogs/run';
import type { BackendPreference } from '../../src/protocol';

const labels = (tx: (typeof runTexts)['en']): Record<BackendPreference, string> => ({
  auto: tx.backendAuto,
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: tx.backendWasm,
  cpu: 'CPU',
});

export function BackendSelector({ disabled }: { disabled: boolean }) {
  const tx = useTexts(runTexts);
  const preference = useStudio((s) => s.backendPreference);
  const setPreference = useStudio((s) => s.setBackendPreference);
  const runId = useStudio((s) => s.run.runId);
  // The run the measurement was forgotten after: the next run measures, and the button says so until then.
  const [forgottenAfterRun, setForgottenAfterRun] = useState<string | null | undefined>(undefined);
  const forgotten = forgottenAfterRun !== undefined && forgottenAfterRun === runId;
  return (
    <>
      <label className="run-toolbar__backend-select">
        {tx.backend}
        <select
          data-testid="backend-select"
          value={preference}
          disabled={disabled}
          onChange={(event) => {
            if (isBackendPreference(event.target.value)) setPreference(event.target.value);
          }}
        >
          {BACKEND_PREFERENCES.map((name) => (
            <option key={name} value={name}>
              {labels(tx)[name]}
            </option>
          ))}
        </select>
      </label>
      {preference === 'auto' && (
        <button
          type="button"
          data-testid="backend-remeasure"
          disabled={disabled || forgotten}
          title={tx.remeasureTitle}
          onClick={() => {
            backendProbeStore(browserStorage()).clear();
            setForgottenAfterRun(runId);
          }}
        >
          {forgotten ? tx.measuresNextRun : tx.remeasure}
        </button>
      )}
    </>
  );
}
