import { defineTexts } from '../texts';

/** The "Sweep…" dialog. Parameter names and the reasons a sweep cannot run come from the core and stay English. */
export const runSweepTexts = defineTexts({
  en: {
    title: 'Sweep a parameter',
    intro: 'Runs the whole experiment once per value, one run after another. Teachers keep their settings, so they train once ' +
      'and come from the cache; every run trains its baseline and distilled student, so each value gets its own gain.',
    noParameter: 'This graph has no parameter a sweep can vary.',
    pickParameter: 'Pick a parameter.',
    firstAxis: 'Parameter',
    secondAxis: 'Second parameter (a grid)',
    axisLabel: (axis: number) => `Parameter ${axis}`,
    none: 'none',
    values: (symbol: string, current: string) => `Values of ${symbol} (now ${current})`,
    valuesExample: 'e.g. 1, 4, 20',
    layerChoices: (layers: string) => `Layers this tap can take: ${layers}`,
    runs: (runs: number) => `${runs} runs`,
    cancel: 'Cancel',
    start: 'Start',
  },
  zh: {
    title: '参数扫描',
    intro: '对每个取值各运行一次完整实验，依次进行。教师的设置不变，因此只训练一次，之后从缓存读取；' +
      '每次运行都会训练自己的基线和蒸馏学生，所以每个取值都有自己的增益。',
    noParameter: '此图中没有可供扫描的参数。',
    pickParameter: '请选择一个参数。',
    firstAxis: '参数',
    secondAxis: '第二个参数（网格）',
    axisLabel: (axis: number) => `参数 ${axis}`,
    none: '无',
    values: (symbol: string, current: string) => `${symbol} 的取值（当前为 ${current}）`,
    valuesExample: '例如 1, 4, 20',
    layerChoices: (layers: string) => `此抽头可选的层：${layers}`,
    runs: (runs: number) => `${runs} 次运行`,
    cancel: '取消',
    start: '开始',
  },
});
