// What the page keeps of an imported file (issue 18, item 6): core's normalised config, never the
// file. A password (or any field the model does not hold) inside an imported file must not reach
// localStorage, nor survive a reload; and a raw config an earlier page kept is normalised when
// the page starts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../node/core.mjs';
import { openPage } from './browser.mjs';

const STORAGE_KEY = 'relaycheck.config.v1';
const PASSWORD = `hunter2-${process.pid}`;
const SECRET = `do-not-keep-${process.pid}`;

let session;
before(async () => { session = await openPage(); });
after(async () => { await session?.close(); });

/** The worked example with a password in its relay and a field the model does not know. */
function configWithSecrets() {
  const config = JSON.parse(readFileSync(join(repoRoot, 'core', 'data', 'example-zylker.json'), 'utf8'));
  config.domains[0].name = 'imported.example';
  config.domains[0].relays[0].password = PASSWORD;
  config.account.apiToken = SECRET;
  return config;
}

const stored = (page) => page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY);

test('an imported file is kept as core\'s normalised config: no password, no unknown field', async () => {
  const { page } = session;
  await page.waitForSelector('body[data-analysed="true"]');
  await page.setInputFiles('#import-file', {
    name: 'with-password.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(configWithSecrets())),
  });
  await page.waitForFunction(() => /Imported with-password\.json/.test(document.querySelector('#status')?.textContent ?? ''));
  assert.equal(await page.inputValue('[data-path="/domains/0/name"] input'), 'imported.example');
  const kept = await stored(page);
  assert.ok(kept.includes('imported.example'), 'the imported config is kept');
  assert.ok(!kept.includes(PASSWORD), 'the password is not in localStorage');
  assert.ok(!kept.includes(SECRET), 'an unknown field is not in localStorage');
  assert.ok(!/"password"\s*:/.test(kept), 'no password field at all');
  // The findings shown are the file's own: they name what was not kept.
  assert.match(await page.textContent('#findings'), /apiToken/);
});

test('after a reload the imported config is there, and its password is not', async () => {
  const { page } = session;
  await page.reload();
  await page.waitForSelector('body[data-analysed="true"]');
  assert.equal(await page.inputValue('[data-path="/domains/0/name"] input'), 'imported.example');
  const kept = await stored(page);
  assert.ok(!kept.includes(PASSWORD) && !kept.includes(SECRET), kept.slice(0, 300));
});

test('a raw config an earlier page kept is normalised when the page starts', async () => {
  const { page } = session;
  // What an earlier page left: the file as it was, and no mark that it was normalised.
  await page.evaluate(([key, text]) => {
    localStorage.setItem(key, text);
    localStorage.removeItem(`${key}.normalised`);
  }, [STORAGE_KEY, JSON.stringify(configWithSecrets())]);
  assert.ok((await stored(page)).includes(PASSWORD));
  await page.reload();
  await page.waitForSelector('body[data-analysed="true"]');
  assert.equal(await page.inputValue('[data-path="/domains/0/name"] input'), 'imported.example');
  const kept = await stored(page);
  assert.ok(!kept.includes(PASSWORD), 'the old password is gone from localStorage');
  assert.ok(!kept.includes(SECRET), 'the old unknown field is gone from localStorage');
});

test('the page made no request off the machine and logged no error', () => {
  assert.deepEqual(session.foreignRequests, []);
  assert.deepEqual(session.problems, []);
});
