import { memo, type ReactNode } from 'react';
import { Handle, Position } from '@xyflow/react';
import type { GraphNode } from '../../../src/graph/schema';
import type { GraphProblem } from '../../../src/graph/validate';
import { useStudio } from '../../store';
import { portKey, safePortsOf, type StudioNodeData } from '../flowAdapter';
import { useLanguage } from '../../i18n/language';
import { useTexts } from '../../i18n/texts';
import { nodeTexts } from '../../i18n/catalogs/nodes';
import { portLabel } from '../../i18n/blocks/localizedBlocks';
import { connectionRefusalText } from '../../i18n/blocks/connectionTexts';
import { problemText } from '../../i18n/blocks/problemTexts';

/**
 * The common face of every node: a coloured header (kind, label, problem badge), one row per
 * port with its typed handle and shape, then the kind-specific body. Inputs sit on the left,
 * outputs on the right.
 */

interface NodeFrameProps {
  data: StudioNodeData;
  selected: boolean;
  /** CSS modifier for the colour scheme, e.g. "teacher" or "loss". */
  tone: string;
  kindLabel: string;
  children?: ReactNode;
}

export function NodeFrame({ data, selected, tone, kindLabel, children }: NodeFrameProps) {
  const { node, problems } = data;
  const worst = problems.some((p) => p.severity === 'error') ? 'error' : problems.length > 0 ? 'warning' : null;
  return (
    <div
      className={`studio-node tone-${tone}${selected ? ' is-selected' : ''}${worst ? ` has-${worst}` : ''}`}
      data-testid={`node-${node.id}`}
      data-kind={node.kind}
    >
      <header className="studio-node__header">
        <span className="studio-node__kind">{kindLabel}</span>
        <span className="studio-node__label" title={node.label}>{node.label}</span>
        {worst !== null && <ProblemBadge problems={problems} severity={worst} />}
      </header>
      <PortRows node={node} portShapes={data.portShapes} />
      {children !== undefined && <div className="studio-node__body">{children}</div>}
    </div>
  );
}

function ProblemBadge({ problems, severity }: { problems: GraphProblem[]; severity: 'error' | 'warning' }) {
  const language = useLanguage();
  const experiment = useStudio((s) => s.experiment);
  const messages = problems.map((p) => problemText(p, experiment, language));
  const text = messages.join('\n');
  return (
    <span className={`problem-badge problem-badge--${severity}`} data-testid="node-problem" title={text} tabIndex={0}>
      {severity === 'error' ? '!' : '?'}
      {problems.length > 1 && <sup>{problems.length}</sup>}
      <span className="problem-badge__tooltip" role="tooltip">
        {messages.map((message, i) => <span key={i}>{message}</span>)}
      </span>
    </span>
  );
}

const PortRows = memo(function PortRows({ node, portShapes }: { node: GraphNode; portShapes: Record<string, string> }) {
  const language = useLanguage();
  const tx = useTexts(nodeTexts);
  const ports = safePortsOf(node);
  const inputs = ports.filter((p) => p.direction === 'input');
  const outputs = ports.filter((p) => p.direction === 'output');
  const connectionError = useStudio((s) => (s.connectionError?.nodeId === node.id ? s.connectionError : null));
  // Selected as text, so the nodes without the refusal do not re-render on every graph edit.
  const refusalText = useStudio((s) => (s.connectionError?.nodeId === node.id ? connectionRefusalText(s.connectionError.refusal, s.experiment, language) : ''));
  const rows = Math.max(inputs.length, outputs.length);
  const onAnInput = connectionError !== null && inputs.some((p) => p.name === connectionError.port);
  return (
    <div className="studio-node__ports">
      {connectionError !== null && !onAnInput && (
        <span className="connection-error connection-error--node" data-testid="connection-error" role="alert">{refusalText}</span>
      )}
      {Array.from({ length: rows }, (_, i) => {
        const input = inputs[i];
        const output = outputs[i];
        return (
          <div className="port-row" key={i}>
            <div className="port port--input">
              {input !== undefined && (
                <>
                  <Handle
                    type="target"
                    position={Position.Left}
                    id={input.name}
                    className={`port-handle port-${input.type}`}
                    data-testid={`handle-${node.id}-in-${input.name}`}
                  />
                  <span className="port__name" title={tx.portInput(portLabel(node, input, language), input.type)}>
                    {portLabel(node, input, language)}{input.required ? '' : tx.optional}
                  </span>
                  {portShapes[portKey('input', input.name)] && <span className="port__shape">{portShapes[portKey('input', input.name)]}</span>}
                  {connectionError?.port === input.name && (
                    <span className="connection-error" data-testid="connection-error" role="alert">{refusalText}</span>
                  )}
                </>
              )}
            </div>
            <div className="port port--output">
              {output !== undefined && (
                <>
                  {portShapes[portKey('output', output.name)] && <span className="port__shape">{portShapes[portKey('output', output.name)]}</span>}
                  <span className="port__name" title={tx.portOutput(portLabel(node, output, language), output.type)}>{portLabel(node, output, language)}</span>
                  <Handle
                    type="source"
                    position={Position.Right}
                    id={output.name}
                    className={`port-handle port-${output.type}`}
                    data-testid={`handle-${node.id}-out-${output.name}`}
                  />
                </>
              )}
            </div>
          </div>
        );
      })}
    </div>
  );
});

/** A label/value line in a node body. */
export function Fact({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div className="fact" data-testid={testId}>
      <span className="fact__label">{label}</span>
      <span className="fact__value">{value}</span>
    </div>
  );
}
