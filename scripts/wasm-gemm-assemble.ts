/**
 * `npx tsx scripts/wasm-gemm-assemble.ts`: assembles the studio's WebAssembly texts (the GEMM,
 * src/models/wasm-gemm-wat.ts, the batch-norm passes, the fused Adam update and the max-pool
 * gradient, the bias passes, the transpose and ReLU's gradient, src/models/wasm-*-wat.ts) into
 * their committed `*-bytes.ts` files (WASM_BYTES_FILES), so the app and CI need no assembler.
 * Rerun after editing a text; a unit test fails while they differ.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASM_BYTES_FILES } from './lib/wasm-gemm-files';

const models = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'models');
for (const [file, text] of WASM_BYTES_FILES) {
  const target = path.join(models, file);
  await writeFile(target, await text());
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
