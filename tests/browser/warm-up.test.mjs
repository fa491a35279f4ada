// While the page is idle after its first analysis, the worker warms core up on a config shipped
// for it (web/js/core-worker.js, warm-up.json). It asks for that file once, only after the first
// analysis, from the page's own server; and a page that cannot have it answers as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './browser.mjs';

test('the warm-up config is asked for once, after the first analysis, and a page without it still answers', async () => {
  const asked = [];
  const session = await openPage({
    beforeLoad: async (page, context) => {
      await context.route(/\/warm-up\.json$/, async (route) => {
        asked.push(performance.now());
        await route.fulfill({ status: 404, body: 'gone' });
      });
    },
  });
  const { page, problems, foreignRequests } = session;
  try {
    const start = performance.now();
    await page.waitForFunction(() => performance.getEntriesByName('relaycheck receive analyze').length > 0, null, { timeout: 30_000 });
    const answered = performance.now();
    // Core's own first answer, then the warm-up's wait (1.5 s): the file is asked for then, once.
    await page.waitForFunction(() => document.body.dataset.analysed === 'true');
    for (let waited = 0; asked.length === 0 && waited < 15_000; waited += 100) await page.waitForTimeout(100);
    assert.equal(asked.length, 1, 'warm-up.json asked for once');
    assert.ok(asked[0] > answered, `asked ${Math.round(asked[0] - start)} ms after the start, before the first analysis`);
    await page.waitForTimeout(500);
    assert.equal(asked.length, 1, 'and not again');
    // Without it the page answers edits as before.
    await page.fill('[data-path="/account/editionDailyLimit"] input', '-5');
    await page.waitForSelector('[data-path="/account/editionDailyLimit"] .inline-finding.error', { timeout: 30_000 });
    assert.match(await page.textContent('#summary'), /[1-9]\d* errors?/);
    assert.deepEqual(foreignRequests, []);
    // The 404 is the browser's console error about the resource; nothing of the page's own.
    assert.deepEqual(problems.filter((p) => !/404/.test(p)), []);
  } finally {
    await session.close();
  }
});
