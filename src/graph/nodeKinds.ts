import type { GraphNode, GuidedParams, ModelRole, NodeKind, NodeOf } from './schema';
import { MODEL_ROLES } from './schema';
import { getLoss } from '../losses/registry';

/**
 * The block registry for every node kind except losses (loss blocks come from the loss registry).
 * The palette, the inspector forms, the editor's handles, validation and parsing all read it.
 */

/** What flows along an edge. A connection joins an output and an input of the same type. */
export type PortType = 'images' | 'labels' | 'logits' | 'layers' | 'feature' | 'loss' | 'stage';
export type PortDirection = 'input' | 'output';
export type PortSide = 'teacher' | 'student';

export interface PortDef {
  name: string;
  label: string;
  type: PortType;
  direction: PortDirection;
  /** Accepts (input) or gives (output) more than one edge. */
  multiple?: boolean;
  /** Which network the tensor belongs to; a port with a side only joins ports of the same side. */
  side?: PortSide;
  /** An input that must be connected before the graph can run. */
  required?: boolean;
}

/** An inspector field for a scalar parameter; nested parameters have dedicated editors. */
export type FieldDef =
  | {
      key: string;
      label: string;
      kind: 'number';
      min: number;
      max: number;
      step: number;
      integer: boolean;
      /** null is allowed and means "all" or "none" (see the description). */
      nullable: boolean;
      description: string;
    }
  | { key: string; label: string; kind: 'choice'; choices: readonly string[]; description: string }
  | { key: string; label: string; kind: 'boolean'; description: string }
  | { key: string; label: string; kind: 'text'; nullable: boolean; description: string };

export interface BlockDefinition<K extends NodeKind> {
  kind: K;
  label: string;
  description: string;
  fields: readonly FieldDef[];
  ports(node: NodeOf<K>): PortDef[];
}

type NumberFieldDef = Extract<FieldDef, { kind: 'number' }>;

const int = (key: string, label: string, min: number, max: number, description: string, nullable = false): NumberFieldDef => ({
  key, label, kind: 'number', min, max, step: 1, integer: true, nullable, description,
});

export const trainerSettingFields: readonly FieldDef[] = [
  { key: 'optimizer', label: 'Optimiser', kind: 'choice', choices: ['sgd', 'adam'], description: 'SGD with momentum, or Adam.' },
  { key: 'learningRate', label: 'Learning rate', kind: 'number', min: 1e-6, max: 10, step: 1e-4, integer: false, nullable: false, description: 'Initial step size.' },
  { key: 'momentum', label: 'Momentum', kind: 'number', min: 0, max: 0.999, step: 0.01, integer: false, nullable: false, description: 'SGD momentum (Adam ignores it).' },
  int('epochs', 'Epochs', 1, 1000, 'Passes over the training subset.'),
  int('batchSize', 'Batch size', 1, 4096, 'Images per gradient step.'),
  int('seed', 'Seed', 0, 2 ** 31 - 1, 'Seeds weight initialisation, shuffling and augmentation.'),
];

/** TrainerSettings.weightDecay: optional, absent (an empty field) = 0. */
export const weightDecayField: NumberFieldDef = {
  key: 'weightDecay', label: 'Weight decay', kind: 'number', min: 0, max: 0.1, step: 1e-4, integer: false, nullable: true,
  description: "Coupled L2 on every weight, as PyTorch's weight_decay; empty = none. RepDistiller's CIFAR recipes use 5e-4.",
};

/** The largest random shift offered (dataset and teacher), in pixels. */
const MAX_AUGMENT_SHIFT = 8;

/** TeacherTraining.augmentShift: optional, and absent (an empty field) means the dataset's setting. */
export const teacherAugmentShiftField = int('augmentShift', 'Teacher random shift (px)', 0, MAX_AUGMENT_SHIFT,
  "Random translation for the teacher's own training only; empty = the dataset's setting. Hinton et al. " +
  'jitter the teacher by up to 2 px, then distil on the plain images.', true);

export const batchSamplerKinds = ['shuffled', 'classUniform'] as const;

/** k when class-uniform batches are switched on: the default batch of 64 then holds 8 of MNIST's 10 classes. */
export const DEFAULT_SAMPLES_PER_CLASS = 8;

/** Dataset.sampler.samplesPerClass, edited and read apart from the flat dataset fields. */
export const samplesPerClassField = int('samplesPerClass', 'Images per class', 1, 4096,
  'Class-uniform batches: k images from each of B / k random classes (all classes, evenly, when B / k is more than there are).');

