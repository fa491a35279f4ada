// The shared vector format, as tests/unit/test_vectors.cpp reads it: a case names a façade
// method, a request, and what the response must contain.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './core.mjs';

/** Every vector file: tests/data/vectors/*.json plus RELAYCHECK_EXTRA_VECTORS (':'-separated). */
export function vectorFiles() {
  const dir = join(repoRoot, 'tests', 'data', 'vectors');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));
  for (const extra of (process.env.RELAYCHECK_EXTRA_VECTORS ?? '').split(':')) {
    if (extra) files.push(extra);
  }
  return files.sort();
}

export function readCases(file) {
  const document = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(document.cases)) throw new Error(`${file}: no "cases" list`);
  return document.cases;
}

/** The request as the façade receives it: a string is sent as it is, anything else as JSON. */
export function requestText(testCase) {
  return typeof testCase.request === 'string' ? testCase.request : JSON.stringify(testCase.request);
}

/** Empty when `actual` contains `expected` (objects as key subsets, arrays equal in length and
 *  element by element, scalars equal); otherwise the JSON Pointer of the first difference. */
export function findMismatch(expected, actual, path = '') {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return path || '/';
    for (const [key, value] of Object.entries(expected)) {
      if (!(key in actual)) return `${path}/${key}`;
      const m = findMismatch(value, actual[key], `${path}/${key}`);
      if (m) return m;
    }
    return '';
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return path || '/';
    for (let i = 0; i < expected.length; i++) {
      const m = findMismatch(expected[i], actual[i], `${path}/${i}`);
      if (m) return m;
    }
    return '';
  }
  return expected === actual ? '' : path || '/';
}

export function findingCodes(response, ignored = []) {
  return (response.result?.findings ?? [])
    .map((f) => f.code)
    .filter((code) => !ignored.some((prefix) => code.startsWith(prefix)))
    .sort();
}
