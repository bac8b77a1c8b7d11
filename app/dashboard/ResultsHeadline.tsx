import { modelResultById, type DistillationReport, type ExperimentResults } from '../../src/results';
import { formatCount, formatPercent, formatPoints } from './format';
import { useTexts } from '../i18n/texts';
import { dashboardResultsTexts } from '../i18n/catalogs/dashboardResults';

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
export function toneOf(value: number | null, positiveIsGood: boolean): Tone {
  if (value === null || !Number.isFinite(value) || value === 0) return 'neutral';
  return value > 0 === positiveIsGood ? 'good' : 'bad';
}

export const formatCompression = (ratio: number | null): string => (ratio === null ? '—' : `${ratio.toFixed(1)}×`);

/** The three numbers a distillation is about (the experiment's first distillation), large, above the detailed table. */
export function ResultsHeadline({ results, report }: { results: ExperimentResults; report: DistillationReport }) {
  const tx = useTexts(dashboardResultsTexts);
  const teacher = modelResultById(results, report.teacherId);
  const student = modelResultById(results, report.studentId);
  const baseline = modelResultById(results, report.baselineId);
  const teacherName = teacher?.label ?? tx.teacher;
  const studentName = student?.label ?? tx.student;
  // Teacher-free KD: no teacher network, so nothing to compress from or drop below.
  const noTeacher = tx.noTeacherNetwork(studentName);
  return (
    <div className="results-headline" data-testid="results-headline" data-student-id={report.studentId}>
      <Metric
        title={tx.compression}
        value={formatCompression(report.compressionRatio)}
        detail={report.teacherId === null ? noTeacher : tx.parametersRatio(`${teacherName} ${formatCount(teacher?.params)}`, `${studentName} ${formatCount(student?.params)}`)}
        tone="neutral"
        testId="result-compression"
      />
      <Metric
        title={tx.accuracyDrop}
        value={formatPoints(report.accuracyDrop)}
        detail={report.teacherId === null ? noTeacher : `${teacherName} ${formatPercent(teacher?.testAccuracy)} − ${studentName} ${formatPercent(student?.testAccuracy)}`}
        tone={toneOf(report.accuracyDrop, false)}
        testId="result-accuracy-drop"
      />
      <Metric
        title={tx.distillationGain}
        value={formatPoints(report.distillationGain)}
        detail={report.baselineId === null
          ? tx.noBaseline(studentName)
          : `${studentName} ${formatPercent(student?.testAccuracy)} − ${baseline?.label ?? tx.baseline} ${formatPercent(baseline?.testAccuracy)}`}
        tone={toneOf(report.distillationGain, true)}
        testId="result-distillation-gain"
      />
    </div>
  );
}
