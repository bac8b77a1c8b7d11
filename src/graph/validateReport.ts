import type { GraphFix } from './featureMapFix';
import type { ProblemDetail } from './problemDetail';

/**
 * Problems shown on the nodes before Run. Errors block compiling; warnings do not.
 * Every message says what to do.
 */
export interface GraphProblem {
  /** The node to flag; null for a problem of the whole graph (e.g. no dataset). */
  nodeId: string | null;
  severity: 'error' | 'warning';
  /** The English text. */
  message: string;
  /** The problem as data, for messages in other languages. */
  detail: ProblemDetail;
  /** A change that solves it, offered as a button. */
  fix?: GraphFix;
}

/** How each check reports: every problem comes with its code, so none is left to one language. */
export type Report = (
  nodeId: string | null, severity: GraphProblem['severity'], message: string, detail: ProblemDetail, fix?: GraphFix,
) => void;
