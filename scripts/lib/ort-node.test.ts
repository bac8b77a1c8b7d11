import { describe, expect, it } from 'vitest';
import { u8s8MaySaturate } from './ort-node';

const cpuinfo = (flags: string): string => `processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\nflags\t\t: ${flags}\nbogomips\t: 4890.82\n`;

describe('whether ONNX Runtime\'s U8S8 kernels may saturate on this CPU', () => {
  it('says so for x86 with AVX2 and no VNNI, and not with AVX512-VNNI, AVX-VNNI, or off x86', () => {
    expect(u8s8MaySaturate(cpuinfo('fpu sse2 fma avx avx2 bmi2 sha_ni vaes'))).toBe(true);
    expect(u8s8MaySaturate(cpuinfo('fpu sse2 fma avx avx2 avx512f avx512bw avx512_vnni avx512_bf16'))).toBe(false);
    expect(u8s8MaySaturate(cpuinfo('fpu sse2 avx avx2 avx_vnni'))).toBe(false);
    // An Arm CPU's /proc/cpuinfo has "Features", not "flags"; without AVX2 there is no VPMADDUBSW path either.
    expect(u8s8MaySaturate('processor\t: 0\nFeatures\t: fp asimd asimddp\n')).toBe(false);
    expect(u8s8MaySaturate(cpuinfo('fpu sse2 sse4_2 avx'))).toBe(false);
    expect(u8s8MaySaturate('')).toBe(false);
  });
});
