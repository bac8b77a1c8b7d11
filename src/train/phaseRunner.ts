import * as tf from '@tensorflow/tfjs';
import { probeBatch, type ProbeBatch } from '../data/batches';
import { withTrainSubset } from '../data/loader';
import type { LoadedDataset } from '../data/types';
import { getLoss } from '../losses/registry';
import { buildAdapter } from '../models/adapters';
import { buildModel, getLayerWeightsAsync } from '../models/builder';
import { summarizeArchitecture } from '../models/shapes';
import type { EnsembleResult, ModelResult } from '../results';
import { evaluateAccuracy, measureInferenceMs } from './evaluate';
import { phaseSteps, trainPhase, type ModelOutcome, type PhaseStage, type TrainedNetwork } from './phase';
import { modelPlan, phaseTraining, type LossTermPlan, type ModelPlan, type PhasePlan, type ProbePlan, type TrainingPlan } from './plan';
import { captureProbeSnapshot, probeImages, type ProbeNetwork } from './probes';
import type { ProgressTracker } from './progress';
import { CACHED_TEACHER_TRAIN_EVAL_LIMIT, DEFAULT_PROBE_EVERY_STEPS, RunError, type TrainEnv } from './runner';
import type { Adapter, Network } from './step';
import type { LossModule } from '../losses/types';
import { createOptimizer, type TrainingOptimizer } from './optimizer';
import { layerSeed } from '../models/seedHash';
import { modelResult } from './summary';
import { evaluateEnsemble } from './ensembleResults';
import { restoreTeacher, storeTeacher } from './teacherStore';
import { PhasePruner } from '../compress/pruner';
import { measureSparsity } from '../compress/sparsity';
import { prunedFileSizes } from '../compress/prunedOnnx';

/**
 * Runs one phase of a plan at a time, keeping the networks the later phases need: a phase builds
 * the models it trains, reads the ones it freezes from earlier phases, and hands its results back.
 * A teacher phase first tries the cache and the shipped teachers. Baselines are released after
 * their phase (nothing reads them later). After each phase, the ensembles whose members have all
 * finished are evaluated. dispose() frees every tensor the run made.
 */

/** Loss modules draw their seeds from a stream of their own (layers and adapters use the low indices). */
const LOSS_MODULE_SEED_OFFSET = 10_000;

export interface PhaseCallbacks {
  modelDone(result: ModelResult): void;
  /** An Ensemble node evaluated, once all its members had finished. */
  ensembleDone(result: EnsembleResult): void;
  phaseDone(): void;
}

interface ProbeInputs {
  batch: ProbeBatch;
  images: number[][];
}

export class PhaseRunner {
  private readonly networks = new Map<string, tf.LayersModel>();
  private readonly adapters = new Map<string, tf.LayersModel>();
  /** Learned parts of losses (VID's regressor, a discriminator), by loss node id, and the optimisers of their own objectives. */
  private readonly lossModules = new Map<string, LossModule>();
  private readonly ownOptimizers = new Map<string, TrainingOptimizer>();
  private probeInputs: ProbeInputs | null = null;
  /** Models with a result (trained or restored), and the ensembles evaluated from them. */
  private readonly finished = new Set<string>();
  private readonly evaluatedEnsembles = new Set<string>();
  /** Masks of the phase that is training, when it prunes (disposed after it, or by dispose()). */
  private pruner: PhasePruner | null = null;

  /** The students' data (the dataset's subset); `loaded` may hold more training images, for teachers that train on more. */
  private readonly data: LoadedDataset;

  constructor(
    private readonly plan: TrainingPlan,
    private readonly loaded: LoadedDataset,
    private readonly env: TrainEnv,
    private readonly progress: ProgressTracker,
    private readonly callbacks: PhaseCallbacks,
  ) {
    this.data = withTrainSubset(loaded, plan.dataset.trainSubset);
  }

  /** The data a phase trains on: its own subset where it sets one, otherwise the dataset's. */
  private dataOf(phase: PhasePlan): LoadedDataset {
    return phase.trainSubset === undefined ? this.data : withTrainSubset(this.loaded, phase.trainSubset);
  }

