import type { ReactNode } from 'react';

export interface LegendItem {
  key: string;
  label: ReactNode;
  color: string;
  dashed?: boolean;
  /** A value shown after the label, e.g. the latest accuracy. */
  value?: string;
}

/** An HTML legend under a chart: larger and easier to scan than recharts' built-in one. */
export function ChartLegend({ items }: { items: readonly LegendItem[] }) {
  return (
    <ul className="chart-legend">
      {items.map((item) => (
        <li key={item.key}>
          <svg width="22" height="10" aria-hidden="true">
            <line x1="1" y1="5" x2="21" y2="5" stroke={item.color} strokeWidth="2.5" strokeDasharray={item.dashed ? '4 3' : undefined} />
            <circle cx="11" cy="5" r="3" fill={item.dashed ? '#fff' : item.color} stroke={item.color} strokeWidth="1.5" />
          </svg>
          <span>{item.label}</span>
          {item.value !== undefined && <b className="chart-legend__value">{item.value}</b>}
        </li>
      ))}
    </ul>
  );
}
