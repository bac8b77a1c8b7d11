/**
 * The command-line grammar the Node tools share: `--flag value` or `--flag=value`, each flag handled
 * by its parser, everything else positional; `--help` throws the usage, and unknown or value-less
 * flags throw it with the reason.
 */

export type OptionParsers<O> = Record<string, (options: O, value: string, flag: string) => void>;

/** Applies every flag to `options` and returns the positional arguments. */
export function parseFlags<O>(argv: readonly string[], options: O, parsers: OptionParsers<O>, usage: string): string[] {
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') throw new Error(usage);
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [flag, inline] = arg.split('=', 2);
    const parse = parsers[flag];
    if (!parse) throw new Error(`Unknown option '${flag}'.\n${usage}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value.\n${usage}`);
    parse(options, value, flag);
  }
  return positional;
}
