import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { adamBytesFile, batchNormBytesFile, biasBytesFile, gemmBytesFile, maxPoolGradBytesFile, reluGradBytesFile, transposeBytesFile } from './wasm-gemm-files';

describe('wasm module bytes', () => {
  it.each([['wasm-gemm-bytes.ts', gemmBytesFile], ['wasm-batch-norm-bytes.ts', batchNormBytesFile], ['wasm-adam-bytes.ts', adamBytesFile],
  ['wasm-maxpool-grad-bytes.ts', maxPoolGradBytesFile], ['wasm-bias-bytes.ts', biasBytesFile],
  ['wasm-transpose-bytes.ts', transposeBytesFile], ['wasm-relu-grad-bytes.ts', reluGradBytesFile]] as const)(
    '%s is the committed assembly of its text (rerun scripts/wasm-gemm-assemble.ts after editing it)', async (file, text) => {
      const committed = await readFile(new URL(`../../src/models/${file}`, import.meta.url), 'utf8');
      expect(committed).toBe(await text());
    });
});
