// The page's first answer (wasm/first-answer.mjs) is what core answers: the form, the example and
// the example's analysis, from the page's own module and from the whole façade, as the build left
// them next to the page. The page draws it before its worker has started, so a file that differs
// from core would show an admin a verdict core does not give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModule, webDir } from './core.mjs';

const first = JSON.parse(readFileSync(join(webDir, 'first-answer.json'), 'utf8'));

for (const name of ['relaycheck-page', 'relaycheck']) {
  test(`first-answer.json is what ${name} answers`, async () => {
    const module = await loadModule(name);
    const result = (method, request) => {
      const response = JSON.parse(module.call(method, JSON.stringify(request)));
      assert.equal(response.ok, true, `${method}: ${JSON.stringify(response.error)}`);
      return response.result;
    };
    assert.deepEqual(first.form, result('form', {}));
    assert.deepEqual(first.example, result('example', {}));
    assert.deepEqual(first.analysis, result('analyze', { config: first.example.config }));
  });
}

test('the first answer is a real analysis of the example, with what the page draws', () => {
  const { analysis, example } = first;
  assert.deepEqual(analysis.config, example.config);
  for (const section of ['summary', 'verdict', 'findings', 'outcomes', 'plan', 'dnsPanel', 'whitelist']) {
    assert.ok(section in analysis, `no ${section}`);
  }
  assert.ok(analysis.outcomes.length > 0 && analysis.findings.length > 0);
});
