// The findings as an admin reads them (issue 15): grouped by domain and relay, each group folding
// shut; a severity filter; codes only on demand; the same finding said of ten relays shown once
// with its count; a click on a finding goes to its field, unfolding its domain card; and the
// outcome matrix can show only the paths that do not pass DMARC. Core's answers for the same
// config come from the same wasm build, asked directly in Node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage, importConfig, screenshotDir } from './browser.mjs';
import { call, repoRoot } from '../node/core.mjs';

const DOMAINS = 10;
const example = JSON.parse(readFileSync(join(repoRoot, 'core', 'data', 'example-zylker.json'), 'utf8'));

/** Ten brands of zylker.com, each with the example's relay; the first without the CRM's DKIM. */
function tenBrands() {
  const config = structuredClone(example);
  config.account.editionDailyLimit = 100_000;
  config.domains = Array.from({ length: DOMAINS }, (_, i) => {
    const domain = structuredClone(example.domains[0]);
    domain.name = `brand${i}.zylker.com`;
    domain.relays[0].host = `smtp.brand${i}.zylker.com`;
    domain.relays[0].certificateHost = domain.relays[0].host;
    if (i === 0) domain.crmDkim.enabled = false;
    return domain;
  });
  return config;
}

let session;
let report;
before(async () => {
  const config = tenBrands();
  report = JSON.parse(await call('analyze', JSON.stringify({ config }))).result;
  session = await openPage();
  const { page } = session;
  await page.waitForSelector('body[data-analysed="true"]', { timeout: 30_000 });
  await page.setInputFiles('#import-file', { name: 'ten-brands.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(config)) });
  await page.waitForFunction(() => /Imported ten-brands\.json/.test(document.querySelector('#status').textContent));
});
after(async () => { await session?.close(); });

const visibleFindings = (page) => page.$$eval('#findings li.finding', (list) => list
  .filter((li) => li.checkVisibility())
  .map((li) => ({ severity: li.className.match(/\b(error|warning|info)\b/)[1], code: li.dataset.code, count: Number(li.dataset.count) })));

test('a finding core says of every relay is shown once, with its count and its places', async () => {
  const { page } = session;
  const perRelay = report.findings.filter((f) => f.code === 'relay.whitelist.recommended');
  assert.equal(perRelay.length, DOMAINS, 'core says it once per relay');
  const shown = (await visibleFindings(page)).filter((f) => f.code === 'relay.whitelist.recommended');
  assert.deepEqual(shown, [{ severity: 'info', code: 'relay.whitelist.recommended', count: DOMAINS }]);
  const item = page.locator('#findings li.finding[data-code="relay.whitelist.recommended"]');
  assert.match(await item.locator('.repeat').textContent(), new RegExp(`×${DOMAINS}`));
  await item.locator('details.places summary').click();
  await item.locator('details.places li').first().waitFor();
  const places = await item.locator('details.places li').allTextContents();
  assert.equal(places.length, DOMAINS - 1);
  assert.ok(places.every((p) => /^brand\d\.zylker\.com › smtp\.brand\d\.zylker\.com › Authentication$/.test(p)), places.join('\n'));
  // Every finding of core's is somewhere: the counts shown add up to core's.
  const all = await visibleFindings(page);
  assert.equal(all.reduce((n, f) => n + f.count, 0), report.findings.length);
  await item.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshotDir, 'findings-repeated.png') });
});

test('findings are grouped by domain and relay, and a group folds shut and stays shut', async () => {
  const { page } = session;
  const titles = await page.$$eval('#findings details.finding-group > summary .group-title', (list) => list.map((s) => s.textContent));
  assert.ok(titles.includes('The same finding in several places'), titles.join(' | '));
  assert.ok(titles.includes('brand0.zylker.com'), titles.join(' | '));
  const group = page.locator('#findings details.finding-group[data-group="d0"]');
  await group.locator('summary').click();
  assert.equal(await group.evaluate((d) => d.open), false);
  // An edit redraws the findings: the group stays folded.
  await page.fill('[data-path="/account/editionDailyLimit"] input', '90000');
  await page.waitForFunction(() => document.querySelector('#findings').textContent.includes('90,000') || document.querySelector('#plan').textContent.includes('90,000'));
  assert.equal(await page.locator('#findings details.finding-group[data-group="d0"]').evaluate((d) => d.open), false);
  await page.locator('#findings details.finding-group[data-group="d0"] summary').click();
});

test('the severity filter hides and shows each kind; codes appear only on demand', async () => {
  const { page } = session;
  assert.ok((await visibleFindings(page)).some((f) => f.severity === 'info'));
  assert.equal(await page.locator('#findings .finding .code').first().isVisible(), false, 'no code in the main view');
  await page.uncheck('#findings input[name="show-info"]');
  await page.waitForFunction(() => !document.querySelector('#findings li.finding.info'));
  const left = await visibleFindings(page);
  assert.ok(left.length > 0 && left.every((f) => f.severity !== 'info'), JSON.stringify(left));
  await page.check('#findings input[name="show-codes"]');
  assert.equal(await page.locator('#findings .finding .code').first().isVisible(), true);
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(screenshotDir, 'findings-filtered.png') });
  await page.uncheck('#findings input[name="show-codes"]');
  await page.check('#findings input[name="show-info"]');
  await page.waitForSelector('#findings li.finding.info');
});

