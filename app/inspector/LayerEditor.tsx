import { useState } from 'react';
import { ACTIVATION_FUNCTIONS, isMergeLayer, PAD_FILLS, type ArchitectureSpec, type LayerInfo, type LayerKind, type LayerSpec, type Padding } from '../../src/models/spec';
import { INPUT_LAYER_NAME } from '../../src/models/wiring';
import { summarizeModel } from '../../src/graph/shapes';
import { insertLayer, removeLayer, updateLayer, type LayerPatch } from '../../src/models/edit';
import { formatCount, formatShape } from '../editor/format';
import { BooleanField, ChoiceField, NumberField } from './fields';
import { useTexts } from '../i18n/texts';
import { inspectorModelTexts } from '../i18n/catalogs/inspectorModels';

const layerKinds: readonly LayerKind[] = [
  'dense', 'conv2d', 'depthwiseConv2d', 'maxPool', 'avgPool', 'globalAvgPool', 'flatten', 'relu', 'activation', 'batchNorm', 'dropout', 'pad', 'add', 'concat',
];

/**
 * Where a layer reads from: the previous layer (no `from`), the image or any earlier layer. An add
 * picks each of its inputs the same way and can take more. Impossible wiring shows as the
 * architecture error above the list.
 */
function LayerWiring({ layers, index, onPatch }: { layers: LayerSpec[]; index: number; onPatch: (patch: LayerPatch) => void }) {
  const tx = useTexts(inspectorModelTexts);
  const layer = layers[index];
  const earlier = [INPUT_LAYER_NAME, ...layers.slice(0, index).map((l) => l.id)];
  if (!isMergeLayer(layer)) {
    const previousId = earlier[earlier.length - 1];
    const choices = [{ value: '', label: tx.previousLayer(previousId) }, ...earlier.slice(0, -1).map((id) => ({ value: id, label: id }))];
    return (
      <ChoiceField label={tx.layerInput} testId={`layer-${layer.id}-from`} value={layer.from ?? ''} choices={choices}
        onChange={(v) => onPatch({ from: v === '' ? null : v })} />
    );
  }
  const setInput = (i: number, id: string) => onPatch({ inputs: layer.inputs.map((old, j) => (j === i ? id : old)) });
  return (
    <fieldset className="layer-row__inputs" data-testid={`layer-${layer.id}-inputs`}>
      <legend>{layer.kind === 'add' ? tx.addInputs : tx.concatInputs}</legend>
      {layer.inputs.map((id, i) => (
        <span key={i}>
          <ChoiceField label={`${i + 1}`} testId={`layer-${layer.id}-input-${i}`} value={id} choices={earlier} onChange={(v) => setInput(i, v)} />
          {layer.inputs.length > 2 && (
            <button type="button" className="icon-button" title={tx.removeInput(id)}
              onClick={() => onPatch({ inputs: layer.inputs.filter((_, j) => j !== i) })}>✕</button>
          )}
        </span>
      ))}
      <button type="button" data-testid={`layer-${layer.id}-add-input`}
        onClick={() => onPatch({ inputs: [...layer.inputs, earlier[earlier.length - 1]] })}>{tx.addInput}</button>
    </fieldset>
  );
}
const paddings: readonly Padding[] = ['same', 'valid'];

