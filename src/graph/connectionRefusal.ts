import type { PortType } from './nodeKinds';

/**
 * Why a connection is refused, as data: the editor shows it in the interface language, and `text`
 * is the English sentence (`checkConnection`'s answer). Node and port references are ids and port
 * names, so a translation can name them its own way. Rarer refusals (shapes, self-teaching,
 * ensembles) are `other`: their English text is all there is.
 */
export type ConnectionRefusal = (
  | { code: 'selfConnection' }
  | { code: 'layersNeedTap' }
  | { code: 'featureNotLogits' }
  | { code: 'logitsNotFeature' }
  | { code: 'lossIntoTrainer' }
  | { code: 'typeMismatch'; sourceType: PortType; targetType: PortType }
  /** An output of one side (teacher/student) into an input of the other; the app describes both ends from the graph. */
  | { code: 'sideMismatch'; source: string; target: string; targetPort: string }
  | { code: 'alreadyConnected' }
  | { code: 'inputTakesOne'; node: string; port: string }
  | { code: 'outputLeadsToOne'; node: string; port: string }
  | { code: 'stageLoop'; source: string; target: string }
  | { code: 'cycle' }
  | { code: 'other' }
) & { text: string };
