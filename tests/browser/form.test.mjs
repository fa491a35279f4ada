// The editor holds no fact of core's: every choice it offers, every word for one, the defaults
// of a new domain and relay and the limit of relays come from core's `form`, which this test
// asks core for directly (the same wasm build, in Node) and compares with the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPage, screenshotDir } from './browser.mjs';
import { call } from '../node/core.mjs';

let session;
let form;
before(async () => {
  form = JSON.parse(await call('form', '{}')).result;
  session = await openPage();
  await session.page.waitForSelector('body[data-analysed="true"]', { timeout: 20_000 });
});
after(async () => { await session?.close(); });

const options = (page, path) =>
  page.$$eval(`[data-path="${path}"] select option`, (list) => list.map((o) => ({ value: o.value, label: o.textContent })));
const asOptions = (choices) => choices.map(({ value, label }) => ({ value: String(value), label }));
const savedConfig = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('relaycheck.config.v1')));

test('the data-centre select lists exactly the data centres core lists, in its words', async () => {
  assert.ok(form.choices.dataCenter.length >= 2);
  assert.deepEqual(await options(session.page, '/account/dataCenter'), asOptions(form.choices.dataCenter));
});

test('every other choice of the editor is core\'s list, in core\'s order and words', async () => {
  const { page } = session;
  const relay = '/domains/0/relays/0';
  assert.deepEqual(await options(page, '/domains/0/returnPath'), asOptions(form.choices.returnPath));
  assert.deepEqual(await options(page, `${relay}/port`), asOptions(form.choices.port));
  assert.deepEqual(await options(page, `${relay}/security`), asOptions(form.choices.security));
  assert.deepEqual(await options(page, `${relay}/auth`), asOptions(form.choices.auth));
  const carries = await page.$$eval(`[data-path="${relay}/emailTypes"] label.check`, (list) => list.map((l) => l.textContent.trim()));
  assert.deepEqual(carries, form.choices.emailTypes.map((c) => c.label));
  for (const { value } of form.choices.emailTypes) {
    assert.deepEqual(await options(page, `/domains/0/traffic/${value}/profile`), asOptions(form.choices.profile));
  }
  const formats = await page.$$eval('#whitelist select option', (list) => list.map((o) => ({ value: o.value, label: o.textContent })));
  assert.deepEqual(formats, asOptions(form.choices.snippetFormat));
});

test('a choice shows exactly the fields core writes with it', async () => {
  const { page } = session;
  const withAddress = form.choices.returnPath.find((c) => 'returnPathAddress' in c.fields);
  assert.ok(withAddress, 'core names a return path that needs an address');
  await page.selectOption('[data-path="/domains/0/returnPath"] select', withAddress.value);
  await page.waitForSelector('[data-path="/domains/0/returnPathAddress"] input');
  const burst = form.choices.profile.find((c) => 'burstHour' in c.fields);
  await page.selectOption('[data-path="/domains/0/traffic/mass/profile"] select', burst.value);
  const hour = page.locator('[data-path="/domains/0/traffic/mass/burstHour"] input');
  assert.equal(await hour.getAttribute('placeholder'), String(burst.fields.burstHour));
  await page.selectOption('[data-path="/domains/0/returnPath"] select', form.defaults.domain.returnPath);
  await page.waitForSelector('[data-path="/domains/0/returnPathAddress"]', { state: 'detached' });
});

test('a new domain and its relay get core\'s defaults, and core\'s limit stops the relays', async () => {
  const { page } = session;
  const before = (await savedConfig(page)).domains.length;
  await page.getByRole('button', { name: '+ domain' }).click();
  const config = await savedConfig(page);
  assert.equal(config.domains.length, before + 1);
  const added = config.domains[before];
  assert.deepEqual({ ...added, relays: [] }, { ...form.defaults.domain, relays: [] });
  assert.deepEqual(added.relays, [form.defaults.relay]);
  const base = `/domains/${before}`;
  assert.equal(await page.inputValue(`[data-path="${base}/relays/0/port"] select`), String(form.defaults.relay.port));
  assert.equal(await page.inputValue(`[data-path="${base}/relays/0/security"] select`), form.defaults.relay.security);

  const addRelay = page.locator(`[data-path="${base}"] > .row button`, { hasText: '+ relay' });
  for (let n = 1; n < form.limits.maxRelaysPerDomain; n++) await addRelay.click();
  assert.equal((await savedConfig(page)).domains[before].relays.length, form.limits.maxRelaysPerDomain);
  assert.ok(await addRelay.isDisabled(), 'the relay button is off at core\'s limit');
  assert.match(await addRelay.getAttribute('title'), new RegExp(`At most ${form.limits.maxRelaysPerDomain} relay`));
  await page.waitForSelector('body[data-analysed="true"]');
  await page.locator(`[data-path="${base}"]`).screenshot({ path: join(screenshotDir, 'new-domain.png') });
  await page.locator(`[data-path="${base}"] > .row button`, { hasText: 'Remove domain' }).click();
  assert.equal((await savedConfig(page)).domains.length, before);
});

