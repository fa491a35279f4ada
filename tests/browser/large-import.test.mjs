// The largest config the format allows in domains (issue 16): 500 domains x 3 relays with traffic
// for every email type and the DNS data of every decision, made by scripts/gen-config, imports,
// is drawn, and the page still answers input afterwards: a key typed into a relay's daily limit
// changes the analysis shown. Past core's limit of open cards (form.limits.foldDomainsAbove) every
// domain card is drawn folded, as its header line only, and built when it is opened; the outcome
// matrix and the plan's paths show their first rows (form.limits.tableRowsAtFirst) and the rest
// when asked; the groups of findings and the DNS panel's domains are drawn shut, and drawn in full
// when opened. The test fails only on a hang: nothing drawn within 30 s on an idle machine (scaled
// by the load average per core on a busy one); how fast it is belongs to scripts/bench-page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { call, repoRoot } from '../node/core.mjs';
import { openPage, importConfig, screenshotDir } from './browser.mjs';

const HANG = Math.round(30_000 * Math.max(1, loadavg()[0] / cpus().length));
const DOMAINS = 500;
const LIMIT = '[data-path="/domains/0/relays/0/dailyLimit"] input';
const LAST = `[data-path="/domains/${DOMAINS - 1}/relays/2/host"] input`;
const card = (d) => `#editor .card.domain[data-path="/domains/${d}"]`;

let session;
before(async () => {
  session = await openPage();
  await session.page.waitForSelector('body[data-analysed="true"]', { timeout: HANG });
});
after(async () => { await session?.close(); });

function generated() {
  const text = execFileSync('python3', [join(repoRoot, 'scripts', 'gen-config'), '--domains', String(DOMAINS), '--relays', '3', '--dns'],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(text);
}

test('500 domains x 3 relays with traffic and DNS data import and are drawn', { timeout: 3 * HANG }, async () => {
  const { page } = session;
  const config = generated();
  assert.equal(config.domains.length, DOMAINS);
  assert.ok(config.domains.every((d) => d.relays.length === 3 && Object.keys(d.traffic).length === 3));
  page.setDefaultTimeout(HANG);
  await importConfig(page, 'five-hundred.json', config);
  assert.match(await page.textContent('#status'), /Imported five-hundred\.json/);
  // Every domain is in the editor as a folded card, its header line only: no relay is built.
  const { limits } = JSON.parse(await call('form', '{}')).result;
  assert.ok(DOMAINS > limits.foldDomainsAbove);
  assert.equal(await page.locator('#editor .card.domain').count(), DOMAINS);
  assert.equal(await page.locator('#editor .card.domain.collapsed[data-unbuilt]').count(), DOMAINS);
  assert.equal(await page.locator('#editor fieldset.relay').count(), 0);
  assert.equal(await page.locator(`${card(DOMAINS - 1)} > legend .fold`).getAttribute('aria-expanded'), 'false');
  assert.match(await page.textContent(`${card(DOMAINS - 1)} > legend`), new RegExp(`Domain o${DOMAINS - 1}\\.zylker-bench\\.com`));
  // Opening the last one builds it: its three relays, the last one's host as imported.
  await page.click(`${card(DOMAINS - 1)} > legend .fold`);
  assert.equal(await page.locator(`${card(DOMAINS - 1)} fieldset.relay`).count(), 3);
  assert.equal(await page.inputValue(LAST), `smtp2.o${DOMAINS - 1}.zylker-bench.com`);
  assert.equal(await page.locator('#editor fieldset.relay').count(), 3, 'only the card opened is built');
  // Core's analysis of it is shown: the counts, and the first rows of the outcome matrix and of
  // the plan's paths (core's form.limits.tableRowsAtFirst), each with a line saying how many more.
  assert.match(await page.textContent('#summary'), /\d+ errors?/);
  const rows = limits.tableRowsAtFirst;
  assert.ok(Number.isInteger(rows) && rows > 0);
  assert.equal(await page.locator('#outcomes tr.outcome').count(), rows);
  assert.equal(await page.locator('#plan table.paths tbody tr').count(), rows);
  const more = async (line, noun) => {
    const text = await page.textContent(line);
    const m = text.match(new RegExp(`^The first ${rows} of ([\\d,]+) ${noun} are shown\\. Show all ([\\d,]+) ${noun}$`));
    assert.ok(m && m[1] === m[2], text);
    return Number(m[1].replace(/,/g, ''));
  };
  const paths = await more('#outcomes .more-rows', 'paths');
  const planPaths = await more('#plan > .more-rows', 'message paths');
  assert.ok(paths >= 3 * DOMAINS && planPaths >= DOMAINS, `${paths} outcome rows, ${planPaths} plan paths`);
  // The suggested split likewise: a row for each of the first relays.
  const split = '#plan .allocation tbody tr';
  assert.equal(await page.locator(split).count(), rows);
  assert.equal(await more('#plan .allocation .more-rows', 'relays'), 3 * DOMAINS);
  // "Show all" draws every row, the line goes, and focus goes to the first row it drew.
  await page.click('#outcomes .more-rows button');
  await page.waitForFunction((n) => document.querySelectorAll('#outcomes tr.outcome').length === n, paths);
  assert.equal(await page.locator('#outcomes .more-rows').count(), 0);
  await page.waitForFunction((n) => document.activeElement === document.querySelectorAll('#outcomes tr.outcome')[n]?.querySelector('button.expand'), rows);
  await page.click('#plan > .more-rows button');
  await page.waitForFunction((n) => document.querySelectorAll('#plan table.paths tbody tr').length === n, planPaths);
  assert.equal(await page.locator('#plan > .more-rows').count(), 0);
  await page.waitForFunction(() => document.activeElement === document.querySelector('#plan .table-scroll'));
  await page.click('#plan .allocation .more-rows button');
  await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length === n, [split, 3 * DOMAINS]);
  assert.equal(await page.locator('#plan .more-rows').count(), 0);
  assert.match(await page.textContent(`${split}:last-child td`), /^smtp\d\.o\d+\.zylker-bench\.com$/);
  await page.waitForFunction(() => document.activeElement === document.querySelector('#plan .allocation .table-scroll'));
  // The DNS panel likewise: every domain folded to its name, its records drawn when it is opened.
  const dns = '#dns-panel article.dns-domain';
  assert.equal(await page.locator(`${dns}[data-unbuilt]`).count(), DOMAINS);
  assert.equal(await page.locator(`${dns} .dns-spf`).count(), 0);
  const lastDns = page.locator(dns).last();
  assert.equal(await lastDns.locator('summary h3').textContent(), `o${DOMAINS - 1}.zylker-bench.com`);
  await lastDns.locator('summary').click();
  assert.equal(await lastDns.locator('details').evaluate((d) => d.open), true);
  assert.equal(await lastDns.locator('.dns-spf').count(), 1);
  assert.equal(await page.locator(`${dns}[data-unbuilt]`).count(), DOMAINS - 1);
});

