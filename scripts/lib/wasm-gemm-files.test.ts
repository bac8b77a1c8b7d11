import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { WASM_BYTES_FILES } from './wasm-gemm-files';

describe('wasm module bytes', () => {
  it.each(WASM_BYTES_FILES.map(([file, text]) => [file, text] as const))(
    '%s is the committed assembly of its text (rerun scripts/wasm-gemm-assemble.ts after editing it)', async (file, text) => {
      const committed = await readFile(new URL(`../../src/models/${file}`, import.meta.url), 'utf8');
      expect(committed).toBe(await text());
    });
});