  /**
   * Declares a phase's steps with their relative cost, for the progress estimate: floating-point
   * operations per batch, a backward pass counted as twice the forward one and a frozen network
   * running forward only. Measured time per step follows it to within a few times, which is enough
   * to weigh a teacher's steps against a student's.
   */
  planProgress(phase: PhasePlan): void {
    const trainCount = this.dataOf(phase).train.count;
    const flops = (id: string): number => summarizeArchitecture(modelPlan(this.plan, id).architecture).flops;
    const steps = phaseSteps(phase.stages, trainCount);
    const samples = phase.stages.reduce((sum, stage) => sum + stage.settings.epochs * trainCount, 0);
    const perSample = phase.trains.reduce((sum, id) => sum + 3 * flops(id), 0) + phase.frozen.reduce((sum, id) => sum + flops(id), 0);
    this.progress.plan(phase.id, steps, Math.max(1, (samples / Math.max(1, steps)) * perSample));
  }

  /** Runs the phase; false when the user stopped it. */
  async run(phase: PhasePlan): Promise<boolean> {
    for (const id of phase.frozen) {
      const frozen = this.networks.get(id);
      if (!frozen) {
        throw new RunError('invalid-plan', `'${modelPlan(this.plan, id).label}' teaches in '${phase.label}' but was neither trained nor restored earlier in this run.`);
      }
      // Frozen from here on: it only runs forward, outside the gradient tape.
      frozen.trainable = false;
    }
    const trained = phase.trains.map((id) => this.build(modelPlan(this.plan, id)));
    if (phase.cacheKey !== undefined && trained.length === 1 && (!this.env.ignoreTeacherCache || phase.importedFile !== undefined)) {
      const restored = await this.restore(phase, trained[0]);
      if (restored !== null) return restored;
      if (phase.importedFile !== undefined) {
        throw new RunError('data', `The weights of the imported teacher '${phase.label}' (${phase.importedFile}) are not in this browser or no longer fit its layers: import the ONNX file again in its inspector.`,
          { code: 'importedTeacherMissing', teacher: phase.label, file: phase.importedFile });
      }
    }
    const pruning = phase.stages.map((stage) => stage.pruning).filter((settings) => settings !== undefined).pop();
    if (pruning !== undefined) this.pruner = new PhasePruner(trained);
    const outcome = await trainPhase({
      phaseId: phase.id,
      kind: phase.kind,
      label: phase.label,
      networks: this.phaseNetworks(phase),
      trains: trained,
      adapters: this.phaseAdapters(phase),
      stages: phase.stages.map((stage): PhaseStage => ({
        name: stage.name,
        settings: stage.settings,
        trainUpTo: stage.trainUpTo,
        ...(stage.pruning !== undefined ? { pruning: stage.pruning } : {}),
        quantization: stage.quantization,
        terms: stage.terms.map(({ term, schedule }) => {
          const module = this.lossModule(phase, term);
          return { plan: term, definition: getLoss(term.lossId), schedule, module, ownOptimizer: module?.own ? this.ownOptimizer(term.nodeId) : undefined };
        }),
      })),
      augmentShift: phase.augmentShift,
      augmentFlip: this.plan.dataset.augmentFlip ?? false,
      sampler: phase.sampler ?? this.plan.dataset.sampler,
      snapshot: this.snapshotter(phase),
      snapshotEverySteps: Math.max(1, this.env.probeEverySteps ?? DEFAULT_PROBE_EVERY_STEPS),
      ...(this.pruner !== null ? { pruner: this.pruner } : {}),
    }, { data: this.dataOf(phase), emit: this.env.emit, control: this.env.control, progress: this.progress, now: this.env.now });
    this.pruner?.dispose();
    this.pruner = null;
    if (!outcome.completed) return false;

    const done: { modelId: string; testAccuracy: number }[] = [];
    for (const network of trained) {
      const model = modelPlan(this.plan, network.id);
      const accuracies = outcome.models.get(network.id) as ModelOutcome;
      const result = await this.result(network, model, accuracies, { epochs: outcome.epochs, trainingSeconds: outcome.trainingSeconds });
      // Read once: the pruning measurements, the teacher cache and the weights event all take them.
      const weights = await getLayerWeightsAsync(network.model, model.architecture);
      if (pruning !== undefined) {
        Object.assign(result, measureSparsity(model.architecture, weights, pruning.method), prunedFileSizes(model.architecture, weights));
      }
      this.modelDone(result);
      done.push({ modelId: network.id, testAccuracy: accuracies.testAccuracy });
      if (phase.cacheKey !== undefined) {
        await storeTeacher(phase.cacheKey, weights, this.env);
      } else {
        this.env.emit({
          type: 'weights',
          model: {
            modelId: model.id, label: model.label, role: model.role, experimentName: this.plan.experimentName,
            spec: model.architecture, datasetId: this.plan.dataset.datasetId, weights,
            ...(accuracies.int8 ? { int8Activations: accuracies.int8.activations } : {}),
          },
        });
      }
    }
    this.env.emit({ type: 'phaseDone', phaseId: phase.id, kind: phase.kind, label: phase.label, models: done, fromCache: false });
    await this.evaluateEnsembles();
    this.callbacks.phaseDone();
    if (phase.kind === 'baseline') for (const id of phase.trains) this.release(id);
    return true;
  }

