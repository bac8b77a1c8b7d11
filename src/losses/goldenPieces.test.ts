import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { contrastScores, nceLoss } from './crd';
import { factorTransferLoss, type FtForm } from './ft';
import { relativeError } from './testing';

/**
 * Golden values (numpy, float64, src/losses/golden/make_golden.py) for the losses whose modules hold
 * more than trainable variables: FT on given factors, CRD on given embeddings, memories and negatives.
 */

interface GoldenTensor { shape: number[]; dtype: 'float32' | 'int32'; data: number[] }
type Piece = { name: string; expected: number } & Record<string, unknown>;

const { pieces } = JSON.parse(readFileSync(new URL('./golden/golden.json', import.meta.url), 'utf8')) as { pieces: Piece[] };
const tensorOf = (t: unknown): tf.Tensor => {
  const { data, shape, dtype } = t as GoldenTensor;
  return tf.tensor(data, shape, dtype);
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('golden values of the FT and CRD pieces', () => {
  it.each(pieces.filter((piece) => piece.name.startsWith('ft')).map((piece) => [piece.name, piece] as const))('%s', async (_name, piece) => {
    const [student, teacher] = [tensorOf(piece.studentFactor), tensorOf(piece.teacherFactor)];
    const loss = factorTransferLoss(student, teacher, piece.form as FtForm);
    expect(relativeError((await loss.data())[0], piece.expected)).toBeLessThan(1e-5);
    tf.dispose([student, teacher, loss]);
  });

  it('crd both directions, Z = mean(exp(v . m / tau)) * N from the batch', async () => {
    const piece = pieces.find((p) => p.name === 'crd both directions')!;
    const value = tf.tidy(() => {
      const contrast = tensorOf(piece.contrast) as tf.Tensor2D;
      const [studentMemory, teacherMemory] = [tensorOf(piece.studentMemory), tensorOf(piece.teacherMemory)] as tf.Tensor2D[];
      const count = studentMemory.shape[0];
      const direction = (anchors: tf.Tensor2D, memory: tf.Tensor2D): tf.Scalar => {
        const scores = contrastScores(anchors, memory, contrast, piece.temperature as number);
        return nceLoss(tf.div(scores, tf.mul(tf.mean(scores), count)) as tf.Tensor2D, count);
      };
      return tf.add(direction(tensorOf(piece.studentEmbedding) as tf.Tensor2D, teacherMemory), direction(tensorOf(piece.teacherEmbedding) as tf.Tensor2D, studentMemory));
    });
    expect(relativeError((await value.data())[0], piece.expected)).toBeLessThan(1e-5);
    value.dispose();
  });
});
