/**
 * Chinese texts of the block registries (`src/losses/`, `src/graph/nodeKinds.ts`). `src/` stays
 * English and pure; these tables sit beside it, keyed by loss id, node kind, port name and
 * parameter key, and `blockTexts.test.ts` fails when a registry entry has no Chinese text.
 * Formulas and citations are not translated: they are the papers' own.
 */

export interface ParamTextZh {
  label: string;
  description: string;
  /** The choices' names, in the registry's order (only for parameters with choices). */
  choices?: readonly string[];
}

export interface LossTextZh {
  label: string;
  summary: string;
  /** By port name. */
  ports: Readonly<Record<string, string>>;
  /** By parameter key. */
  params: Readonly<Record<string, ParamTextZh>>;
}

export type FieldTextZh = Pick<ParamTextZh, 'label' | 'description'>;
