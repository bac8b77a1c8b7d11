import * as tf from '@tensorflow/tfjs';

/**
 * The logits of an ensemble (born-again networks, Furlanello et al. 2018): log of the mean of the
 * members' softmax, so softmax of the result is their averaged class distribution. Computed as
 * logsumexp over members of log-softmax, minus log K, which stays finite where a probability
 * underflows. A KD block at temperature T then softens the averaged distribution, not each member.
 */
export function ensembleLogits(memberLogits: readonly tf.Tensor[]): tf.Tensor {
  if (memberLogits.length === 0) throw new Error('An ensemble needs at least one member\'s logits.');
  return tf.tidy(() => {
    const logProbabilities = tf.stack(memberLogits.map((logits) => tf.logSoftmax(logits)));
    return tf.logSumExp(logProbabilities, 0).sub(Math.log(memberLogits.length));
  });
}
