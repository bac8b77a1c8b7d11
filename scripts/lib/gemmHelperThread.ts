/**
 * A GEMM helper as a Node worker thread (the browser's is workers/gemmHelper.worker.ts): the same
 * loop, for the Node tools and the unit tests. Started by nodeGemmHelperPort with tsx's loader.
 */
import { parentPort } from 'node:worker_threads';
import type { GemmHelperCommand } from '../../src/protocol';
import { serveGemmBands } from '../../src/models/wasm-gemm-team';

const port = parentPort;
if (port === null) throw new Error('gemmHelperThread.ts runs as a worker thread.');
port.once('message', (command: GemmHelperCommand) => serveGemmBands(command, (reply) => port.postMessage(reply)));
