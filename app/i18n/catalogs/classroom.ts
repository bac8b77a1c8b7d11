import { defineTexts } from '../texts';

/** The classroom tools: the temperature explorer and the presenter-view toggle. */
export const classroomTexts = defineTexts({
  en: {
    openExplorer: 'Temperature explorer',
    presenterTitle: 'Large type for a 1280 × 720 projector (also ?present=1)',
    presenterOn: 'Presenter view',
    presenterOff: 'Leave presenter view',
    explorerTitle: 'Temperature explorer',
    close: 'Close',
    loading: 'Loading the shipped teacher and twelve test images in a worker…',
    tryAgain: 'Try again',
    workerFailed: (detail: string) => `The explorer's worker failed: ${detail}.`,
    scriptDidNotLoad: 'its script did not load',
    temperature: 'Temperature',
    meanEntropy: 'Mean entropy',
    bits: (bits: string) => `${bits} bits`,
    ofAtMost: (classes: number, maxBits: string) => `of at most log₂ ${classes} = ${maxBits}`,
    darkKnowledge: 'Dark knowledge',
    onWrongClasses: 'on the wrong classes',
    kdScale: 'KD loss × T²',
    note: (teacher: string, accuracy: string, images: number) =>
      `Soft-target gradients shrink as 1/T² (both softmaxes divide by T), so the KD term is multiplied by T² to weigh as much as ` +
      `the hard-label term. Teacher: ${teacher}, shipped with ${accuracy} % test accuracy; the first ${images} MNIST test images.`,
    label: 'label',
    teacher: 'Teacher',
    cardNumbers: (bits: string, wrong: string) => `H = ${bits} bits · wrong classes ${wrong} %`,
  },
  zh: {
    openExplorer: '温度探索器',
    presenterTitle: '适合 1280 × 720 投影仪的大字号（也可用 ?present=1）',
    presenterOn: '演示视图',
    presenterOff: '退出演示视图',
    explorerTitle: '温度探索器',
    close: '关闭',
    loading: '正在工作线程中加载随附的教师和十二张测试图像…',
    tryAgain: '重试',
    workerFailed: (detail: string) => `探索器的工作线程失败：${detail}。`,
    scriptDidNotLoad: '其脚本未能加载',
    temperature: '温度',
    meanEntropy: '平均熵',
    bits: (bits: string) => `${bits} 比特`,
    ofAtMost: (classes: number, maxBits: string) => `最大为 log₂ ${classes} = ${maxBits}`,
    darkKnowledge: '暗知识',
    onWrongClasses: '落在错误类别上',
    kdScale: 'KD 损失 × T²',
    note: (teacher: string, accuracy: string, images: number) =>
      `软目标的梯度按 1/T² 缩小（两个 softmax 都除以 T），因此 KD 项乘以 T²，使其与硬标签项权重相当。` +
      `教师：${teacher}，随附模型的测试集准确率为 ${accuracy} %；使用前 ${images} 张 MNIST 测试图像。`,
    label: '标签',
    teacher: '教师',
    cardNumbers: (bits: string, wrong: string) => `H = ${bits} 比特 · 错误类别 ${wrong} %`,
  },
});
