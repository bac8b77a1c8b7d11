import type { ExperimentResults } from '../../src/results';
import { formatCount, formatPercent, formatPoints } from './format';

type Tone = 'good' | 'bad' | 'neutral';

function Metric({ title, value, detail, tone, testId }: { title: string; value: string; detail: string; tone: Tone; testId: string }) {
  return (
    <div className={`results-metric results-metric--${tone}`}>
      <span className="results-metric__title">{title}</span>
      <span className="results-metric__value" data-testid={testId}>
        {value}
      </span>
      <span className="results-metric__detail">{detail}</span>
    </div>
  );
}

/** Sign-based colour: a gain above zero is good, a drop above zero is bad. */
function toneOf(value: number | null, positiveIsGood: boolean): Tone {
  if (value === null || !Number.isFinite(value) || value === 0) return 'neutral';
  return value > 0 === positiveIsGood ? 'good' : 'bad';
}

/** The three numbers a distillation experiment is about, large, above the detailed table. */
export function ResultsHeadline({ results }: { results: ExperimentResults }) {
  const { teacher, baseline, student } = results;
  return (
    <div className="results-headline">
      <Metric
        title="Compression"
        value={results.compressionRatio === null ? '—' : `${results.compressionRatio.toFixed(1)}×`}
        detail={`teacher ${formatCount(teacher?.params)} ÷ student ${formatCount(student?.params)} parameters`}
        tone="neutral"
        testId="result-compression"
      />
      <Metric
        title="Accuracy drop"
        value={formatPoints(results.accuracyDrop)}
        detail={`teacher ${formatPercent(teacher?.testAccuracy)} − student ${formatPercent(student?.testAccuracy)}`}
        tone={toneOf(results.accuracyDrop, false)}
        testId="result-accuracy-drop"
      />
      <Metric
        title="Distillation gain"
        value={formatPoints(results.distillationGain)}
        detail={`student ${formatPercent(student?.testAccuracy)} − baseline ${formatPercent(baseline?.testAccuracy)}`}
        tone={toneOf(results.distillationGain, true)}
        testId="result-distillation-gain"
      />
    </div>
  );
}
