/**
 * `--onnx <file>` and `--bundle <file>` of the headless runner: after training, export the chosen
 * model (`--model`, by default the student), verify it with onnxruntime-node against the tfjs
 * model (INT8 at a level this CPU computes it correctly at: ort-node.ts), and write the files. A failed verification writes nothing and throws, so a broken export
 * never lands on disk.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exportSettingsOf, runExportJob, type ModelCard } from '../../src/export/exportJob';
import type { OnnxRunner } from '../../src/export/verify';
import type { AssetReader } from '../../src/data/types';
import type { ExperimentFile } from '../../src/graph/schema';
import type { TrainedModel, VerificationReport } from '../../src/protocol';
import type { ExperimentResults } from '../../src/results';
import { nodeAssetReader } from './node-assets';
import { nodeOrtRunner } from './ort-node';

export interface ExportFlags {
  onnx: string | null;
  bundle: string | null;
}

export class ExportCliError extends Error {
  override readonly name = 'ExportCliError';
}

/** Reads `--onnx <file>` / `--onnx=<file>` and `--bundle <file>` from argv; other arguments are ignored. */
export function parseExportFlags(argv: readonly string[]): ExportFlags {
  const flags: ExportFlags = { onnx: null, bundle: null };
  argv.forEach((arg, i) => {
    for (const name of ['onnx', 'bundle'] as const) {
      if (arg === `--${name}`) {
        const value = argv[i + 1];
        if (!value || value.startsWith('--')) throw new ExportCliError(`--${name} needs a file name, e.g. --${name} student.${name === 'onnx' ? 'onnx' : 'zip'}`);
        flags[name] = value;
      } else if (arg.startsWith(`--${name}=`)) {
        flags[name] = arg.slice(name.length + 3);
      }
    }
  });
  return flags;
}

export interface WriteExportsInput {
  /** Gives the export settings (its Export node, else the ATC defaults). */
  experiment: ExperimentFile;
  /** The trained model as the runner sent it ({ type: 'weights' }): its id, architecture, data set and weights. */
  model: TrainedModel;
  results: ExperimentResults | null;
  flags: ExportFlags;
  log?: (message: string) => void;
  read?: AssetReader;
  runOnnx?: OnnxRunner;
}

export interface WriteExportsResult {
  report: VerificationReport;
  card: ModelCard;
  written: string[];
}


/** Exports as the experiment's Export node says (ATC defaults without one) and writes the requested files. */
export async function writeExports(input: WriteExportsInput): Promise<WriteExportsResult | null> {
  const { flags, log = (message: string) => console.log(message) } = input;
  if (!flags.onnx && !flags.bundle) return null;
  const settings = exportSettingsOf(input.experiment);
  const { modelId, spec, datasetId, weights } = input.model;
  const result = await runExportJob({
    modelId,
    spec,
    weights,
    datasetId,
    format: flags.bundle ? 'atc' : 'onnx',
    options: {
      socVersion: settings.socVersion, aipp: settings.aipp, batchSize: settings.batchSize,
      softmaxOutput: settings.softmaxOutput, opset: settings.opset,
    },
    verifyImages: 128,
    experimentName: input.experiment.name,
    results: input.results,
    includeTfjs: false,
  }, { read: input.read ?? nodeAssetReader(), runOnnx: input.runOnnx ?? nodeOrtRunner });
  const { report } = result;
  log(`ONNX verification on ${report.samples} test images: max |diff| ${report.maxAbsDiff.toExponential(2)}, ` +
    `class agreement ${(report.classAgreement * 100).toFixed(1)} %`);
  if (!report.ok) {
    throw new ExportCliError(
      `The exported ONNX model disagrees with the tfjs model (max |diff| ${report.maxAbsDiff} > ${report.tolerance} or classes differ); ` +
      'nothing was written. Please report this with the experiment file.',
    );
  }
  const written: string[] = [];
  const write = async (file: string, bytes: Uint8Array) => {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await writeFile(file, bytes);
    written.push(file);
    log(`wrote ${file} (${bytes.length} bytes)`);
  };
  if (flags.onnx) {
    await write(flags.onnx, result.onnx);
    // A pruned student's smaller files, verified like the dense one, beside it.
    const base = flags.onnx.replace(/\.onnx$/i, '');
    for (const [form, file] of [['slimmed', result.pruned?.slimmed], ['sparse', result.pruned?.sparse]] as const) {
      if (file?.report.ok) await write(`${base}_${form}.onnx`, file.onnx);
    }
  }
  if (flags.bundle) {
    if (!result.bundle) throw new ExportCliError('The ATC bundle was not built; see the verification result above.');
    await write(flags.bundle, result.bundle);
  }
  return { report, card: result.card, written };
}
