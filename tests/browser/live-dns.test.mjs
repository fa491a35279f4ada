// "Check live DNS" (issue 17) in a real browser: the DoH resolvers are answered through
// page.route with wire-format DNS messages built here by hand (RFC 1035 §4.1) and the headers a
// real service sends (access-control-allow-origin: *, application/dns-message), one lookup timing
// out and one answered HTTP 500. Nothing may be requested before the press, every request goes
// to the chosen resolver only, the answers land in the config's dns (one undoable step), the
// outcomes change, and Cancel stops a run and leaves the config as it was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage, screenshotDir, importConfig } from './browser.mjs';
import { call, repoRoot } from '../node/core.mjs';

const example = JSON.parse(readFileSync(join(repoRoot, 'core', 'data', 'example-zylker.json'), 'utf8'));
const html = readFileSync(join(repoRoot, 'web', 'index.html'), 'utf8');
const TYPES = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28 };
const TYPE_NAMES = Object.fromEntries(Object.entries(TYPES).map(([k, v]) => [v, k]));

let session;
let form;
before(async () => {
  form = JSON.parse(await call('form', '{}')).result;
  session = await openPage();
  await session.page.waitForSelector('body[data-analysed="true"]', { timeout: 30_000 });
});
after(async () => { await session?.close(); });

// ---- A tiny DNS server in the test: reads the question, writes an answer ----------------------

/** {id, name, type, question (its bytes)} of a query. */
function readQuery(bytes) {
  let at = 12;
  const labels = [];
  while (bytes[at] !== 0) {
    labels.push(bytes.subarray(at + 1, at + 1 + bytes[at]).toString('latin1'));
    at += 1 + bytes[at];
  }
  at += 1;
  const type = bytes.readUInt16BE(at);
  return { id: bytes.readUInt16BE(0), name: labels.join('.').toLowerCase(), type: TYPE_NAMES[type] ?? String(type), question: bytes.subarray(12, at + 4) };
}

/** RDATA of a record: TXT strings, an IPv4 address, or a name. */
function rdata(type, data) {
  if (type === 'TXT') return Buffer.concat(data.map((s) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)])));
  if (type === 'A') return Buffer.from(data.split('.').map(Number));
  return Buffer.concat([...data.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
}

/** A response to `query`: `records` [{type, data}] at the asked name (pointer to offset 12). */
function response(query, records, rcode = 0) {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.id, 0);
  header.writeUInt16BE(0x8180 | rcode, 2);  // QR, RD, RA
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  const answers = records.map(({ type, data }) => {
    const body = rdata(type, data);
    const fixed = Buffer.alloc(12);
    fixed.writeUInt16BE(0xc00c, 0);
    fixed.writeUInt16BE(TYPES[type], 2);
    fixed.writeUInt16BE(1, 4);
    fixed.writeUInt32BE(300, 6);
    fixed.writeUInt16BE(body.length, 10);
    return Buffer.concat([fixed, body]);
  });
  return Buffer.concat([header, query.question, ...answers]);
}

const ZONE = {
  'TXT zylker.com': [{ type: 'TXT', data: ['v=spf1 ip4:203.0.113.25 include:zohomail.com ~all'] }],
  'TXT _dmarc.zylker.com': [{ type: 'TXT', data: ['v=DMARC1; p=quarantine; rua=mailto:dmarc@zylker.com'] }],
  'TXT zohomail.com': [{ type: 'TXT', data: ['v=spf1 ip4:136.143.188.0/24 ~all'] }],
  'A smtp.zylker.com': [{ type: 'A', data: '203.0.113.25' }],
};
const SLOW = 'AAAA smtp.zylker.com';  // never answered: the page's timeout
const BROKEN = 'PTR 25.113.0.203.in-addr.arpa';  // HTTP 500

const CORS = { 'access-control-allow-origin': '*', 'content-type': 'application/dns-message', 'cache-control': 'max-age=300' };

/** Routes every https request; records each; answers the resolver's with `answer`. */
async function routeResolvers(page, answer) {
  const requests = [];
  await page.route(/^https:\/\//, async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    const entry = { url: request.url(), origin: url.origin, path: url.pathname, method: request.method(), accept: request.headers().accept };
    requests.push(entry);
    const param = url.searchParams.get('dns');
    if (!param) return route.fulfill({ status: 400, headers: CORS, body: '' });
    const query = readQuery(Buffer.from(param, 'base64url'));
    entry.lookup = `${query.type} ${query.name}`;
    await answer(route, query, entry.lookup);
  });
  return requests;
}

