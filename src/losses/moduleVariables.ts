import * as tf from '@tensorflow/tfjs';

/**
 * A trainable variable holding `initial`, which is then disposed: tf.variable keeps a copy, so the
 * initial tensor would otherwise stay behind (loss modules' leak tests count it).
 */
export function variableFrom(initial: tf.Tensor): tf.Variable {
  const variable = tf.variable(initial, true);
  initial.dispose();
  return variable;
}
