// The JavaScript of the page, the tests, the benchmarks and the scripts: eslint's recommended
// rules, plus the two that keep hostile text inert (the page renders with textContent and
// createElement, never HTML from strings). scripts/test fails on any error.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['build/**', 'node_modules/**'] },
  js.configs.recommended,
  {
    files: ['web/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { ...globals.browser, ...globals.worker } },
  },
  {
    files: ['tests/**/*.mjs', 'bench/**/*.mjs', 'scripts/**/*.mjs', 'eslint.config.js'],
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },
  {
    files: ['tests/browser/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-restricted-properties': ['error',
        { property: 'innerHTML', message: 'Render with textContent/createElement.' },
        { property: 'outerHTML', message: 'Render with textContent/createElement.' },
        { property: 'insertAdjacentHTML', message: 'Render with textContent/createElement.' }],
    },
  },
];