async function serveZone(route, query, lookup) {
  if (lookup === SLOW) {
    await new Promise((resolve) => setTimeout(resolve, 8000));
    return route.fulfill({ status: 200, headers: CORS, body: response(query, []) }).catch(() => {});
  }
  if (lookup === BROKEN) return route.fulfill({ status: 500, headers: { 'access-control-allow-origin': '*' }, body: 'oops' });
  const records = ZONE[lookup];
  // A name the zone has, asked for another type, is NODATA; any other name is NXDOMAIN.
  const known = Object.keys(ZONE).some((k) => k.split(' ')[1] === query.name);
  return route.fulfill({ status: 200, headers: CORS, body: response(query, records ?? [], records || known ? 0 : 3) });
}


const storedConfig = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('relaycheck.config.v1')));
const hasFinding = (page, code) => page.locator(`#findings [data-code="${code}"]`).count().then((n) => n > 0);

// ---- Tests ------------------------------------------------------------------------------------

test('the page\'s connect-src lists exactly core\'s DoH resolvers, beside \'self\'', () => {
  const policy = html.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)[1];
  const connect = policy.split(';').map((d) => d.trim().split(/\s+/)).find(([name]) => name === 'connect-src').slice(1);
  const origins = form.choices.dohResolvers.map((r) => new URL(r.url).origin);
  assert.ok(origins.length >= 2);
  assert.ok(form.choices.dohResolvers.every((r) => r.url.startsWith('https://') && r.value && r.label));
  assert.deepEqual([...connect].sort(), ["'self'", ...origins].sort());
  assert.ok(!connect.some((source) => source.includes('*')), 'no wildcard');
});

test('the resolver select offers core\'s resolvers, and nothing is asked before the press', async () => {
  const { page, foreignRequests } = session;
  const options = await page.$$eval('#live-dns-resolver option', (all) => all.map((o) => ({ value: o.value, label: o.textContent })));
  assert.deepEqual(options, form.choices.dohResolvers.map(({ value, label }) => ({ value, label })));
  assert.equal(await page.locator('#live-dns-start').textContent(), 'Check live DNS');
  assert.equal(await page.locator('#live-dns-start').isDisabled(), false);
  assert.equal(await page.locator('#live-dns-cancel').isVisible(), false);
  assert.deepEqual(foreignRequests, []);
});