  dispose(): void {
    this.pruner?.dispose();
    this.pruner = null;
    for (const module of this.lossModules.values()) module.dispose();
    this.lossModules.clear();
    for (const optimizer of this.ownOptimizers.values()) optimizer.dispose();
    this.ownOptimizers.clear();
    for (const adapter of this.adapters.values()) adapter.dispose();
    for (const model of this.networks.values()) model.dispose();
    this.adapters.clear();
    this.networks.clear();
    if (this.probeInputs) tf.dispose([this.probeInputs.batch.xs, this.probeInputs.batch.ys]);
    this.probeInputs = null;
  }

  private build(model: ModelPlan): TrainedNetwork {
    let built = this.networks.get(model.id);
    if (!built) {
      built = buildModel(model.architecture, { taps: model.taps, seed: model.seed });
      this.networks.set(model.id, built);
    }
    return { id: model.id, model: built, taps: model.taps, spec: model.architecture };
  }

  private release(modelId: string): void {
    this.networks.get(modelId)?.dispose();
    this.networks.delete(modelId);
  }

  /** A teacher from the cache or the shipped teachers: evaluated, reported, not trained. Null on a miss. */
  private async restore(phase: PhasePlan, network: TrainedNetwork): Promise<boolean | null> {
    const { emit, control } = this.env;
    const restored = await restoreTeacher(network.model, network.spec, phase.cacheKey as string, this.env, phase.importedFile !== undefined);
    if (!restored) return null;
    this.progress.drop(phase.id);
    emit(phase.importedFile !== undefined
      ? { type: 'log', detail: { code: 'teacherImported', phase: phase.label, file: phase.importedFile },
        message: `${phase.label} restored from the imported ONNX file ${phase.importedFile} (converted weights in this browser): not trained.` }
      : restored.pretrained
      ? { type: 'log', detail: { code: 'teacherShipped', phase: phase.label },
        message: `${phase.label} loaded from the pretrained teachers shipped with the studio (this preset's recipe, same architecture, data and seed): not retrained.` }
      : { type: 'log', detail: { code: 'teacherCached', phase: phase.label },
        message: `${phase.label} restored from the cache (same architecture, data and seed): not retrained.` });
    const shouldStop = (): boolean => control.stopRequested;
    const data = this.dataOf(phase);
    const accuracies: ModelOutcome = {
      trainAccuracy: await evaluateAccuracy(network.model, data.train, data.info, { limit: CACHED_TEACHER_TRAIN_EVAL_LIMIT, shouldStop }),
      validationAccuracy: await evaluateAccuracy(network.model, data.validation, data.info, { shouldStop }),
      testAccuracy: await evaluateAccuracy(network.model, data.test, data.info, { shouldStop }),
    };
    if (control.stopRequested) return false;
    const model = modelPlan(this.plan, network.id);
    const epochs = phase.stages.reduce((sum, stage) => sum + stage.settings.epochs, 0);
    this.modelDone(await this.result(network, model, accuracies, { epochs, trainingSeconds: 0 }, { fromCache: true, pretrained: restored.pretrained }));
    emit({ type: 'phaseDone', phaseId: phase.id, kind: phase.kind, label: phase.label, models: [{ modelId: model.id, testAccuracy: accuracies.testAccuracy }], fromCache: true });
    await this.evaluateEnsembles();
    this.callbacks.phaseDone();
    return true;
  }

