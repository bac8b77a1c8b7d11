/**
 * The on-disk form of a model's weights, shared by the headless runner's teacher cache and the
 * pretrained teachers shipped in `public/teachers/`: a JSON layout (layer ids, shapes and offsets)
 * beside one blob of float32 values in the platform's byte order (little-endian on every machine
 * tfjs runs on). Float32 keeps the weights bit-exact.
 */
import type { LayerWeights } from './spec';

export interface StoredTensor { shape: number[]; offset: number; length: number }
export interface StoredLayer { layerId: string; tensors: StoredTensor[] }

export class WeightsFileError extends Error {
  override name = 'WeightsFileError';
}

export function encodeWeights(weights: LayerWeights[]): { layout: StoredLayer[]; data: Uint8Array } {
  let offset = 0;
  const layout: StoredLayer[] = weights.map((layer) => ({
    layerId: layer.layerId,
    tensors: layer.tensors.map((t) => {
      const stored = { shape: [...t.shape], offset, length: t.values.length };
      offset += t.values.length;
      return stored;
    }),
  }));
  const all = new Float32Array(offset);
  let at = 0;
  for (const layer of weights) for (const t of layer.tensors) { all.set(t.values, at); at += t.values.length; }
  return { layout, data: new Uint8Array(all.buffer) };
}

const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

/**
 * Checks every offset, length and shape against the data, so a truncated or foreign file fails
 * here, naming `source` (the file's stem) and the fault.
 */
export function decodeWeights(layout: unknown, data: Uint8Array, source: string): LayerWeights[] {
  const fail = (why: string): never => { throw new WeightsFileError(`Weights ${source}: ${why}`); };
  if (data.byteLength % 4 !== 0) fail(`the data file holds ${data.byteLength} bytes, not a whole number of float32 values.`);
  // Copy the bytes into a buffer of their own: a Node Buffer may be a view into a shared pool at any offset.
  const floats = new Float32Array(new Uint8Array(data).buffer);
  if (!Array.isArray(layout)) fail('the layout file is not a list of layers.');
  return (layout as unknown[]).map((entry, i) => {
    const layer = entry as Partial<StoredLayer> | null;
    if (typeof layer?.layerId !== 'string' || !Array.isArray(layer.tensors)) fail(`layout entry ${i} has no layerId or tensors.`);
    const { layerId, tensors } = layer as StoredLayer;
    return {
      layerId,
      tensors: tensors.map((t, j) => {
        const where = `layer '${layerId}' tensor ${j}`;
        if (!Array.isArray(t?.shape) || !t.shape.every(isCount) || !isCount(t.offset) || !isCount(t.length)) {
          fail(`${where} needs a shape of non-negative integers, an offset and a length.`);
        }
        const count = t.shape.reduce((a, b) => a * b, 1);
        if (count !== t.length) fail(`${where} has shape [${t.shape.join(', ')}] (${count} values) but length ${t.length}.`);
        if (t.offset + t.length > floats.length) {
          fail(`${where} ends at value ${t.offset + t.length} but the data file holds ${floats.length}: it is truncated.`);
        }
        return { shape: [...t.shape], values: floats.slice(t.offset, t.offset + t.length) };
      }),
    };
  });
}
