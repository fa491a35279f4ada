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

test('the page is one module script, and core\'s first answer is asked for with it', () => {
  assert.deepEqual(scripts, ['js/app.js']);
  // The worker is started by the page when core is needed (core-client.js, app.js): the example's
  // analysis is drawn from the first answer of the build, fetched with the page.
  assert.deepEqual(attributeValues('link', 'href', /rel="preload"[^>]*\bas="fetch"/), ['first-answer.json']);
  assert.match(readFileSync(join(web, 'js', 'app.js'), 'utf8'), /fetch\(new URL\('\.\.\/first-answer\.json', import\.meta\.url\)\)/);
});

test('the preload list is exactly the page\'s import graph, less the script', () => {
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
