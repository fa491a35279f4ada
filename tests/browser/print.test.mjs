// The page on paper (issue 15): under print media no button or other control is shown (titles
// that are buttons on screen print as plain text), every text area prints at its full length,
// snippet blocks print dark on white and wrap instead of being cut, and folded groups print open.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPage, screenshotDir } from './browser.mjs';

let session;
before(async () => {
  session = await openPage();
  await session.page.waitForSelector('body[data-analysed="true"]', { timeout: 30_000 });
});
after(async () => {
  await session?.page.emulateMedia({ media: null });
  await session?.close();
});

test('print media shows no buttons, full text areas and readable snippets', async () => {
  const { page } = session;
  const lines = Array.from({ length: 80 }, (_, i) => `bounce${i}.zylker.com`);
  await page.fill('[data-path="/account/bounceDomains"] textarea', lines.join('\n'));
  await page.waitForTimeout(300);
  await page.locator('#findings details.finding-group').first().locator('summary').click();
  await page.selectOption('#whitelist select', 'exchange');
  const area = page.locator('[data-path="/account/bounceDomains"] textarea');
  assert.ok(await area.evaluate((t) => t.scrollHeight > t.clientHeight + 4), 'on screen the long list scrolls');

  await page.emulateMedia({ media: 'print' });
  const shownButtons = await page.$$eval('button, .button, select, input[type="checkbox"], input[type="radio"]',
    (list) => list.filter((b) => b.checkVisibility() && !b.matches('.fold, .location, .expand, .field input, .field select, #whitelist select'))
      .map((b) => `${b.tagName} ${b.className} ${b.textContent}`));
  assert.deepEqual(shownButtons, [], 'no control prints');
  for (const selector of ['.actions', '#status', '.finding-filter', '.outcome-filter', '#whitelist button']) {
    assert.equal(await page.locator(selector).first().isVisible(), false, `${selector} is hidden`);
  }
  // Titles that are buttons on screen print as text, without a button's frame.
  for (const selector of ['.domain > legend .fold', '#whitelist select']) {
    const look = await page.$eval(selector, (b) => ({ border: getComputedStyle(b).borderTopStyle, visible: b.checkVisibility() }));
    assert.deepEqual(look, { border: 'none', visible: true }, selector);
  }

  assert.ok(await area.evaluate((t) => t.scrollHeight <= t.clientHeight + 2), 'the text area prints at its full length');
  const snippet = await page.$eval('#whitelist pre.snippet', (pre) => {
    const style = getComputedStyle(pre);
    return { background: style.backgroundColor, color: style.color, wrap: style.whiteSpace, fits: pre.scrollWidth <= pre.clientWidth + 1 };
  });
  assert.deepEqual(snippet, { background: 'rgb(255, 255, 255)', color: 'rgb(0, 0, 0)', wrap: 'pre-wrap', fits: true });
  const folded = page.locator('#findings details.finding-group').first();
  assert.equal(await folded.evaluate((d) => d.open), false);
  assert.ok(await folded.locator('.finding-list').evaluate((ul) => ul.checkVisibility()), 'a folded group prints open');

  await page.screenshot({ path: join(screenshotDir, 'print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  assert.equal(await page.locator('.actions').isVisible(), true);
});

test('no request left the machine and nothing was logged as an error', () => {
  assert.deepEqual(session.foreignRequests, []);
  assert.deepEqual(session.problems, []);
});
