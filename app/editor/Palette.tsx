import { useMemo, type DragEvent } from 'react';
import { paletteEntries, type PaletteEntry } from '../../src/graph/factory';
import { usePlaceNode } from './usePlaceNode';
import { useLanguage } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { editorTexts } from '../i18n/catalogs/editor';
import { paletteEntryText } from '../i18n/blocks/localizedBlocks';

/** Drag data type of a palette entry dropped on the canvas. */
export const paletteDragType = 'application/x-studio-block';

export function usePaletteEntries(): PaletteEntry[] {
  return useMemo(() => paletteEntries(), []);
}

type GroupTitle = 'groupDataModels' | 'groupTaps' | 'groupLosses' | 'groupTraining';

const groups: { title: GroupTitle; test: (entry: PaletteEntry) => boolean }[] = [
  { title: 'groupDataModels', test: (e) => e.kind === 'dataset' || e.kind === 'model' || e.kind === 'ensemble' },
  { title: 'groupTaps', test: (e) => e.kind === 'guide' || e.kind === 'guided' || e.kind === 'head' },
  { title: 'groupLosses', test: (e) => e.kind === 'loss' },
  { title: 'groupTraining', test: (e) => e.kind === 'trainer' || e.kind === 'export' },
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
  const language = useLanguage();
  const tx = useTexts(editorTexts);

  const onDragStart = (event: DragEvent, entry: PaletteEntry) => {
    event.dataTransfer.setData(paletteDragType, entry.key);
    event.dataTransfer.effectAllowed = 'copy';
  };

  return (
    <nav className="palette" data-testid="palette" aria-label={tx.paletteLabel}>
      {groups.map((group) => (
        <section key={group.title} className="palette__group">
          <h3>{tx[group.title]}</h3>
          {entries.filter(group.test).map((entry) => {
            const text = paletteEntryText(entry, language);
            return (
              <button
                key={entry.key}
                type="button"
                className={`palette__item tone-${toneOf(entry)}`}
                data-testid={`palette-${entry.key.replace(':', '-')}`}
                title={text.description}
                draggable
                onDragStart={(event) => onDragStart(event, entry)}
                onClick={() => placeNode(entry)}
              >
                <span className="palette__swatch" aria-hidden />
                {text.label}
              </button>
            );
          })}
        </section>
      ))}
    </nav>
  );
}
