import { useMemo, type DragEvent } from 'react';
import { useReactFlow } from '@xyflow/react';
import { paletteEntries, type PaletteEntry } from '../../src/graph/factory';
import { useStudio } from '../store';

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
 * The blocks the user can add: click to place one in the middle of the view, or drag it
 * onto the canvas. One entry per registered loss, generated from the loss registry.
 */
export function Palette() {
  const entries = usePaletteEntries();
  const { screenToFlowPosition } = useReactFlow();

  const addAtCentre = (entry: PaletteEntry) => {
    const canvas = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const centre = canvas
      ? { x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 }
      : { x: window.innerWidth / 2, y: window.innerHeight / 2 };
    // Stagger so repeated clicks do not stack nodes exactly on top of each other.
    const jitter = (useStudio.getState().experiment.nodes.length % 5) * 24;
    const position = screenToFlowPosition({ x: centre.x - 110 + jitter, y: centre.y - 60 + jitter });
    useStudio.getState().addNode(entry.kind, position, entry.options);
  };

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
              onClick={() => addAtCentre(entry)}
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
