import { describe, expect, it } from 'vitest';
import type { ArchitectureSpec } from './spec';
import { defaultLayer, freshLayerId, insertLayer, moveLayer, removeLayer, updateLayer } from './edit';
import { architecturePresets } from './presets';
import { summarizeArchitecture, trySummarizeArchitecture } from './shapes';

const student = (): ArchitectureSpec => structuredClone(architecturePresets['cnn-student']);

describe('edit helpers', () => {
  it('insertLayer adds a default layer with a fresh id and leaves the input untouched', () => {
    const spec = student();
    const snapshot = structuredClone(spec);
    const edited = insertLayer(spec, 4, 'conv2d');
    expect(spec).toEqual(snapshot);
    expect(edited.layers[4]).toEqual({ kind: 'conv2d', id: 'conv4', filters: 16, kernelSize: 3, strides: 1, padding: 'same' });
    expect(edited.layers.length).toBe(spec.layers.length + 1);
    // The new 16-channel conv after pool1 is valid: shapes are recomputed downstream.
    expect(summarizeArchitecture(edited).layers.find((l) => l.id === 'conv2')?.params).toBe(9 * 16 * 8 + 8);
    expect(insertLayer(spec, 99, 'relu').layers.at(-1)?.id).toBe('relu4');
    expect(insertLayer(spec, -3, 'batchNorm').layers[0].id).toBe('bn4');
  });

  it('freshLayerId skips used ids', () => {
    expect(freshLayerId(student(), 'dense')).toBe('fc1');
    expect(freshLayerId(student(), 'maxPool')).toBe('pool3');
    expect(defaultLayer('dropout', 'd')).toEqual({ kind: 'dropout', id: 'd', rate: 0.5 });
  });

  it('removeLayer and updateLayer never throw on shape problems; summarize reports them', () => {
    const withoutFlatten = removeLayer(student(), 'flatten');
    expect(withoutFlatten.layers.some((l) => l.id === 'flatten')).toBe(false);
    const result = trySummarizeArchitecture(withoutFlatten);
    expect(result.ok ? '' : result.error.message).toContain("insert a flatten before dense layer 'logits'");

    const tooManyPools = updateLayer(student(), 'pool2', { poolSize: 20, strides: 20 });
    expect(tooManyPools.layers.find((l) => l.id === 'pool2')).toMatchObject({ poolSize: 20, strides: 20 });
    expect(trySummarizeArchitecture(tooManyPools).ok).toBe(false);

    const renamedToDuplicate = updateLayer(student(), 'relu1', { id: 'relu2' });
    const duplicate = trySummarizeArchitecture(renamedToDuplicate);
    expect(duplicate.ok ? '' : duplicate.error.message).toMatch(/share the id 'relu2'/);
  });

  it('updateLayer changes allowed fields and refuses fields of another kind', () => {
    const wider = updateLayer(student(), 'conv1', { filters: 6, kernelSize: 5 });
    expect(summarizeArchitecture(wider).layers[0]).toMatchObject({ outputShape: [28, 28, 6], params: 25 * 6 + 6 });
    expect(() => updateLayer(student(), 'relu1', { units: 3 })).toThrow(/relu layer and has no 'units'/);
    expect(() => updateLayer(student(), 'ghost', { units: 3 })).toThrow(/no layer 'ghost'/);
    expect(() => removeLayer(student(), 'ghost')).toThrow(/no layer 'ghost'/);
  });

  it('moveLayer reorders', () => {
    const moved = moveLayer(student(), 'pool1', 0);
    expect(moved.layers.map((l) => l.id).slice(0, 2)).toEqual(['pool1', 'conv1']);
    expect(summarizeArchitecture(moved).layers[1].outputShape).toEqual([14, 14, 4]);
  });
});
