import { useState } from 'react';
import { importWeightsFile } from '../../src/export/pytorch/importWeights';
import { studentOf } from '../../src/export/exportRequest';
import { nodesOfKind } from '../../src/graph/queries';
import type { TrainedModel } from '../../src/protocol';
import { errorMessage } from '../../src/errorMessage';
import { useStudio } from '../store';
import { useTexts } from '../i18n/texts';
import { exportTexts } from '../i18n/catalogs/export';

/**
 * Loads a network's weights file pair (<model id>.json + .bin, as the PyTorch project's checkpoints
 * are written) into the run's trained models, so it can be viewed and exported like one trained
 * here. The file stem names the graph's model node; the weights must fit its architecture.
 */
export function LoadWeightsInput({ onLoaded }: { onLoaded: (modelId: string) => void }) {
  const tx = useTexts(exportTexts);
  const [problem, setProblem] = useState<string | null>(null);

  const load = async (files: FileList | null): Promise<void> => {
    const list = [...(files ?? [])];
    const layoutFile = list.find((file) => file.name.endsWith('.json'));
    const dataFile = list.find((file) => file.name.endsWith('.bin'));
    if (!layoutFile || !dataFile) {
      setProblem(tx.loadWeightsPair);
      return;
    }
    try {
      const experiment = useStudio.getState().experiment;
      const stem = layoutFile.name.replace(/\.json$/, '');
      const node = nodesOfKind(experiment, 'model').find((model) => model.id === stem);
      if (!node) throw new Error(tx.loadWeightsNoModel(stem));
      const { spec, datasetId } = studentOf(experiment, node.id);
      const weights = importWeightsFile(spec, JSON.parse(await layoutFile.text()), new Uint8Array(await dataFile.arrayBuffer()), stem);
      const model: TrainedModel = { modelId: node.id, label: node.label, role: node.params.role, experimentName: experiment.name, spec, datasetId, weights };
      useStudio.setState((state) => ({ run: { ...state.run, trainedModels: { ...state.run.trainedModels, [node.id]: model } } }));
      setProblem(null);
      onLoaded(node.id);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <div className="export-panel__load">
      <label>
        {tx.loadWeights}{' '}
        <input type="file" multiple accept=".json,.bin" data-testid="export-load-weights" onChange={(e) => void load(e.target.files)} />
      </label>
      {problem !== null && <p className="export-panel__error" role="alert" data-testid="export-load-weights-error">{problem}</p>}
    </div>
  );
}
