import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { gemmBytesFile } from './wasm-gemm-files';

describe('wasm GEMM bytes', () => {
  it('are the committed assembly of the GEMM text (rerun scripts/wasm-gemm-assemble.ts after editing it)', async () => {
    const committed = await readFile(new URL('../../src/models/wasm-gemm-bytes.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await gemmBytesFile());
  });
});
