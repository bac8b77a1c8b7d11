import { ReactFlowProvider } from '@xyflow/react';
import { useStudio } from './store';
import { Toolbar } from './editor/Toolbar';
import { Palette } from './editor/Palette';
import { Canvas } from './editor/Canvas';
import { Toasts } from './editor/Toasts';
import { ReplaceDialog } from './editor/ReplaceDialog';
import { useGraphShortcuts } from './editor/useGraphShortcuts';
import { Inspector } from './inspector/Inspector';
import { RunToolbar } from './run/RunToolbar';
import { Dashboard } from './dashboard/Dashboard';
import { ExportPanel } from './export/ExportPanel';
import { HistoryButton, HistoryPanel } from './history/HistoryPanel';
import { usePresenterMode } from './classroom/presenterMode';
import { ClassroomButtons } from './classroom/ClassroomButtons';
import { Lessons } from './lessons/Lessons';
import './classroom/presenter.css';
import { useTexts } from './i18n/texts';
import { appTexts } from './i18n/catalogs/app';

/**
 * Layout: toolbar on top; palette, canvas and inspector in the middle; run controls and the
 * live dashboard and the export panel below. Training runs in a worker, so the editor stays usable during a run.
 */
export function App() {
  useGraphShortcuts();
  const dashboardOpen = useStudio((s) => s.panels.dashboard);
  const togglePanel = useStudio((s) => s.togglePanel);
  const presenting = usePresenterMode();
  const tx = useTexts(appTexts);
  return (
    <ReactFlowProvider>
      <div className={`studio${dashboardOpen ? '' : ' studio--dashboard-closed'}${presenting ? ' studio--presenter' : ''}`}>
        <Toolbar />
        <main className="studio__workspace">
          <Palette />
          <Canvas />
          <Inspector />
        </main>
        <section className="studio__run" data-testid="run-region">
          <div className="studio__run-bar">
            <RunToolbar />
            <HistoryButton />
            <ClassroomButtons />
            <Lessons />
            <button type="button" className="studio__collapse" data-testid="toggle-dashboard"
              aria-expanded={dashboardOpen} onClick={() => togglePanel('dashboard')}>
              {dashboardOpen ? tx.hideDashboard : tx.showDashboard}
            </button>
          </div>
          <div className="studio__dashboard" hidden={!dashboardOpen}>
            <Dashboard />
            <ExportPanel />
          </div>
        </section>
        <HistoryPanel />
        <Toasts />
        <ReplaceDialog />
      </div>
    </ReactFlowProvider>
  );
}
