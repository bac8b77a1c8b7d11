import { modelResultById, type ExperimentResults } from '../../src/results';
import { formatPoints } from './format';
import { formatCompression } from './ResultsHeadline';
import { useTexts } from '../i18n/texts';
import { dashboardResultsTexts } from '../i18n/catalogs/dashboardResults';

/** With more than one distillation (a teacher-assistant chain, mutual learning): the three numbers of each. */
export function DistillationsTable({ results }: { results: ExperimentResults }) {
  const tx = useTexts(dashboardResultsTexts);
  const labelOf = (modelId: string | null): string => (modelId === null ? '—' : (modelResultById(results, modelId)?.label ?? modelId));
  return (
    <table className="results-table results-distillations" data-testid="distillations-table">
      <thead>
        <tr>
          <th scope="col">{tx.distilled}</th>
          <th scope="col">{tx.taughtBy}</th>
          <th scope="col">{tx.compression}</th>
          <th scope="col">{tx.accuracyDrop}</th>
          <th scope="col">{tx.gainOverBaseline}</th>
        </tr>
      </thead>
      <tbody>
        {results.distillations.map((report) => (
          <tr key={report.studentId} data-testid="distillation-row" data-student-id={report.studentId}>
            <th scope="row">{labelOf(report.studentId)}</th>
            <td className="results-table__role">{report.teacherId === null ? tx.noTeacher : labelOf(report.teacherId)}</td>
            <td>{formatCompression(report.compressionRatio)}</td>
            <td>{formatPoints(report.accuracyDrop)}</td>
            <td>{report.baselineId === null ? tx.noBaselineShort : formatPoints(report.distillationGain)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