test('one press fills the config\'s dns from the chosen resolver only, and the outcomes change', async () => {
  const { page, foreignRequests } = session;
  const requests = await routeResolvers(page, serveZone);
  const bare = structuredClone(example);
  bare.dns = {};
  await importConfig(page, 'no-dns.json', bare);
  await page.waitForFunction(() => document.querySelector('#findings [data-code="outcome.dns.missing"]'));
  await page.waitForTimeout(300);
  assert.deepEqual(requests, [], 'nothing asked before the press');
  assert.deepEqual(foreignRequests, []);

  const chosen = form.choices.dohResolvers.find((r) => r.value === 'quad9') ?? form.choices.dohResolvers.at(-1);
  await page.selectOption('#live-dns-resolver', chosen.value);
  const started = Date.now();
  await page.click('#live-dns-start');
  await page.waitForSelector('#live-dns-cancel:not([hidden])');
  await page.waitForFunction(() => /done, \d+ left/.test(document.querySelector('#live-dns-progress').textContent));
  await page.waitForFunction(() => /^Checked live DNS/.test(document.querySelector('#live-dns-progress').textContent), null, { timeout: 30_000 });
  const seconds = (Date.now() - started) / 1000;

  // Every request went to the chosen resolver, as RFC 8484 GETs asking for a DNS message.
  assert.ok(requests.length >= 5, `${requests.length} requests`);
  const resolverUrl = new URL(chosen.url);
  for (const r of requests) {
    assert.equal(r.origin, resolverUrl.origin, r.url);
    assert.equal(r.path, resolverUrl.pathname);
    assert.equal(r.method, 'GET');
    assert.equal(r.accept, 'application/dns-message');
  }
  const asked = requests.map((r) => r.lookup);
  assert.equal(new Set(asked).size, asked.length, 'no lookup asked twice');
  // zohomail.com is a hosted service whose SPF core knows already: not asked.
  for (const lookup of ['TXT zylker.com', 'TXT _dmarc.zylker.com', 'A smtp.zylker.com', SLOW, BROKEN]) assert.ok(asked.includes(lookup), `${lookup} in ${asked}`);
  assert.deepEqual(foreignRequests.filter((u) => !u.startsWith(resolverUrl.origin)), []);

  // The answers are in the config, the failures kept as temporary errors (TIMEOUT).
  const config = await storedConfig(page);
  const txt = (name) => config.dns[name]?.find((e) => e.type === 'TXT')?.data;
  assert.deepEqual(txt('zylker.com'), ZONE['TXT zylker.com'][0].data);
  assert.deepEqual(txt('_dmarc.zylker.com'), ZONE['TXT _dmarc.zylker.com'][0].data);
  assert.ok(config.dns['smtp.zylker.com'].some((e) => e.type === 'A'));
  assert.ok(config.dns['smtp.zylker.com'].some((e) => e.type === 'TIMEOUT'), JSON.stringify(config.dns['smtp.zylker.com']));
  assert.ok(config.dns['25.113.0.203.in-addr.arpa'].some((e) => e.type === 'TIMEOUT'));

  // The page shows what happened, and the analysis ran again on the fetched records.
  const progress = await page.locator('#live-dns-progress').textContent();
  assert.match(progress, new RegExp(`with ${chosen.label.replace(/[()]/g, '\\$&')}`));
  assert.match(progress, /2 lookups failed/);
  const failures = await page.locator('#live-dns-report .live-dns-failures li').allTextContents();
  assert.equal(failures.length, 2);
  assert.ok(failures.some((f) => f.startsWith(`${SLOW}: no answer within`)), failures.join('\n'));
  assert.ok(failures.some((f) => f.startsWith(`${BROKEN}: `) && f.includes('HTTP 500')), failures.join('\n'));
  assert.ok((await page.locator('#live-dns-report .live-dns-changes li').count()) >= 4);
  await page.waitForFunction(() => !document.querySelector('#findings [data-code="outcome.dns.missing"]'));
  assert.equal(await page.locator('#live-dns-cancel').isVisible(), false);
  await page.locator('#live-dns').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshotDir, 'live-dns-checked.png') });
  console.log(`# live DNS: ${requests.length} requests in ${seconds.toFixed(1)} s (one timed out after the page's limit)`);

  // One undoable step: Undo brings back the config without its records.
  await page.click('#undo');
  await page.waitForFunction(() => document.querySelector('#findings [data-code="outcome.dns.missing"]'));
  assert.deepEqual((await storedConfig(page)).dns ?? {}, {});
  await page.click('#redo');
  await page.waitForFunction(() => !document.querySelector('#findings [data-code="outcome.dns.missing"]'));
  await page.unroute(/^https:\/\//);
});

test('Cancel stops the lookups and leaves the config unchanged', async () => {
  const { page } = session;
  const bare = structuredClone(example);
  bare.dns = {};
  await importConfig(page, 'cancel.json', bare);
  const held = [];
  const requests = await routeResolvers(page, async (route) => { held.push(route); });
  await page.click('#live-dns-start');
  await page.waitForFunction(() => /done, \d+ left/.test(document.querySelector('#live-dns-progress').textContent));
  while (requests.length === 0) await page.waitForTimeout(50);
  await page.click('#live-dns-cancel');
  await page.waitForFunction(() => /^Cancelled/.test(document.querySelector('#live-dns-progress').textContent));
  // Lookups the page had started before the click may reach the route a moment later (up to
  // four run at once); what Cancel must stop is the queue: once the held answers arrive, no
  // lookup may follow them.
  await page.waitForTimeout(300);
  const before = requests.length;
  for (const route of held) await route.fulfill({ status: 500, headers: CORS, body: '' }).catch(() => {});
  await page.waitForTimeout(500);
  assert.equal(requests.length, before, 'no request after Cancel');
  assert.ok(before <= 4, `${before} requests in flight at most`);
  assert.deepEqual((await storedConfig(page)).dns ?? {}, {});
  assert.ok(await hasFinding(page, 'outcome.dns.missing'));
  assert.equal(await page.locator('#live-dns-start').isDisabled(), false);
  await page.unroute(/^https:\/\//);
});

test('no page error was logged', () => {
  // A fetch the page aborts on Cancel or timeout is not an error of the page's own.
  assert.deepEqual(session.problems.filter((p) => !/net::ERR_FAILED|Failed to load resource/.test(p)), []);
});
