import { AccuracyChart } from './AccuracyChart';
import { AttentionMaps } from './AttentionMaps';
import { DiscriminatorChart } from './DiscriminatorChart';
import { FspMatrices } from './FspMatrices';
import { LossChart } from './LossChart';
import { RelationMatrices } from './RelationMatrices';
import { ResultsPanel } from './ResultsPanel';
import { SoftTargets } from './SoftTargets';
import './dashboard.css';

/**
 * What the knowledge transfer looks like while it happens. Each panel selects only its own part of
 * the run state, so a new loss point re-renders the loss chart and nothing else.
 */
export function Dashboard() {
  return (
    <div className="dashboard" data-testid="dashboard">
      <LossChart />
      <AccuracyChart />
      <DiscriminatorChart />
      <SoftTargets />
      <AttentionMaps />
      <FspMatrices />
      <RelationMatrices />
      <ResultsPanel />
    </div>
  );
}
