/**
 * A wasm helper as a Node worker thread (the browser's is workers/wasmHelper.worker.ts): the same
 * loop, for the Node tools and the unit tests. Started by nodeWasmHelperPort with tsx's loader.
 */
import { parentPort } from 'node:worker_threads';
import type { WasmHelperCommand } from '../../src/protocol';
import { serveTeamJobs } from '../../src/models/wasm-team';

const port = parentPort;
if (port === null) throw new Error('wasmHelperThread.ts runs as a worker thread.');
port.once('message', (command: WasmHelperCommand) => serveTeamJobs(command, (reply) => port.postMessage(reply)));
