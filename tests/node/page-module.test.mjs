// The page's module (relaycheck-page, wasm/CMakeLists.txt) is core built with the page's methods
// alone, so that the first download leaves the rest out (issue 16). It must answer those methods
// with the very bytes of the whole module, for every shared vector of theirs, and refuse the
// others as data, naming its own; the page's worker routes by the list it gives (methods()).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { loadModule, webDir } from './core.mjs';
import { vectorFiles, readCases, requestText } from './vectors.mjs';

const page = await loadModule('relaycheck-page');
const whole = await loadModule('relaycheck');
const PAGE_METHODS = ['analyze', 'example', 'form'];

test('the page module lists its methods, every one of them also the whole module\'s', () => {
  assert.deepEqual(page.methods(), PAGE_METHODS);
  const all = whole.methods();
  assert.ok(all.length > PAGE_METHODS.length, `the whole module lists ${all.join(', ')}`);
  for (const method of PAGE_METHODS) assert.ok(all.includes(method), method);
});

test('the page module answers every vector of its methods byte for byte as the whole module', () => {
  let compared = 0;
  for (const file of vectorFiles()) {
    for (const c of readCases(file)) {
      if (!PAGE_METHODS.includes(c.method) || 'attachments' in c) continue;
      const request = requestText(c);
      assert.equal(page.call(c.method, request), whole.call(c.method, request), `${file}: ${c.name}`);
      compared += 1;
    }
  }
  assert.ok(compared >= 100, `only ${compared} vectors of the page's methods were compared`);
});

test('the page module refuses the whole module\'s other methods as data, naming its own', () => {
  const others = whole.methods().filter((m) => !PAGE_METHODS.includes(m));
  assert.ok(others.length > 10);
  for (const method of others) {
    const response = JSON.parse(page.call(method, '{}'));
    assert.equal(response.ok, false, method);
    assert.equal(response.error.code, 'request.unknown_method', method);
    assert.match(response.error.message, /the methods are: analyze, example, form$/, method);
  }
  // Arguments that never reach core are refused as by the whole module.
  assert.equal(JSON.parse(page.call(7, '{}')).error.code, 'request.bad_argument');
});

test('the page module is the smaller download', () => {
  const size = (name) => statSync(join(webDir, `${name}.wasm`)).size;
  assert.ok(size('relaycheck-page') < 0.85 * size('relaycheck'),
    `relaycheck-page.wasm ${size('relaycheck-page')} bytes, relaycheck.wasm ${size('relaycheck')}`);
});
