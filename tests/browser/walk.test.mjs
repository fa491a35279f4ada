// The scripted walk of issue 15: an admin lays out the domain source's zylker.com setup
// (core/data/example-zylker.json, from "Setting up Email Relay") from an empty page with two
// domains, through the editor only (clicks, typing and pasting, never localStorage), and meets
// each promise of the issue on the way: the fourth relay refused, a port of 2525 shown at its
// field until fixed, a removed domain brought back by Undo, no limit advice on a blank forecast,
// download and import back, a broken import changing nothing, a reload without the password, two
// tabs, a pasted bulleted whitelist, the share link in a fresh browser, the example's outcome
// matrix and DNS panel, and the HTML report. One test per step, in order, on one page; each
// state is saved as build/screenshots/walk-NN-name.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage, screenshotDir, importConfig, waitStatus, paste, download } from './browser.mjs';
import { call, repoRoot } from '../node/core.mjs';

const STORAGE_KEY = 'relaycheck.config.v1';
const PASSWORD = `walk-secret-${process.pid}`;
const example = JSON.parse(readFileSync(join(repoRoot, 'core', 'data', 'example-zylker.json'), 'utf8'));
const analyze = async (config) => JSON.parse(await call('analyze', JSON.stringify({ config }))).result;

// The US data centre's list as the source's page shows it: bullets, trailing spaces, blank lines.
const US_RANGES = ['204.141.42.0/23', '136.143.190.0/23', '136.143.186.0/23', '136.143.189.0/24', '204.141.32.0/23',
  '136.143.182.0/23', '136.143.180.0/23', '136.143.185.0/24', '136.143.178.0/23', '136.143.176.0/23', '8.40.222.0/23', '8.39.54.0/23'];
const HELP_PAGE = `US DC\n(crm.zoho.com)\n${US_RANGES.map((r, i) => `  • ${r}${i % 2 ? '' : ' '}\n\n`).join('')}`;

let session;
let step = 0;
let downloaded;  // the config file the walk downloads, as text
let shareUrl;
before(async () => {
  session = await openPage();
  await session.page.waitForSelector('body[data-analysed="true"]', { timeout: 30_000 });
});
after(async () => { await session?.close(); });

/** Saves the page as walk-NN-name.png: the top of the page, or `target` (a locator) alone. */
async function shot(name, target = null, page = session.page) {
  const path = join(screenshotDir, `walk-${String(++step).padStart(2, '0')}-${name}.png`);
  if (target) {
    await target.scrollIntoViewIfNeeded();
    await target.screenshot({ path });
  } else {
    await page.evaluate(() => scrollTo(0, 0));
    await page.screenshot({ path });
  }
}

const at = (path) => `[data-path="${path}"]`;
const input = (path) => `${at(path)} input`;
const stored = (page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key)), STORAGE_KEY);
const domainNames = (page) => page.$$eval('#editor .domain > legend strong', (list) => list.map((s) => s.textContent));
/** Waits for the findings core gives once the edits so far are analysed. */
const waitFinding = (page, code, present = true) => page.waitForFunction(([c, p]) =>
  Boolean(document.querySelector(`#findings li.finding[data-code="${c}"]`)) === p, [code, present]);

test('the admin empties the page: the example\'s domain removed, nothing to check yet', async () => {
  const { page } = session;
  assert.deepEqual(await domainNames(page), ['zylker.com'], 'the page opens on the example');
  await page.locator(`${at('/domains/0')} > .row button`, { hasText: 'Remove domain' }).click();
  assert.deepEqual(await domainNames(page), []);
  await page.waitForFunction(() => /^Nothing to check yet/.test(document.querySelector('#summary .verdict')?.textContent ?? ''));
  assert.doesNotMatch(await page.textContent('#summary'), /can send through this setup/);
  assert.deepEqual((await stored(page)).domains, []);
  await shot('empty');
});

test('the account: data centre, edition limit, time zone, and the CRM\'s list pasted with its bullets', async () => {
  const { page } = session;
  await page.selectOption(`${at('/account/dataCenter')} select`, 'US');
  await page.fill(input('/account/editionDailyLimit'), '5000');
  await page.fill(input('/account/timeZone'), 'America/New_York');
  await paste(page, '/account/crmRanges', HELP_PAGE);
  const report = page.locator(`${at('/account/crmRanges')} .paste-report`);
  await report.waitFor({ timeout: 10_000 });
  assert.equal(await page.inputValue(`${at('/account/crmRanges')} textarea`), US_RANGES.join('\n'), 'core\'s entries, bullets gone');
  assert.match(await report.textContent(), /Read 12 entries/);
  await page.waitForFunction((n) => JSON.parse(localStorage.getItem('relaycheck.config.v1'))?.account?.crmRanges?.length === n, US_RANGES.length);
  assert.ok(Number(await page.getAttribute(`${at('/account/crmRanges')} textarea`, 'rows')) >= 13, 'the box grows with the list');
  await shot('account-pasted-ranges', page.locator('#editor > fieldset.card').first());
});

