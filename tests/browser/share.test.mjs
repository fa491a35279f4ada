// The share link (issue 15): the config, never a password, deflated into the URL fragment, so
// that nothing reaches a server; opening a link in a fresh browser shows that config, a tab with
// its own config asks before replacing it, and the fragment is cleared once read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import { openPage, screenshotDir } from './browser.mjs';

const PASSWORD = `share-secret-${process.pid}`;

let session;
let link;
before(async () => {
  session = await openPage();
  await session.page.waitForSelector('body[data-analysed="true"]', { timeout: 30_000 });
});
after(async () => { await session?.close(); });

const decode = (url) => {
  const data = url.slice(url.indexOf('#config=') + '#config='.length);
  return inflateRawSync(Buffer.from(data, 'base64url')).toString('utf8');
};
const waitStatus = (page, pattern) => page.waitForFunction((source) => new RegExp(source).test(document.querySelector('#status').textContent), pattern.source);

test('Share link puts the config in the fragment, deflated, without the password', async () => {
  const { page, url } = session;
  await page.fill('[data-path="/domains/0/name"] input', 'shared.example');
  await page.fill('[data-path="/domains/0/relays/0/password"] input', PASSWORD);
  await page.fill('[data-path="/account/editionDailyLimit"] input', '4500');
  await page.waitForTimeout(200);
  await page.click('#share');
  await page.waitForSelector('#alerts [data-notice="share"] input.share-link');
  link = await page.inputValue('#alerts input.share-link');
  assert.ok(link.startsWith(`${url.replace(/\/?$/, '/')}#config=`) || link.startsWith(`${url}#config=`), link.slice(0, 80));
  assert.match(link, /#config=[A-Za-z0-9_-]+$/);
  const text = decode(link);
  const config = JSON.parse(text);
  assert.equal(config.domains[0].name, 'shared.example');
  assert.equal(config.account.editionDailyLimit, 4500);
  assert.ok(!text.includes(PASSWORD) && !/"password"\s*:/.test(text), 'no password in the link');
  assert.ok(link.length < text.length, `deflated: ${link.length} characters for ${text.length}`);
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(screenshotDir, 'share-link.png') });
});

test('the link opens in a fresh browser context with the config and no password, and the fragment is cleared', async () => {
  const context = await session.page.context().browser().newContext({ viewport: { width: 1360, height: 1000 } });
  try {
    const page = await context.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    const problems = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(link);
    await waitStatus(page, /Opened the shared config/);
    assert.equal(await page.locator('dialog.ask[open]').count(), 0, 'a fresh page has nothing to lose: no question');
    assert.equal(await page.inputValue('[data-path="/domains/0/name"] input'), 'shared.example');
    assert.equal(await page.inputValue('[data-path="/account/editionDailyLimit"] input'), '4500');
    assert.equal(await page.inputValue('[data-path="/domains/0/relays/0/password"] input'), '');
    assert.ok(!page.url().includes('#'), `the fragment is cleared: ${page.url()}`);
    assert.ok(requests.every((r) => !r.includes('config=')), 'the config never went out in a request');
    assert.ok(requests.every((r) => r.startsWith(session.url) || r.startsWith('blob:')), requests.join('\n'));
    const stored = await page.evaluate(() => localStorage.getItem('relaycheck.config.v1'));
    assert.ok(stored.includes('shared.example') && !stored.includes(PASSWORD));
    // The shared config opened as one undoable step: Undo brings back what the page had.
    assert.ok(await page.isEnabled('#undo'));
    await page.screenshot({ path: join(screenshotDir, 'share-opened.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a tab with its own config asks before opening a link; Keep leaves it as it was', async () => {
  const { page } = session;
  await page.fill('[data-path="/domains/0/name"] input', 'mine.example');
  await page.waitForTimeout(200);
  await page.goto(link);  // the same page with a new fragment: no reload, a hashchange
  await page.waitForSelector('dialog.ask[open]');
  assert.match(await page.textContent('dialog.ask'), /Open the shared config over your config\?/);
  await page.screenshot({ path: join(screenshotDir, 'share-ask.png') });
  await page.click('dialog.ask button:has-text("Keep my config")');
  await waitStatus(page, /shared config was not opened/);
  assert.equal(await page.inputValue('[data-path="/domains/0/name"] input'), 'mine.example');
  assert.ok(!page.url().includes('#'));

  await page.goto(link);
  await page.click('dialog.ask button:has-text("Replace my config")');
  await waitStatus(page, /Opened the shared config/);
  assert.equal(await page.inputValue('[data-path="/domains/0/name"] input'), 'shared.example');
  await page.click('#undo');
  await page.waitForFunction(() => document.querySelector('[data-path="/domains/0/name"] input').value === 'mine.example');
});

test('a damaged link says so and changes nothing', async () => {
  const { page, url } = session;
  await page.goto(`${url}#config=AAAA$$`);
  await waitStatus(page, /share link was not opened: the link holds characters/);
  await page.goto(`${url}#config=${Buffer.from('not deflate at all').toString('base64url')}`);
  await waitStatus(page, /share link was not opened: the link is cut short or damaged/);
  assert.equal(await page.inputValue('[data-path="/domains/0/name"] input'), 'mine.example');
  assert.equal(await page.locator('dialog.ask[open]').count(), 0);
});

test('no request left the machine and nothing was logged as an error', () => {
  assert.deepEqual(session.foreignRequests, []);
  assert.deepEqual(session.problems, []);
});
