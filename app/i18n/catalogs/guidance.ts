import { defineTexts } from '../texts';

/**
 * "Best guidance path" in a FitNet/AT block's inspector. The search's notes, warnings and errors
 * come from the worker (src/train/guidanceSearch.ts) and stay English; layer ids stay as named.
 */
export const guidanceTexts = defineTexts({
  en: {
    region: 'Best guidance path',
    title: 'Best guidance path',
    intro: 'Trains each teacher-layer / student-layer pairing this block accepts on a small subset (the teacher once, no ' +
      'baselines) and ranks them by the validation accuracy of the network that learns.',
    otherSearch: 'A guidance search of another loss block (or of the experiment open before) is running.',
    stopIt: 'Stop it',
    // Form
    allLayers: 'All feature layers',
    blockOutputs: 'Block outputs only',
    preview: (pairs: number, tried: number, seeds: number) =>
      `${pairs} pairings fit this block; ${tried} will be trained (the drawn one, then the deepest teacher layers first)` +
      `${seeds > 1 ? `, ${seeds} runs each` : ''}.`,
    trainingImages: 'Training images',
    epochsPerStage: 'Epochs per stage',
    seedsPerPairing: 'Seeds per pairing',
    maxPairings: 'Max pairings',
    layers: 'Layers',
    layersHelp: 'Block outputs keeps one layer per conv/dense, batch norm, ReLU run, so the limit spreads over more depths.',
    search: 'Search pairings',
    stoppingAfterStep: 'Stopping after this step…',
    stop: 'Stop',
    // Progress
    startingWorker: 'Starting the search worker…',
    pairingOf: (pairing: number, pairings: number, teacher: string, student: string) =>
      `Pairing ${pairing} of ${pairings}: teacher ${teacher} → student ${student}`,
    seedOf: (seed: number, seeds: number) => ` (seed ${seed} of ${seeds})`,
    trainingPhase: (phase: string) => `Training ${phase} · `,
    done: (done: number) => `${done} done`,
    // Results
    soFar: 'Finished so far:',
    summary: (ranked: number, pairs: number, images: string, backend: string) => `${ranked} of ${pairs} pairings on ${images} training images, ${backend}`,
    all: 'all',
    stoppedEarly: ' (stopped early)',
    teacherAccuracy: (validation: string, test: string) => ` Teacher: validation ${validation}, test ${test}.`,
    noneFinished: 'No pairing finished.',
    pairingFailed: (teacher: string, student: string, reason: string) => `${teacher} → ${student} failed: ${reason}`,
    // Table
    rank: 'Rank',
    teacher: 'Teacher',
    teacherLayer: 'Teacher layer (guide)',
    student: 'Student',
    studentLayer: 'Student layer (guided)',
    adapter: 'Adapter',
    none: 'none',
    validationShort: 'Val.',
    validationTitle: 'Validation accuracy of the network that learns (the ranking)',
    test: 'Test',
    testTitle: 'Test accuracy',
    asDrawn: 'as drawn',
    failed: 'failed',
    nearBest: '≈ best',
    apply: 'Apply',
    applyInUse: 'The block uses this pairing now',
    applyTitle: 'Rewire the guide and guided layers to this pairing (undo restores them)',
    applied: (teacher: string, student: string) => `Guidance path set to teacher ${teacher} → student ${student} (Undo restores the previous one).`,
  },
  zh: {
    region: '最佳引导路径',
    title: '最佳引导路径',
    intro: '在一个小子集上分别训练此块接受的每一种“教师层 / 学生层”配对（教师只训练一次，不训练基线），' +
      '并按学习网络的验证集准确率排序。',
    otherSearch: '另一个损失块（或之前打开的实验）的引导路径搜索正在运行。',
    stopIt: '停止它',
    allLayers: '所有特征层',
    blockOutputs: '仅块输出',
    preview: (pairs: number, tried: number, seeds: number) =>
      `此块可用 ${pairs} 种配对；将训练其中 ${tried} 种（先训练图中已连的配对，再从最深的教师层开始）` +
      `${seeds > 1 ? `，每种运行 ${seeds} 次` : ''}。`,
    trainingImages: '训练图像数',
    epochsPerStage: '每阶段轮次',
    seedsPerPairing: '每种配对的种子数',
    maxPairings: '最多配对数',
    layers: '层',
    layersHelp: '“仅块输出”对每组卷积/全连接、批归一化、ReLU 只保留一层，使数量上限覆盖更多深度。',
    search: '搜索配对',
    stoppingAfterStep: '将在这一步之后停止…',
    stop: '停止',
    startingWorker: '正在启动搜索工作线程…',
    pairingOf: (pairing: number, pairings: number, teacher: string, student: string) =>
      `第 ${pairing} 种配对，共 ${pairings} 种：教师 ${teacher} → 学生 ${student}`,
    seedOf: (seed: number, seeds: number) => `（第 ${seed} 个种子，共 ${seeds} 个）`,
    trainingPhase: (phase: string) => `正在训练 ${phase} · `,
    done: (done: number) => `已完成 ${done} 个`,
    soFar: '目前已完成：',
    summary: (ranked: number, pairs: number, images: string, backend: string) =>
      `${pairs} 种配对中的 ${ranked} 种，训练图像 ${images} 张，${backend}`,
    all: '全部',
    stoppedEarly: '（提前停止）',
    teacherAccuracy: (validation: string, test: string) => ` 教师：验证集 ${validation}，测试集 ${test}。`,
    noneFinished: '没有完成任何配对。',
    pairingFailed: (teacher: string, student: string, reason: string) => `${teacher} → ${student} 失败：${reason}`,
    rank: '排名',
    teacher: '教师',
    teacherLayer: '教师层（引导层）',
    student: '学生',
    studentLayer: '学生层（被引导层）',
    adapter: '适配器',
    none: '无',
    validationShort: '验证',
    validationTitle: '学习网络的验证集准确率（排序依据）',
    test: '测试',
    testTitle: '测试集准确率',
    asDrawn: '图中所连',
    failed: '失败',
    nearBest: '≈ 最佳',
    apply: '应用',
    applyInUse: '此块当前使用的就是这种配对',
    applyTitle: '把引导层和被引导层改接为这种配对（撤销可恢复）',
    applied: (teacher: string, student: string) => `引导路径已设为教师 ${teacher} → 学生 ${student}（撤销可恢复之前的路径）。`,
  },
});
