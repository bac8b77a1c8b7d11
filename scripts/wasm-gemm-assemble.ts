/**
 * `npx tsx scripts/wasm-gemm-assemble.ts`: assembles the studio's WebAssembly texts (the GEMM,
 * src/models/wasm-gemm-wat.ts, the batch-norm passes, the fused Adam update and the max-pool
 * gradient, the bias passes, the transpose and ReLU's gradient, src/models/wasm-*-wat.ts) into their committed `*-bytes.ts` files, so the
 * app and CI need no assembler. Rerun after editing a text; a unit test fails while they differ.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { adamBytesFile, batchNormBytesFile, biasBytesFile, gemmBytesFile, maxPoolGradBytesFile, reluGradBytesFile, transposeBytesFile } from './lib/wasm-gemm-files';

const models = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'models');
for (const [file, text] of [['wasm-gemm-bytes.ts', gemmBytesFile], ['wasm-batch-norm-bytes.ts', batchNormBytesFile], ['wasm-adam-bytes.ts', adamBytesFile],
  ['wasm-maxpool-grad-bytes.ts', maxPoolGradBytesFile], ['wasm-bias-bytes.ts', biasBytesFile],
  ['wasm-transpose-bytes.ts', transposeBytesFile], ['wasm-relu-grad-bytes.ts', reluGradBytesFile]] as const) {
  const target = path.join(models, file);
  await writeFile(target, await text());
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
