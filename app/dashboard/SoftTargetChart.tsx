import { memo } from 'react';
import { argmax, probabilityCeiling } from './chartData';

/** Percent with one decimal, or "<0.1%" so tiny but non-zero soft targets do not read as zero. */
function percent(p: number): string {
  return p > 0 && p < 0.001 ? '<0.1%' : `${(p * 100).toFixed(1)}%`;
}

function Bar({ probability, ceiling, side, top }: { probability: number; ceiling: number; side: 'teacher' | 'student'; top: boolean }) {
  return (
    <div className={`soft-bar soft-bars--${side}${top ? ' soft-bar--top' : ''}`}>
      {top && <span className="soft-bar__value">{Math.round(probability * 100)}</span>}
      {/* A sliver stays visible at 0 so every class has a bar to compare against. */}
      <div className="soft-bars__fill" style={{ height: `${Math.max((probability / ceiling) * 100, 0.5)}%` }} />
    </div>
  );
}

/**
 * One probe image as a small grouped bar chart: per class, the teacher's and the student's
 * probability at temperature T side by side. The true class is marked under the axis and each
 * side's most likely class is drawn solid with its percentage on top.
 */
export const SoftTargetChart = memo(function SoftTargetChart({
  teacher,
  student,
  label,
  classNames,
}: {
  teacher: number[];
  student: number[];
  label: number;
  classNames: string[] | null;
}) {
  const teacherTop = argmax(teacher);
  const studentTop = argmax(student);
  const ceiling = probabilityCeiling(teacher, student);
  return (
    <div className="soft-chart" role="img" aria-label="Teacher and student probabilities per class">
      <div className="soft-chart__plot" data-ceiling={`${Math.round(ceiling * 100)}%`} title={`Axis from 0 to ${Math.round(ceiling * 100)}%`}>
        {teacher.map((p, cls) => {
          const name = classNames?.[cls] ?? String(cls);
          return (
            <div
              key={cls}
              className={cls === label ? 'soft-chart__class soft-chart__class--label' : 'soft-chart__class'}
              title={`${name}${cls === label ? ' (true label)' : ''}\nteacher ${percent(p)}\nstudent ${percent(student[cls])}`}
            >
              <Bar probability={p} ceiling={ceiling} side="teacher" top={cls === teacherTop} />
              <Bar probability={student[cls]} ceiling={ceiling} side="student" top={cls === studentTop} />
            </div>
          );
        })}
      </div>
      <div className="soft-chart__axis">
        {teacher.map((_, cls) => (
          <span key={cls} className={cls === label ? 'soft-chart__tick soft-chart__tick--label' : 'soft-chart__tick'}>
            {classNames?.[cls]?.slice(0, 4) ?? cls}
          </span>
        ))}
      </div>
      <p className="soft-chart__verdict">
        teacher → <b className={teacherTop === label ? 'is-right' : 'is-wrong'}>{classNames?.[teacherTop] ?? teacherTop}</b>{' '}
        {percent(teacher[teacherTop])} · student → <b className={studentTop === label ? 'is-right' : 'is-wrong'}>{classNames?.[studentTop] ?? studentTop}</b>{' '}
        {percent(student[studentTop])}
      </p>
    </div>
  );
});
