import { roundSpeed, type BackendWords } from '../../src/backendChoice';

/**
 * The backend badge's measured reason in Chinese (src/backendChoice.ts holds the English words and
 * composes the sentence from Auto's numbers). A failure's own error message stays as the browser gave it.
 */
export const backendWordsZh: BackendWords = {
  speed: (samplesPerSecond) => `${roundSpeed(samplesPerSecond).toLocaleString('en-US')} 样本/秒`,
  softwareAdapter: '（软件适配器）',
  auto: (speed) => `自动：${speed}`,
  versus: (items) => `，对比 ${items.join('，')}`,
  unmeasured: (items) => `；${items.join('；')}`,
  failed: (label, reason) => `${label} 失败（${reason}）`,
  skipped: (label, reason) => `${label} 已跳过（${reason}）`,
  skip: (why) => {
    switch (why.code) {
      case 'slowerThanWasm': return '总是比 WebAssembly 慢';
      case 'noAdapter': return '没有 GPU 适配器';
      case 'softwareAdapter': return `${why.adapter} 在 CPU 上模拟 GPU`;
      case 'firstStepSlow': return `第一步用了 ${why.seconds.toFixed(1)} 秒，已停止`;
    }
  },
  stored: (reason, date) => `${reason}（${date} 在此设备上测得；点“重新测量”可重测）`,
};
