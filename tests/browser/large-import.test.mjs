// The largest config the format allows in domains (issue 16): 500 domains x 3 relays with traffic
// for every email type and the DNS data of every decision, made by scripts/gen-config, imports,
// is drawn, and the page still answers input afterwards: a key typed into a relay's daily limit
// changes the analysis shown. The test fails only on a hang: nothing drawn within 30 s on an idle
// machine (scaled by the load average per core on a busy one); how fast it is belongs to
// scripts/bench-page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../node/core.mjs';
import { openPage, importConfig } from './browser.mjs';

const HANG = Math.round(30_000 * Math.max(1, loadavg()[0] / cpus().length));
const DOMAINS = 500;
const LIMIT = '[data-path="/domains/0/relays/0/dailyLimit"] input';
const LAST = `[data-path="/domains/${DOMAINS - 1}/relays/2/host"] input`;

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
  // Every domain and relay is in the editor, the last one too.
  assert.equal(await page.inputValue(LAST), `smtp2.o${DOMAINS - 1}.zylker-bench.com`);
  assert.equal(await page.locator('#editor fieldset.relay').count(), DOMAINS * 3);
  // Core's analysis of it is shown: the counts and a row of the outcome matrix per path.
  assert.match(await page.textContent('#summary'), /\d+ errors?/);
  assert.ok(await page.locator('#outcomes tr.outcome').count() >= DOMAINS);
});

test('after the import the page answers input: an edit changes the analysis shown', { timeout: 3 * HANG }, async () => {
  const { page } = session;
  page.setDefaultTimeout(HANG);
  const paths = () => page.textContent('#plan');
  const before = await paths();
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
