import type { StudioSlice } from './index';
import { withToast, type Toast, type ToastKind } from './toasts';

/** Transient UI state: which panels are open and the messages shown to the user. */

export type { Toast, ToastKind } from './toasts';

export type PanelName = 'palette' | 'inspector' | 'dashboard';

export interface UiSlice {
  panels: Record<PanelName, boolean>;
  toasts: Toast[];
  /** The last problem opening a file or preset; shown in the toolbar until dismissed. */
  fileError: string | null;
  togglePanel: (panel: PanelName) => void;
  /** Shows a message; a repeat of one on screen merges into it. Returns the toast's id. */
  pushToast: (kind: ToastKind, message: string) => number;
  dismissToast: (id: number) => void;
  setFileError: (message: string | null) => void;
}

let nextToastId = 1;

export const createUiSlice: StudioSlice<UiSlice> = (set, get) => ({
  panels: { palette: true, inspector: true, dashboard: true },
  toasts: [],
  fileError: null,
  togglePanel: (panel) => set((s) => ({ panels: { ...s.panels, [panel]: !s.panels[panel] } })),
  pushToast: (kind, message) => {
    const { toasts, id } = withToast(get().toasts, kind, message, nextToastId);
    if (id === nextToastId) nextToastId += 1;
    set({ toasts });
    return id;
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  setFileError: (message) => set({ fileError: message }),
});
