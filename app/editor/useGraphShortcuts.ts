import { useEffect } from 'react';
import { useStudio } from '../store';

function isEditingText(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Graph shortcuts; inactive while the user types in a form field, where the keys mean text editing. */
export function useGraphShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (isEditingText(event.target)) return;
      const state = useStudio.getState();
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && key === 'z') {
        if (event.shiftKey) state.redo();
        else state.undo();
      } else if (mod && key === 'y') {
        state.redo();
      } else if (mod && key === 'c') {
        if (window.getSelection()?.toString()) return;
        state.copySelection();
      } else if (mod && key === 'v') {
        state.paste();
      } else if (!mod && (event.key === 'Delete' || event.key === 'Backspace')) {
        state.removeSelection();
      } else {
        return;
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
