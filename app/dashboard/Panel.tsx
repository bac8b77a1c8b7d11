import type { ReactNode } from 'react';

export function Panel({ title, testId, children, wide = false }: { title: string; testId: string; children: ReactNode; wide?: boolean }) {
  return (
    <section className={wide ? 'dash-panel dash-panel--wide' : 'dash-panel'} data-testid={testId} aria-label={title}>
      <h3 className="dash-panel__title">{title}</h3>
      {children}
    </section>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="dash-panel__empty">{children}</p>;
}