test('two domains, each with a relay of core\'s defaults; the card titles follow the names typed', async () => {
  const { page } = session;
  const add = page.locator('#editor > .row button', { hasText: '+ domain' });
  await add.click();
  await add.click();
  await page.fill(input('/domains/0/name'), 'zylker.com');
  await page.fill(input('/domains/1/name'), 'zylker.net');
  assert.deepEqual(await domainNames(page), ['zylker.com', 'zylker.net']);
  assert.equal(await page.locator('#editor .relay').count(), 2, 'a new domain comes with one relay');
  assert.match(await page.getAttribute('#undo', 'title'), /Add a domain/);
  await shot('two-domains');
});

test('zylker.com\'s relay as the source sets it up: smtp.zylker.com, 587 with STARTTLS, 2,000 a day', async () => {
  const { page } = session;
  const r = '/domains/0/relays/0';
  await page.fill(input(`${r}/host`), 'smtp.zylker.com');
  assert.equal(await page.textContent(`${at(r)} > legend strong`), 'smtp.zylker.com', 'the relay title follows the host');
  await page.selectOption(`${at(`${r}/port`)} select`, '587');
  await page.selectOption(`${at(`${r}/security`)} select`, 'starttls');
  await page.fill(input(`${r}/dailyLimit`), '2000');
  await page.fill(input(`${r}/certificateHost`), 'smtp.zylker.com');
  await page.selectOption(`${at(`${r}/auth`)} select`, 'password');
  await page.fill(input(`${r}/username`), 'crm-relay@zylker.com');
  await page.fill(input(`${r}/password`), PASSWORD);
  await page.locator(`${at(`${r}/emailTypes`)} label.check`, { hasText: 'Mass emails' }).locator('input').check();
  await page.locator(`${at(`${r}/emailTypes`)} label.check`, { hasText: 'Workflow emails' }).locator('input').check();
  await page.fill(`${at(`${r}/outboundIps`)} textarea`, '203.0.113.25');
  // The forecasts of zylker.com: a 10:00 campaign of 3,000, 900 workflow and 400 individual emails.
  const t = '/domains/0/traffic';
  await page.fill(input(`${t}/mass/daily`), '3000');
  await page.selectOption(`${at(`${t}/mass/profile`)} select`, 'burst');
  await page.fill(input(`${t}/mass/burstHour`), '10');
  await page.fill(input(`${t}/workflow/daily`), '900');
  await page.fill(input(`${t}/individual/daily`), '400');
  // Core sees the relay reach its cap with the 10:00 campaign: a finding at the daily limit.
  await waitFinding(page, 'plan.relay.cap_reached');
  assert.match(await page.textContent(`${at(`${r}/dailyLimit`)} .inline-finding`), /./);
  await page.waitForSelector('#outcomes table.outcome-matrix');
  await shot('zylker-com-relay', page.locator(at('/domains/0')));
});

test('a fourth relay is refused: the button stops at core\'s limit of three', async () => {
  const { page } = session;
  const addRelay = page.locator(`${at('/domains/0')} > .row button`, { hasText: '+ relay' });
  await addRelay.click();
  await addRelay.click();
  assert.equal(await page.locator(`${at('/domains/0')} .relay`).count(), 3);
  assert.ok(await addRelay.isDisabled(), 'no fourth relay');
  assert.equal(await addRelay.getAttribute('title'), 'At most 3 relay servers per domain');
  await addRelay.click({ force: true });
  assert.equal(await page.locator(`${at('/domains/0')} .relay`).count(), 3, 'a forced click adds nothing');
  await shot('three-relays-no-fourth', addRelay.locator('..'));
  // The two empty relays go again; the first keeps what was typed.
  for (const r of [2, 1]) await page.locator(`${at(`/domains/0/relays/${r}`)} > .row button`, { hasText: 'Remove relay' }).click();
  assert.equal(await page.locator(`${at('/domains/0')} .relay`).count(), 1);
  assert.ok(await addRelay.isEnabled());
  assert.equal(await page.inputValue(input('/domains/0/relays/0/host')), 'smtp.zylker.com');
});