  private modelDone(result: ModelResult): void {
    this.finished.add(result.modelId);
    this.callbacks.modelDone(result);
  }

  /** Each ensemble whose members have all finished, evaluated once (its members stay built until dispose). */
  private async evaluateEnsembles(): Promise<void> {
    for (const ensemble of this.plan.ensembles) {
      if (this.evaluatedEnsembles.has(ensemble.id) || !ensemble.members.every((id) => this.finished.has(id))) continue;
      const members = ensemble.members.map((id) => this.networks.get(id) as tf.LayersModel);
      const params = ensemble.members.reduce((sum, id) => sum + summarizeArchitecture(modelPlan(this.plan, id).architecture).params, 0);
      const result = await evaluateEnsemble(ensemble, members, params, this.data, () => this.env.control.stopRequested);
      if (result === null) return;
      this.evaluatedEnsembles.add(ensemble.id);
      const memberLabels = ensemble.members.map((id) => modelPlan(this.plan, id).label);
      this.env.emit({
        type: 'log', detail: { code: 'ensembleAccuracy', ensemble: ensemble.label, testAccuracy: result.testAccuracy, members: memberLabels },
        message: `Ensemble "${ensemble.label}": test accuracy ${(result.testAccuracy * 100).toFixed(2)}% (the average of ${memberLabels.join(', ')}).`,
      });
      this.callbacks.ensembleDone(result);
    }
  }

  private async result(
    network: TrainedNetwork, model: ModelPlan, accuracies: ModelOutcome, training: { epochs: number; trainingSeconds: number },
    cache?: { fromCache: boolean; pretrained: boolean },
  ): Promise<ModelResult> {
    return modelResult(model, summarizeArchitecture(model.architecture), {
      ...accuracies,
      ...training,
      inferenceMsPerSample: await measureInferenceMs(network.model, this.data.test, this.data.info, this.env.now),
      seed: model.seed,
      fromCache: cache?.fromCache ?? (model.role === 'teacher' ? false : undefined),
      pretrained: cache?.pretrained,
      ...(accuracies.int8 ? { int8Method: accuracies.int8.method, int8TestAccuracy: accuracies.int8.testAccuracy, int8Bytes: accuracies.int8.bytes } : {}),
    });
  }

  private phaseNetworks(phase: PhasePlan): Map<string, Network> {
    const networks = new Map<string, Network>();
    for (const id of [...phase.frozen, ...phase.trains]) {
      networks.set(id, { model: this.networks.get(id) as tf.LayersModel, taps: modelPlan(this.plan, id).taps });
    }
    return networks;
  }

  /** Adapters of the models this phase trains, built once (seeded just above their model's seed). */
  private phaseAdapters(phase: PhasePlan): Map<string, Adapter> {
    const adapters = new Map<string, Adapter>();
    this.plan.adapters.forEach((adapterPlan, index) => {
      if (!phase.trains.includes(adapterPlan.modelId)) return;
      let adapter = this.adapters.get(adapterPlan.id);
      if (!adapter) {
        adapter = buildAdapter(adapterPlan, modelPlan(this.plan, adapterPlan.modelId).seed + 1 + index);
        this.adapters.set(adapterPlan.id, adapter);
      }
      adapters.set(adapterPlan.id, adapter);
    });
    return adapters;
  }

