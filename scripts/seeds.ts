import { readFile } from 'node:fs/promises';
import { readResultsFile } from '../src/resultsFile';
import { collectSeeds, formatSeedSummary } from './lib/seed-summary';
import { errorMessage } from '../src/errorMessage';

/**
 * `npm run seeds -- results-*.json`: the distillation gain over student seeds, as mean ± sd with
 * its 95 % interval and the count of seeds where the distilled model won, for test and validation
 * accuracy, one table per distilled model with a baseline. A file holds one results object
 * (`npm run experiment -- --out`) or an array of them (the studio's "Download all seeds'
 * results"), in the current format or the first one (read by src/resultsFile.ts).
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
    const entries = Array.isArray(parsed) ? parsed.map((json: unknown, index) => ({ name: `${name}[${index}]`, json })) : [{ name, json: parsed }];
    return entries.map((entry) => {
      try {
        return { name: entry.name, results: readResultsFile(entry.json) };
      } catch (error) {
        throw new Error(`${entry.name}: ${errorMessage(error)}`, { cause: error });
      }
    });
  }))).flat();
  console.log(collectSeeds(files).map(formatSeedSummary).join('\n\n'));
  return 0;
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(errorMessage(error));
  process.exit(1);
});
