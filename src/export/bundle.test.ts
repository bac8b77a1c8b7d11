import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedDataset } from '../data/types';
import { architecturePresets } from '../models/presets';
import type { LayerWeights } from '../models/spec';
import { buildAtlasBundle, type AtlasBundle, type AtlasManifest } from './bundle';
import { loadMnistSubset, nodeOnnxRunner, seededStudent } from './export.testkit';
import { nhwcToNchw } from './layout';
import { sha256Hex } from './sha256';

/** Unzips the bundle and checks it file by file, as a user on the board would rely on it. */

const spec = architecturePresets['cnn-student'];
let mnist: LoadedDataset;
let weights: LayerWeights[];
let dir: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  mnist = await loadMnistSubset(16, 64);
  const student = seededStudent(spec, 4);
  student.model.dispose();
  weights = student.weights;
  dir = mkdtempSync(path.join(tmpdir(), 'atlas-bundle-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function build(options: { aipp?: boolean; batchSize?: number; socVersion?: string }): Promise<AtlasBundle> {
  return buildAtlasBundle({
    modelId: 'student', spec, weights, dataset: mnist.info, samples: mnist.test, calibration: mnist.train, runOnnx: nodeOnnxRunner,
    options: { ...options, softmaxOutput: true }, experimentName: 'test run', createdAt: new Date('2026-01-02T03:04:05Z'),
  });
}

function unpack(bundle: AtlasBundle): Map<string, Uint8Array> {
  const entries = unzipSync(bundle.zip);
  const files = new Map<string, Uint8Array>();
  for (const [name, bytes] of Object.entries(entries)) {
    expect(name.startsWith(`${bundle.folder}/`)).toBe(true);
    files.set(name.slice(bundle.folder.length + 1), bytes);
  }
  return files;
}

function writeTree(files: Map<string, Uint8Array>, name: string): string {
  const root = path.join(dir, name);
  for (const [file, bytes] of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), bytes);
  }
  return root;
}

/**
 * A stand-in for Huawei's msame that writes logits where msame does (<out>/<time>/<model>_output_0.txt),
 * taken from expected_logits.txt in the given column order: it exercises the verify script's own logic.
 */
function fakeMsame(root: string, columnLoop: string): string {
  const file = path.join(root, 'fake-msame');
  writeFileSync(file, `#!/bin/sh
while [ $# -gt 0 ]; do case "$1" in --input) in="$2"; shift 2 ;; --output) out="$2"; shift 2 ;; *) shift ;; esac; done
mkdir -p "$out/20260101_000000"
awk -v f="$(basename "$in")" '$1 == f { ${columnLoop} print "" }' data/expected_logits.txt > "$out/20260101_000000/student_output_0.txt"
`, { mode: 0o755 });
  return file;
}

function parseExpected(text: string): { file: string; label: number; predicted: number; logits: number[] }[] {
  return text.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => {
    const [file, , label, predicted, ...logits] = line.split(' ');
    return { file, label: Number(label), predicted: Number(predicted), logits: logits.map(Number) };
  });
}

const REQUIRED = [
  'README.md', 'manifest.json', 'model/student.onnx', 'scripts/convert.sh', 'scripts/run.sh', 'scripts/verify_msame.sh',
  'scripts/verify_ais_bench.sh', 'scripts/quantize.sh', 'src/infer.py', 'data/expected_logits.txt', 'data/labels.txt',
  'data/sample_0.bin', 'data/sample_3.bin', 'calibration/calibration_0.bin',
];

