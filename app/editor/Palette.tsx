import { useMemo, type DragEvent } from 'react';
import { paletteEntries, type PaletteEntry } from '../../src/graph/factory';
import { usePlaceNode } from './usePlaceNode';

/** Drag data type of a palette entry dropped on the canvas. */
export const paletteDragType = 'application/x-studio-block';

export function usePaletteEntries(): PaletteEntry[] {
  return useMemo(() => paletteEntries(), []);
}

const groups: { title: string; test: (entry: PaletteEntry) => boolean }[] = [
  { title: 'Data & models', test: (e) => e.kind === 'dataset' || e.kind === 'model' || e.kind === 'ensemble' },
  { title: 'Layer taps & heads', test: (e) => e.kind === 'guide' || e.kind === 'guided' || e.kind === 'head' },
  { title: 'Losses', test: (e) => e.kind === 'loss' },
  { title: 'Training & export', test: (e) => e.kind === 'trainer' || e.kind === 'export' },
];

function toneOf(entry: PaletteEntry): string {
  return entry.kind === 'model' ? (entry.options.role ?? 'teacher') : entry.kind;
}

/**
 * The blocks the user can add: click to place one in free space near the middle of the view, or
 * drag it onto the canvas. One entry per registered loss, generated from the loss registry.
 */
export function Palette() {
  const entries = usePaletteEntries();
  const placeNode = usePlaceNode();

  const onDragStart = (event: DragEvent, entry: PaletteEntry) => {
    event.dataTransfer.setData(paletteDragType, entry.key);
    event.dataTransfer.effectAllowed = 'copy';
  };

  return (
    <nav className="palette" data-testid="palette" aria-label="Blocks">
      {groups.map((group) => (
        <section key={group.title} className="palette__group">
          <h3>{group.title}</h3>
          {entries.filter(group.test).map((entry) => (
            <button
              key={entry.key}
              type="button"
              className={`palette__item tone-${toneOf(entry)}`}
              data-testid={`palette-${entry.key.replace(':', '-')}`}
              title={entry.description}
              draggable
              onDragStart={(event) => onDragStart(event, entry)}
              onClick={() => placeNode(entry)}
            >
              <span className="palette__swatch" aria-hidden />
              {entry.label}
            </button>
          ))}
        </section>
      ))}
    </nav>
  );
}
