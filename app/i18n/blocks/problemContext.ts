import type { ConnectionRefusal } from '../../../src/graph/connectionRefusal';

export const sideZh = { teacher: '施教的网络（教师、助教或同伴）', student: '学习的网络（学生、助教或同伴）', data: '数据集' } as const;

/** What a Chinese problem text needs from the graph: node names, a loss's port labels, connection refusals. */
export interface ProblemContext {
  /** The flagged node's name. */
  name: string;
  /** Another node's name, by id. */
  nameOf: (id: string) => string;
  /** A port of the flagged loss block, by name or English label. */
  port: (port: string) => string;
  /** A dataset's name, by registry id. */
  dataset: (id: string) => string;
  /** A refused connection in Chinese. */
  refusal: (refusal: ConnectionRefusal) => string;
}

/** Several nodes, "A、B 和 C". */
export const namesZh = (ids: readonly string[], nameOf: (id: string) => string): string => {
  const names = ids.map(nameOf);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join('、')}和${names[names.length - 1]}`;
};

