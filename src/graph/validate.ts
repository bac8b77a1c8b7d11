import type { ExperimentFile } from './schema';
import { portsOf } from './nodeKinds';
import { explainConnection } from './connection';
import { edgesInto } from './queries';
import { checkPhases } from './validatePhases';
import { checkDataset, checkDatasetCount } from './validateData';
import { checkEnsemble, checkExport, checkHead, checkModel, checkTap } from './validateNodes';
import { checkLoss } from './validateLosses';
import { checkStageLoops, checkTrainer } from './validateTrainers';
import type { GraphProblem, Report } from './validateReport';

export { checkConnection, explainConnection, type CandidateEdge } from './connection';
export type { ConnectionRefusal } from './connectionRefusal';
export type { ProblemDetail } from './problemDetail';
export type { GraphProblem, Report } from './validateReport';

/**
 * Whole-graph validation: each node kind's checks (validateData, validateNodes, validateLosses,
 * validateTrainers), who trains whom (validatePhases), then every edge again.
 */

/** All problems of the graph, errors and warnings, each on the node to fix (no duplicates). */
export function validateGraph(experiment: ExperimentFile): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const seen = new Set<string>();
  const report: Report = (nodeId, severity, message, detail, fix) => {
    const key = `${nodeId ?? ''}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ nodeId, severity, message, detail, ...(fix === undefined ? {} : { fix }) });
  };

  checkDatasetCount(experiment, report);
  for (const node of experiment.nodes) {
    switch (node.kind) {
      case 'dataset': checkDataset(experiment, node, report); break;
      case 'model': checkModel(experiment, node, report); break;
      case 'guide':
      case 'guided': checkTap(experiment, node, report); break;
      case 'head': checkHead(experiment, node, report); break;
      case 'ensemble': checkEnsemble(experiment, node, report); break;
      case 'loss': checkLoss(experiment, node, report); break;
      case 'trainer': checkTrainer(experiment, node, report); break;
      case 'export': checkExport(experiment, node, report); break;
    }
  }
  checkStageLoops(experiment, report);
  checkPhases(experiment, report);
  // An edge that was fine when drawn may break later (a role or layer changed): re-check each one.
  for (const edge of experiment.edges) {
    const refusal = explainConnection(experiment, edge);
    if (refusal !== null) report(edge.target, 'error', refusal.text, { code: 'edgeRefused', refusal });
  }
  return problems;
}

export const hasErrors = (problems: readonly GraphProblem[]): boolean => problems.some((problem) => problem.severity === 'error');

/** The ports of a node that must be connected but are not (for the editor's handle styling). */
export function unconnectedRequiredPorts(experiment: ExperimentFile, nodeId: string): string[] {
  const node = experiment.nodes.find((candidate) => candidate.id === nodeId);
  if (node === undefined) return [];
  return portsOf(node)
    .filter((port) => port.direction === 'input' && port.required === true && edgesInto(experiment, nodeId, port.name).length === 0)
    .map((port) => port.name);
}
