// Pasting a real whitelist (issue 15): the CRM's help-page list with its bullets, or a Postfix
// mynetworks line, goes to core (cidr.extract), and the box shows core's normalised entries and
// core's sentence about what it cleaned and what it could not read. A relay's outbound IPs take
// single addresses only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPage, paste, screenshotDir } from './browser.mjs';

let session;
before(async () => {
  session = await openPage();
  await session.page.waitForSelector('body[data-analysed="true"]', { timeout: 20_000 });
});
after(async () => { await session?.close(); });

const saved = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('relaycheck.config.v1')));

test('a bulleted list from the CRM\'s help page becomes core\'s entries, with what was cleaned', async () => {
  const { page } = session;
  const helpPage = '• 204.141.42.0/23\n• 136.143.190.0/23\n  – 8.39.54.0/23 (US)\n• not-an-address\n';
  await paste(page, '/account/crmRanges', helpPage);
  const report = page.locator('[data-path="/account/crmRanges"] .paste-report');
  await report.waitFor({ timeout: 10_000 });
  const box = page.locator('[data-path="/account/crmRanges"] textarea');
  assert.equal(await box.inputValue(), '204.141.42.0/23\n136.143.190.0/23\n8.39.54.0/23');
  const said = await report.textContent();
  assert.match(said, /Read 3 entries/);
  assert.match(said, /bullet/);
  assert.match(said, /Line 4: .*not-an-address/);
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('relaycheck.config.v1'))?.account?.crmRanges?.length === 3);
  assert.deepEqual((await saved(page)).account.crmRanges, ['204.141.42.0/23', '136.143.190.0/23', '8.39.54.0/23']);
  assert.ok(Number(await box.getAttribute('rows')) >= 4, 'the box grows with its content');
  await page.locator('[data-path="/account/crmRanges"]').screenshot({ path: join(screenshotDir, 'paste-help-page.png') });
});

test('a Postfix mynetworks line pasted into outbound IPs keeps the addresses and says why not the networks', async () => {
  const { page } = session;
  const path = '/domains/0/relays/0/outboundIps';
  await paste(page, path, 'mynetworks = 203.0.113.25, [2001:db8::25], 10.0.0.0/24');
  const report = page.locator(`[data-path="${path}"] .paste-report`);
  await report.waitFor({ timeout: 10_000 });
  assert.equal(await page.locator(`[data-path="${path}"] textarea`).inputValue(), '203.0.113.25\n2001:db8::25');
  assert.match(await report.textContent(), /10\.0\.0\.0\/24/);
});
