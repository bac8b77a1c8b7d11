import { defineTexts } from '../texts';

/** Messages built in the store's actions: opening and saving experiments, autosave, the run journal. */
export const storeTexts = defineTexts({
  en: {
    untitled: 'Untitled experiment',
    opened: (name: string, source: string) => `Opened "${name}" from ${source}.`,
    kept: (current: string, name: string, source: string) => `Kept "${current}"; "${name}" from ${source} was not opened.`,
    saveFailed: (reason: string) => `Could not save: ${reason}`,
    autosaveSkipped: (reason: string) => `Autosave skipped: ${reason}`,
    validationFailed: (reason: string) => `Validation failed: ${reason}`,
    pairingNoLongerFits: (problem: string) => `This pairing no longer fits the graph (${problem}); search again on the graph as it is now.`,
    studentsNotStored: (reason: string) => `The trained models could not be stored for after a reload (${reason}). ` +
      'They can be exported now; after closing the page they would need another run.',
    journalRun: (name: string) => `"${name}"`,
    journalSeed: (seed: number, count: number, name: string) => `seed ${seed} of ${count} of "${name}"`,
    journalSweepRun: (run: number, count: number, values: string, name: string) => `run ${run} of ${count} (${values}) of "${name}"`,
    journalModelsKept: ' The results of the models it had finished are shown.',
    journalNoModel: ' No model had finished yet.',
    journalSweepRunsKept: (runs: number) => ` The sweep's ${runs} finished ${runs === 1 ? 'run is' : 'runs are'} shown.`,
    journalOneSeedKept: ' The seed that finished before it is shown.',
    journalSeedsKept: (seeds: number) => ` The ${seeds} seeds that finished before it are shown.`,
    journalNotice: (what: string, started: string, kept: string) =>
      `The page was closed while ${what} was training (started ${started}), so that run ended.${kept} ` +
      'Your graph is restored: press Run to train again.',
  },
  zh: {
    untitled: '未命名实验',
    opened: (name: string, source: string) => `已从${source}打开“${name}”。`,
    kept: (current: string, name: string, source: string) => `已保留“${current}”；未打开来自${source}的“${name}”。`,
    saveFailed: (reason: string) => `无法保存：${reason}`,
    autosaveSkipped: (reason: string) => `已跳过自动保存：${reason}`,
    validationFailed: (reason: string) => `校验失败：${reason}`,
    pairingNoLongerFits: (problem: string) => `此配对已不适合当前的图（${problem}）；请在当前的图上重新搜索。`,
    studentsNotStored: (reason: string) => `训练好的模型无法保存以供重新加载后使用（${reason}）。现在可以导出它们；关闭页面后则需要重新运行。`,
    journalRun: (name: string) => `“${name}”`,
    journalSeed: (seed: number, count: number, name: string) => `“${name}”的第 ${seed} 个种子（共 ${count} 个）`,
    journalSweepRun: (run: number, count: number, values: string, name: string) => `“${name}”的第 ${run} 次运行（共 ${count} 次，${values}）`,
    journalModelsKept: '已显示它完成的模型的结果。',
    journalNoModel: '当时还没有模型训练完成。',
    journalSweepRunsKept: (runs: number) => `已显示扫描中完成的 ${runs} 次运行。`,
    journalOneSeedKept: '已显示在它之前完成的那个种子。',
    journalSeedsKept: (seeds: number) => `已显示在它之前完成的 ${seeds} 个种子。`,
    journalNotice: (what: string, started: string, kept: string) =>
      `${what}训练期间（开始于 ${started}）页面被关闭，因此该运行已结束。${kept}你的图已恢复：按“运行”重新训练。`,
  },
});
