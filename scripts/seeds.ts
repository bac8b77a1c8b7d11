import { readFile } from 'node:fs/promises';
import type { ExperimentResults } from '../src/results';
import { collectSeeds, formatSeedSummary } from './lib/seed-summary';
import { errorMessage } from '../src/errorMessage';

/**
 * `npm run seeds -- results-*.json`: the distillation gain over student seeds, as mean ± sd with
 * its 95 % interval and the count of seeds where the distilled student won, for test and
 * validation accuracy. A file holds one results object (`npm run experiment -- --out`) or an
 * array of them (the studio's "Download all seeds' results").
 */
async function main(): Promise<number> {
  const paths = process.argv.slice(2);
  if (paths.length === 0) {
    console.error('Usage: npm run seeds -- <results.json> [more results.json ...]  (files written by npm run experiment -- --out)');
    return 2;
  }
  const files = (await Promise.all(paths.map(async (name) => {
    const text = await readFile(name, 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`${name} is not a results JSON file: ${(error as Error).message}`, { cause: error });
    }
    return Array.isArray(parsed)
      ? parsed.map((results, index) => ({ name: `${name}[${index}]`, results: results as ExperimentResults }))
      : [{ name, results: parsed as ExperimentResults }];
  }))).flat();
  console.log(collectSeeds(files).map(formatSeedSummary).join('\n\n'));
  return 0;
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(errorMessage(error));
  process.exit(1);
});