// A far jump on a page this tall lands short at first: the finding groups and DNS domains not yet
// laid out stand in at an estimated height. The field must still end up in view and focused.
test('a finding of the farthest domain goes to its field, in view and focused', { timeout: 3 * HANG }, async () => {
  const { page } = session;
  page.setDefaultTimeout(HANG);
  // Past core's limit the groups of findings start shut, as the domain cards do, their findings
  // not drawn: the farthest relay's group is opened, which draws them.
  const groups = await page.$$eval('#findings details.finding-group', (list) => list.map((g) => ({ key: g.dataset.group, open: g.open, unbuilt: 'unbuilt' in g.dataset })));
  assert.ok(groups.length > 1, `${groups.length} groups`);
  assert.deepEqual(groups.filter((g) => g.open || !g.unbuilt), [], 'every group is shut and not drawn');
  assert.equal(await page.locator('#findings li.finding').count(), 0);
  const farthest = groups.map((g) => g.key.match(/^d(\d+)r\d+$/)).filter(Boolean)
    .reduce((best, m) => (Number(m[1]) > best.d ? { d: Number(m[1]), key: m[0] } : best), { d: -1, key: '' });
  assert.ok(farthest.d >= DOMAINS / 2, `a group of findings about a relay of a domain past the middle: ${farthest.key}`);
  const group = page.locator(`#findings details.finding-group[data-group="${farthest.key}"]`);
  await group.locator('summary').scrollIntoViewIfNeeded();
  await group.locator('summary').click();
  assert.equal(await group.evaluate((g) => g.open && !('unbuilt' in g.dataset)), true);
  const count = await group.locator('li.finding').count();
  assert.ok(count > 0 && count === await page.locator('#findings li.finding').count(), `${count} findings drawn, all of the group opened`);
  const link = group.locator('button.location').first();
  assert.match(await link.textContent(), new RegExp(`^o${farthest.d}\\.zylker-bench\\.com › `));
  await link.click();
  await page.waitForFunction((d) => document.activeElement?.matches('input, select')
    && document.activeElement.closest(`[data-path^="/domains/${d}/relays/"]`), farthest.d);
  // Once the page has stopped scrolling (the same position for half a second), the field is in view.
  await page.waitForFunction(() => {
    const now = [scrollY, performance.now()];
    const last = (window.lastScroll ??= now);
    if (last[0] !== now[0]) window.lastScroll = now;
    return last[0] === now[0] && now[1] - last[1] > 500;
  }, null, { polling: 100 });
  const { top, bottom, height } = await page.evaluate(() => document.activeElement.getBoundingClientRect().toJSON());
  const viewport = await page.evaluate(() => innerHeight);
  assert.ok(top >= 0 && bottom <= viewport, `the field is at ${Math.round(top)}-${Math.round(bottom)} px (height ${height}) of a ${viewport} px viewport`);
  await page.screenshot({ path: join(screenshotDir, 'large-import-far-field.png') });
});

test('after the import the page answers input: an edit changes the analysis shown', { timeout: 3 * HANG }, async () => {
  const { page } = session;
  page.setDefaultTimeout(HANG);
  const paths = () => page.textContent('#plan');
  const before = await paths();
  await page.click(`${card(0)} > legend .fold`);
  // A daily limit no relay can have: core says so beside the field, and the plan changes.
  await page.fill(LIMIT, '-1');
  await page.waitForSelector(`[data-path="/domains/0/relays/0/dailyLimit"] .inline-finding.error`, { timeout: HANG });
  await page.fill(LIMIT, '5');
  await page.waitForFunction((old) => document.querySelector('#plan').textContent !== old
    && !document.querySelector('[data-path="/domains/0/relays/0/dailyLimit"] .inline-finding.error'), before, { timeout: HANG });
  assert.equal(await page.inputValue(LIMIT), '5');
});

test('the page made no request off the machine and logged no error', () => {
  assert.deepEqual(session.foreignRequests, []);
  assert.deepEqual(session.problems, []);
});
