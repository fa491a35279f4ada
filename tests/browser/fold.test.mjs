// Folded domain cards (issue 16): a config of more domains than core's limit of open cards
// (form.limits.foldDomainsAbove) starts with every domain card folded, and a folded card is its
// header line only (the domain's name and how many errors and warnings core reports in it) until
// it is opened. Going to a field from a finding opens and builds its card, then focuses the field
// and shows the notes beside it; the focus stays on a field of an opened card when the form is
// drawn again. A config at or under the limit is drawn all open, as before; printed, it shows
// every field, a card folded by hand included; a larger one prints its folded cards' header lines
// (the report export has every field of every domain). The places of a finding core repeats are
// listed when the list is first opened, and printed in full.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { call, repoRoot } from '../node/core.mjs';
import { openPage, importConfig, screenshotDir } from './browser.mjs';

const card = (d) => `#editor .card.domain[data-path="/domains/${d}"]`;
const focusedPath = (page) => page.evaluate(() => document.activeElement?.closest('[data-path]')?.dataset.path ?? null);

let session;
let limit;
before(async () => {
  limit = JSON.parse(await call('form', '{}')).result.limits.foldDomainsAbove;
  session = await openPage();
  await session.page.waitForSelector('body[data-analysed="true"]', { timeout: 30_000 });
});
after(async () => {
  await session?.page.emulateMedia({ media: null });
  await session?.close();
});

function generated(domains) {
  return execFileSync('python3', [join(repoRoot, 'scripts', 'gen-config'), '--domains', String(domains), '--relays', '2', '--dns'],
    { encoding: 'utf8', maxBuffer: 16 << 20 });
}

/** Core's errors and warnings at or under each domain's pointer, by domain index. */
function countsOf(report) {
  const counts = new Map();
  for (const f of report.findings) {
    const m = /^\/domains\/(\d+)(\/|$)/.exec(f.path ?? '');
    if (!m || (f.severity !== 'error' && f.severity !== 'warning')) continue;
    const c = counts.get(Number(m[1])) ?? { error: 0, warning: 0 };
    ++c[f.severity];
    counts.set(Number(m[1]), c);
  }
  return counts;
}

test('core limits the open cards to a small number of domains', () => {
  assert.ok(Number.isInteger(limit) && limit >= 5 && limit < 500, String(limit));
});

test('a small config prints every field, a card folded by hand and drawn again unbuilt included', async () => {
  const { page } = session;
  await importConfig(page, 'three.json', JSON.parse(generated(3)));
  assert.equal(await page.locator('#editor .card.domain').count(), 3);
  assert.equal(await page.locator('#editor .card.domain.collapsed').count(), 0, 'at or under the limit every card is open');
  await page.click(`${card(1)} > legend .fold`);
  // A change of the form's shape draws it again: the folded card is drawn as its header line.
  await page.click('[data-path="/domains/0/crmDkim/enabled"] input');
  await page.waitForSelector(`${card(1)}[data-unbuilt]`, { state: 'attached' });
  assert.equal(await page.locator(`${card(1)} [data-path="/domains/1/name"]`).count(), 0);
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator(`${card(1)}[data-unbuilt]`).count(), 0, 'built for printing');
  assert.equal(await page.locator('[data-path="/domains/1/name"] input').isVisible(), true, 'its fields print');
  await page.emulateMedia({ media: 'screen' });
  assert.equal(await page.locator('[data-path="/domains/1/name"] input').isVisible(), false, 'and it stays folded on screen');
});

test(`a config of exactly the limit of domains is drawn all open`, async () => {
  const { page } = session;
  await importConfig(page, 'at-limit.json', JSON.parse(generated(limit)));
  assert.equal(await page.locator('#editor .card.domain').count(), limit);
  assert.equal(await page.locator('#editor .card.domain.collapsed, #editor [data-unbuilt]').count(), 0);
  assert.equal(await page.locator('#editor fieldset.relay').count(), limit * 2);
});

