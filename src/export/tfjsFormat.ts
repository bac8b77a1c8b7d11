import * as tf from '@tensorflow/tfjs';
import { strToU8, zipSync } from 'fflate';

/**
 * The student in the tfjs layers format (model.json + weights.bin, what `tf.loadLayersModel`
 * reads), zipped for download.
 */
export async function tfjsModelZip(model: tf.LayersModel, folder: string): Promise<Uint8Array> {
  let files: Record<string, Uint8Array> | null = null;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    const manifest: tf.io.WeightsManifestConfig = [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }];
    const modelJson: tf.io.ModelJSON = {
      modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
      weightsManifest: manifest,
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
    };
    files = {
      [`${folder}/model.json`]: strToU8(JSON.stringify(modelJson)),
      [`${folder}/weights.bin`]: new Uint8Array(weightData),
    };
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  }));
  if (!files) throw new Error('tfjs did not hand over the model artifacts.');
  return zipSync(files, { level: 6 });
}
