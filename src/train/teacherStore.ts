import type * as tf from '@tensorflow/tfjs';
import { setLayerWeights, weightedLayerIds } from '../models/builder';
import type { ArchitectureSpec, LayerWeights } from '../models/spec';
import type { TrainEnv } from './runner';
import { errorMessage } from '../errorMessage';

/**
 * Where a trained teacher comes from and goes to: the cache (IndexedDB, `.cache/teachers`), else the
 * pretrained teachers shipped with the studio. Stored weights are applied only when they cover every
 * weighted layer with the right shapes; anything unreadable or unfit is logged and the teacher is
 * trained instead, so a damaged store costs time, never the run.
 */

type WeightsOrigin = 'cached' | 'pretrained' | 'imported';

const UNFIT_OUTCOME: Record<WeightsOrigin, string> = {
  cached: 'training the teacher instead',
  pretrained: 'training the teacher instead',
  // An imported teacher has no recipe to train by: the run stops (importedTeacherMissing) and says so.
  imported: 'it cannot be trained instead',
};

/** Applies the weights if they fit the model completely; else logs why and leaves the model untouched. */
function applyIfFits(teacher: tf.LayersModel, spec: ArchitectureSpec, weights: LayerWeights[], origin: WeightsOrigin, env: TrainEnv): boolean {
  const given = new Set(weights.map((layer) => layer.layerId));
  const missing = weightedLayerIds(spec).filter((id) => !given.has(id));
  try {
    if (missing.length > 0) throw new Error(`no weights for layer${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
    setLayerWeights(teacher, weights); // checks every shape before it sets anything
    return true;
  } catch (error) {
    const reason = errorMessage(error);
    env.emit({ type: 'log', warning: true, detail: { code: 'teacherUnfit', origin, error: reason },
      message: `The ${origin} teacher does not fit this teacher model (${reason}); ${UNFIT_OUTCOME[origin]}.` });
    return false;
  }
}

async function isShipped(key: string, env: TrainEnv): Promise<boolean> {
  try {
    return await env.pretrainedTeachers?.lists(key) ?? false;
  } catch {
    return false;
  }
}

/**
 * Sets the teacher's weights from the cache or the pretrained teachers. Returns null when neither
 * holds a usable teacher for the key; `pretrained` says whether the key is a shipped teacher's
 * (also when a previous run already copied it into the cache).
 */
export async function restoreTeacher(
  teacher: tf.LayersModel, spec: ArchitectureSpec, key: string, env: TrainEnv, imported = false,
): Promise<{ pretrained: boolean } | null> {
  let cached: LayerWeights[] | null = null;
  try {
    cached = await env.teacherCache?.get(key) ?? null;
  } catch (error) {
    const reason = errorMessage(error);
    env.emit({ type: 'log', warning: true, detail: { code: 'teacherCacheUnreadable', error: reason }, message: `The teacher cache could not be read (${reason}).` });
  }
  if (cached && applyIfFits(teacher, spec, cached, imported ? 'imported' : 'cached', env)) return { pretrained: await isShipped(key, env) };
  if (imported) return null; // never among the shipped teachers

  let shipped: LayerWeights[] | null;
  try {
    shipped = await env.pretrainedTeachers?.get(key) ?? null;
  } catch (error) {
    const reason = errorMessage(error);
    env.emit({ type: 'log', warning: true, detail: { code: 'pretrainedUnreadable', error: reason },
      message: `The pretrained teacher could not be read (${reason}); training the teacher instead.` });
    return null;
  }
  if (!shipped || !applyIfFits(teacher, spec, shipped, 'pretrained', env)) return null;
  await storeTeacher(key, shipped, env); // the next run reads it locally
  return { pretrained: true };
}

/** Caches a teacher; a full disk or a closed database is logged, and the trained teacher is still used. */
export async function storeTeacher(key: string, weights: LayerWeights[], env: TrainEnv): Promise<void> {
  try {
    await env.teacherCache?.put(key, weights);
  } catch (error) {
    const reason = errorMessage(error);
    env.emit({ type: 'log', warning: true, detail: { code: 'teacherNotCached', error: reason },
      message: `The teacher could not be cached (${reason}); it is used for this run only.` });
  }
}
