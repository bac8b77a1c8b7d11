import { describe, expect, it } from 'vitest';
import { csvOf } from './chartExport';
import { lossTable } from './chartData';
import type { LossSeries } from '../store/runSlice';

describe('csvOf', () => {
  it('writes a header and rows, quoting what needs it (RFC 4180) and leaving missing values empty', () => {
    const csv = csvOf(
      [{ key: 'name', label: 'model, role' }, { key: 'value', label: 'loss' }],
      [{ name: 'KD "soft"', value: 0.125 }, { name: 'two\nlines', value: null }, { name: 'nan', value: Number.NaN }, { name: 'none' }],
    );
    expect(csv).toBe('"model, role",loss\r\n"KD ""soft""",0.125\r\n"two\nlines",\r\nnan,\r\nnone,\r\n');
  });

  it('keeps full precision', () => {
    expect(csvOf([{ key: 'x', label: 'x' }], [{ x: 1 / 3 }])).toBe('x\r\n0.3333333333333333\r\n');
  });
});

describe('lossTable', () => {
  const series = (phaseId: string, kind: LossSeries['kind'], terms: Record<string, number>[]): LossSeries => ({
    phaseId, kind, label: phaseId, stride: 1,
    points: terms.map((t, i) => ({ step: i + 1, epoch: 1, total: Object.values(t).reduce((a, b) => a + b, 0), terms: t, metrics: {} })),
  });

  it('lists every phase\'s steps, one column per term across phases, empty where a phase has no such term', () => {
    const table = lossTable({
      teacher: series('teacher', 'teacher', [{ 'ce:teacher': 2 }]),
      student: series('student', 'student', [{ ce: 0.5, kd: 1.5 }, { ce: 0.25, kd: 1 }]),
    }, (term) => `L(${term})`);
    expect(table.columns.map((column) => column.label)).toEqual(['phase', 'kind', 'step', 'epoch', 'total loss', 'L(ce:teacher)', 'L(ce)', 'L(kd)']);
    expect(csvOf(table.columns, table.rows)).toBe(
      'phase,kind,step,epoch,total loss,L(ce:teacher),L(ce),L(kd)\r\n' +
      'teacher,teacher,1,1,2,2,,\r\n' +
      'student,student,1,1,2,,0.5,1.5\r\n' +
      'student,student,2,1,1.25,,0.25,1\r\n');
  });
});