test('zylker.net: a relay for individual emails, and a forecast left blank gives no limit advice', async () => {
  const { page } = session;
  const r = '/domains/1/relays/0';
  await page.fill(input(`${r}/host`), 'smtp.zylker.net');
  await page.fill(input(`${r}/certificateHost`), 'smtp.zylker.net');
  await page.fill(input(`${r}/username`), 'crm-relay@zylker.net');
  await page.fill(input(`${r}/dailyLimit`), '1000');
  await page.fill(`${at(`${r}/outboundIps`)} textarea`, '203.0.113.26');
  await page.locator(`${at(`${r}/emailTypes`)} label.check`, { hasText: 'Individual emails' }).locator('input').check();
  // A number typed and taken out again is blank, not 0.
  const daily = input('/domains/1/traffic/individual/daily');
  await page.fill(daily, '0');
  await waitFinding(page, 'plan.relay.underused');
  await page.fill(daily, '');
  await waitFinding(page, 'plan.relay.underused', false);
  await waitFinding(page, 'plan.forecast.unknown');
  const findings = await page.textContent('#findings');
  assert.doesNotMatch(findings, /lower its daily limit/i);
  assert.doesNotMatch(findings, /will carry 0/);
  const stored1 = (await stored(page)).domains[1].traffic;
  assert.ok(stored1.individual?.daily === undefined || stored1.individual.daily === null, JSON.stringify(stored1));
  await shot('blank-forecast', page.locator('#findings'));
});

test('remove zylker.net and bring it back with Undo', async () => {
  const { page } = session;
  await page.locator(`${at('/domains/1')} > .row button`, { hasText: 'Remove domain' }).click();
  assert.deepEqual(await domainNames(page), ['zylker.com']);
  assert.match(await page.getAttribute('#undo', 'title'), /Remove domain zylker\.net/);
  await shot('domain-removed');
  await page.click('#undo');
  await waitStatus(page, /Undone: Remove domain zylker\.net/);
  assert.deepEqual(await domainNames(page), ['zylker.com', 'zylker.net']);
  assert.equal(await page.inputValue(input('/domains/1/relays/0/host')), 'smtp.zylker.net');
  assert.deepEqual((await stored(page)).domains.map((d) => d.name), ['zylker.com', 'zylker.net']);
  await page.fill(input('/domains/0/relays/0/password'), PASSWORD);
  await shot('domain-undone');
});

test('the zylker.com laid out is the source\'s setup, as core reads the example', async () => {
  const { page } = session;
  const ours = (await analyze(await stored(page))).config;
  const source = (await analyze(example)).config;
  // The Carries boxes write core's order of email types; the example lists them the other way.
  const typesSorted = (config) => config.domains[0].relays.forEach((r) => r.emailTypes.sort());
  typesSorted(ours);
  typesSorted(source);
  assert.deepEqual(ours.domains[0], source.domains[0]);
  const { crmRanges, ...account } = ours.account;
  const { crmRanges: none, ...sourceAccount } = source.account;
  assert.deepEqual(account, sourceAccount);
  assert.deepEqual(crmRanges, US_RANGES);
  assert.deepEqual(none, []);
});

test('download the config, import it back, and it is the same config, without the password', async () => {
  const { page } = session;
  const before = await stored(page);
  const { name, text } = await download(page, '#download');
  assert.equal(name, 'relay-config.json');
  assert.ok(!text.includes(PASSWORD) && !/"password"\s*:/.test(text), 'no password in the file');
  downloaded = text;
  const file = JSON.parse(text);
  assert.deepEqual(file.domains.map((d) => d.name), ['zylker.com', 'zylker.net']);
  await importConfig(page, 'relay-config.json', file);
  await waitStatus(page, /Imported relay-config\.json/);
  assert.deepEqual((await analyze(await stored(page))).config, (await analyze(before)).config, 'the same config after the round trip');
  assert.equal(await page.inputValue(input('/domains/0/relays/0/password')), '', 'no password came back');
  await shot('imported-back');
});

