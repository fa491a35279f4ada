// The page in a real browser: it opens on the worked example and shows core's analysis; edits
// re-run it; a bad import leaves the config as it was; nothing leaves the machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPage, screenshotDir } from './browser.mjs';

let session;
before(async () => { session = await openPage(); });
after(async () => { await session?.close(); });

test('the page opens on the zylker.com example and shows its analysis', async () => {
  const { page } = session;
  await page.waitForSelector('body[data-analysed="true"]', { timeout: 20_000 });
  const summary = await page.textContent('#summary');
  assert.match(summary, /0 errors/);
  assert.equal(await page.inputValue('[data-path="/domains/0/name"] input'), 'zylker.com');
  await page.screenshot({ path: join(screenshotDir, 'page.png'), fullPage: true });
});

test('an edit re-runs the analysis and shows the finding beside its field', async () => {
  const { page } = session;
  await page.selectOption('[data-path="/domains/0/relays/0/auth"] select', 'ip-whitelist');
  await page.fill('[data-path="/account/editionDailyLimit"] input', '-5');
  await page.waitForSelector('[data-path="/account/editionDailyLimit"] .inline-finding.error');
  const inline = await page.locator('[data-path="/account/editionDailyLimit"] .inline-finding').allTextContents();
  assert.ok(inline.some((text) => /outside the range/.test(text)), inline.join('\n'));
  assert.match(await page.textContent('#summary'), /[1-9]\d* errors?/);
  await page.screenshot({ path: join(screenshotDir, 'page-with-errors.png'), fullPage: true });
});

test('a whitelist that misses a CRM range is named with the exact range, and a snippet is offered', async () => {
  const { page } = session;
  const allowed = ['204.141.42.0/23', '136.143.190.0/23', '136.143.186.0/23', '136.143.189.0/24', '204.141.32.0/23',
    '136.143.182.0/23', '136.143.180.0/23', '136.143.185.0/24', '136.143.178.0/23', '8.40.222.0/23', '8.39.54.0/23'];
  await page.fill('[data-path="/domains/0/relays/0/allowedNetworks"] textarea', allowed.join('\n'));
  await page.waitForFunction(() => /misses 136\.143\.176\.0\/23/.test(document.querySelector('#whitelist')?.textContent ?? ''));
  await page.selectOption('#whitelist select', 'exchange');
  assert.match(await page.textContent('#whitelist pre'), /Set-ReceiveConnector .*RemoteIPRanges @\{Add=/s);
  await page.screenshot({ path: join(screenshotDir, 'whitelist.png'), fullPage: true });
});

test('a relay outage from an hour sends the rest of the day through the CRM', async () => {
  const { page } = session;
  await page.fill('[data-path="/account/editionDailyLimit"] input', '5000');
  await page.selectOption('[data-path="/domains/0/relays/0/auth"] select', 'password');
  await page.fill('[data-path="/domains/0/relays/0/outageFromHour"] input', '12');
  await page.waitForFunction(() => /the relay is down/.test(document.querySelector('#plan')?.textContent ?? ''));
  await page.screenshot({ path: join(screenshotDir, 'outage.png'), fullPage: true });
  await page.fill('[data-path="/domains/0/relays/0/outageFromHour"] input', '');
  await page.waitForFunction(() => !/the relay is down/.test(document.querySelector('#plan')?.textContent ?? ''));
  await page.fill('[data-path="/account/editionDailyLimit"] input', '-5');
});

test('hostile text in the config stays text', async () => {
  const { page } = session;
  await page.fill('[data-path="/domains/0/name"] input', '<img src=x onerror=alert(1)>');
  await page.waitForTimeout(300);  // the edit is saved, then the editor is drawn anew from it
  await page.reload();
  await page.waitForSelector('body[data-analysed="true"]');
  assert.equal(await page.textContent('.domain legend strong'), '<img src=x onerror=alert(1)>');
  assert.equal(await page.locator('img').count(), 0);
  await page.fill('[data-path="/domains/0/name"] input', 'zylker.com');
});

test('a file that is not a config is not imported and the config stays as it was', async () => {
  const { page } = session;
  const before = await page.inputValue('[data-path="/account/editionDailyLimit"] input');
  await page.setInputFiles('#import-file', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"schema": 1, ') });
  // The status may already say "error" from the analysis of the config as it is: wait for the import's own words.
  await page.waitForFunction(() => /was not imported/.test(document.querySelector('#status')?.textContent ?? ''));
  assert.equal(await page.getAttribute('#status', 'data-kind'), 'error');
  assert.match(await page.textContent('#status'), /broken\.json was not imported: line 1, column 15/);
  assert.equal(await page.inputValue('[data-path="/account/editionDailyLimit"] input'), before);
});

test('the config survives a reload, and no request left the machine', async () => {
  const { page, problems, foreignRequests } = session;
  await page.reload();
  await page.waitForSelector('body[data-analysed="true"]');
  assert.equal(await page.inputValue('[data-path="/account/editionDailyLimit"] input'), '-5');
  assert.deepEqual(foreignRequests, []);
  assert.deepEqual(problems, []);
});
