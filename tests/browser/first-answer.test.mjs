// The page draws the example from the first answer of its build (wasm/first-answer.mjs) before
// core in its worker has started, then asks core and draws core's answer over it (issue 16: the
// first analysis). A config kept from an earlier visit is never drawn from that answer: core
// analyses it. Core's module is held back here by routing its request, so what is drawn before
// it comes is seen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPage, screenshotDir } from './browser.mjs';
import { call } from '../node/core.mjs';

const analyse = async (config) => JSON.parse(await call('analyze', JSON.stringify({ config }))).result;
const example = JSON.parse(await call('example', '{}')).result.config;

/** Opens the page with core's module held back until `release()`; `beforeLoad` as openPage's. */
async function openHeld(beforeLoad) {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const session = await openPage({
    beforeLoad: async (page, context) => {
      await context.route(/relaycheck-page\.wasm$/, async (route) => {
        await held;
        await route.continue();
      });
      await beforeLoad?.(page, context);
    },
  });
  return { session, release };
}

const coreAnswers = (page) => page.evaluate(() => performance.getEntriesByName('relaycheck receive analyze').length);

test("the example is drawn from the build's first answer before core starts, then core's answer over it", async () => {
  const expected = await analyse(example);
  const { session, release } = await openHeld();
  const { page } = session;
  try {
    await page.waitForSelector('body[data-analysed="true"]', { timeout: 30_000 });
    assert.equal(await coreAnswers(page), 0, 'drawn before core answered');
    assert.equal(await page.textContent('#summary .verdict'), expected.verdict.text);
    assert.equal(await page.locator('#outcomes tbody tr.outcome').count(), expected.outcomes.length);
    assert.match(await page.textContent('#status'), /^Analysed\./);
    await page.screenshot({ path: join(screenshotDir, 'first-answer-before-core.png') });
    release();
    await page.waitForFunction(() => performance.getEntriesByName('relaycheck receive analyze').length > 0, null, { timeout: 30_000 });
    await page.waitForFunction(() => /^Analysed\./.test(document.querySelector('#status').textContent));
    assert.equal(await page.textContent('#summary .verdict'), expected.verdict.text);
    assert.equal(await page.locator('#outcomes tbody tr.outcome').count(), expected.outcomes.length);
    // An edit is analysed by core: its answer names the new limit.
    const limit = '[data-path="/account/editionDailyLimit"] input';
    await page.fill(limit, '4321');
    await page.waitForFunction(() => document.querySelector('#plan').textContent.includes('4,321'));
    assert.deepEqual(session.problems, []);
  } finally {
    release();
    await session.close();
  }
});

test('a config kept from an earlier visit waits for core, and is never drawn from the first answer', async () => {
  const kept = structuredClone(example);
  kept.domains[0].crmDkim = { enabled: false };
  const normalised = (await analyse(kept)).config;
  const expected = await analyse(normalised);
  assert.notEqual(expected.verdict.text, (await analyse(example)).verdict.text, 'the kept config reads otherwise');
  const { session, release } = await openHeld((page) => page.addInitScript((text) => {
    localStorage.setItem('relaycheck.config.v1', text);
    localStorage.setItem('relaycheck.config.v1.normalised', '1');
  }, JSON.stringify(normalised)));
  const { page } = session;
  try {
    await page.waitForSelector('#editor [data-path="/domains/0/name"]', { timeout: 30_000 });
    await page.waitForTimeout(1000);
    assert.equal(await page.evaluate(() => document.body.dataset.analysed ?? null), null, 'nothing analysed before core');
    release();
    await page.waitForSelector('body[data-analysed="true"]', { timeout: 30_000 });
    assert.equal(await page.textContent('#summary .verdict'), expected.verdict.text);
    assert.deepEqual(session.problems, []);
  } finally {
    release();
    await session.close();
  }
});