  /** The learned parts of a loss, built once from the plan's shapes and seeded from the first model the phase trains. */
  private lossModule(phase: PhasePlan, term: LossTermPlan): LossModule | undefined {
    const definition = getLoss(term.lossId);
    if (definition.createModule === undefined) return undefined;
    let module = this.lossModules.get(term.nodeId);
    if (!module) {
      if (term.moduleShapes === undefined) throw new RunError('invalid-plan', `The loss '${term.label}' has learned parts but the plan gives no input shapes: recompile the experiment.`);
      const seed = layerSeed(modelPlan(this.plan, phase.trains[0]).seed, LOSS_MODULE_SEED_OFFSET + this.lossModules.size);
      const { train } = this.dataOf(phase);
      module = definition.createModule(term.moduleShapes, term.params, seed, { trainCount: train.count, trainLabels: train.labels });
      this.lossModules.set(term.nodeId, module);
    }
    return module;
  }

  /** Adam (default moments) for a module's own objective; its step size is the module's. */
  private ownOptimizer(lossNodeId: string): TrainingOptimizer {
    let optimizer = this.ownOptimizers.get(lossNodeId);
    if (!optimizer) {
      optimizer = createOptimizer({ optimizer: 'adam', momentum: 0 });
      this.ownOptimizers.set(lossNodeId, optimizer);
    }
    return optimizer;
  }

  /**
   * The live views of a phase: every network it runs, teachers first. A baseline stands in for its
   * student beside the student's teachers (when they are loaded), so the same maps compare both.
   * Null when there is nothing to compare (a teacher alone, or a baseline whose teachers did not run).
   */
  private snapshotter(phase: PhasePlan): ((step: number) => Promise<void>) | null {
    if (this.plan.probes.count <= 0 || phase.kind === 'teacher') return null;
    let ids = [...phase.frozen, ...phase.trains];
    let probes: ProbePlan = this.plan.probes;
    const baselineOf = phase.kind === 'baseline' ? modelPlan(this.plan, phase.trains[0]).baselineOf : undefined;
    if (baselineOf !== undefined) {
      const teachers = (phaseTraining(this.plan, baselineOf)?.teachers[baselineOf] ?? []).filter((id) => this.networks.has(id));
      ids = [...teachers, ...phase.trains];
      probes = substituteModel(probes, baselineOf, phase.trains[0]);
    }
    if (ids.length < 2) return null;
    const networks: ProbeNetwork[] = ids.map((id) => {
      const model = modelPlan(this.plan, id);
      return { id, label: model.label, role: model.role, model: this.networks.get(id) as tf.LayersModel, taps: model.taps };
    });
    const inputs = this.probeBatch();
    return async (step) => {
      this.env.emit(await captureProbeSnapshot(networks, probes, inputs.batch, inputs.images, this.data.info.shape, { phaseId: phase.id, kind: phase.kind }, step));
    };
  }

  private probeBatch(): ProbeInputs {
    if (!this.probeInputs) {
      const { test, info } = this.data;
      const batch = probeBatch(test, info, Math.min(this.plan.probes.count, test.count));
      this.probeInputs = { batch, images: probeImages(test, batch.indices, info.shape) };
    }
    return this.probeInputs;
  }
}

/** The probe plan with one model read in place of another (a baseline in place of its student), in every kind of probe. */
function substituteModel(probes: ProbePlan, from: string, to: string): ProbePlan {
  const swap = <P extends { teacher: { model: string }; student: { model: string } }>(probe: P): P => ({
    ...probe,
    teacher: { ...probe.teacher, model: probe.teacher.model === from ? to : probe.teacher.model },
    student: { ...probe.student, model: probe.student.model === from ? to : probe.student.model },
  });
  return { ...probes, attention: probes.attention.map(swap), fsp: probes.fsp.map(swap), relations: probes.relations.map(swap) };
}
