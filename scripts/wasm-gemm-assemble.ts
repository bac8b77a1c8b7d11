/**
 * `npx tsx scripts/wasm-gemm-assemble.ts`: assembles the studio's WebAssembly texts (the GEMM,
 * src/models/wasm-gemm-wat.ts, and the fused Adam update, src/models/wasm-adam-wat.ts) into
 * src/models/wasm-gemm-bytes.ts and wasm-adam-bytes.ts, committed so the app and CI need no
 * assembler. Rerun after editing a text; a unit test fails while they differ.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { adamBytesFile, gemmBytesFile } from './lib/wasm-gemm-files';

const models = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'models');
for (const [file, text] of [['wasm-gemm-bytes.ts', gemmBytesFile], ['wasm-adam-bytes.ts', adamBytesFile]] as const) {
  const target = path.join(models, file);
  await writeFile(target, await text());
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