test('a file edited by hand with port 2525 shows the finding at the port, until 587 is chosen', async () => {
  const { page } = session;
  const edited = JSON.parse(downloaded);
  edited.domains[0].relays[0].port = 2525;
  await importConfig(page, 'edited-2525.json', edited);
  const port = page.locator(at('/domains/0/relays/0/port'));
  await port.locator('.inline-finding').waitFor();
  assert.match(await port.locator('.inline-finding').textContent(), /25, 465 (and|or) 587/);
  assert.ok(await port.evaluate((f) => f.classList.contains('has-error')));
  assert.equal(await port.locator('select').inputValue(), '2525', 'the value imported stays shown');
  await waitFinding(page, 'relay.port.unsupported');
  await shot('port-2525', page.locator(at('/domains/0/relays/0')));
  await port.locator('select').selectOption('587');
  await waitFinding(page, 'relay.port.unsupported', false);
  assert.equal(await port.locator('.inline-finding').count(), 0);
  assert.ok(!(await port.evaluate((f) => f.classList.contains('has-error'))));
  await shot('port-fixed', page.locator(at('/domains/0/relays/0')));
});

test('a broken import asks nothing and leaves the config unchanged', async () => {
  const { page } = session;
  const before = JSON.stringify(await stored(page));
  await page.setInputFiles('#import-file', { name: 'cut-short.json', mimeType: 'application/json', buffer: Buffer.from(downloaded.slice(0, 200)) });
  await waitStatus(page, /cut-short\.json was not imported/);
  assert.match(await page.textContent('#status'), /Your current config is unchanged/);
  assert.equal(await page.locator('dialog.ask[open]').count(), 0);
  assert.equal(JSON.stringify(await stored(page)), before);
  assert.deepEqual(await domainNames(page), ['zylker.com', 'zylker.net']);
  await shot('broken-import');
});

test('a reload brings the config back, without the password typed', async () => {
  const { page } = session;
  await page.fill(input('/domains/0/relays/0/password'), PASSWORD);
  await page.waitForTimeout(200);
  const before = await stored(page);
  const kept = await page.evaluate(() => Object.keys(localStorage).map((k) => localStorage.getItem(k)).join('\n'));
  assert.ok(!kept.includes(PASSWORD), 'the password is in no storage key');
  await page.reload();
  await page.waitForSelector('body[data-analysed="true"]');
  assert.deepEqual(await domainNames(page), ['zylker.com', 'zylker.net']);
  assert.deepEqual(await stored(page), before);
  assert.equal(await page.inputValue(input('/domains/0/relays/0/host')), 'smtp.zylker.com');
  assert.equal(await page.inputValue(input('/domains/0/relays/0/password')), '');
  await shot('reloaded');
});

test('two tabs: an edit in the other tab is said here, and the admin chooses which config wins', async () => {
  const { page } = session;
  const other = await page.context().newPage();
  try {
    await other.goto(page.url());
    await other.waitForSelector('body[data-analysed="true"]');
    assert.deepEqual(await domainNames(other), ['zylker.com', 'zylker.net']);
    await other.fill(input('/domains/0/relays/0/dailyLimit'), '2500');
    await page.waitForSelector('#alerts [data-notice="conflict"]');
    assert.match(await page.textContent('#alerts'), /changed in another tab/);
    assert.match(await page.textContent('#status'), /Not saved: another tab/);
    await shot('two-tabs-conflict');
    await page.click('#alerts button:has-text("Load the other tab")');
    await page.waitForFunction((sel) => document.querySelector(sel).value === '2500', input('/domains/0/relays/0/dailyLimit'));
    assert.equal(await page.locator('#alerts [data-notice="conflict"]').count(), 0);
    // Back to the source's 2,000, in this tab; the other tab hears of it in turn.
    await page.fill(input('/domains/0/relays/0/dailyLimit'), '2000');
    await other.waitForSelector('#alerts [data-notice="conflict"]');
  } finally {
    await other.close();
  }
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('relaycheck.config.v1')).domains[0].relays[0].dailyLimit === 2000);
});

