// index.html asks for every module of the page at once (<link rel="modulepreload">) instead of
// letting the browser find them import by import, a round trip per level (issue 16: the first
// analysis). The list is a copy of the import graph, so this test keeps the two equal: a module
// the page imports but the list misses loads late again, and one the list names but nothing
// imports is downloaded for nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { repoRoot } from './core.mjs';

const web = join(repoRoot, 'web');
const html = readFileSync(join(web, 'index.html'), 'utf8');

const attributeValues = (tag, attribute, filter) => [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'g'))]
  .map(([element]) => element)
  .filter((element) => filter.test(element))
  .map((element) => element.match(new RegExp(`\\b${attribute}="([^"]+)"`))[1]);

/** The module scripts of the page, in document order, and the modules it preloads. */
const scripts = attributeValues('script', 'src', /type="module"/);
const preloads = attributeValues('link', 'href', /rel="modulepreload"/);

/** The static imports of a module, as paths relative to web/ (dynamic import() is not used). */
function importsOf(path) {
  const text = readFileSync(join(web, path), 'utf8');
  assert.doesNotMatch(text, /\bimport\s*\(/, `${path} imports dynamically: the preload list cannot see it`);
  return [...text.matchAll(/^\s*import\s(?:[^;]*?\sfrom\s)?\s*'([^']+)'/gm)]
    .map(([, specifier]) => normalize(join(dirname(path), specifier)));
}

/** Every module reached from `roots`. */
function graph(roots) {
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path)) return;
    seen.add(path);
    importsOf(path).forEach(visit);
  };
  roots.forEach(visit);
  return seen;
}

test('the worker starts before the page: core-client.js is the first module script, app.js next', () => {
  assert.deepEqual(scripts, ['js/core-client.js', 'js/app.js']);
  // async: it runs as soon as it has loaded, not once the whole page has been parsed.
  assert.deepEqual(attributeValues('script', 'src', /type="module"[^>]*\basync\b/), ['js/core-client.js']);
});

test('the preload list is exactly the page\'s import graph, less the two scripts', () => {
  const reached = graph(scripts);
  assert.ok(reached.size > 10, `the graph was read: ${[...reached].join(', ')}`);
  const expected = [...reached].filter((path) => !scripts.includes(path)).sort();
  assert.deepEqual([...preloads].sort(), expected);
  assert.equal(new Set(preloads).size, preloads.length, 'a module is preloaded twice');
});

test('the graph reader sees the kinds of import the page uses', () => {
  // A check that the reader is not blind: app.js imports core-client.js by name.
  assert.ok(importsOf('js/app.js').includes(normalize('js/core-client.js')));
});
