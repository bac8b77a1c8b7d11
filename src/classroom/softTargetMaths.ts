/**
 * The arithmetic of soft targets that the temperature explorer shows (Hinton, Vinyals, Dean 2015):
 * softmax at temperature T, how spread the result is (entropy in bits), how much of it sits on the
 * wrong classes ("dark knowledge"), and the T^2 factor the KD loss is multiplied by.
 */

/** softmax(z / T), shifted by the largest logit so exp never overflows. */
export function softmaxWithTemperature(logits: readonly number[], temperature: number): number[] {
  if (!(temperature > 0)) throw new RangeError(`temperature must be positive, got ${temperature}`);
  const scaled = logits.map((z) => z / temperature);
  const largest = Math.max(...scaled);
  const exps = scaled.map((z) => Math.exp(z - largest));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** Shannon entropy in bits; classes with probability 0 add nothing (p log p -> 0). */
export function entropyBits(probabilities: readonly number[]): number {
  let bits = 0;
  for (const p of probabilities) if (p > 0) bits -= p * Math.log2(p);
  return bits;
}

/** The entropy of the uniform distribution over `classes`: the most a soft target can carry (log2 10 for digits). */
export function maxEntropyBits(classes: number): number {
  return Math.log2(classes);
}

/** Probability on every class except the true one: the part of the soft target a hard label throws away. */
export function wrongClassMass(probabilities: readonly number[], trueClass: number): number {
  return probabilities.reduce((sum, p, cls) => (cls === trueClass ? sum : sum + p), 0);
}

/**
 * Soft-target gradients shrink as 1/T^2 (each of the two softmaxes divides by T), so the KD term is
 * multiplied by T^2 to keep its gradients on the scale of the hard-label term's.
 */
export function kdGradientScale(temperature: number): number {
  return temperature * temperature;
}

/**
 * The explorer slider's stops: roughly logarithmic from 1 to 30, through the temperatures the
 * papers use (T = 4 as the common default, 6 in the seed article, 20 in Hinton's MNIST run).
 */
export const TEMPERATURE_STOPS: readonly number[] = [1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30];