test('the share link opens the same config in a fresh browser, without the password', async () => {
  const { page, url } = session;
  await page.click('#share');
  await page.waitForSelector('#alerts [data-notice="share"] input.share-link');
  shareUrl = await page.inputValue('#alerts input.share-link');
  assert.match(shareUrl, /#config=[A-Za-z0-9_-]+$/);
  await shot('share-link');
  const mine = await stored(page);
  const context = await page.context().browser().newContext({ viewport: { width: 1360, height: 1000 } });
  try {
    const fresh = await context.newPage();
    const requests = [];
    fresh.on('request', (r) => requests.push(r.url()));
    await fresh.goto(shareUrl);
    await waitStatus(fresh, /Opened the shared config/);
    assert.equal(await fresh.locator('dialog.ask[open]').count(), 0, 'a fresh browser has nothing to lose');
    assert.deepEqual(await domainNames(fresh), ['zylker.com', 'zylker.net']);
    assert.deepEqual((await analyze(await stored(fresh))).config, (await analyze(mine)).config);
    assert.equal(await fresh.inputValue(input('/domains/0/relays/0/password')), '');
    assert.ok(!fresh.url().includes('#'), 'the fragment is cleared once read');
    assert.ok(requests.every((r) => (r.startsWith(url) || r.startsWith('blob:')) && !r.includes('config=')), requests.join('\n'));
    await shot('share-opened', null, fresh);
  } finally {
    await context.close();
  }
  await page.click('#alerts [data-notice="share"] button:has-text("Close")');
});

test('the example\'s outcome matrix and DNS panel, after asking before replacing the walk\'s config', async () => {
  const { page } = session;
  const core = await analyze(example);
  await page.click('#load-example');
  await page.waitForSelector('dialog.ask[open]');
  assert.match(await page.textContent('dialog.ask'), /Load the example over your config\?/);
  await page.click('dialog.ask button:has-text("Replace my config")');
  await page.waitForFunction(() => document.querySelectorAll('#editor .domain').length === 1);
  await page.waitForFunction((n) => document.querySelectorAll('#outcomes tbody tr.outcome').length === n
    && document.querySelector('#dns-panel article.dns-domain h3')?.textContent === 'zylker.com', core.outcomes.length);
  const rows = await page.$$eval('#outcomes tbody tr.outcome', (list) => list.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
  core.outcomes.forEach((o, i) => {
    assert.match(rows[i][0], new RegExp(`^▸${o.domainName.replace(/\./g, '\\.')}\\b`));
    assert.equal(rows[i][2], o.routeLabel);
    assert.equal(rows[i][3], o.potential ? 'none today' : o.total.toLocaleString('en-US'));
    assert.ok(rows[i][7].startsWith(o.dmarc.result), rows[i][7]);
  });
  assert.ok(rows.every((r) => r[7].startsWith('pass')), 'every path of the example passes DMARC through the CRM\'s DKIM');
  // The reason is there on hover, and the row opens onto core's reasons.
  const relayed = core.outcomes.findIndex((o) => o.spf?.result === 'fail');
  const row = page.locator('#outcomes tbody tr.outcome').nth(relayed);
  assert.equal(await row.locator('td:nth-child(6) .verdict-word').getAttribute('title'), `Assumed: ${core.outcomes[relayed].spf.basis}`);
  await row.locator('button.expand').click();
  assert.ok((await page.textContent('#outcomes tr.reasons:not([hidden])')).includes(core.outcomes[relayed].dmarc.reason));
  await shot('example-outcomes', page.locator('#outcomes'));
  const article = page.locator('#dns-panel article.dns-domain').first();
  assert.match(await article.locator('.spf-total').textContent(), /^1 of 10 DNS lookups/);
  assert.ok((await article.textContent()).includes('include:zohomail.com'));
  assert.match(await page.locator('#dns-panel .dns-dmarc .dmarc-policy').first().textContent(), /p=quarantine/);
  await shot('example-dns-panel', page.locator('#dns-panel'));
  // The walk's config comes back with Undo.
  await page.click('#undo');
  await page.waitForFunction(() => document.querySelectorAll('#editor .domain').length === 2);
});

test('the HTML report of the walk\'s config is a page of its own with every section', async () => {
  const { page } = session;
  const { name, text } = await download(page, '#report-html');
  assert.equal(name, 'relaycheck-report-zylker.com.html');
  assert.ok(!/<script/i.test(text) && !text.includes(PASSWORD));
  const view = await page.context().newPage();
  try {
    await view.setContent(text);
    assert.deepEqual(await view.$$eval('h2', (hs) => hs.map((x) => x.textContent)),
      ['Verdict', 'Findings', 'Outcomes', 'Day plan', 'DNS records', 'Whitelist snippets']);
    const body = await view.textContent('body');
    for (const host of ['smtp.zylker.com', 'smtp.zylker.net']) assert.ok(body.includes(host), host);
    await shot('report-html', null, view);
  } finally {
    await view.close();
  }
});

test('the walk made no request off the machine and logged no error', () => {
  assert.deepEqual(session.foreignRequests, []);
  assert.deepEqual(session.problems, []);
});
