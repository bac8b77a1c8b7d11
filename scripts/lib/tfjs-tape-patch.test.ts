import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTfjsTape, patchTfjsTape, TAPE_INPUT_LOOPS } from './tfjs-tape-patch';

const require = createRequire(import.meta.url);
const tapePath = path.join(path.dirname(require.resolve('@tensorflow/tfjs-core/package.json')), 'dist', 'tape.js');
const original = readFileSync(tapePath, 'utf8');

interface Node { id: number; inputs: Record<string, { id: number }>; outputs: { id: number }[] }
type Filter = (tape: Node[], xs: { id: number }[], y: { id: number }) => Node[];

/** tape.js's getFilteredNodesXToY as a function (it uses nothing else from the module). */
function filterOf(source: string): Filter {
  const start = source.indexOf('export function getFilteredNodesXToY(');
  const end = source.indexOf('\n}\n', start);
  if (start < 0 || end < 0) throw new Error('getFilteredNodesXToY not found in tape.js');
  return new Function(`return ${source.slice(start + 'export '.length, end + 2)}`)() as Filter;
}

describe('tfjs tape patch (for-in over a node\'s inputs as for-of over Object.keys)', () => {
  it('rewrites exactly the loops over a node\'s inputs in the installed tfjs-core', () => {
    const patched = patchTfjsTape(original);
    expect(patched.match(/for \(const inputName of Object\.keys\((nodeInputs|node\.inputs)\)\)/g)).toHaveLength(TAPE_INPUT_LOOPS);
    expect(patched).not.toMatch(/for \(const inputName in /);
    // Nothing else changes.
    expect(patched.replace(/ of Object\.keys\(([^)]*)\)\)/g, ' in $1)')).toBe(original);
  });

  it('filters a tape to the same nodes, in the same order and with the same pruned inputs, as the original', () => {
    // x -> a (with a constant c) -> b -> y, plus a branch from x that does not reach y and a node y does not depend on x through.
    const [x, c, a, b, y, dead, other] = [1, 2, 3, 4, 5, 6, 7].map((id) => ({ id }));
    const tape: Node[] = [
      { id: 10, inputs: { a: x, b: c }, outputs: [a] },
      { id: 11, inputs: { x: a }, outputs: [b] },
      { id: 12, inputs: { x }, outputs: [dead] },
      { id: 13, inputs: { x: c }, outputs: [other] },
      { id: 14, inputs: { x: b, filter: other, bias: c }, outputs: [y] },
    ];
    const before = filterOf(original)(tape, [x], y);
    const after = filterOf(patchTfjsTape(original))(tape, [x], y);
    expect(after).toEqual(before);
    expect(after.map((node) => node.id)).toEqual([10, 11, 14]);
    expect(after.map((node) => Object.keys(node.inputs))).toEqual([['a'], ['x'], ['x']]);
  });

  it('refuses a tape.js whose loops have changed, instead of silently leaving it', () => {
    expect(() => patchTfjsTape(original.replace(/for \(const inputName in node\.inputs\)/, 'for (const key in node.inputs)'))).toThrow(/3 loops .* 4 were expected/);
  });

  it('matches tfjs-core\'s ESM tape.js only', () => {
    expect(isTfjsTape('/app/node_modules/@tensorflow/tfjs-core/dist/tape.js')).toBe(true);
    expect(isTfjsTape('/app/node_modules/@tensorflow/tfjs-core/dist/tape.js?v=1234')).toBe(true);
    expect(isTfjsTape('/app/node_modules/@tensorflow/tfjs-core/dist/tape_test.js')).toBe(false);
    expect(isTfjsTape('/app/src/tape.js')).toBe(false);
  });
});