export const datasetBlock: BlockDefinition<'dataset'> = {
  kind: 'dataset',
  label: 'Dataset',
  description: 'The images and labels: training subset, validation hold-out, test subset, augmentation, batch sampling and probe images.',
  fields: [
    { key: 'datasetId', label: 'Dataset', kind: 'text', nullable: false, description: 'Registered data set id (e.g. mnist).' },
    int('trainSubset', 'Training images', 1, 10_000_000, 'Use only the first N training images; empty = all.', true),
    int('validationSize', 'Validation images', 0, 1_000_000, 'Held out from the end of the training file.'),
    int('testSubset', 'Test images', 1, 10_000_000, 'Use only the first N test images; empty = all.', true),
    int('augmentShift', 'Random shift (px)', 0, MAX_AUGMENT_SHIFT, 'Random translation augmentation; 0 = off.'),
    int('probeCount', 'Probe images', 1, 64, 'Fixed test images shown in the soft-target and attention panels.'),
  ],
  ports: () => [
    { name: 'images', label: 'Images', type: 'images', direction: 'output', multiple: true },
    { name: 'labels', label: 'Labels', type: 'labels', direction: 'output', multiple: true },
  ],
};

/** How each role takes part, for the palette, the inspector and the node's header (`short` fits a select). */
export const modelRoleInfo: Record<ModelRole, { label: string; short: string; description: string }> = {
  teacher: { label: 'Teacher', short: 'teaches, frozen', description: 'Trained on labels first, then frozen while it teaches.' },
  assistant: {
    label: 'Assistant', short: 'learns, then teaches',
    description: 'Learns from a teacher, then teaches a smaller network (teacher-assistant chain).',
  },
  student: { label: 'Student', short: 'learns', description: 'Learns from the networks that teach it; compared with its label-only baseline.' },
  peer: {
    label: 'Peer', short: 'learns with other peers',
    description: 'Learns together with other peers in one trainer, each teaching the others (mutual learning).',
  },
};

/** The roles that can feed each side of a loss, for messages. */
export const rolesOfSide: Record<PortSide, string> = { teacher: 'a teacher, assistant or peer', student: 'a student, assistant or peer' };

/**
 * Teachers only teach and students only learn, so their outputs carry that side; assistants and
 * peers do both, so theirs carry none and may feed either side of a loss.
 */
export function modelPortSide(role: ModelRole): PortSide | undefined {
  if (role === 'teacher' || role === 'student') return role;
  return undefined;
}

export const modelBlock: BlockDefinition<'model'> = {
  kind: 'model',
  label: 'Model',
  description: 'A network given as a list of layers: a teacher, an assistant, a student or a peer.',
  fields: [{
    key: 'role', label: 'Role', kind: 'choice', choices: MODEL_ROLES,
    description: 'Teacher (trained first, then frozen), assistant (learns, then teaches), student (learns) or peer (learns with other peers).',
  }],
  ports: (node) => {
    const side = modelPortSide(node.params.role);
    const sided = side === undefined ? {} : { side };
    return [
      { name: 'images', label: 'Images', type: 'images', direction: 'input', required: true },
      { name: 'logits', label: 'Logits', type: 'logits', direction: 'output', multiple: true, ...sided },
      { name: 'layers', label: 'Layers', type: 'layers', direction: 'output', multiple: true, ...sided },
    ];
  },
};

export const guideBlock: BlockDefinition<'guide'> = {
  kind: 'guide',
  label: 'Guide',
  description: 'A layer of a network that teaches (teacher, assistant or peer) whose output teaches (the hint); ' +
    "a student's own deeper layer may teach its shallower ones (self-distillation).",
  fields: [{ key: 'layerId', label: 'Teaching layer', kind: 'text', nullable: false, description: 'The layer of the teaching network to tap.' }],
  ports: () => [
    { name: 'layers', label: 'Teacher', type: 'layers', direction: 'input', side: 'teacher', required: true },
    { name: 'feature', label: 'Feature', type: 'feature', direction: 'output', multiple: true, side: 'teacher' },
  ],
};

export const adapterKinds: readonly GuidedParams['adapter'][] = ['auto', 'none', 'conv1x1', 'conv3x3', 'dense'];

export const guidedBlock: BlockDefinition<'guided'> = {
  kind: 'guided',
  label: 'Guided',
  description: 'A layer of a network that learns (student, assistant or peer) from a guide; an adapter maps it to the ' +
    'guide\'s shape when a loss compares them element-wise.',
  fields: [
    { key: 'layerId', label: 'Learning layer', kind: 'text', nullable: false, description: 'The layer of the learning network to tap.' },
    {
      key: 'adapter', label: 'Adapter', kind: 'choice', choices: adapterKinds,
      description: 'auto: 1x1 convolution for maps with equal size and different channels, dense for vectors, none when shapes match.',
    },
  ],
  ports: () => [
    { name: 'layers', label: 'Student', type: 'layers', direction: 'input', side: 'student', required: true },
    { name: 'feature', label: 'Feature', type: 'feature', direction: 'output', multiple: true, side: 'student' },
  ],
};

export const headBlock: BlockDefinition<'head'> = {
  kind: 'head',
  label: 'Auxiliary classifier',
  description: 'A small classifier on a learning layer (global average pooling, then a dense layer to the classes): ' +
    'its logits learn from the labels and from the network\'s own final logits (self-distillation, "Be Your Own Teacher"). ' +
    'It trains with its network and is dropped at test time and on export.',
  fields: [],
  ports: () => [
    { name: 'feature', label: 'Feature', type: 'feature', direction: 'input', side: 'student', required: true },
    { name: 'logits', label: 'Logits', type: 'logits', direction: 'output', multiple: true, side: 'student' },
  ],
};