test('past the limit every card is folded, its header line saying its errors and warnings', async () => {
  const { page } = session;
  const text = generated(limit + 1);
  const report = JSON.parse(await call('analyze', JSON.stringify({ config: text }))).result;
  await importConfig(page, 'past-limit.json', JSON.parse(text));
  await page.waitForSelector('body[data-analysed="true"]');
  assert.equal(await page.locator('#editor .card.domain.collapsed[data-unbuilt]').count(), limit + 1);
  assert.equal(await page.locator('#editor .card.domain .field, #editor fieldset.relay').count(), 0, 'no field is built');
  assert.equal(await page.locator('#editor .card.domain .inline-finding').count(), 0, 'nor any note beside one');
  const counts = countsOf(report);
  assert.ok([...counts.values()].some((c) => c.error + c.warning > 0), 'core reports something in some domain');
  for (let d = 0; d <= limit; d++) {
    const c = counts.get(d) ?? { error: 0, warning: 0 };
    const words = [c.error ? `● ${c.error} error${c.error === 1 ? '' : 's'}` : '', c.warning ? `▲ ${c.warning} warning${c.warning === 1 ? '' : 's'}` : ''];
    assert.equal(await page.textContent(`${card(d)} > legend .fold-counts`), words.join(''), `domain ${d}`);
    assert.equal(await page.textContent(`${card(d)} > legend .fold strong`), report.config.domains[d].name);
  }
  assert.equal(await page.locator(`${card(0)} > legend .fold-counts`).isVisible(), (counts.get(0)?.warning ?? 0) + (counts.get(0)?.error ?? 0) > 0);
  await page.evaluate(() => scrollTo(0, document.querySelector('#editor').offsetTop));
  await page.screenshot({ path: join(screenshotDir, 'domains-folded.png') });

  // Printed, a folded card of a config this large is its header line, with its counts, and so is a
  // group of findings never opened (they start shut past the limit, drawn when opened).
  const groups = page.locator('#findings details.finding-group');
  assert.ok(await groups.count() > 1);
  assert.equal(await page.locator('#findings details.finding-group[data-unbuilt]').count(), await groups.count(), 'every group shut, not drawn');
  await page.locator('#findings details.finding-group[data-group="repeated"] > summary').click();
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('#editor [data-unbuilt]').count(), limit + 1, 'nothing built for printing');
  assert.equal(await page.locator(`${card(0)} > legend .fold`).isVisible(), true);
  assert.equal(await page.locator('#findings details.finding-group[data-unbuilt]').count(), await groups.count() - 1);
  // The places of a repeated finding, a list built when opened, print: built for printing.
  assert.ok(await page.locator('#findings details.places').count() > 0);
  assert.equal(await page.locator('#findings details.places[data-unbuilt]').count(), 0);
  assert.equal(await page.locator('#findings details.places li').first().isVisible(), true);
  await page.emulateMedia({ media: 'screen' });
});

test('a finding in a folded card goes to its field: the card is opened and built, its notes drawn', async () => {
  const { page } = session;
  const d = limit - 3;
  // A finding core places on a relay's field of that domain, listed with its place.
  const report = JSON.parse(await call('analyze', JSON.stringify({ config: generated(limit + 1) }))).result;
  const wanted = report.findings.find((f) => f.path?.startsWith(`/domains/${d}/relays/1/`) && f.severity !== 'info');
  assert.ok(wanted, 'core reports something on the second relay');
  await page.evaluate(() => { for (const g of document.querySelectorAll('#findings details')) g.open = true; });
  const link = page.locator('#findings .location', { hasText: wanted.locationText }).first();
  await link.click();
  await page.waitForFunction((p) => {
    const at = document.activeElement?.closest('[data-path]')?.dataset.path;
    return at && at !== `/domains/${p.split('/')[2]}` && (p === at || p.startsWith(`${at}/`));
  }, wanted.path);
  const at = await focusedPath(page);
  assert.ok(at.startsWith(`/domains/${d}/relays/1`), at);
  assert.equal(await page.locator(`${card(d)}.collapsed, ${card(d)}[data-unbuilt]`).count(), 0, 'the card is open and built');
  assert.equal(await page.locator(`${card(d)} fieldset.relay`).count(), 2);
  assert.ok(await page.locator(`#editor [data-path="${at}"] .inline-finding`).count() > 0, 'the notes beside the field are drawn');
  assert.equal(await page.locator('#editor [data-unbuilt]').count(), limit, 'the other cards stay unbuilt');

  // The form drawn again (a checkbox that shows fields): the card stays open, the focus on it.
  const signs = `[data-path="/domains/${d}/relays/0/dkim/signs"] input`;
  const was = await page.isChecked(signs);
  await page.focus(signs);
  await page.keyboard.press('Space');
  await page.waitForFunction(([s, w]) => document.querySelector(s)?.checked === !w, [signs, was]);
  await page.waitForFunction((s) => document.activeElement === document.querySelector(s), signs);
  assert.equal(await page.locator(`${card(d)}[data-unbuilt]`).count(), 0);
  assert.equal(await page.locator('#editor [data-unbuilt]').count(), limit);
});

test('the page made no request off the machine and logged no error', () => {
  assert.deepEqual(session.foreignRequests, []);
  assert.deepEqual(session.problems, []);
});
