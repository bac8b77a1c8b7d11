import type { StudioSlice } from './index';

/** Transient UI state: which panels are open and the messages shown to the user. */

export type ToastKind = 'info' | 'success' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

export type PanelName = 'palette' | 'inspector' | 'dashboard';

export interface UiSlice {
  panels: Record<PanelName, boolean>;
  toasts: Toast[];
  /** The last problem opening a file or preset; shown in the toolbar until dismissed. */
  fileError: string | null;
  togglePanel: (panel: PanelName) => void;
  pushToast: (kind: ToastKind, message: string) => number;
  dismissToast: (id: number) => void;
  setFileError: (message: string | null) => void;
}

const maxToasts = 5;
let nextToastId = 1;

export const createUiSlice: StudioSlice<UiSlice> = (set) => ({
  panels: { palette: true, inspector: true, dashboard: true },
  toasts: [],
  fileError: null,
  togglePanel: (panel) => set((s) => ({ panels: { ...s.panels, [panel]: !s.panels[panel] } })),
  pushToast: (kind, message) => {
    const id = nextToastId++;
    set((s) => ({ toasts: [...s.toasts, { id, kind, message }].slice(-maxToasts) }));
    return id;
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  setFileError: (message) => set({ fileError: message }),
});
