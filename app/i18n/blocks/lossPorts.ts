/** Port names shared by many losses, in Chinese. */
export const zhPorts = {
  teacherLogits: { teacherLogits: '教师 logits' },
  studentLogits: { studentLogits: '学生 logits' },
  labels: { labels: '标签' },
  feature: { guide: '引导层（教师特征）', guided: '被引导层（学生特征）' },
  map: { guide: '引导层（教师特征图）', guided: '被引导层（学生特征图）' },
  twoLayers: {
    guide1: '引导层 1（教师，较浅）',
    guide2: '引导层 2（教师，较深）',
    guided1: '被引导层 1（学生，较浅）',
    guided2: '被引导层 2（学生，较深）',
  },
} as const;

export const zhPaperOrRepDistiller = ['论文', 'RepDistiller'] as const;
