import { describe, expect, it } from 'vitest';
import { createNode } from './factory';
import { validateGraph, type GraphProblem } from './validate';
import { baseGraph, TestGraph } from './testFixtures';
import { buildPresetExperiment } from './presetExperiments';

const errorsOf = (problems: GraphProblem[], nodeId: string | null): string[] =>
  problems.filter((problem) => problem.nodeId === nodeId && problem.severity === 'error').map((problem) => problem.message);
const warningsOf = (problems: GraphProblem[], nodeId: string | null): string[] =>
  problems.filter((problem) => problem.nodeId === nodeId && problem.severity === 'warning').map((problem) => problem.message);

const idleTeacher = '"Teacher" teaches nothing: connect its Logits (or a Guide on its Layers) to the teacher side of a loss ' +
  '(e.g. KD) that trains another network, or delete it.';
/** The base graph's teacher teaches nothing until a test connects it; most tests are about something else. */
const besidesIdleTeacher = (problems: GraphProblem[]): GraphProblem[] => problems.filter((problem) => problem.message !== idleTeacher);

describe('checkConnection refuses impossible connections with a reason', () => {
  it('accepts a valid connection', () => {
    const graph = baseGraph();
    graph.loss('kd', 'kd');
    expect(graph.refusal('teacher', 'logits', 'kd', 'teacherLogits')).toBeNull();
  });

  it('missing nodes and ports, self connections', () => {
    const graph = baseGraph();
    expect(graph.refusal('ghost', 'images', 'teacher', 'images')).toBe('The source node \'ghost\' does not exist.');
    expect(graph.refusal('dataset', 'pixels', 'teacher', 'images')).toBe('"Dataset" has no output \'pixels\'.');
    expect(graph.refusal('ce', 'loss', 'ce', 'logits')).toBe('A node cannot connect to itself.');
  });

  it('wrong port type', () => {
    const graph = baseGraph();
    graph.loss('kd', 'kd');
    graph.loss('at', 'at');
    expect(graph.refusal('student', 'layers', 'kd', 'studentLogits')).toBe(
      'A Layers output cannot feed a Logits input: connect it to a Layers input instead.');
    expect(graph.refusal('teacher', 'layers', 'at', 'guide')).toMatch(/^A model's Layers first go to a Guide \(teacher\) or Guided \(student\) node/);
    expect(graph.refusal('dataset', 'labels', 'trainer', 'losses')).toMatch(/^A Labels output cannot feed a Loss input/);
  });

  it('teacher layer into a guided node, teacher logits into a student port', () => {
    const graph = baseGraph();
    graph.add(createNode('guided', { id: 'guided' }));
    expect(graph.refusal('teacher', 'layers', 'guided', 'layers')).toBe(
      'Guided nodes pick a layer of a network that learns (a student, assistant or peer), but "Teacher" is a teacher: ' +
      'use a Guide node for a layer that teaches.');
    graph.loss('kd', 'kd');
    expect(graph.refusal('teacher', 'logits', 'kd', 'studentLogits')).toBe(
      '\'Student logits\' of "KD (soft targets)" takes the logits of the network that learns (a student, assistant or peer), ' +
      'but "Teacher" is a teacher.');
  });

  it('a second edge into a single port, and duplicates', () => {
    const graph = baseGraph();
    graph.add(createNode('dataset', { id: 'dataset2' }));
    expect(graph.refusal('dataset2', 'images', 'teacher', 'images')).toBe(
      '\'Images\' of "Teacher" takes one connection and already has one: delete it first.');
    expect(graph.refusal('dataset', 'images', 'student', 'images')).toBe('These two ports are already connected.');
  });

  it('stage cycles and a second next stage', () => {
    const graph = baseGraph();
    graph.add(createNode('trainer', { id: 'trainer2', label: 'Stage 2' }));
    graph.add(createNode('trainer', { id: 'trainer3', label: 'Stage 3' }));
    graph.add(createNode('trainer', { id: 'trainer4', label: 'Stage 4' }));
    graph.connect('trainer', 'next', 'trainer2', 'after');
    graph.connect('trainer2', 'next', 'trainer3', 'after');
    expect(graph.refusal('trainer3', 'next', 'trainer', 'after')).toBe(
      'This would make the stages loop: "Stage 3" already runs after "Trainer".');
    expect(graph.refusal('trainer', 'next', 'trainer4', 'after')).toBe(
      '\'Next\' of "Trainer" leads to one node and already does: delete that connection first.');
  });

  it('images of another shape than the model input', () => {
    const graph = baseGraph();
    const wide = graph.add(createNode('model', { id: 'wide', role: 'student', label: 'Wide' }));
    wide.params.architecture = { ...wide.params.architecture, inputShape: [32, 32, 3] };
    expect(graph.refusal('dataset', 'images', 'wide', 'images')).toBe(
      '"Wide" expects images [32, 32, 3] but the dataset gives [28, 28, 1]: change the model\'s input shape or pick another dataset.');
  });

  it('FSP pair of different spatial sizes, as soon as the second layer arrives', () => {
    const graph = baseGraph();
    graph.loss('fsp', 'fsp');
    graph.tap('guide', 'g-relu1', 'relu1'); // [28, 28, 4]
    graph.tap('guide', 'g-relu3', 'relu3'); // [14, 14, 8]
    graph.connect('g-relu1', 'feature', 'fsp', 'guide1');
    expect(graph.refusal('g-relu3', 'feature', 'fsp', 'guide2')).toBe(
      'The teacher\'s FSP layers \'guide1\' (28x28) and \'guide2\' (14x14) need the same H, W: pick two teacher layers of one spatial size.');
  });

  it('FSP pair with different channels', () => {
    const graph = baseGraph();
    graph.loss('fsp', 'fsp');
    graph.tap('guide', 'g-conv2', 'conv2'); // [28, 28, 6]
    graph.tap('guided', 's-relu1', 'relu1'); // [28, 28, 2]
    graph.tap('guided', 's-conv2', 'conv2'); // [28, 28, 6]
    graph.connect('g-conv2', 'feature', 'fsp', 'guide1');
    expect(graph.refusal('s-relu1', 'feature', 'fsp', 'guided1')).toMatch(/'guided1' has 2 channels, 'guide1' 6/);
    expect(graph.refusal('s-conv2', 'feature', 'fsp', 'guided1')).toBeNull();
  });

  it('attention maps of different sizes, unless resizing is on', () => {
    const graph = baseGraph();
    const at = graph.loss('at', 'at');
    graph.tap('guide', 'g-relu1', 'relu1'); // [28, 28, 4]
    graph.tap('guided', 's-conv3', 'conv3'); // [14, 14, 4]
    graph.connect('g-relu1', 'feature', 'at', 'guide');
    expect(graph.refusal('s-conv3', 'feature', 'at', 'guided')).toBe(
      'Attention maps differ in size (teacher 28x28, student 14x14): pick layers with equal H, W or set Resize to bilinear.');
    at.params.params.resize = 1;
    expect(graph.refusal('s-conv3', 'feature', 'at', 'guided')).toBeNull();
  });

  it('FitNet pairs that no adapter can join, and adapter none on different shapes', () => {
    const graph = baseGraph();
    graph.loss('hint', 'fitnet');
    graph.tap('guide', 'g-relu3', 'relu3'); // [14, 14, 8]
    const guided = graph.tap('guided', 's-relu1', 'relu1'); // [28, 28, 2]
    graph.connect('g-relu3', 'feature', 'hint', 'guide');
    expect(graph.refusal('s-relu1', 'feature', 'hint', 'guided')).toMatch(
      /^No adapter can map student \[28, 28, 2\], teacher \[14, 14, 8\]: convolutions keep H x W/);
    guided.params.layerId = 'conv3'; // [14, 14, 4]: a 1x1 convolution maps 4 -> 8 channels
    expect(graph.refusal('s-relu1', 'feature', 'hint', 'guided')).toBeNull();
    if (guided.kind === 'guided') guided.params.adapter = 'none';
    expect(graph.refusal('s-relu1', 'feature', 'hint', 'guided')).toBe(
      'Shapes differ (student [14, 14, 4], teacher [14, 14, 8]) and the adapter is \'none\': set the guided node\'s adapter to \'auto\'.');
  });
});

describe('validateGraph flags problems on the nodes', () => {
  it('the base graph is valid; its teacher only warns until it teaches', () => {
    const graph = baseGraph();
    expect(validateGraph(graph.file)).toEqual([{ nodeId: 'teacher', severity: 'warning', message: idleTeacher, detail: { code: 'teacherIdle' } }]);
    graph.kd('kd', 'teacher', 'student', 'trainer');
    expect(validateGraph(graph.file)).toEqual([]);
  });

  it('class-uniform batches: fine where k fits, a warning where B / k exceeds the classes or k fills the batch', () => {
    const graph = baseGraph();
    graph.kd('kd', 'teacher', 'student', 'trainer');
    const dataset = graph.node('dataset', 'dataset');
    dataset.params.sampler = { kind: 'classUniform', samplesPerClass: 8 };
    expect(validateGraph(graph.file)).toEqual([]);
    dataset.params.sampler.samplesPerClass = 4;
    expect(warningsOf(validateGraph(graph.file), 'dataset')).toEqual([
      'Class-uniform batches of 64 at 4 images per class need 16 classes but MNIST handwritten digits has 10: ' +
      'each holds all 10 classes with 6-7 images each. For 4 per class, use batches of at most 40; or use at least 7 images per class.',
    ]);
    // The teacher's own training batch counts too.
    graph.node('teacher', 'model').params.teacherTraining!.batchSize = 32;
    dataset.params.sampler.samplesPerClass = 32;
    expect(warningsOf(validateGraph(graph.file), 'dataset')).toEqual([
      'Class-uniform batches of 32 at 32 images per class hold a single class, so each step sees one label: use fewer than 32 images per class.',
    ]);
    expect(errorsOf(validateGraph(graph.file), 'dataset')).toEqual([]);
  });

  it('missing dataset, network that learns and trainer (a teacher is not required)', () => {
    const problems = validateGraph(new TestGraph().file);
    expect(errorsOf(problems, null)).toEqual([
      'The experiment has no Dataset. Add a Dataset node and connect its Images to every model.',
      'The experiment has no network that learns. Add a Student (or an Assistant, or two Peers) and connect the dataset\'s Images to it.',
      'The experiment has no Trainer. Add one and connect the losses (e.g. Cross-entropy and KD) to it.',
    ]);
  });

  it('unconnected required loss ports, and a loss in no trainer', () => {
    const graph = baseGraph();
    graph.loss('kd', 'kd');
    graph.connect('student', 'logits', 'kd', 'studentLogits');
    const problems = validateGraph(graph.file);
    expect(errorsOf(problems, 'kd')).toEqual(['Connect \'Teacher logits\' of "KD (soft targets)" (logits from a teacher, assistant or peer).']);
    expect(warningsOf(problems, 'kd')).toEqual([
      '"KD (soft targets)" is in no trainer, so it has no effect: connect its Loss output to a Trainer.']);
  });

  it('a guided layer needing an adapter while its adapter is none', () => {
    const graph = baseGraph();
    graph.loss('hint', 'fitnet');
    graph.connect('hint', 'loss', 'trainer', 'losses');
    graph.tap('guide', 'g-relu3', 'relu3');
    const guided = graph.tap('guided', 's-conv3', 'conv3');
    graph.connect('g-relu3', 'feature', 'hint', 'guide');
    graph.connect('s-conv3', 'feature', 'hint', 'guided');
    expect(validateGraph(graph.file)).toEqual([]);
    if (guided.kind === 'guided') guided.params.adapter = 'none';
    expect(errorsOf(validateGraph(graph.file), 's-conv3')).toEqual([
      'Shapes differ (student [14, 14, 4], teacher [14, 14, 8]) and the adapter is \'none\': set the guided node\'s adapter to \'auto\'.']);
  });

  it('unknown and unchosen layer ids, unused taps', () => {
    const graph = baseGraph();
    graph.tap('guide', 'g', 'nope');
    graph.add(createNode('guided', { id: 'h' }));
    graph.connect('student', 'layers', 'h', 'layers');
    const problems = validateGraph(graph.file);
    expect(errorsOf(problems, 'g')).toEqual([
      '"Teacher" has no layer \'nope\': choose one of conv1, relu1, conv2, pool1, conv3, relu3, flatten, fc, logits.']);
    expect(warningsOf(problems, 'g')).toEqual(['"Guide" feeds no loss: connect its Feature to a loss block or delete it.']);
    expect(errorsOf(problems, 'h')).toEqual(['Choose a layer of "Student" for "Guided" in the inspector.']);
    graph.add(createNode('guide', { id: 'unfed' }));
    graph.add(createNode('guided', { id: 'unfed2' }));
    const unfed = validateGraph(graph.file);
    expect(errorsOf(unfed, 'unfed')).toEqual(['Connect the Layers of a network that teaches (a teacher, assistant or peer) to "Guide".']);
    expect(errorsOf(unfed, 'unfed2')).toEqual(['Connect the Layers of a network that learns (a student, assistant or peer) to "Guided".']);
  });

  it('an architecture error of a model, and logits that do not match the classes', () => {
    const graph = baseGraph();
    const teacher = graph.file.nodes.find((node) => node.id === 'teacher');
    const student = graph.file.nodes.find((node) => node.id === 'student');
    if (teacher?.kind !== 'model' || student?.kind !== 'model') throw new Error('fixture');
    teacher.params.architecture.layers.push({ kind: 'relu', id: 'tail' });
    student.params.architecture.layers[student.params.architecture.layers.length - 1] = { kind: 'dense', id: 'logits', units: 7 };
    const problems = validateGraph(graph.file);
    expect(errorsOf(problems, 'teacher')).toEqual([
      '"Teacher": The last layer \'tail\' is a relu layer, but the output must be logits: end with a dense layer with one unit per class.']);
    expect(errorsOf(problems, 'student')).toEqual([
      'The last layer of "Student" has 7 units but MNIST handwritten digits has 10 classes: set its units to 10.']);
  });

  it('loss shape reasons and edges broken after they were drawn', () => {
    const graph = baseGraph();
    graph.loss('at', 'at');
    graph.connect('at', 'loss', 'trainer', 'losses');
    graph.tap('guide', 'g-relu1', 'relu1');
    graph.tap('guided', 's-conv3', 'conv3');
    graph.connect('g-relu1', 'feature', 'at', 'guide');
    graph.force('s-conv3', 'feature', 'at', 'guided');
    graph.add(createNode('guided', { id: 'wrong-side' }));
    graph.force('teacher', 'layers', 'wrong-side', 'layers');
    const problems = validateGraph(graph.file);
    expect(errorsOf(problems, 'at')).toEqual([
      'Attention maps differ in size (teacher 28x28, student 14x14): pick layers with equal H, W or set Resize to bilinear.']);
    expect(errorsOf(problems, 'wrong-side')).toContain(
      'Guided nodes pick a layer of a network that learns (a student, assistant or peer), but "Teacher" is a teacher: ' +
      'use a Guide node for a layer that teaches.');
  });

  it('trainers without losses and stage cycles; separate sequences of stages are fine', () => {
    const graph = baseGraph();
    graph.add(createNode('trainer', { id: 'lonely', label: 'Lonely' }));
    let problems = validateGraph(graph.file);
    expect(errorsOf(problems, 'lonely')).toEqual([
      '"Lonely" has no losses: connect at least one (e.g. Cross-entropy) to its Losses input.',
    ]);
    expect(errorsOf(problems, 'trainer')).toEqual([]);

    graph.add(createNode('trainer', { id: 'a', label: 'A' }));
    graph.add(createNode('trainer', { id: 'b', label: 'B' }));
    graph.force('a', 'next', 'b', 'after');
    graph.force('b', 'next', 'a', 'after');
    problems = validateGraph(graph.file);
    expect(errorsOf(problems, 'a')).toContain('The stages loop back on "A": remove one Next -> After connection.');
    expect(errorsOf(problems, 'b')).toContain('The stages loop back on "B": remove one Next -> After connection.');
  });

  it('train-up-to names a layer of the network the stage trains; schedules name losses of the stage', () => {
    const graph = baseGraph();
    const trainer = graph.file.nodes.find((node) => node.id === 'trainer');
    if (trainer?.kind !== 'trainer') throw new Error('fixture');
    trainer.params.trainUpTo = 'relu3';
    trainer.params.weightSchedules = { ghost: { kind: 'constant' }, ce: { kind: 'stepToZero', atEpoch: 10 } };
    const problems = validateGraph(graph.file);
    expect(errorsOf(problems, 'trainer')).toEqual([
      '\'Train up to\' names \'relu3\', which is not a layer of "Student" (the network this stage trains): pick one of its layers or clear it.']);
    expect(warningsOf(problems, 'trainer')).toEqual([
      'The weight schedule for \'ghost\' is ignored: that node is not a loss of this stage. Remove the schedule.',
      'The schedule of \'ce\' stops at epoch 10, after the stage\'s 3 epochs: it never takes effect. Lower atEpoch.',
    ]);
    trainer.params.weightSchedules = { ce: { kind: 'linearWarmup', epochs: 5 } };
    expect(warningsOf(validateGraph(graph.file), 'trainer')).toEqual([
      'The warm-up of \'ce\' lasts 5 epochs, longer than the stage\'s 3: the term never reaches its full weight. Shorten the warm-up or lengthen the stage.',
    ]);
  });

  it('stages that would train nothing: all weights 0, every term cut by ESKD, train-up-to before any weight', () => {
    const graph = baseGraph();
    const trainer = graph.node('trainer', 'trainer');
    const ce = graph.node('ce', 'loss');
    const student = graph.node('student', 'model');
    ce.params.weight = 0;
    expect(errorsOf(validateGraph(graph.file), 'trainer')).toEqual([
      'Every loss of "Trainer" weighs 0, so the stage would train nothing: give one of them a weight other than 0.']);

    ce.params.weight = 1;
    trainer.params.weightSchedules = { ce: { kind: 'stepToZero', atEpoch: 2 } };
    expect(errorsOf(validateGraph(graph.file), 'trainer')).toEqual([
      'From epoch 3 every loss of "Trainer" is cut to 0 by its schedule, so those epochs would train nothing: ' +
      'keep one loss constant (e.g. Cross-entropy) or lower the stage\'s epochs to 2.']);
    trainer.params.weightSchedules = { ce: { kind: 'stepToZero', atEpoch: 3 } };
    expect(errorsOf(validateGraph(graph.file), 'trainer')).toEqual([]);

    trainer.params.weightSchedules = {};
    student.params.architecture.layers.unshift({ kind: 'maxPool', id: 'pool0', poolSize: 2, strides: 2, padding: 'valid' });
    trainer.params.trainUpTo = 'pool0';
    expect(errorsOf(validateGraph(graph.file), 'trainer')).toEqual([
      '\'Train up to\' stops at \'pool0\', before the first layer with weights of "Student", so the stage would ' +
      'train nothing: pick a later layer or clear it.']);
    trainer.params.trainUpTo = 'conv1';
    expect(besidesIdleTeacher(validateGraph(graph.file))).toEqual([]);
  });

  it('relational losses need every batch of an epoch, the last one included, to hold enough samples', () => {
    const graph = baseGraph();
    const rkd = graph.pairLoss('rkd', 'rkd', 'fc', 'fc');
    const dataset = graph.node('dataset', 'dataset');
    const trainer = graph.node('trainer', 'trainer');
    trainer.params.batchSize = 64;
    dataset.params.trainSubset = 1_025;
    expect(errorsOf(validateGraph(graph.file), 'trainer')).toEqual([
      '"RKD (distance + angle)" compares samples within a batch and needs at least 3, but 1025 training images ' +
      'at batch size 64 leave a batch of 1: change the batch size or the training subset.']);
    // Distance alone needs pairs, and a last batch of 2 has one.
    rkd.params.params.angleWeight = 0;
    dataset.params.trainSubset = 1_026;
    expect(errorsOf(validateGraph(graph.file), 'trainer')).toEqual([]);
    rkd.params.params.angleWeight = 50;
    expect(errorsOf(validateGraph(graph.file), 'trainer')).toHaveLength(1);
    dataset.params.trainSubset = 1_024;
    expect(errorsOf(validateGraph(graph.file), 'trainer')).toEqual([]);
    // All training images (60,000 minus the validation split) at batch 2: every batch holds 2.
    dataset.params.trainSubset = null;
    trainer.params.batchSize = 2;
    expect(errorsOf(validateGraph(graph.file), 'trainer')).toEqual([
      '"RKD (distance + angle)" compares samples within a batch and needs at least 3, but ' +
      `${60_000 - dataset.params.validationSize} training images at batch size 2 leave a batch of 2: ` +
      'change the batch size or the training subset.']);
  });

  it('a test subset larger than the test set is an error (the loader refuses it)', () => {
    const graph = baseGraph();
    const dataset = graph.node('dataset', 'dataset');
    dataset.params.testSubset = 10_001;
    expect(errorsOf(validateGraph(graph.file), 'dataset')).toEqual([
      'MNIST handwritten digits has 10000 test images: set the test subset to at most 10000, or clear it to use all of them.']);
    dataset.params.testSubset = 10_000;
    expect(besidesIdleTeacher(validateGraph(graph.file))).toEqual([]);
  });

  it('a second teacher is allowed; a second dataset and an unknown dataset are not', () => {
    const graph = baseGraph();
    graph.add(createNode('model', { id: 'teacher2', role: 'teacher', label: 'Other teacher' }));
    graph.add(createNode('dataset', { id: 'dataset2', label: 'Other data' }));
    const dataset = graph.node('dataset', 'dataset');
    dataset.params.datasetId = 'cifar-1000';
    const problems = validateGraph(graph.file);
    expect(errorsOf(problems, 'teacher2')).toEqual(['Connect the dataset\'s Images to "Other teacher".']);
    expect(errorsOf(problems, 'dataset2')).toEqual([
      'Only one Dataset takes part in an experiment: delete "Other data" or the other one.']);
    expect(errorsOf(problems, 'dataset')).toEqual(['Unknown dataset \'cifar-1000\': choose one of mnist, fashion-mnist, cifar10.']);
  });
});

describe('losses that pre-train on their teacher side', () => {
  it('refuse a teacher side read from a network their own stage trains (FT on the student\'s own maps)', () => {
    const experiment = buildPresetExperiment('ft-mnist.json');
    expect(validateGraph(experiment)).toEqual([]);
    for (const node of experiment.nodes) {
      if (node.kind === 'guide') node.params.layerId = 'relu3';
      if (node.kind === 'guided') node.params.layerId = 'relu2';
    }
    for (const edge of experiment.edges) if (edge.target === 'guide-relu4') edge.source = 'student';
    expect(errorsOf(validateGraph(experiment), 'ft')).toEqual([
      '"FT (relu4 -> pool2)" first trains its learned parts on the teacher side alone, from a network its stage keeps frozen, but ' +
      '"CNN student" trains in that stage: feed its teacher side from a teacher, or from an assistant trained before.',
    ]);
  });
});
