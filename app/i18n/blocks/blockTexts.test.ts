import { describe, expect, it } from 'vitest';
import { lossRegistry } from '../../../src/losses/registry';
import { blockRegistry, portsOf } from '../../../src/graph/nodeKinds';
import { createNode } from '../../../src/graph/factory';
import { MODEL_ROLES, type NodeKind } from '../../../src/graph/schema';
import { fieldText, lossParamText, lossText, lossTextsZh, portLabel, registryFieldsWithZh, roleText, blockText } from './localizedBlocks';
import { blockPortTextsZh, roleTextsZh } from './nodeTextsZh';

/**
 * The Chinese tables must cover the registries in `src/`: a loss, a parameter, a port or a field
 * added there without a Chinese text fails here, naming what is missing.
 */
const CJK = /[\u4e00-\u9fff]/;
const chinese = (text: string | undefined): boolean => text !== undefined && CJK.test(text);

describe('Chinese texts of the loss registry', () => {
  it('cover every loss: label, summary, every input port and every parameter', () => {
    const missing: string[] = [];
    for (const loss of lossRegistry) {
      const zh = lossTextsZh[loss.id];
      if (zh === undefined) { missing.push(loss.id); continue; }
      if (!chinese(zh.label)) missing.push(`${loss.id} label`);
      if (!chinese(zh.summary)) missing.push(`${loss.id} summary`);
      for (const port of loss.ports) if (!chinese(zh.ports[port.name])) missing.push(`${loss.id} port ${port.name}`);
      for (const param of loss.params) {
        const text = zh.params[param.key];
        if (text === undefined) { missing.push(`${loss.id} param ${param.key}`); continue; }
        if (!chinese(text.description)) missing.push(`${loss.id} param ${param.key} description`);
        if (text.label.trim() === '') missing.push(`${loss.id} param ${param.key} label`);
        if (param.choices !== undefined && text.choices?.length !== param.choices.length) missing.push(`${loss.id} param ${param.key} choices`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('name nothing the registry does not have', () => {
    const ids = new Set(lossRegistry.map((loss) => loss.id));
    const stale = Object.entries(lossTextsZh).flatMap(([id, zh]) => {
      const loss = lossRegistry.find((l) => l.id === id);
      if (!ids.has(id) || loss === undefined) return [id];
      return [
        ...Object.keys(zh.params).filter((key) => !loss.params.some((p) => p.key === key)).map((key) => `${id} param ${key}`),
        ...Object.keys(zh.ports).filter((name) => !loss.ports.some((p) => p.name === name)).map((name) => `${id} port ${name}`),
      ];
    });
    expect(stale).toEqual([]);
  });

  it('are what the app shows in Chinese, and the registry texts in English', () => {
    const kd = lossRegistry.find((loss) => loss.id === 'kd')!;
    const temperature = kd.params.find((p) => p.key === 'T')!;
    expect(lossText(kd, 'zh')).toEqual({ label: 'KD（软目标）', summary: lossTextsZh.kd.summary });
    expect(lossText(kd, 'en')).toEqual({ label: kd.label, summary: kd.summary });
    expect(lossParamText(kd, temperature, 'zh').label).toBe('温度 T');
    expect(lossParamText(kd, temperature, 'en').label).toBe(temperature.label);
  });
});

describe('Chinese texts of the block registry', () => {
  it('cover every block kind and role', () => {
    for (const kind of Object.keys(blockRegistry) as Exclude<NodeKind, 'loss'>[]) {
      expect(chinese(blockText(kind, 'zh').label), kind).toBe(true);
      expect(chinese(blockText(kind, 'zh').description), kind).toBe(true);
    }
    for (const role of MODEL_ROLES) {
      expect(chinese(roleTextsZh[role].label), role).toBe(true);
      expect(roleText(role, 'zh')).not.toEqual(roleText(role, 'en'));
    }
  });

  it('cover every inspector field', () => {
    const fields = registryFieldsWithZh();
    expect(fields.length).toBeGreaterThan(15);
    const missing = fields.filter(({ zh }) => zh === undefined || !chinese(zh.label + zh.description)).map(({ def }) => def.key);
    expect(missing).toEqual([]);
    for (const { def, zh } of fields) {
      expect(fieldText(def, 'zh')).toEqual(zh);
      expect(fieldText(def, 'en')).toEqual({ label: def.label, description: def.description });
    }
  });

  it('cover every port of every kind of node, loss blocks included', () => {
    const nodes = [
      ...(Object.keys(blockRegistry) as Exclude<NodeKind, 'loss'>[]).filter((kind) => kind !== 'model').map((kind) => createNode(kind)),
      ...MODEL_ROLES.map((role) => createNode('model', { role })),
      ...lossRegistry.map((loss) => createNode('loss', { lossId: loss.id })),
    ];
    const missing = nodes.flatMap((node) => portsOf(node)
      .filter((port) => !chinese(portLabel(node, port, 'zh')) && blockPortTextsZh[node.kind][port.name] === undefined)
      .map((port) => `${node.kind} ${node.id} ${port.direction} ${port.name}`));
    expect(missing).toEqual([]);
  });
});