test('the day plan names routes and reasons in core\'s words', async () => {
  const { page } = session;
  await page.fill('[data-path="/domains/0/relays/0/outageFromHour"] input', '12');
  const down = form.choices.routeReason.map((c) => c.label);
  await page.waitForFunction((labels) => [...document.querySelectorAll('#plan table.paths td')].some((td) => labels.includes(td.textContent)), down);
  const legend = await page.$$eval('#plan .legend .key', (list) => list.map((k) => k.textContent.replace(/:.*$/, '')));
  assert.deepEqual(legend, form.choices.route.map((c) => c.label));
  const why = await page.$$eval('#plan table.paths tbody tr td:nth-child(5)', (list) => list.map((td) => td.textContent).filter(Boolean));
  assert.ok(why.length > 0);
  for (const text of why) assert.ok(down.includes(text), text);
  await page.screenshot({ path: join(screenshotDir, 'plan-words.png'), fullPage: true });
  await page.fill('[data-path="/domains/0/relays/0/outageFromHour"] input', '');
  assert.deepEqual(session.problems, []);
});

test('the editor says everything the outcomes read: DKIM signers and selectors, DNS records', async () => {
  const { page } = session;
  const d = '/domains/0';
  // The CRM signs in the example: its d= and selector fields show, labelled in core's words.
  const selector = page.locator(`[data-path="${d}/crmDkim/selector"] input`);
  assert.equal(await page.locator(`[data-path="${d}/crmDkim/selector"] .label`).textContent(), form.fields['/domains/*/crmDkim/selector'].label);
  await selector.fill('crm');
  await selector.press('Tab');  // the form is drawn again when the selector is left
  // A selector brings the box of its key record; the SPF and DMARC boxes show the example's records.
  await page.locator(`${`[data-path="${d}"]`} details.dns-records summary`).click();
  assert.match(await page.locator('[data-path="/dns/zylker.com"] textarea').inputValue(), /^v=spf1 /);
  assert.match(await page.locator('[data-path="/dns/_dmarc.zylker.com"] textarea').inputValue(), /^v=DMARC1; p=quarantine/);
  const key = page.locator('[data-path="/dns/crm._domainkey.zylker.com"] textarea');
  await key.fill('v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=');
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('relaycheck.config.v1'))?.dns?.['crm._domainkey.zylker.com']?.[0]?.type === 'TXT');
  assert.deepEqual((await savedConfig(page)).dns['crm._domainkey.zylker.com'],
    [{ type: 'TXT', data: ['v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo='] }]);
  // A relay that signs shows its own d= and selector; one that rewrites, its return-path domain.
  const r = `${d}/relays/0`;
  await page.locator(`[data-path="${r}/dkim/signs"] input`).check();
  await page.waitForSelector(`[data-path="${r}/dkim/selector"] input`);
  await page.locator(`[data-path="${r}/rewritesReturnPath"] input`).check();
  await page.waitForSelector(`[data-path="${r}/returnPathDomain"] input`);
  // The Carries boxes are a group under a legend: clicking its name ticks nothing.
  const before = (await savedConfig(page)).domains[0].relays[0].emailTypes;
  await page.locator(`fieldset[data-path="${r}/emailTypes"] > legend`).click();
  assert.deepEqual((await savedConfig(page)).domains[0].relays[0].emailTypes, before);
  await page.locator(`[data-path="${d}"]`).screenshot({ path: join(screenshotDir, 'editor-dkim-dns.png') });
  await page.locator(`[data-path="${r}/dkim/signs"] input`).uncheck();
  await page.locator(`[data-path="${r}/rewritesReturnPath"] input`).uncheck();
  assert.deepEqual(session.problems, []);
});
