import { modelResultById, type ExperimentResults } from '../../src/results';
import { formatPoints } from './format';
import { formatCompression } from './ResultsHeadline';

/** With more than one distillation (a teacher-assistant chain, mutual learning): the three numbers of each. */
export function DistillationsTable({ results }: { results: ExperimentResults }) {
  const labelOf = (modelId: string | null): string => (modelId === null ? '—' : (modelResultById(results, modelId)?.label ?? modelId));
  return (
    <table className="results-table results-distillations" data-testid="distillations-table">
      <thead>
        <tr>
          <th scope="col">Distilled</th>
          <th scope="col">Taught by</th>
          <th scope="col">Compression</th>
          <th scope="col">Accuracy drop</th>
          <th scope="col">Gain over baseline</th>
        </tr>
      </thead>
      <tbody>
        {results.distillations.map((report) => (
          <tr key={report.studentId} data-testid="distillation-row" data-student-id={report.studentId}>
            <th scope="row">{labelOf(report.studentId)}</th>
            <td className="results-table__role">{report.teacherId === null ? 'no teacher network' : labelOf(report.teacherId)}</td>
            <td>{formatCompression(report.compressionRatio)}</td>
            <td>{formatPoints(report.accuracyDrop)}</td>
            <td>{report.baselineId === null ? 'no baseline' : formatPoints(report.distillationGain)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
