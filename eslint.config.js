import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const browserOrWorkerGlobals = [
  'window', 'document', 'navigator', 'self', 'postMessage', 'localStorage', 'indexedDB',
  'HTMLElement', 'HTMLCanvasElement', 'Worker', 'importScripts', 'onmessage',
].map((name) => ({ name, message: 'src/ stays pure: inject platform services from app/, workers/ or scripts/.' }));

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'public/', 'test-results/', 'playwright-report/', '.cache/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // The pure core: no React, no DOM, no worker globals. The same code runs in a worker and in Node.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['react', 'react-dom', 'react/*', 'react-dom/*', '@xyflow/*', 'zustand', 'zustand/*', 'recharts'], message: 'src/ stays free of UI libraries.' },
          { group: ['../app/*', '../../app/*', '../workers/*', '../../workers/*'], message: 'src/ must not depend on app/ or workers/.' },
        ],
      }],
      'no-restricted-globals': ['error', ...browserOrWorkerGlobals],
    },
  },
);
