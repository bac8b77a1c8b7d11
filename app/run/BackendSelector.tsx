import { useState } from 'react';
import { useStudio } from '../store';
import { BACKEND_PREFERENCES, isBackendPreference } from './backendPreference';
import { backendProbeStore, browserStorage } from './backendProbeStore';

const LABELS: Record<string, string> = {
  auto: 'Auto (fastest measured here)',
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WebAssembly (SIMD, CPU)',
  cpu: 'CPU',
};

export function BackendSelector({ disabled }: { disabled: boolean }) {
  const preference = useStudio((s) => s.backendPreference);
  const setPreference = useStudio((s) => s.setBackendPreference);
  const runId = useStudio((s) => s.run.runId);
  // The run the measurement was forgotten after: the next run measures, and the button says so until then.
  const [forgottenAfterRun, setForgottenAfterRun] = useState<string | null | undefined>(undefined);
  const forgotten = forgottenAfterRun !== undefined && forgottenAfterRun === runId;
  return (
    <>
      <label className="run-toolbar__backend-select">
        Backend
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
              {LABELS[name]}
            </option>
          ))}
        </select>
      </label>
      {preference === 'auto' && (
        <button
          type="button"
          data-testid="backend-remeasure"
          disabled={disabled || forgotten}
          title="Forget this device's measured speeds: the next run times each backend again"
          onClick={() => {
            backendProbeStore(browserStorage()).clear();
            setForgottenAfterRun(runId);
          }}
        >
          {forgotten ? 'Measures on next run' : 'Re-measure'}
        </button>
      )}
    </>
  );
}
