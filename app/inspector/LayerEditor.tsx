import { useState } from 'react';
import type { ArchitectureSpec, LayerInfo, LayerKind, LayerSpec, Padding } from '../../src/models/spec';
import { summarizeModel } from '../../src/graph/shapes';
import { insertLayer, removeLayer, updateLayer, type LayerPatch } from '../../src/models/edit';
import { formatCount, formatShape } from '../editor/format';
import { ChoiceField, NumberField } from './fields';
import { useTexts } from '../i18n/texts';
import { inspectorModelTexts } from '../i18n/catalogs/inspectorModels';

const layerKinds: readonly LayerKind[] = ['dense', 'conv2d', 'maxPool', 'avgPool', 'flatten', 'relu', 'batchNorm', 'dropout'];
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
  switch (layer.kind) {
    case 'dense':
      return int('units', tx.units, layer.units, 1, 16384);
    case 'conv2d':
      return <>{int('filters', tx.filters, layer.filters, 1, 1024)}{int('kernelSize', tx.kernel, layer.kernelSize, 1, 15)}{int('strides', tx.stride, layer.strides, 1, 8)}{padding(layer.padding)}</>;
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
    case 'flatten':
    case 'relu':
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
