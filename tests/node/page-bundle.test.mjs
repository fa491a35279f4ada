// The page as it is served (issue 16: the first analysis): index.html loads one script, the bundle
// of web/js/app.js and its imports, and asks for core's first answer of the build with it; the
// worker is one bundle too, which imports Emscripten's glue of each module when it makes it.
// Nothing else of web/js is served (scripts/bundle-page.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, webDir } from './core.mjs';

const html = readFileSync(join(repoRoot, 'web', 'index.html'), 'utf8');
const served = readFileSync(join(webDir, 'index.html'), 'utf8');

const tags = (text, pattern) => [...text.matchAll(/<(script|link)\b[^>]*>/g)].map(([tag]) => tag).filter((tag) => pattern.test(tag));
const attribute = (tag, name) => tag.match(new RegExp(`\\b${name}="([^"]+)"`))?.[1];

test('the page is one module script, and core\'s first answer is asked for with it', () => {
  assert.equal(served, html, 'the served index.html is web/index.html');
  assert.deepEqual(tags(html, /<script\b/).map((tag) => attribute(tag, 'src')), ['js/app.js']);
  assert.match(tags(html, /<script\b/)[0], /type="module"/);
  assert.deepEqual(tags(html, /rel="(module)?preload"/).map((tag) => [attribute(tag, 'rel'), attribute(tag, 'href'), attribute(tag, 'as')]),
    [['preload', 'first-answer.json', 'fetch']]);
  assert.match(readFileSync(join(repoRoot, 'web', 'js', 'app.js'), 'utf8'), /fetch\(new URL\('\.\.\/first-answer\.json', import\.meta\.url\)\)/);
});

test('the served js folder holds the two bundles and their maps, nothing else', () => {
  assert.deepEqual(readdirSync(join(webDir, 'js')).sort(), ['app.js', 'app.js.map', 'core-worker.js', 'core-worker.js.map']);
});

/** The modules a bundle imports: static (`import ... from "x"`, `import "x"`) and dynamic. */
function importsOf(text) {
  const found = [];
  for (const [, specifier] of text.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{][^;]*?from\s*)?["']([^"']+)["']/g)) found.push(['static', specifier]);
  for (const [, specifier] of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) found.push(['dynamic', specifier]);
  return found;
}

test('the page bundle imports nothing; the worker bundle only the glue of each module, when it makes it', () => {
  const app = readFileSync(join(webDir, 'js', 'app.js'), 'utf8');
  const worker = readFileSync(join(webDir, 'js', 'core-worker.js'), 'utf8');
  assert.deepEqual(importsOf(app), []);
  assert.deepEqual(importsOf(worker).sort(), [['dynamic', '../relaycheck-page.mjs'], ['dynamic', '../relaycheck.mjs']]);
  // The reader is not blind: it sees both kinds, as the modules of web/js write them.
  assert.deepEqual(importsOf('import { a } from "./a.js";import"./b.js";const m = await import("../c.mjs");'),
    [['static', './a.js'], ['static', './b.js'], ['dynamic', '../c.mjs']]);
  // The worker is started from the page bundle by its served name.
  assert.match(app, /new URL\(["']\.\/core-worker\.js["'],\s*import\.meta\.url\)/);
});
