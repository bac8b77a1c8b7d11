/**
 * `npx tsx scripts/wasm-gemm-assemble.ts`: assembles the GEMM text (src/models/wasm-gemm-wat.ts)
 * into src/models/wasm-gemm-bytes.ts, committed so the app and CI need no assembler. Rerun after
 * editing the text; a unit test fails while they differ.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gemmBytesFile } from './lib/wasm-gemm-files';

const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'models', 'wasm-gemm-bytes.ts');
await writeFile(target, await gemmBytesFile());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
