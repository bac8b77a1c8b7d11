import type { KeptConv, SlimmedConv } from '../compress/slim';
import { EXPECTED_LOGITS_FILE, ONNX_FILE } from './bundleFacts';

/** What the bundle README says about a channel-pruned student whose pruned channels were removed. */
export interface SlimmedBundle {
  convs: SlimmedConv[];
  kept: KeptConv[];
  /** The dense (masked) ONNX's bytes, for the comparison. */
  denseBytes: number;
}

const KEPT_BECAUSE: Record<KeptConv['reason'], string> = {
  add: 'they reach a residual add, whose other input keeps those channels',
  concat: 'they reach a concat, whose channel positions the slimming does not shift',
  pad: 'they reach a -Infinity border padding, which does not keep 0',
  depthwise: "they reach a depthwise conv, whose bias or batch norm turns a zero channel into a constant",
  activation: 'they reach an activation that does not map 0 to 0 (sigmoid)',
  batchNorm: 'they reach a batch norm whose scale and shift are not 0 there',
  other: 'they reach a layer the slimming does not handle',
};

export function slimReadmeSection(slimmed: SlimmedBundle, slimBytes: number): string {
  const rows = slimmed.convs.map((conv) => `| \`${conv.layerId}\` | ${conv.channelsBefore} | ${conv.channelsAfter} |`);
  const kept = slimmed.kept.length === 0
    ? 'Every conv with pruned channels was slimmed.'
    : `Kept whole (their zeroed channels stay in the file): ${slimmed.kept
      .map((conv) => `\`${conv.layerId}\` (${conv.zeroChannels} zero channels; ${KEPT_BECAUSE[conv.reason]}: \`${conv.blockedBy}\`)`).join(', ')}.`;
  return `
## Channel pruning: the slimmed network

This student was channel-pruned, and \`${ONNX_FILE}\` is the **slimmed** network: each pruned output channel is
removed from its conv, from the batch norm after it and from the input channels of the layer that reads it, so ATC
converts a physically smaller model (${slimBytes} bytes of ONNX against ${slimmed.denseBytes} for the same network
with the zeroed channels kept). A pruned channel outputs exactly 0 (filter, bias, batch-norm scale and shift are 0),
so the logits are the pruned student's: the studio checked the slimmed ONNX with ONNX Runtime against the tfjs
student before building this bundle, and \`${EXPECTED_LOGITS_FILE}\` comes from this file.

| conv | channels trained | channels in this file |
|---|---|---|
${rows.join('\n')}

${kept}
`;
}