test('a domain card folds shut, and a click on one of its findings unfolds it and focuses the field', async () => {
  const { page } = session;
  const card = page.locator('#editor .domain[data-path="/domains/3"]');
  await card.locator('> legend .fold').click();
  assert.equal(await card.evaluate((c) => c.classList.contains('collapsed')), true);
  assert.equal(await page.locator('[data-path="/domains/3/name"] input').isVisible(), false);
  assert.equal(await card.locator('> legend .fold').textContent(), '▸Domain brand3.zylker.com');
  // Its header line says what core reports in it, while it is folded.
  assert.equal(await card.locator('> legend .fold-counts').isVisible(), await card.locator('> legend .fold-counts .count').count() > 0);
  await page.locator('#editor .domain[data-path="/domains/2"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshotDir, 'domain-folded.png') });
  // Every relay reaches its cap: one finding, its places listed; brand3's goes to its daily limit.
  const item = page.locator('#findings li.finding[data-code="plan.relay.cap_reached"]');
  await item.locator('details.places summary').click();
  await item.locator('details.places .location', { hasText: 'smtp.brand3.zylker.com' }).click();
  const focused = () => page.evaluate(() => document.activeElement?.closest('[data-path]')?.dataset.path);
  await page.waitForFunction(() => document.activeElement?.closest('[data-path]')?.dataset.path === '/domains/3/relays/0/dailyLimit');
  assert.equal(await card.evaluate((c) => c.classList.contains('collapsed')), false);
  // A click on the message itself goes to the first place it names.
  await page.focus('[data-path="/account/timeZone"] input');
  await item.locator('.message').click();
  await page.waitForFunction(() => document.activeElement?.closest('[data-path]')?.dataset.path === '/domains/0/relays/0/dailyLimit');
  assert.equal(await focused(), '/domains/0/relays/0/dailyLimit');
});

test('the outcome matrix can show only the paths that do not pass DMARC', async () => {
  const { page } = session;
  const failing = report.outcomes.filter((o) => o.dmarc && o.dmarc.result !== 'pass');
  assert.ok(failing.length > 0 && failing.length < report.outcomes.length);
  assert.equal(await page.locator('#outcomes tbody tr.outcome').count(), report.outcomes.length);
  await page.check('#outcomes input[name="outcomes-only-failing"]');
  await page.waitForFunction((n) => document.querySelectorAll('#outcomes tbody tr.outcome').length === n, failing.length);
  const dmarc = await page.$$eval('#outcomes tbody tr.outcome td:nth-child(8)', (list) => list.map((td) => td.textContent));
  assert.ok(dmarc.every((t) => !t.startsWith('pass')), dmarc.join(' | '));
  assert.match(await page.textContent('#outcomes .outcome-filter'), new RegExp(`\\(${failing.length} of ${report.outcomes.length}\\)`));
  await page.locator('#outcomes').screenshot({ path: join(screenshotDir, 'outcomes-failing-only.png') });
  await page.uncheck('#outcomes input[name="outcomes-only-failing"]');
  await page.waitForFunction((n) => document.querySelectorAll('#outcomes tbody tr.outcome').length === n, report.outcomes.length);
});

test("a fix that needs a snippet links to it in the whitelist panel, in core's words", async () => {
  const { page } = session;
  const finding = report.findings.find((f) => f.code === 'relay.whitelist.recommended');
  assert.deepEqual(finding.action, { kind: 'whitelist', dataCenter: 'US', snippetKind: 'allow-connection' });
  assert.doesNotMatch(finding.fix, /relaycheck |--/, 'no command line in the fix');
  // The admin switches the panel to the other kind; the finding's link switches it back.
  await page.check('#whitelist .snippet-kinds input[value="grant-relay"]');
  const item = page.locator('#findings li.finding[data-code="relay.whitelist.recommended"]');
  await item.locator('button.action', { hasText: 'Show the whitelist snippet' }).click();
  await page.waitForFunction(() => document.querySelector('#whitelist .snippet-kinds input:checked')?.value === 'allow-connection');
  assert.match(await page.textContent('#whitelist .snippet-kinds label.chosen'), /Let the CRM connect/);
  // Where each finding is comes from core, and reads as the editor's labels.
  const where = await item.locator('.where .location').first().textContent();
  assert.equal(where, finding.locationText);
  assert.match(where, /› Authentication$/);
  assert.equal(await page.locator('[data-path="/domains/0/relays/0/auth"] .label').textContent(), 'Authentication');
});

test('an edit updates the results in place, and their filters then draw the latest answer', async () => {
  const { page } = session;
  // What the page shows now is marked; an edit that changes the findings and the outcomes is made.
  const marked = ['#findings details.finding-group[data-group="repeated"]', '#findings fieldset.finding-filter',
    '#outcomes .table-scroll', '#plan .table-scroll', '#outcomes tbody tr:nth-last-child(2)'];
  await page.evaluate((selectors) => selectors.forEach((s) => { document.querySelector(s).relaycheckMark = s; }), marked);
  const before = await page.textContent('#outcomes .outcome-filter');
  await page.click('[data-path="/domains/0/crmDkim/enabled"] input');
  await page.waitForFunction((text) => document.querySelector('#outcomes .outcome-filter').textContent !== text, before);
  await page.waitForSelector('body[data-analysed="true"]');
  // The groups, the tables and a row that read as before are the very elements drawn before;
  // the filter, whose counts changed, is drawn anew.
  const kept = await page.evaluate((selectors) => selectors.map((s) => document.querySelector(s)?.relaycheckMark === s), marked);
  assert.deepEqual(kept, [true, false, true, true, true], marked.join(' | '));
  // A domain renamed: the counts read as before, so the filter is kept from the drawing before;
  // toggled, it draws the findings of the latest answer, under the new name.
  await page.evaluate(() => { document.querySelector('#findings fieldset.finding-filter').relaycheckMark = 'before the rename'; });
  await page.fill('[data-path="/domains/9/name"] input', 'brand9x.zylker.com');
  await page.waitForFunction(() => [...document.querySelectorAll('#findings .group-title')].some((t) => t.textContent === 'brand9x.zylker.com'));
  await page.waitForSelector('body[data-analysed="true"]');
  assert.equal(await page.evaluate(() => document.querySelector('#findings fieldset.finding-filter').relaycheckMark), 'before the rename');
  await page.uncheck('#findings input[name="show-info"]');
  await page.waitForFunction(() => !document.querySelector('#findings li.finding.info'));
  await page.check('#findings input[name="show-info"]');
  await page.waitForSelector('#findings li.finding.info');
  const titles = await page.$$eval('#findings .group-title', (list) => list.map((t) => t.textContent));
  assert.ok(titles.includes('brand9x.zylker.com') && !titles.includes('brand9.zylker.com'), titles.join(' | '));
  const config = await page.evaluate(() => JSON.parse(localStorage.getItem('relaycheck.config.v1')));
  const now = JSON.parse(await call('analyze', JSON.stringify({ config }))).result;
  const shown = await visibleFindings(page);
  assert.equal(shown.reduce((n, f) => n + f.count, 0), now.findings.length);
  const failing = now.outcomes.filter((o) => o.dmarc && o.dmarc.result !== 'pass').length;
  await page.check('#outcomes input[name="outcomes-only-failing"]');
  await page.waitForFunction((n) => document.querySelectorAll('#outcomes tbody tr.outcome').length === n, failing);
  assert.match(await page.textContent('#outcomes .outcome-filter'), new RegExp(`\\(${failing} of ${now.outcomes.length}\\)`));
  await page.uncheck('#outcomes input[name="outcomes-only-failing"]');
  await page.waitForFunction((n) => document.querySelectorAll('#outcomes tbody tr.outcome').length === n, now.outcomes.length);
});

// Past core's limit of open cards the groups start shut and are drawn when opened, as the domain
// cards are; a config back under the limit has them open again, whatever the other side showed.
test('past the limit of open cards the groups start shut, and open again below it', async () => {
  const { limits } = JSON.parse(await call('form', '{}')).result;
  const many = tenBrands();
  // The first brand without the CRM's DKIM, as in tenBrands: findings of its own, in groups of its own.
  many.domains = Array.from({ length: limits.foldDomainsAbove + 1 }, (_, i) => ({ ...structuredClone(many.domains[i === 0 ? 0 : 1]), name: `brand${i}.zylker.com` }));
  const other = await openPage();
  try {
    const { page } = other;
    await page.waitForSelector('body[data-analysed="true"]', { timeout: 30_000 });
    const groups = () => page.$$eval('#findings details.finding-group', (list) => list.map((g) => ({ key: g.dataset.group, open: g.open, unbuilt: 'unbuilt' in g.dataset })));
    const opened = (await groups()).filter((g) => g.open).map((g) => g.key);
    await importConfig(page, 'many.json', many);
    const shut = await groups();
    const again = shut.find((g) => opened.includes(g.key))?.key;
    assert.ok(again, `a group the example showed open (${opened}) is drawn again: ${shut.map((g) => g.key)}`);
    assert.deepEqual(shut.filter((g) => g.open || !g.unbuilt), [], 'every group shut and not drawn');
    assert.equal(await page.locator('#findings li.finding').count(), 0);
    const first = page.locator(`#findings details.finding-group[data-group="${again}"]`);
    await first.locator('summary').click();
    assert.equal(await first.evaluate((g) => g.open && !('unbuilt' in g.dataset)), true);
    assert.ok(await first.locator('li.finding').count() > 0, 'opened, its findings are drawn');
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => document.querySelectorAll('#editor .card.domain').length === 1);
    await page.waitForFunction(() => [...document.querySelectorAll('#findings details.finding-group')].every((g) => g.open && !('unbuilt' in g.dataset)));
  } finally {
    await other.close();
  }
});

test('no request left the machine and nothing was logged as an error', () => {
  assert.deepEqual(session.foreignRequests, []);
  assert.deepEqual(session.problems, []);
});
