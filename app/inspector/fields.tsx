/**
 * Form controls generated from registry metadata (FieldDef of the block registry, LossParamDef of
 * the loss registry). Numbers are edited as text drafts and committed only when valid and in
 * range, so the graph never holds a half-typed value; the reason is shown while it is invalid.
 */
import { useId, useState, type ReactNode } from 'react';
import type { FieldDef } from '../../src/graph/nodeKinds';
import { formatNumber } from '../editor/format';
import { useLanguage } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { inspectorTexts } from '../i18n/catalogs/inspector';
import { fieldText } from '../i18n/blocks/localizedBlocks';

type InspectorTexts = typeof inspectorTexts.en;

interface FieldShellProps {
  label: string;
  description?: string;
  testId: string;
  error?: string | null;
  children: (id: string) => ReactNode;
}

export function FieldShell({ label, description, testId, error = null, children }: FieldShellProps) {
  const id = useId();
  return (
    <div className={`field${error ? ' field--invalid' : ''}`} data-testid={testId}>
      <label htmlFor={id} className="field__label">{label}</label>
      {children(id)}
      {error && <p className="field__error" role="alert">{error}</p>}
      {description && <p className="field__help">{description}</p>}
    </div>
  );
}

export interface NumberFieldProps {
  label: string;
  value: number | null;
  min: number;
  max: number;
  step: number;
  integer?: boolean;
  /** null allowed: an empty box means null (e.g. "all images"). */
  nullable?: boolean;
  nullText?: string;
  description?: string;
  testId: string;
  onChange: (value: number | null) => void;
}

export function parseNumberDraft(
  draft: string, rule: { min: number; max: number; integer?: boolean; nullable?: boolean }, tx: InspectorTexts = inspectorTexts.en,
): { ok: true; value: number | null } | { ok: false; reason: string } {
  const text = draft.trim();
  if (text === '') return rule.nullable ? { ok: true, value: null } : { ok: false, reason: tx.enterNumber };
  const value = Number(text);
  if (!Number.isFinite(value)) return { ok: false, reason: tx.notANumber(text) };
  if (rule.integer && !Number.isInteger(value)) return { ok: false, reason: tx.enterWholeNumber };
  if (value < rule.min || value > rule.max) {
    return { ok: false, reason: tx.outOfRange(formatNumber(rule.min), formatNumber(rule.max)) };
  }
  return { ok: true, value };
}

export function NumberField(props: NumberFieldProps) {
  const { label, value, min, max, step, integer, nullable, nullText, description, testId, onChange } = props;
  const tx = useTexts(inspectorTexts);
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? (value === null ? '' : formatNumber(value));
  const parsed = draft === null ? null : parseNumberDraft(draft, { min, max, integer, nullable }, tx);
  const error = parsed !== null && !parsed.ok ? parsed.reason : null;
  return (
    <FieldShell label={label} description={description} testId={testId} error={error}>
      {(id) => (
        <input
          id={id}
          type="text"
          inputMode="decimal"
          value={shown}
          placeholder={nullable ? (nullText ?? tx.all) : undefined}
          title={tx.range(formatNumber(min), formatNumber(max), formatNumber(step))}
          onChange={(e) => {
            setDraft(e.target.value);
            const result = parseNumberDraft(e.target.value, { min, max, integer, nullable }, tx);
            if (result.ok && result.value !== value) onChange(result.value);
          }}
          onBlur={() => setDraft(null)}
        />
      )}
    </FieldShell>
  );
}

export interface ChoiceFieldProps<T extends string> {
  label: string;
  value: T;
  choices: readonly T[] | readonly { value: T; label: string }[];
  description?: string;
  testId: string;
  onChange: (value: T) => void;
}

export function ChoiceField<T extends string>({ label, value, choices, description, testId, onChange }: ChoiceFieldProps<T>) {
  const options = choices.map((c) => (typeof c === 'string' ? { value: c, label: c } : c));
  return (
    <FieldShell label={label} description={description} testId={testId}>
      {(id) => (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value as T)}>
          {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      )}
    </FieldShell>
  );
}

export function TextField(
  { label, value, description, testId, onChange }: { label: string; value: string; description?: string; testId: string; onChange: (value: string) => void },
) {
  return (
    <FieldShell label={label} description={description} testId={testId}>
      {(id) => <input id={id} type="text" value={value} onChange={(e) => onChange(e.target.value)} />}
    </FieldShell>
  );
}

export function BooleanField(
  { label, value, description, testId, onChange }: { label: string; value: boolean; description?: string; testId: string; onChange: (value: boolean) => void },
) {
  return (
    <FieldShell label={label} description={description} testId={testId}>
      {(id) => <input id={id} type="checkbox" checked={value} onChange={(e) => onChange(e.target.checked)} />}
    </FieldShell>
  );
}

/** One control for a block-registry field, reading and writing `params[def.key]`. */
export function RegistryField(
  { def, params, onPatch }: { def: FieldDef; params: object; onPatch: (patch: Record<string, unknown>) => void },
) {
  const { label, description } = fieldText(def, useLanguage());
  const raw = (params as Record<string, unknown>)[def.key];
  const testId = `field-${def.key}`;
  switch (def.kind) {
    case 'number':
      return (
        <NumberField
          label={label} description={description} testId={testId}
          value={typeof raw === 'number' ? raw : null}
          min={def.min} max={def.max} step={def.step} integer={def.integer} nullable={def.nullable}
          onChange={(value) => onPatch({ [def.key]: value })}
        />
      );
    case 'choice':
      return (
        <ChoiceField
          label={label} description={description} testId={testId}
          value={String(raw)} choices={def.choices} onChange={(value) => onPatch({ [def.key]: value })}
        />
      );
    case 'boolean':
      return <BooleanField label={label} description={description} testId={testId} value={raw === true} onChange={(value) => onPatch({ [def.key]: value })} />;
    case 'text':
      return (
        <TextField
          label={label} description={description} testId={testId}
          value={typeof raw === 'string' ? raw : ''}
          onChange={(value) => onPatch({ [def.key]: def.nullable && value === '' ? null : value })}
        />
      );
  }
}
