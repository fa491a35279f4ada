// The authentication matrix and the two kinds of whitelist snippet, in a real browser: the page
// shows core's `outcomes` row for row, each row opens onto core's reasons, a setup whose DMARC
// fails says so in words and colour, and the admin can switch the kind of snippet core chose.
// Core's answers come from the same wasm build, asked directly in Node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage, screenshotDir } from './browser.mjs';
import { call, repoRoot } from '../node/core.mjs';

const example = JSON.parse(readFileSync(join(repoRoot, 'core', 'data', 'example-zylker.json'), 'utf8'));
const analyze = async (config) => JSON.parse(await call('analyze', JSON.stringify({ config }))).result;

let session;
let form;
let report;
before(async () => {
  form = JSON.parse(await call('form', '{}')).result;
  report = await analyze(example);
  session = await openPage();
  await session.page.waitForSelector('body[data-analysed="true"]', { timeout: 20_000 });
});
after(async () => { await session?.close(); });

/** Each matrix row's cells as text, keyed by the column header. */
const matrixRows = (page) => page.$$eval('#outcomes table.outcome-matrix', ([table]) => {
  const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
  return [...table.querySelectorAll('tbody tr.outcome')].map((tr) =>
    Object.fromEntries([...tr.children].map((cell, i) => [heads[i], cell.textContent.trim()])));
});

/** What the matrix should say for a verdict of core's: the word, with * when assumed. */
const word = (result, assumed) => `${result}${assumed ? '*' : ''}`;

/** A path's findings as objects: core writes each as an index into the report's findings. */
const findingsOf = (outcome, analysis) => outcome.findings.map((f) => (typeof f === 'number' ? analysis.findings[f] : f));

test('the example shows one matrix row per outcome, with core\'s verdicts in words', async () => {
  const { page } = session;
  assert.ok(report.outcomes.length >= 2, 'the example has several paths');
  assert.equal(await page.textContent('#outcomes caption'), 'SPF, DKIM and DMARC for each message path');
  const rows = await matrixRows(page);
  assert.equal(rows.length, report.outcomes.length);
  report.outcomes.forEach((o, i) => {
    const row = rows[i];
    assert.match(row.Domain, new RegExp(`^\\S*${o.domainName.replace(/\./g, '\\.')}`));
    assert.equal(row['Email type'], form.choices.emailTypes.find((c) => c.value === o.type).label);
    assert.equal(row.Route, o.routeLabel);
    assert.equal(row.Emails, o.potential ? 'none today' : o.total.toLocaleString('en-US'));
    // The page says "assumed" to screen readers beside the visible *: compare without it.
    const visible = (text) => text.replace(/ \(assumed\)/g, '');
    assert.ok(visible(row.SPF).startsWith(word(o.spf.result, false)), row.SPF);
    assert.equal(/\*/.test(row.SPF), o.spf.assumed);
    assert.equal(visible(row.DMARC), word(o.dmarc.result, o.dmarc.assumed));
    assert.equal(row.Disposition, o.dmarc.disposition);
  });
  // The relayed paths of the example fail SPF at the relay hop and pass DMARC through the CRM's DKIM.
  assert.ok(rows.some((r) => r.SPF.startsWith('fail')) && rows.every((r) => r.DMARC.startsWith('pass')));
  const spfCell = page.locator('#outcomes tbody tr.outcome').nth(1).locator('td').nth(4).locator('.verdict-word');
  assert.equal(await spfCell.getAttribute('title'), `Assumed: ${report.outcomes[1].spf.basis}`);
  assert.match(await page.textContent('#outcomes .assumed-legend'), /assumed/);
  await page.locator('#outcomes').screenshot({ path: join(screenshotDir, 'outcomes.png') });
});

test('opening a row shows core\'s reasons for SPF, DKIM and DMARC and the path\'s findings', async () => {
  const { page } = session;
  const index = report.outcomes.findIndex((o) => o.findings.length > 0);
  assert.ok(index >= 0, 'a path of the example has a finding');
  const outcome = report.outcomes[index];
  const button = page.locator('#outcomes tbody tr.outcome').nth(index).locator('button.expand');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  const reasons = page.locator(`#${await button.getAttribute('aria-controls')}`);
  assert.ok(await reasons.isHidden());
  await button.click();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  assert.ok(await reasons.isVisible());
  const text = await reasons.textContent();
  assert.ok(text.includes(outcome.spf.basis), 'the SPF basis');
  for (const signature of outcome.dkim) assert.ok(text.includes(signature.reason), 'each DKIM reason');
  assert.ok(text.includes(outcome.dmarc.reason), 'the DMARC reason');
  for (const finding of findingsOf(outcome, report)) {
    assert.ok(text.includes(finding.message), 'the finding');
    assert.ok(text.includes(finding.fix), 'its fix');
  }
  await page.locator('#outcomes').screenshot({ path: join(screenshotDir, 'outcomes-open.png') });
  await button.click();
  assert.ok(await reasons.isHidden());
});

