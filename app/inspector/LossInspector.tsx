import { useMemo } from 'react';
import katex from 'katex';
import 'katex/dist/katex.min.css';
import type { NodeOf } from '../../src/graph/schema';
import { getLoss } from '../../src/losses/registry';
import type { LossDefinition, LossParamDef } from '../../src/losses/types';
import { useStudio } from '../store';
import { ChoiceField, NumberField } from './fields';
import { GUIDANCE_LOSS_IDS } from '../../src/graph/guidancePaths';
import { GuidanceSection } from '../guidance/GuidanceSection';
import { useLanguage } from '../i18n/language';
import { inspectorTexts } from '../i18n/catalogs/inspector';
import { lossParamText, lossPortLabel, lossText } from '../i18n/blocks/localizedBlocks';

/**
 * KaTeX source rendered to HTML, one line per definition (the registry joins them with ",\quad",
 * too wide for the inspector on one line); a formula KaTeX cannot parse is shown as its source.
 */
export function Formula({ source }: { source: string }) {
  const html = useMemo(
    () => source.split(/,\s*\\quad\s*/).map((part) => katex.renderToString(part, { displayMode: true, throwOnError: false })).join(''),
    [source],
  );
  return <div className="formula" data-testid="loss-formula" dangerouslySetInnerHTML={{ __html: html }} />;
}

function findLoss(lossId: string): LossDefinition | null {
  try {
    return getLoss(lossId);
  } catch {
    return null;
  }
}

function LossParamField({ loss, def, value, onChange }: { loss: LossDefinition; def: LossParamDef; value: number; onChange: (value: number) => void }) {
  const language = useLanguage();
  const text = lossParamText(loss, def, language);
  const testId = `loss-param-${def.key}`;
  if (text.choices !== undefined) {
    const choices = text.choices.map((label, index) => ({ value: String(index), label }));
    return (
      <ChoiceField
        label={text.label} description={text.description} testId={testId}
        value={String(value)} choices={choices} onChange={(v) => onChange(Number(v))}
      />
    );
  }
  return (
    <NumberField
      label={text.label} description={inspectorTexts[language].withDefault(text.description, def.default)} testId={testId}
      value={value} min={def.min} max={def.max} step={def.step} integer={def.integer}
      onChange={(v) => { if (v !== null) onChange(v); }}
    />
  );
}

/** The loss block's form, generated from its registry entry: weight, parameters, formula, citation. */
export function LossInspector({ node }: { node: NodeOf<'loss'> }) {
  const language = useLanguage();
  const tx = inspectorTexts[language];
  const loss = findLoss(node.params.lossId);
  if (loss === null) {
    return <p className="inspector__error">{tx.unknownLoss(node.params.lossId)}</p>;
  }
  const { summary } = lossText(loss, language);
  const update = (patch: Partial<NodeOf<'loss'>['params']>) => useStudio.getState().updateNodeParams(node.id, patch);
  return (
    <div className="inspector__section">
      <p className="inspector__summary" data-testid="loss-summary">{summary}</p>
      <Formula source={loss.formula} />
      <NumberField
        label={tx.weight} testId="loss-weight-field" value={node.params.weight} min={0} max={10_000} step={0.1}
        description={tx.weightHelp(loss.defaultWeight)}
        onChange={(v) => { if (v !== null) update({ weight: v }); }}
      />
      {loss.params.map((def) => (
        <LossParamField
          key={def.key} loss={loss} def={def} value={node.params.params[def.key] ?? def.default}
          onChange={(value) => update({ params: { ...node.params.params, [def.key]: value } })}
        />
      ))}
      <div className="inspector__ports">
        <h4>{tx.inputs}</h4>
        <ul>
          {loss.ports.map((p) => (
            <li key={p.name}>
              <b>{lossPortLabel(loss, p, language)}</b> <span className={`pill port-${p.type}`}>{p.type}</span>
              {' '}{p.side !== 'data' && <span className="muted">{tx.side(p.side)}</span>}
            </li>
          ))}
        </ul>
      </div>
      <p className="citation" data-testid="loss-citation">{loss.citation}</p>
      {(GUIDANCE_LOSS_IDS as readonly string[]).includes(loss.id) && <GuidanceSection lossNodeId={node.id} />}
    </div>
  );
}
