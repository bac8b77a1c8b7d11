import { inflateRawSync } from 'node:zlib';
import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildPresetExperiment, presetIndex } from './presetExperiments';
import { decodeShareCode, encodeShareCode, MAX_SHARE_CODE_CHARS, ShareCodeError } from './shareCode';
import { ExperimentFileError, serializeExperiment } from './serialize';

const hinton = buildPresetExperiment('hinton-mnist.json');

function base64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

describe('share codes', () => {
  it('round-trip every preset to the same experiment file, byte for byte', () => {
    for (const { file } of presetIndex) {
      const experiment = buildPresetExperiment(file);
      const code = encodeShareCode(experiment);
      expect(code).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
      expect(serializeExperiment(decodeShareCode(code))).toBe(serializeExperiment(experiment));
    }
  });

  it('are the deflated file in base64url behind a version prefix (readable by any zlib)', () => {
    const code = encodeShareCode(hinton);
    const inflated = Buffer.from(code.slice(3), 'base64url');
    expect(inflateRawSync(inflated).toString('utf8')).toBe(serializeExperiment(hinton));
    // The default experiment is a short link: a few hundred bytes of the 5.7 kB file.
    expect(code.length).toBeLessThan(serializeExperiment(hinton).length / 3);
  });

  it('refuse an experiment too big for a link, and say to share the file', () => {
    // Text that does not compress: characters from a seeded linear congruential generator.
    let state = 12_345;
    const noise = Array.from({ length: 20_000 }, () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return String.fromCharCode(33 + (state % 90));
    }).join('');
    const huge = { ...hinton, description: noise };
    expect(() => encodeShareCode(huge)).toThrow(ShareCodeError);
    expect(() => encodeShareCode(huge)).toThrow(/more than the 16 k a link can carry reliably\. Use Save and share the experiment file instead\./);
  });

  it('reject a damaged, cut or foreign code with what to do, never a half-loaded graph', () => {
    const code = encodeShareCode(hinton);
    expect(() => decodeShareCode('v2.' + code.slice(3))).toThrow(/another version of the studio/);
    expect(() => decodeShareCode(code.slice(0, code.length / 2))).toThrow(/cut short or damaged/);
    expect(() => decodeShareCode(code + '%20')).toThrow(/damaged \(it holds characters/);
    expect(() => decodeShareCode('v1.' + 'A'.repeat(MAX_SHARE_CODE_CHARS))).toThrow(/longer than any the studio makes/);
  });

  it('pass a decompressed file through the experiment parser: a bad field names its path', () => {
    const broken = JSON.parse(serializeExperiment(hinton)) as { nodes: { params: Record<string, unknown> }[] };
    broken.nodes[0].params.trainSubset = 'lots';
    const code = 'v1.' + base64Url(deflateSync(strToU8(JSON.stringify(broken))));
    expect(() => decodeShareCode(code)).toThrow(ExperimentFileError);
    expect(() => decodeShareCode(code)).toThrow(/nodes\[0\]\.params\.trainSubset/);
  });
});
