import { useStudio } from '../store';
import { BACKEND_PREFERENCES, isBackendPreference } from './backendPreference';

const LABELS: Record<string, string> = {
  auto: 'Auto (WebGPU → WebGL → CPU)',
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WebAssembly (SIMD, CPU)',
  cpu: 'CPU',
};

export function BackendSelector({ disabled }: { disabled: boolean }) {
  const preference = useStudio((s) => s.backendPreference);
  const setPreference = useStudio((s) => s.setBackendPreference);
  return (
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
  );
}
