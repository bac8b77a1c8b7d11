import { SCHEMA_VERSION, type ExperimentFile, type GraphEdge, type GraphNode, type NodeKind } from './schema';
import { findPort } from './nodeKinds';
import { paramReaders } from './readParams';
import { at, ExperimentFileError, fail, readArray, readChoice, readNumber, readObject, readRecord, readString } from './read';

export { ExperimentFileError } from './read';

/**
 * The experiment file on disk: parse (migrate, then check every field) and serialise.
 * A file either loads completely or is rejected with the path of its first problem.
 */

/** Upgrades a raw file from `from` to `from + 1`. It receives and returns plain JSON objects. */
export interface Migration {
  from: number;
  description: string;
  migrate(file: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Every schema change adds one entry here. Version 1 is the first published schema, so the table
 * is empty; the mechanism is tested with a synthetic table (serialize.test.ts).
 */
export const migrations: readonly Migration[] = [];

/** Applies migrations step by step until the file reaches SCHEMA_VERSION. */
export function migrateToCurrent(raw: Record<string, unknown>, table: readonly Migration[] = migrations): Record<string, unknown> {
  let file = raw;
  let version = readNumber(file.schemaVersion, 'schemaVersion', { integer: true });
  if (version > SCHEMA_VERSION) {
    fail('schemaVersion', { code: 'schemaTooNew', version, supported: SCHEMA_VERSION });
  }
  while (version < SCHEMA_VERSION) {
    const step = table.find((migration) => migration.from === version);
    if (step === undefined) {
      fail('schemaVersion', { code: 'schemaNoMigration', version, supported: SCHEMA_VERSION });
    }
    file = { ...step.migrate(structuredClone(file)), schemaVersion: version + 1 };
    version += 1;
  }
  return file;
}

const nodeKinds: readonly NodeKind[] = ['dataset', 'model', 'guide', 'guided', 'head', 'ensemble', 'loss', 'trainer', 'export'];

function readNode(value: unknown, path: string): GraphNode {
  const record = readObject(value, path, ['id', 'kind', 'label', 'position', 'params']);
  const kind = readChoice(record.kind, at(path, 'kind'), nodeKinds);
  const position = readObject(record.position, at(path, 'position'), ['x', 'y']);
  return {
    id: readString(record.id, at(path, 'id'), true),
    kind,
    label: readString(record.label, at(path, 'label')),
    position: { x: readNumber(position.x, at(at(path, 'position'), 'x')), y: readNumber(position.y, at(at(path, 'position'), 'y')) },
    params: paramReaders[kind](record.params, at(path, 'params')),
  } as GraphNode;
}

function readEdge(value: unknown, path: string, nodes: ReadonlyMap<string, GraphNode>): GraphEdge {
  const record = readObject(value, path, ['id', 'source', 'sourcePort', 'target', 'targetPort']);
  const edge: GraphEdge = {
    id: readString(record.id, at(path, 'id'), true),
    source: readString(record.source, at(path, 'source'), true),
    sourcePort: readString(record.sourcePort, at(path, 'sourcePort'), true),
    target: readString(record.target, at(path, 'target'), true),
    targetPort: readString(record.targetPort, at(path, 'targetPort'), true),
  };
  const ends = [
    { node: edge.source, port: edge.sourcePort, key: 'source', direction: 'output' },
    { node: edge.target, port: edge.targetPort, key: 'target', direction: 'input' },
  ] as const;
  for (const end of ends) {
    const node = nodes.get(end.node);
    if (node === undefined) fail(at(path, end.key), { code: 'unknownNode', node: end.node });
    if (findPort(node, end.port, end.direction) === undefined) {
      fail(at(path, `${end.key}Port`), { code: 'notAPort', port: end.port, direction: end.direction, kind: node.kind, node: node.id });
    }
  }
  return edge;
}

export interface ParseOptions {
  /** Replaces the built-in migration table (tests of the mechanism). */
  migrations?: readonly Migration[];
}

/** Parses an experiment file (JSON text or an already parsed value). Throws ExperimentFileError. */
export function parseExperiment(input: string | unknown, options: ParseOptions = {}): ExperimentFile {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new ExperimentFileError('', { code: 'invalidJson', error: (error as Error).message });
    }
  }
  // Older versions may have other fields: only the version is read before migrating.
  const head = readRecord(value, '');
  if (!('schemaVersion' in head)) fail('schemaVersion', { code: 'noSchemaVersion' });
  const migrated = migrateToCurrent(head, options.migrations);
  const record = readObject(migrated, '', ['schemaVersion', 'name', 'description', 'nodes', 'edges']);

  const nodes = readArray(record.nodes, 'nodes').map((node, i) => readNode(node, at('nodes', i)));
  const byId = new Map<string, GraphNode>();
  nodes.forEach((node, i) => {
    if (byId.has(node.id)) fail(at(at('nodes', i), 'id'), { code: 'duplicateNodeId', id: node.id });
    byId.set(node.id, node);
  });

  const edgeIds = new Set<string>();
  const edges = readArray(record.edges, 'edges').map((edge, i) => {
    const parsed = readEdge(edge, at('edges', i), byId);
    if (edgeIds.has(parsed.id)) fail(at(at('edges', i), 'id'), { code: 'duplicateEdgeId', id: parsed.id });
    edgeIds.add(parsed.id);
    return parsed;
  });

  return {
    schemaVersion: SCHEMA_VERSION,
    name: readString(record.name, 'name'),
    description: readString(record.description, 'description'),
    nodes,
    edges,
  };
}

/**
 * Pretty JSON with a fixed key order. The file goes through parseExperiment first, so whatever is
 * written can be opened again (it throws ExperimentFileError otherwise).
 */
export function serializeExperiment(file: ExperimentFile): string {
  return `${JSON.stringify(parseExperiment(file), null, 2)}\n`;
}
