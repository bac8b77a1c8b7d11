import { defineTexts } from '../texts';

/** The studio's frame (app/App.tsx): the run region's dashboard toggle. */
export const appTexts = defineTexts({
  en: {
    hideDashboard: 'Hide dashboard ▾',
    showDashboard: 'Show dashboard ▴',
  },
  zh: {
    hideDashboard: '隐藏仪表板 ▾',
    showDashboard: '显示仪表板 ▴',
  },
});
