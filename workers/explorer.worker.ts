/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { explorerTeacherLogits } from '../src/classroom/explorerTeacher';
import { errorMessage } from '../src/errorMessage';
import type { ExplorerCommand, ExplorerWorkerMessage } from '../src/protocol';
import { readAsset, readShippedTeacherFile } from './trainServices';

/**
 * The temperature explorer's worker: loads the shipped Hinton teacher and returns its logits on a
 * few test images, so the page never runs tfjs itself. One forward pass of twelve images is too
 * small to be worth choosing a backend for, so it runs on the always-available cpu backend.
 */

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: ExplorerWorkerMessage) => scope.postMessage(message);

scope.onmessage = async (event: MessageEvent<ExplorerCommand>) => {
  if (event.data.type !== 'load') return;
  try {
    await tf.setBackend('cpu');
    await tf.ready();
    post({ type: 'logits', result: await explorerTeacherLogits(readShippedTeacherFile, readAsset) });
  } catch (error) {
    post({ type: 'failed', message: `The temperature explorer could not load its teacher: ${errorMessage(error)}` });
  }
};
