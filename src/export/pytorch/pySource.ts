/** Helpers for writing Python source from TypeScript values. */

/** An experiment the PyTorch export cannot write faithfully; the message names what and why. */
export class PyTorchExportError extends Error {
  override readonly name = 'PyTorchExportError';
}

/** A Python literal: strings and numbers as JSON writes them (valid Python), booleans and null as Python's. */
export function py(value: string | number | boolean | null): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' && !Number.isFinite(value)) throw new PyTorchExportError(`Cannot write ${value} as a Python number.`);
  return JSON.stringify(value);
}

/** A Python class name from a node id ('student-2' -> 'Student2'), unique among `taken`'s values. */
export function pyClassName(id: string, taken: ReadonlyMap<string, string>): string {
  const words = id.split(/[^A-Za-z0-9]+/).filter((word) => word.length > 0);
  let base = words.map((word) => word[0].toUpperCase() + word.slice(1)).join('') || 'Net';
  if (/^[0-9]/.test(base)) base = `Net${base}`;
  const used = new Set(taken.values());
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}${n}`;
  return name;
}
