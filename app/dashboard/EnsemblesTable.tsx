import { formatCount, formatPercent, formatPoints } from './format';
import type { EnsembleRow } from './ensembleRows';
import { useTexts } from '../i18n/texts';
import { dashboardResultsTexts } from '../i18n/catalogs/dashboardResults';

/**
 * The ensembles of the run (born-again networks' BAN ensemble): the accuracy of each one's averaged
 * class probabilities, what its members cost together, and how it compares with its best member.
 */
export function EnsemblesTable({ rows, active }: { rows: readonly EnsembleRow[]; active: boolean }) {
  const tx = useTexts(dashboardResultsTexts);
  return (
    <table className="results-table results-ensembles" data-testid="ensembles-table">
      <thead>
        <tr>
          <th scope="col">{tx.ensemble}</th>
          <th scope="col">{tx.averages}</th>
          <th scope="col">{tx.testAccuracy}</th>
          <th scope="col">{tx.validation}</th>
          <th scope="col">{tx.paramsSum}</th>
          <th scope="col">{tx.vsBestMember}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const missing = active && row.selected ? tx.pending : tx.notRun;
          const { result } = row;
          const gain = result === null || row.bestMemberAccuracy === null ? null : result.testAccuracy - row.bestMemberAccuracy;
          return (
            <tr key={row.ensembleId} data-testid={`result-row-${row.testId}`} data-ensemble-id={row.ensembleId}>
              <th scope="row">{row.label}</th>
              <td className="results-table__role" data-testid={`result-${row.testId}-members`}>{row.members.join(' + ')}</td>
              <td data-testid={`result-${row.testId}-accuracy`}>{result === null ? missing : formatPercent(result.testAccuracy)}</td>
              <td data-testid={`result-${row.testId}-validation`}>{result === null ? missing : formatPercent(result.validationAccuracy)}</td>
              <td data-testid={`result-${row.testId}-params`}>{result === null ? missing : formatCount(result.params)}</td>
              <td data-testid={`result-${row.testId}-vs-best`}>{formatPoints(gain)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
