// The verdict the page leads with is core's (issue 15): "Nothing to check yet" for a config with
// no domain or no relay, never "No errors: the CRM can send through this setup"; and the
// example's verdict is the one core words for it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage, screenshotDir, importConfig } from './browser.mjs';
import { call, repoRoot } from '../node/core.mjs';

const example = JSON.parse(readFileSync(join(repoRoot, 'core', 'data', 'example-zylker.json'), 'utf8'));

let session;
before(async () => {
  session = await openPage();
  await session.page.waitForSelector('body[data-analysed="true"]', { timeout: 30_000 });
});
after(async () => { await session?.close(); });


test('the example leads with core\'s verdict', async () => {
  const { page } = session;
  const core = JSON.parse(await call('analyze', JSON.stringify({ config: example }))).result.verdict;
  assert.equal(core.kind, 'ok');
  await page.waitForFunction((text) => document.querySelector('#summary .verdict')?.textContent === text, core.text);
});

test('a config with domains but no relay has nothing to check yet', async () => {
  const { page } = session;
  const config = structuredClone(example);
  config.domains[0].relays = [];
  const core = JSON.parse(await call('analyze', JSON.stringify({ config }))).result.verdict;
  assert.equal(core.kind, 'empty');
  await importConfig(page, 'no-relay.json', config);
  await page.waitForFunction(() => /^Nothing to check yet/.test(document.querySelector('#summary .verdict')?.textContent ?? ''));
  assert.equal(await page.locator('#summary .verdict').textContent(), core.text);
  assert.doesNotMatch(await page.locator('#summary').textContent(), /can send through this setup/);
  await page.screenshot({ path: join(screenshotDir, 'verdict-nothing-to-check.png') });
});
