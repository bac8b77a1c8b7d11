#!/usr/bin/env node
// Brings a fresh clone to a runnable state before `npm start` and `npm test`:
// installs dependencies when missing or stale, prepares the dataset assets, and (for tests)
// checks that a Chromium is available. Plain Node with no dependencies, because it runs
// before node_modules exists.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const forTests = process.argv.includes('--tests');

function run(command) {
  console.log(`[setup] ${command}`);
  execSync(command, { cwd: root, stdio: 'inherit', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
}

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  console.error(`[setup] Node ${process.versions.node} is too old: the studio needs Node 20 or newer.`);
  process.exit(1);
}

const installedMarker = join(root, 'node_modules', '.package-lock.json');
const lockFile = join(root, 'package-lock.json');
const stale = !existsSync(installedMarker) || statSync(installedMarker).mtimeMs < statSync(lockFile).mtimeMs;
if (stale) run('npm ci --no-audit --no-fund');

// MNIST and Fashion-MNIST always; the tests also read CIFAR-10, which is fetched (139 MB) on first use.
run(`npx tsx scripts/prepare-data.ts --if-missing${forTests ? ' mnist fashion-mnist cifar10' : ''}`);

if (forTests) {
  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    console.error(
      `[setup] No Chromium at ${chromium}. The end-to-end tests drive a real browser:\n` +
        '        on Debian run `apt-get install chromium`, or set CHROMIUM_PATH to a Chromium/Chrome binary.',
    );
    process.exit(1);
  }
}
