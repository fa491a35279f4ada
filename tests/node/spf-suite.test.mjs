// The RFC 7208 test suite (tests/data/spf, 203 tests) through the wasm module's spf.check, exactly
// as tests/unit/test_spf_suite.cpp runs it natively: any listed result passes; an explanation,
// where given, must match (the default explanation is "DEFAULT").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, repoRoot } from './core.mjs';

const SUITE_SIZE = 203;
const suite = JSON.parse(readFileSync(join(repoRoot, 'tests', 'data', 'spf', 'rfc7208-tests.json'), 'utf8'));

test(`all ${SUITE_SIZE} tests of the RFC 7208 suite pass in wasm`, async () => {
  const failures = [];
  let run = 0;
  for (const scenario of suite.scenarios) {
    for (const t of scenario.tests) {
      run++;
      const request = { zone: scenario.zone, ip: t.host, sender: t.mailfrom, helo: t.helo, defaultExplanation: suite.default_explanation, trace: false };
      const response = JSON.parse(await call('spf.check', JSON.stringify(request)));
      const got = response.ok ? response.result.result : `error ${response.error.code}`;
      const explanationOk = t.explanation === null || t.explanation === undefined || response.result?.explanation === t.explanation;
      if (!t.result.includes(got) || !explanationOk) failures.push(`${t.id}: got ${got} [${response.result?.explanation ?? ''}], expected ${t.result.join('|')} ${t.explanation ?? ''}`);
    }
  }
  console.log(`RFC 7208 suite (wasm): ${run - failures.length}/${run} passed`);
  assert.equal(run, SUITE_SIZE);
  assert.deepEqual(failures, []);
});