/** The settings of one layer that the editor exposes, by kind. */
function LayerSettings({ layer, onPatch }: { layer: LayerSpec; onPatch: (patch: LayerPatch) => void }) {
  const tx = useTexts(inspectorModelTexts);
  type NumericKey = 'units' | 'filters' | 'kernelSize' | 'strides' | 'poolSize';
  const int = (key: NumericKey, label: string, value: number, min: number, max: number) => (
    <NumberField key={key} label={label} testId={`layer-${layer.id}-${key}`} value={value} min={min} max={max} step={1} integer
      onChange={(v) => { if (v !== null) onPatch({ [key]: v }); }} />
  );
  const padding = (value: Padding) => (
    <ChoiceField key="padding" label={tx.padding} testId={`layer-${layer.id}-padding`} value={value} choices={paddings}
      onChange={(v) => onPatch({ padding: v })} />
  );
  const bias = (value: boolean | undefined) => (
    <BooleanField key="useBias" label={tx.bias} testId={`layer-${layer.id}-bias`} value={value ?? true}
      onChange={(v) => onPatch({ useBias: v })} />
  );
  switch (layer.kind) {
    case 'dense':
      return int('units', tx.units, layer.units, 1, 16384);
    case 'conv2d':
      return <>{int('filters', tx.filters, layer.filters, 1, 1024)}{int('kernelSize', tx.kernel, layer.kernelSize, 1, 15)}{int('strides', tx.stride, layer.strides, 1, 8)}{padding(layer.padding)}{bias(layer.useBias)}</>;
    case 'depthwiseConv2d':
      return <>{int('kernelSize', tx.kernel, layer.kernelSize, 1, 15)}{int('strides', tx.stride, layer.strides, 1, 8)}{padding(layer.padding)}{bias(layer.useBias)}</>;
    case 'activation':
      return (
        <ChoiceField label={tx.activationFn} testId={`layer-${layer.id}-fn`} value={layer.fn} choices={ACTIVATION_FUNCTIONS}
          onChange={(fn) => onPatch({ fn })} />
      );
    case 'maxPool':
    case 'avgPool':
      return <>{int('poolSize', tx.pool, layer.poolSize, 1, 8)}{int('strides', tx.stride, layer.strides, 1, 8)}{padding(layer.padding)}</>;
    case 'dropout':
      return (
        <NumberField label={tx.rate} testId={`layer-${layer.id}-rate`} value={layer.rate} min={0} max={0.95} step={0.05}
          onChange={(v) => { if (v !== null) onPatch({ rate: v }); }} />
      );
    case 'batchNorm':
      return (
        <NumberField label={tx.epsilon} testId={`layer-${layer.id}-epsilon`} value={layer.epsilon} min={1e-8} max={0.1} step={1e-4}
          onChange={(v) => { if (v !== null) onPatch({ epsilon: v }); }} />
      );
    case 'pad':
      return (
        <>
          {layer.pads.map((size, side) => (
            <NumberField key={side} label={tx.padSide(side)} testId={`layer-${layer.id}-pad-${side}`} value={size} min={0} max={16} step={1} integer
              onChange={(v) => { if (v !== null) onPatch({ pads: layer.pads.map((old, i) => (i === side ? v : old)) as [number, number, number, number] }); }} />
          ))}
          <ChoiceField label={tx.padFill} testId={`layer-${layer.id}-fill`} value={layer.fill}
            choices={PAD_FILLS.map((fill) => ({ value: fill, label: tx.padFillChoice(fill) }))} onChange={(fill) => onPatch({ fill })} />
        </>
      );
    case 'flatten':
    case 'relu':
    case 'globalAvgPool':
    case 'add':
    case 'concat':
      return null;
  }
}

/**
 * Layer-by-layer architecture editor: add, remove and change layers; shapes, parameters and the
 * totals are recomputed on every change, and an ArchitectureError is shown where it occurs.
 */
export function LayerEditor({ architecture, onChange }: { architecture: ArchitectureSpec; onChange: (spec: ArchitectureSpec) => void }) {
  const tx = useTexts(inspectorModelTexts);
  const [newKind, setNewKind] = useState<LayerKind>('dense');
  const result = summarizeModel(architecture);
  const infoById = new Map<string, LayerInfo>(result.ok ? result.summary.layers.map((l) => [l.id, l]) : []);
  const badLayer = result.ok ? undefined : result.error.layerId;

  const insertAt = (index: number) => onChange(insertLayer(architecture, index, newKind));

  return (
    <div className="layer-editor" data-testid="layer-editor">
      <p className="muted">{tx.input(formatShape(architecture.inputShape))}</p>
      {!result.ok && <p className="inspector__error" data-testid="architecture-error" role="alert">{result.error.message}</p>}
      <ol className="layer-list">
        {architecture.layers.map((layer, index) => {
          const info = infoById.get(layer.id);
          return (
            <li key={layer.id} className={`layer-row${layer.id === badLayer ? ' layer-row--invalid' : ''}`} data-testid={`layer-row-${layer.id}`}>
              <div className="layer-row__head">
                <span className={`layer-chip layer-chip--${layer.kind}`} aria-hidden />
                <b>{layer.id}</b>
                <span className="muted">{layer.kind}</span>
                <span className="layer-row__shape" data-testid={`layer-shape-${layer.id}`}>{info ? formatShape(info.outputShape) : '?'}</span>
                <span className="layer-row__params">{info ? `${formatCount(info.params)} p` : ''}</span>
                <button type="button" className="icon-button" title={tx.insertAfter(newKind, layer.id)}
                  data-testid={`insert-after-${layer.id}`} onClick={() => insertAt(index + 1)}>+</button>
                <button type="button" className="icon-button icon-button--danger" title={tx.remove(layer.id)}
                  data-testid={`remove-layer-${layer.id}`} onClick={() => onChange(removeLayer(architecture, layer.id))}>✕</button>
              </div>
              <div className="layer-row__settings">
                <LayerWiring layers={architecture.layers} index={index} onPatch={(patch) => onChange(updateLayer(architecture, layer.id, patch))} />
                <LayerSettings layer={layer} onPatch={(patch) => onChange(updateLayer(architecture, layer.id, patch))} />
              </div>
            </li>
          );
        })}
      </ol>
      <div className="layer-editor__add">
        <ChoiceField label={tx.newLayerKind} testId="new-layer-kind" value={newKind} choices={layerKinds} onChange={setNewKind} />
        <button type="button" data-testid="add-layer" onClick={() => insertAt(Math.max(0, architecture.layers.length - 1))}>
          {tx.addLayer}
        </button>
      </div>
    </div>
  );
}