test('without the CRM\'s DKIM the matrix says DMARC fails and shows the finding', async () => {
  const { page } = session;
  const failing = await analyze({ ...example, domains: [{ ...example.domains[0], crmDkim: { enabled: false } }] });
  assert.ok(failing.outcomes.every((o) => o.dmarc.result === 'fail'));
  await page.uncheck('[data-path="/domains/0/crmDkim/enabled"] input');
  await page.waitForFunction(() => [...document.querySelectorAll('#outcomes tbody tr.outcome td:nth-child(8)')]
    .some((td) => td.textContent.startsWith('fail')));
  const rows = await matrixRows(page);
  assert.equal(rows.length, failing.outcomes.length);
  failing.outcomes.forEach((o, i) => {
    assert.ok(rows[i].DMARC.startsWith('fail'), rows[i].DMARC);
    assert.equal(rows[i].Disposition, o.dmarc.disposition);
    assert.equal(rows[i].DKIM, 'none');
  });
  // In colour too: the verdict word carries the class its colour comes from.
  assert.equal(await page.locator('#outcomes tbody tr.outcome td:nth-child(8) .verdict-word.v-fail').count(), rows.length);
  const finding = findingsOf(failing.outcomes[0], failing).find((f) => f.code === 'outcome.dmarc.fail');
  assert.ok(finding, 'core explains the failure');
  await page.locator('#outcomes tbody tr.outcome').first().locator('button.expand').click();
  assert.ok((await page.textContent('#outcomes tr.reasons:not([hidden])')).includes(finding.message));
  await page.screenshot({ path: join(screenshotDir, 'outcomes-dmarc-fail.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 900 });
  await page.locator('#outcomes').screenshot({ path: join(screenshotDir, 'outcomes-390.png') });
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.check('[data-path="/domains/0/crmDkim/enabled"] input');
  await page.waitForFunction(() => ![...document.querySelectorAll('#outcomes tbody tr.outcome td:nth-child(8)')]
    .some((td) => td.textContent.startsWith('fail')));
});

test('the whitelist panel shows core\'s kind of snippet, and switching the kind switches the snippet', async () => {
  const { page } = session;
  const kinds = form.choices.snippetKinds;
  assert.deepEqual(kinds.map((k) => k.value), Object.keys(report.whitelist.snippetsByKind));
  const labels = await page.$$eval('#whitelist .snippet-kinds .kind strong', (list) => list.map((s) => s.textContent));
  assert.deepEqual(labels, kinds.map((k) => k.label));
  for (const { explanation } of kinds) assert.match(await page.textContent('#whitelist .snippet-kinds'), new RegExp(explanation.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  const chosen = report.whitelist.snippetKind;
  assert.equal(await page.inputValue('#whitelist .snippet-kinds input:checked'), chosen);
  assert.match(await page.textContent('#whitelist .kind.chosen'), /fits this config/);

  await page.selectOption('#whitelist select', 'postfix');
  assert.equal(await page.textContent('#whitelist pre'), report.whitelist.snippetsByKind[chosen].postfix);
  const other = kinds.find((k) => k.value !== chosen).value;
  await page.check(`#whitelist .snippet-kinds input[value="${other}"]`);
  assert.equal(await page.textContent('#whitelist pre'), report.whitelist.snippetsByKind[other].postfix);
  assert.notEqual(report.whitelist.snippetsByKind[other].postfix, report.whitelist.snippetsByKind[chosen].postfix);
  assert.equal(await page.inputValue('#whitelist .snippet-kinds input:checked'), other);
  await page.locator('#whitelist').screenshot({ path: join(screenshotDir, 'whitelist-kinds.png') });
  await page.setViewportSize({ width: 390, height: 900 });
  await page.locator('#whitelist').screenshot({ path: join(screenshotDir, 'whitelist-kinds-390.png') });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'nothing runs past a 390 px screen');
  await page.screenshot({ path: join(screenshotDir, 'page-390.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 1000 });
  assert.deepEqual(session.problems, []);
  assert.deepEqual(session.foreignRequests, []);
});
