// The config the page's worker warms core up on while the page is idle (web/js/core-worker.js,
// written by wasm/CMakeLists.txt): scripts/gen-config's 3 domains x 3 relays with DNS data. It is
// only worth its runs if core analyses it without an error and it reaches every step a large
// config's analysis runs: the three return-path modes, DKIM and DMARC on every path, the DNS panel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModule, repoRoot, webDir } from './core.mjs';

const shipped = readFileSync(join(webDir, 'warm-up.json'), 'utf8');

test('warm-up.json is what scripts/gen-config writes for 3 domains x 3 relays with DNS data', () => {
  const written = execFileSync('python3', [join(repoRoot, 'scripts', 'gen-config'), '--domains', '3', '--relays', '3', '--dns'],
    { encoding: 'utf8' });
  assert.equal(shipped, written);
});

test('the page module analyses it, and it reaches every step of a large analysis', async () => {
  const module = await loadModule('relaycheck-page');
  const response = JSON.parse(module.call('analyze', JSON.stringify({ config: shipped })));
  assert.equal(response.ok, true, JSON.stringify(response.error));
  const { config, outcomes, dnsPanel, plan } = response.result;
  assert.equal(config.domains.length, 3);
  assert.ok(config.domains.every((d) => d.relays.length === 3));
  assert.deepEqual(new Set(config.domains.map((d) => d.returnPath)), new Set(['crm', 'from-address', 'custom-address']));
  assert.equal(dnsPanel.length, 3);
  assert.ok(plan.paths.length >= 9, `${plan.paths.length} paths`);
  assert.ok(outcomes.length >= 9, `${outcomes.length} outcomes`);
  for (const o of outcomes) {
    for (const part of ['spf', 'dkim', 'dmarc']) assert.ok(o[part], `outcome without ${part}: ${JSON.stringify(o).slice(0, 200)}`);
  }
});
