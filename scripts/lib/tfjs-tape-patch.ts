import type { Plugin } from 'vite';

/**
 * tfjs-core 4.22's gradient tape (dist/tape.js) walks each node's inputs with `for (const name in
 * node.inputs)`. The inputs objects of different kernels have different shapes ({x}, {a, b},
 * {x, filter, bias}, ...), and Chromium's mid-tier compiler (Maglev) keeps optimising
 * getFilteredNodesXToY for some of them: training the CNN teacher, its code was thrown away
 * ("wrong map" in the for-in) and compiled again about every other step, 150 times in 300 steps
 * of the production build (0.57 s of compiling on a background thread, on a machine whose second
 * core also runs the wasm helper and the page), the function running unoptimised in between.
 * Walking `Object.keys(...)` visits the same keys in the same order (the inputs are plain objects
 * with no inherited enumerable keys) through one array shape: 2 compilations in 300 steps.
 * Throughput: 4 of 4 dev-server pairs faster (CNN teacher +10-15 %), the production build within
 * this VM's noise (README, benchmark section). Node's V8 showed no such loop.
 */

const FOR_IN = /for \(const inputName in (nodeInputs|node\.inputs)\)/g;
/** The loops tfjs-core 4.22's tape.js has (getFilteredNodesXToY three, backpropagateGradients one). */
export const TAPE_INPUT_LOOPS = 4;

/** tape.js with its loops over a node's inputs as for-of over Object.keys; throws when the file is not the expected one. */
export function patchTfjsTape(code: string): string {
  const loops = code.match(FOR_IN)?.length ?? 0;
  if (loops !== TAPE_INPUT_LOOPS) {
    throw new Error(`tfjs-core's tape.js has ${loops} loops over a node's inputs where ${TAPE_INPUT_LOOPS} were expected; check scripts/lib/tfjs-tape-patch.ts against the new tfjs.`);
  }
  return code.replace(FOR_IN, (_, object: string) => `for (const inputName of Object.keys(${object}))`);
}

/** Whether a module id is tfjs-core's ESM tape.js (the file Vite bundles for the browser). */
export function isTfjsTape(id: string): boolean {
  return /[\\/]@tensorflow[\\/]tfjs-core[\\/]dist[\\/]tape\.js$/.test(id.split('?')[0]);
}

/** The Vite (and Rolldown, for the dev server's pre-bundled dependencies) plugin applying patchTfjsTape. */
export function tfjsTapeForOf(): Plugin {
  return {
    name: 'tfjs-tape-for-of',
    transform(code, id) {
      return isTfjsTape(id) ? { code: patchTfjsTape(code), map: null } : null;
    },
  };
}
