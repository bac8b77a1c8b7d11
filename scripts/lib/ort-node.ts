/**
 * onnxruntime-node as the Node tools and tests verify exports with, at a graph optimisation level
 * this CPU computes INT8 (QDQ) models correctly at.
 *
 * On x86-64 without VNNI, ONNX Runtime's fused U8S8 integer kernels multiply uint8 activations by
 * int8 weights with VPMADDUBSW, whose sums of pairs saturate at int16 (the "saturation" caveat of
 * ORT's quantization guide). On such a CPU (an AMD EPYC Zen 3 here) the studio's QDQ student
 * ran at arg-max agreement 0.97 and max |diff| 0.53 against its fake-quant model at the 'extended'
 * and 'all' levels, which fuse QDQ into those kernels, and at 1.0 and 6.3e-2 at 'basic' (1.0 and
 * 6.7e-6 unoptimised). Where the CPU has VNNI (AVX512-VNNI or AVX-VNNI) or is not x86, 'all'.
 * Ascend's ATC and the browser's ORT (WebAssembly) are not affected.
 */
import { readFileSync } from 'node:fs';
import * as ortNode from 'onnxruntime-node';
import { createOrtRunner, type OnnxRunner, type OrtModule } from '../../src/export/verify';

/** Whether /proc/cpuinfo's text describes an x86 CPU with AVX2 and without VNNI (see above). */
export function u8s8MaySaturate(cpuinfo: string): boolean {
  const flags = new Set((/^flags\s*:(.*)$/m.exec(cpuinfo)?.[1] ?? '').trim().split(/\s+/));
  return flags.has('avx2') && !flags.has('avx512_vnni') && !flags.has('avx_vnni');
}

function readCpuinfo(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}

/** The optimisation level INT8 models are verified at on this machine: 'all', or 'basic' where U8S8 kernels may saturate. */
export const NODE_ORT_LEVEL: 'all' | 'basic' = u8s8MaySaturate(readCpuinfo()) ? 'basic' : 'all';

const ort = ortNode as unknown as OrtModule;

/** onnxruntime-node with its sessions at one graph optimisation level (the tests compare levels). */
export function nodeOrtRunnerAt(level: 'disabled' | 'basic' | 'extended' | 'all'): OnnxRunner {
  return createOrtRunner({ ...ort, InferenceSession: { create: (model) => ort.InferenceSession.create(model, { graphOptimizationLevel: level }) } });
}

/** onnxruntime-node at NODE_ORT_LEVEL. */
export const nodeOrtRunner: OnnxRunner = nodeOrtRunnerAt(NODE_ORT_LEVEL);
