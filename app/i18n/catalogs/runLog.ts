import { defineTexts } from '../texts';

/**
 * The training worker's log lines and errors, worded from their data (src/protocol.ts LogDetail and
 * RunErrorDetail). Labels of phases and losses are the graph's own and are shown as they are;
 * `error` is the browser's or tfjs's own message.
 */
export const runLogTexts = defineTexts({
  en: {
    dataCounts: (train: number, validation: number, test: number) =>
      `Data: ${train} training, ${validation} validation, ${test} test images.`,
    teacherShipped: (phase: string) =>
      `${phase} loaded from the pretrained teachers shipped with the studio (this preset's recipe, same architecture, data and seed): not retrained.`,
    teacherCached: (phase: string) => `${phase} restored from the cache (same architecture, data and seed): not retrained.`,
    pretrainEpoch: (term: string, part: string, epoch: number, epochs: number, loss: string) =>
      `${term}: ${part}, epoch ${epoch} of ${epochs}, loss ${loss}.`,
    ensembleAccuracy: (ensemble: string, percent: string, members: string) =>
      `Ensemble "${ensemble}": test accuracy ${percent}% (the average of ${members}).`,
    teacherUnfitCached: (error: string) => `The cached teacher does not fit this teacher model (${error}); training the teacher instead.`,
    teacherUnfitPretrained: (error: string) => `The pretrained teacher does not fit this teacher model (${error}); training the teacher instead.`,
    teacherUnfitImported: (error: string) => `The imported teacher's stored weights do not fit this teacher model (${error}); it cannot be trained instead.`,
    teacherCacheUnreadable: (error: string) => `The teacher cache could not be read (${error}).`,
    pretrainedUnreadable: (error: string) => `The pretrained teacher could not be read (${error}); training the teacher instead.`,
    teacherNotCached: (error: string) => `The teacher could not be cached (${error}); it is used for this run only.`,
    importedImagesUnreadable: (error: string) => `Imported images could not be read: ${error}`,
    runAlreadyInProgress: 'A run is already in progress in this worker; ignoring the new start.',
    diverged: (step: number, term: string, value: string) =>
      `Training diverged at step ${step}: the loss term '${term}' became ${value} (not a finite number). ` +
      'Lower the learning rate or this term\'s weight, then run again.',
    dataUnloadable: (error: string) => `The dataset could not be loaded: ${error}`,
    teacherImported: (phase: string, file: string) => `${phase} restored from the imported ONNX file ${file} (converted weights in this browser): not trained.`,
    importedTeacherMissing: (teacher: string, file: string) =>
      `The weights of the imported teacher '${teacher}' (${file}) are not in this browser or no longer fit its layers: import the ONNX file again in its inspector.`,
  },
  zh: {
    dataCounts: (train: number, validation: number, test: number) =>
      `数据：${train} 张训练图像，${validation} 张验证图像，${test} 张测试图像。`,
    teacherShipped: (phase: string) =>
      `${phase}：已载入工作室自带的预训练教师（本预设的训练方案，相同的架构、数据和种子），不再重新训练。`,
    teacherCached: (phase: string) => `${phase}：已从缓存恢复（相同的架构、数据和种子），不再重新训练。`,
    pretrainEpoch: (term: string, part: string, epoch: number, epochs: number, loss: string) =>
      `${term}：${part}，第 ${epoch} 轮，共 ${epochs} 轮，损失 ${loss}。`,
    ensembleAccuracy: (ensemble: string, percent: string, members: string) =>
      `集成“${ensemble}”：测试准确率 ${percent}%（${members} 的平均）。`,
    teacherUnfitCached: (error: string) => `缓存中的教师与此教师模型不匹配（${error}）；改为训练教师。`,
    teacherUnfitPretrained: (error: string) => `预训练教师与此教师模型不匹配（${error}）；改为训练教师。`,
    teacherUnfitImported: (error: string) => `导入教师保存的权重与此教师模型不匹配（${error}）；它无法改为训练。`,
    teacherCacheUnreadable: (error: string) => `无法读取教师缓存（${error}）。`,
    pretrainedUnreadable: (error: string) => `无法读取预训练教师（${error}）；改为训练教师。`,
    teacherNotCached: (error: string) => `无法缓存教师（${error}）；它只用于本次运行。`,
    importedImagesUnreadable: (error: string) => `无法读取导入的图像：${error}`,
    runAlreadyInProgress: '此工作线程中已有一次运行在进行；忽略新的启动。',
    diverged: (step: number, term: string, value: string) =>
      `训练在第 ${step} 步发散：损失项“${term}”变为 ${value}（不是有限数）。请降低学习率或该项的权重，然后重新运行。`,
    dataUnloadable: (error: string) => `无法载入数据集：${error}`,
    teacherImported: (phase: string, file: string) => `${phase}：已从导入的 ONNX 文件 ${file} 恢复（转换后的权重保存在本浏览器中），不进行训练。`,
    importedTeacherMissing: (teacher: string, file: string) =>
      `导入的教师“${teacher}”（${file}）的权重不在本浏览器中，或已与其各层不匹配：请在其检查器中重新导入该 ONNX 文件。`,
  },
});
