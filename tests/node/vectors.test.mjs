// The shared vectors against the wasm build; and, where the native CLI is given
// (RELAYCHECK_CLI), the same request through `relaycheck api` must give the very same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { call } from './core.mjs';
import { vectorFiles, readCases, requestText, findMismatch, findingCodes } from './vectors.mjs';

const cli = process.env.RELAYCHECK_CLI;
const files = vectorFiles();
assert.ok(files.length > 0, 'no vector files found');

for (const file of files) {
  const cases = readCases(file);
  const committed = !file.includes('/build/');
  test(`vectors in ${file.split('/').slice(-2).join('/')} (${cases.length} cases) pass in wasm`, async () => {
    for (const c of cases) {
      const text = await call(c.method, requestText(c));
      const response = JSON.parse(text);
      assert.ok('expect' in c || 'expectCodes' in c || 'expectFindings' in c, `${c.name}: the case expects nothing`);
      if ('expect' in c) {
        assert.equal(findMismatch(c.expect, response), '', `${c.name}: ${text.slice(0, 1500)}`);
      }
      if ('expectCodes' in c) {
        assert.deepEqual(findingCodes(response), [...c.expectCodes].sort(), c.name);
      }
      for (const wanted of c.expectFindings ?? []) {
        const found = (response.result?.findings ?? []).some((f) => findMismatch(wanted, f) === '');
        assert.ok(found, `${c.name}: no finding matches ${JSON.stringify(wanted)}`);
      }
    }
  });
  if (cli && committed) {
    test(`vectors in ${file.split('/').pop()}: wasm and the native CLI answer byte for byte alike`, async () => {
      for (const c of cases) {
        const wasm = await call(c.method, requestText(c));
        let native;
        try {
          native = execFileSync(cli, ['api', c.method], { input: requestText(c), maxBuffer: 1 << 28 }).toString();
        } catch (e) {
          native = e.stdout.toString();  // exit 2 still prints the error response
        }
        assert.equal(native, wasm + '\n', c.name);
      }
    });
  }
}
