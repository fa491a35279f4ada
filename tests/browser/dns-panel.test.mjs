// The DNS panel of the example in a real browser: the SPF include tree of zylker.com with its
// include of zohomail.com and the lookup count against the limit of 10, the DMARC record read as
// p=quarantine, where each record came from, and a copy button that says "Copied" (or selects
// the text when the clipboard is refused). Core's panel comes from the same wasm build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage, screenshotDir, importConfig } from './browser.mjs';
import { call, repoRoot } from '../node/core.mjs';

const example = JSON.parse(readFileSync(join(repoRoot, 'core', 'data', 'example-zylker.json'), 'utf8'));

let session;
let panel;
before(async () => {
  panel = JSON.parse(await call('analyze', JSON.stringify({ config: example }))).result.dnsPanel;
  session = await openPage();
  await session.page.waitForSelector('body[data-analysed="true"]', { timeout: 20_000 });
  // The example is drawn first from the build's first answer, then again from core's own, whose
  // objects are new: the panel is read once core's answer is drawn (in the task it arrives in).
  await session.page.waitForFunction(() => performance.getEntriesByName('relaycheck receive analyze').length > 0, null, { timeout: 20_000 });
});
after(async () => { await session?.close(); });

test('the DNS panel shows the SPF include tree of zylker.com with its lookup count', async () => {
  const { page } = session;
  assert.equal(panel[0].spf.lookups, 1);
  const article = page.locator('#dns-panel article.dns-domain').first();
  assert.equal(await article.locator('h3').textContent(), 'zylker.com');
  assert.match(await article.locator('.spf-total').textContent(), /^1 of 10 DNS lookups/);
  const root = article.locator('.spf-tree > li.spf-node').first();
  assert.equal(await root.locator(':scope > .spf-domain').textContent(), 'zylker.com');
  assert.equal(await root.locator(':scope > .spf-record').textContent(), 'v=spf1 ip4:203.0.113.25 include:zohomail.com ~all');
  assert.equal(await root.locator(':scope > .dns-source').textContent(), 'entered in the config');
  const include = article.locator('li.spf-term', { hasText: 'include:zohomail.com' }).first();
  assert.match(await include.textContent(), /\+1 = 1/);
  const nested = include.locator('li.spf-node').first();
  assert.equal(await nested.locator(':scope > .spf-domain').textContent(), 'zohomail.com');
  assert.equal(await nested.locator(':scope > .spf-status').textContent(), 'unknown');
  await article.screenshot({ path: join(screenshotDir, 'dns-panel-example.png') });
});

test('the DNS panel reads the DMARC record of the example as p=quarantine', async () => {
  const { page } = session;
  const dmarc = page.locator('#dns-panel .dns-dmarc').first();
  assert.equal(await dmarc.locator('.dns-record').textContent(), 'v=DMARC1; p=quarantine; rua=mailto:dmarc@zylker.com');
  assert.match(await dmarc.locator('.dmarc-policy').textContent(), /p=quarantine/);
});

test('a record to publish has a copy button that says Copied, or selects the text', async () => {
  const { page } = session;
  const config = structuredClone(example);
  config.domains[0].relays[0].outboundIps = ['203.0.113.25', '198.51.100.7'];
  config.dns['_dmarc.zylker.com'] = [{ type: 'NXDOMAIN' }];
  config.dns['zylker.com'][0].fetched = '2026-12-02T09:00:00Z';
  config.dns['zylker.com'][0].resolver = 'cloudflare-dns.com';
  await importConfig(page, 'dns-panel.json', config);
  await page.waitForSelector('#dns-panel .dns-publish');
  const items = page.locator('#dns-panel .dns-publish');
  assert.equal(await items.count(), 2, 'the SPF record with the new IP, and a DMARC record');
  const spf = items.first();
  assert.match(await spf.locator('.dns-value').textContent(), /ip4:198\.51\.100\.7/);
  assert.match(await page.locator('#dns-panel .spf-tree .dns-source').first().textContent(), /^fetched 2026-12-02T09:00:00Z from cloudflare-dns\.com$/);
  assert.match(await items.nth(1).locator('.dns-value').textContent(), /^v=DMARC1; p=none/);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await spf.locator('button.copy').click();
  await page.waitForFunction(() => /Copied|Selected/.test(document.querySelector('#dns-panel .dns-publish button.copy').textContent));
  const said = await spf.locator('button.copy').textContent();
  if (said === 'Copied') {
    assert.match(await page.evaluate(() => navigator.clipboard.readText()), /ip4:198\.51\.100\.7/);
  } else {
    assert.match(await page.evaluate(() => String(getSelection())), /ip4:198\.51\.100\.7/);
  }
  await page.locator('#dns-panel').screenshot({ path: join(screenshotDir, 'dns-panel-publish.png') });
});

test('hostile DNS text stays text in the panel', async () => {
  const { page, problems } = session;
  const config = structuredClone(example);
  config.dns['zylker.com'] = [{ type: 'TXT', data: ['v=spf1 <img src=x onerror="window.pwned=1"> ~all'] }];
  await importConfig(page, 'hostile-dns.json', config);
  await page.waitForFunction(() => document.querySelector('#dns-panel .spf-tree'));
  assert.equal(await page.locator('#dns-panel img').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(problems, []);
});
