import { findDatasetInfo } from '../../src/data/registry';
import type { Language } from './language';

/** Dataset names in Chinese, by registry id (src/data keeps the English label); a test covers every registry entry. */
export const datasetLabelsZh: Readonly<Record<string, string>> = {
  mnist: 'MNIST 手写数字',
  'fashion-mnist': 'Fashion-MNIST 服饰图像',
  cifar10: 'CIFAR-10 彩色图像',
};

/** A dataset's name in the interface language (an imported one keeps its own name); an unknown id is shown as it is. */
export function datasetLabel(id: string, language: Language): string {
  const english = findDatasetInfo(id)?.label ?? id;
  return language === 'zh' ? datasetLabelsZh[id] ?? english : english;
}
