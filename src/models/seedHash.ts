/**
 * A 32-bit hash of (seed, index), so neighbouring seeds do not share streams: per-layer
 * initialisers, adapters and the per-step dropout masks all derive their seeds through it.
 */
export function layerSeed(seed: number, index: number): number {
  let h = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = (h + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0x27d4eb2f) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