describe('ATC bundle (float32 input, batch 2)', () => {
  let bundle: AtlasBundle;
  let files: Map<string, Uint8Array>;
  let manifest: AtlasManifest;
  beforeAll(async () => {
    bundle = await build({ batchSize: 2, socVersion: 'Ascend310B1' });
    files = unpack(bundle);
    manifest = JSON.parse(strFromU8(files.get('manifest.json') as Uint8Array)) as AtlasManifest;
  });

  it('holds every file, and the manifest checksums match every other file', () => {
    for (const file of REQUIRED) expect(files.has(file), file).toBe(true);
    expect(files.has('model/insert_op.cfg')).toBe(false);
    expect(Object.keys(manifest.files).sort()).toEqual([...files.keys()].filter((f) => f !== 'manifest.json').sort());
    for (const [file, entry] of Object.entries(manifest.files)) {
      const bytes = files.get(file) as Uint8Array;
      expect({ file, bytes: bytes.length, sha256: sha256Hex(bytes) }).toEqual({ file, ...entry });
    }
  });

  it('describes input, normalisation, target and labels in the manifest', () => {
    expect(manifest.input).toEqual({ name: 'input', shape: [2, 1, 28, 28], dtype: 'float32', layout: 'NCHW' });
    expect(manifest.deviceInput).toEqual({ dtype: 'float32', layout: 'NCHW', shape: [2, 1, 28, 28], bytes: 2 * 784 * 4 });
    expect(manifest.normalization).toMatchObject({ mean: [0.1307], std: [0.3081], appliedBy: 'host' });
    expect(manifest.target.socVersion).toBe('Ascend310B1');
    expect([manifest.model.opset, manifest.model.irVersion]).toEqual([11, 6]);
    expect(manifest.outputs.map((o) => o.name)).toEqual(['logits', 'probs']);
    expect(strFromU8(files.get('data/labels.txt') as Uint8Array)).toBe('0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n');
    expect(strFromU8(files.get('scripts/convert.sh') as Uint8Array)).toContain('SOC_VERSION="${SOC_VERSION:-Ascend310B1}"');
    expect(manifest.experiment).toEqual({ name: 'test run', modelId: 'student', results: null });
    expect(strFromU8(files.get('README.md') as Uint8Array)).toContain('No experiment results were attached to this export.');
  });

  it('writes samples of exactly the input size, and ONNX Runtime reproduces expected_logits.txt from them', async () => {
    const expected = parseExpected(strFromU8(files.get('data/expected_logits.txt') as Uint8Array));
    expect(expected).toHaveLength(8);
    const inputs = manifest.samples.map(({ file }) => {
      const bytes = files.get(file) as Uint8Array;
      expect(bytes.length, file).toBe(2 * 1 * 28 * 28 * 4);
      return { data: new Float32Array(bytes.slice().buffer), dims: [2, 1, 28, 28] };
    });
    const logits = await nodeOnnxRunner(files.get('model/student.onnx') as Uint8Array, inputs);
    expected.forEach((row, i) => {
      const fresh = Array.from(logits[Math.floor(i / 2)].subarray((i % 2) * 10, (i % 2 + 1) * 10));
      fresh.forEach((value, k) => expect(Math.abs(value - row.logits[k])).toBeLessThan(1e-5));
      expect(row.predicted).toBe(fresh.indexOf(Math.max(...fresh)));
      expect(row.label).toBe(mnist.test.labels[i]);
    });
    expect(manifest.samples[1].labels).toEqual([mnist.test.labels[2], mnist.test.labels[3]]);
  });

  it('stores calibration batches from real training images, normalised NCHW', () => {
    expect(manifest.calibration.files).toHaveLength(16); // 32 images in batches of 2
    const first = new Float32Array((files.get('calibration/calibration_0.bin') as Uint8Array).slice().buffer);
    const pixels = mnist.train.images.subarray(0, 2 * 784);
    const want = nhwcToNchw(Array.from(pixels, (p) => (p / 255 - 0.1307) / 0.3081), 2, 28, 28, 1);
    expect(first.length).toBe(want.length);
    first.forEach((value, i) => expect(value).toBeCloseTo(want[i], 5));
    expect(strFromU8(files.get('scripts/quantize.sh') as Uint8Array)).toContain('--batch_num 16');
  });

  it('has POSIX sh scripts that parse (sh -n) and an infer.py that compiles for Python 3.7', () => {
    const root = writeTree(files, 'float');
    for (const script of ['convert.sh', 'run.sh', 'verify_msame.sh', 'verify_ais_bench.sh', 'quantize.sh']) {
      const result = spawnSync('sh', ['-n', path.join(root, 'scripts', script)], { encoding: 'utf8' });
      expect(result.stderr, script).toBe('');
      expect(result.status, script).toBe(0);
      expect(strFromU8(files.get(`scripts/${script}`) as Uint8Array)).toMatch(/^#!\/bin\/sh\n[\s\S]*\nset -eu\n/);
    }
    const infer = path.join(root, 'src', 'infer.py');
    const compiled = spawnSync('/usr/bin/python3', ['-m', 'py_compile', infer], { encoding: 'utf8' });
    expect(compiled.stderr).toBe('');
    const py37 = spawnSync('/usr/bin/python3', ['-c',
      'import ast, sys; ast.parse(open(sys.argv[1]).read(), feature_version=(3, 7))', infer], { encoding: 'utf8' });
    expect(py37.stderr).toBe('');
    const convert = spawnSync('sh', [path.join(root, 'scripts', 'convert.sh'), '--help'], { encoding: 'utf8' });
    expect(convert.stdout).toContain('usage: sh scripts/convert.sh');
  });

  it('verify_msame.sh passes matching outputs and fails a wrong class', () => {
    const root = writeTree(files, 'msame');
    writeFileSync(path.join(root, 'model', 'student.om'), 'stand-in');
    const script = path.join(root, 'scripts', 'verify_msame.sh');
    const good = spawnSync('sh', [script], { encoding: 'utf8', env: { ...process.env, MSAME: fakeMsame(root, 'for (i = 5; i <= NF; i++) printf "%s ", $i;') } });
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('OK   data/sample_3.bin');
    // Logits written in reverse order: the predicted classes change and the script must notice.
    const bad = spawnSync('sh', [script], { encoding: 'utf8', env: { ...process.env, MSAME: fakeMsame(root, 'for (i = NF; i >= 5; i--) printf "%s ", $i;') } });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('FAIL');
    expect(bad.stderr).toMatch(/sample\(s\) disagree with ONNX Runtime/);
  });

  it('releases every pyACL resource it creates, in reverse order', () => {
    const source = strFromU8(files.get('src/infer.py') as Uint8Array);
    const pairs: [string, string][] = [
      ['acl.init(', 'acl.finalize'], ['acl.rt.set_device(', 'acl.rt.reset_device'],
      ['acl.rt.create_context(', 'acl.rt.destroy_context'], ['acl.mdl.load_from_file(', 'acl.mdl.unload'],
      ['acl.mdl.create_desc(', 'acl.mdl.destroy_desc'], ['acl.mdl.create_dataset(', 'acl.mdl.destroy_dataset'],
      ['acl.rt.malloc(', 'acl.rt.free('], ['acl.create_data_buffer(', 'acl.destroy_data_buffer'],
      ['acl.rt.malloc_host(', 'acl.rt.free_host('],
    ];
    for (const [create, release] of pairs) {
      expect(source, create).toContain(create);
      expect(source, release).toContain(release);
    }
    expect(source).toContain('self._releases.pop()');
  });
});

describe('ATC bundle with AIPP', () => {
  it('writes insert_op.cfg with the MNIST values, uint8 samples and a manifest saying AIPP normalises', async () => {
    const bundle = await build({ aipp: true });
    const files = unpack(bundle);
    const cfg = strFromU8(files.get('model/insert_op.cfg') as Uint8Array);
    expect(cfg).toContain('input_format: YUV400_U8');
    expect(cfg).toContain('min_chn_0: 33.3285');
    expect(cfg).toContain('var_reci_chn_0: 0.0127282331');
    expect(cfg).toMatch(/src_image_size_w: 28\n\s+src_image_size_h: 28/);
    const sample = files.get('data/sample_1.bin') as Uint8Array;
    expect(sample.length).toBe(784);
    expect(Array.from(sample)).toEqual(Array.from(mnist.test.images.subarray(784, 2 * 784)));
    const manifest = JSON.parse(strFromU8(files.get('manifest.json') as Uint8Array)) as AtlasManifest;
    expect(manifest.normalization.appliedBy).toBe('aipp');
    expect(manifest.deviceInput).toEqual({ dtype: 'uint8', layout: 'NHWC', shape: [1, 28, 28, 1], bytes: 784 });
    expect(strFromU8(files.get('scripts/convert.sh') as Uint8Array)).toContain('--insert_op_conf=model/insert_op.cfg');

    // AIPP's arithmetic on the uint8 sample gives the ONNX input that produced expected_logits.txt.
    const aippInput = Float32Array.from(sample, (p) => (p - 0 - 33.3285) * 0.0127282331);
    const [logits] = await nodeOnnxRunner(bundle.onnx, [{ data: aippInput, dims: [1, 1, 28, 28] }]);
    const row = parseExpected(strFromU8(files.get('data/expected_logits.txt') as Uint8Array))[1];
    logits.forEach((value, k) => expect(Math.abs(value - row.logits[k])).toBeLessThan(1e-4));
  });

  it('rejects an unknown soc_version and too few calibration images with a clear message', async () => {
    await expect(build({ socVersion: 'rm -rf /' })).rejects.toThrow(/soc_version 'rm -rf \/' is not valid/);
    const small = { ...mnist.train, count: 8 };
    await expect(buildAtlasBundle({
      modelId: 'student', spec, weights, dataset: mnist.info, samples: mnist.test, calibration: small, runOnnx: nodeOnnxRunner,
    })).rejects.toThrow(/calibration needs 32 training images/);
  });
});