export const ensembleBlock: BlockDefinition<'ensemble'> = {
  kind: 'ensemble',
  label: 'Ensemble',
  // Furlanello et al. average the generations' probabilities, so a temperature acts on the average.
  description: 'The average of two or more trained networks\' class probabilities (born-again network ensembles): its Logits ' +
    '(log of the mean softmax) may teach on the teacher side of a loss, and its accuracy is reported as a result of its own. ' +
    'A KD block at T ≠ 1 softens the averaged distribution (softmax of its logits / T), not each member before averaging.',
  fields: [],
  ports: () => [
    { name: 'members', label: 'Members', type: 'logits', direction: 'input', multiple: true, required: true },
    // It never learns (its members do, in their own phases), so it feeds only the teacher side of a loss.
    { name: 'logits', label: 'Logits', type: 'logits', direction: 'output', multiple: true, side: 'teacher' },
  ],
};

export const trainerBlock: BlockDefinition<'trainer'> = {
  kind: 'trainer',
  label: 'Trainer',
  description: 'One training stage: optimiser, schedule, epochs and the losses it minimises. Chain trainers with next -> after to form stages.',
  fields: [{ key: 'stageName', label: 'Stage name', kind: 'text', nullable: false, description: 'Shown in progress and charts.' }, ...trainerSettingFields],
  ports: () => [
    { name: 'losses', label: 'Losses', type: 'loss', direction: 'input', multiple: true, required: true },
    { name: 'after', label: 'After', type: 'stage', direction: 'input' },
    { name: 'next', label: 'Next', type: 'stage', direction: 'output' },
  ],
};

export const exportBlock: BlockDefinition<'export'> = {
  kind: 'export',
  label: 'Export',
  description: 'Exports a trained network (student, assistant or peer) as ONNX or an Atlas (ATC) bundle.',
  fields: [
    { key: 'format', label: 'Format', kind: 'choice', choices: ['onnx', 'atc'], description: 'Plain ONNX, or ONNX plus the ATC conversion bundle.' },
    { key: 'socVersion', label: 'SoC version', kind: 'text', nullable: false, description: 'ATC --soc_version, e.g. Ascend310.' },
    { key: 'aipp', label: 'AIPP', kind: 'boolean', description: 'Let the Ascend pre-processing unit normalise images.' },
    int('batchSize', 'Batch size', 1, 1024, 'Fixed batch size of the exported graph.'),
    { key: 'softmaxOutput', label: 'Softmax output', kind: 'boolean', description: 'Append a softmax so the model outputs probabilities.' },
    int('opset', 'ONNX opset', 11, 13, 'ONNX operator set version: 11 by default; ATC in the CANN releases the Atlas 200DK supports reads 9 to 13.'),
  ],
  ports: () => [{ name: 'model', label: 'Network', type: 'layers', direction: 'input', side: 'student', required: true }],
};

/** Every non-loss block by kind. */
export const blockRegistry = {
  dataset: datasetBlock,
  model: modelBlock,
  guide: guideBlock,
  guided: guidedBlock,
  head: headBlock,
  ensemble: ensembleBlock,
  trainer: trainerBlock,
  export: exportBlock,
} as const satisfies { [K in Exclude<NodeKind, 'loss'>]: BlockDefinition<K> };

/** The ports of a node; a loss node's inputs come from its loss registry entry. */
export function portsOf(node: GraphNode): PortDef[] {
  switch (node.kind) {
    case 'loss': {
      const loss = getLoss(node.params.lossId);
      const inputs: PortDef[] = loss.ports.map((port) => ({
        name: port.name,
        label: port.label,
        type: port.type,
        direction: 'input',
        required: true,
        ...(port.side === 'data' ? {} : { side: port.side }),
      }));
      return [...inputs, { name: 'loss', label: 'Loss', type: 'loss', direction: 'output', multiple: true }];
    }
    case 'dataset': return datasetBlock.ports(node);
    case 'model': return modelBlock.ports(node);
    case 'guide': return guideBlock.ports(node);
    case 'guided': return guidedBlock.ports(node);
    case 'head': return headBlock.ports(node);
    case 'ensemble': return ensembleBlock.ports(node);
    case 'trainer': return trainerBlock.ports(node);
    case 'export': return exportBlock.ports(node);
  }
}

export function findPort(node: GraphNode, name: string, direction: PortDirection): PortDef | undefined {
  return portsOf(node).find((port) => port.name === name && port.direction === direction);
}

/** Human name of a node for messages: its label, else its kind. */
export function describeNode(node: GraphNode): string {
  return node.label.trim() !== '' ? `"${node.label}"` : `the ${node.kind} node`;
}
