// Hidden characters in what the admin types, and the editor at 360 px. A right-to-left override
// (U+202E) in a host name and a zero-width space (U+200B) in a user name are shown as core shows
// them (‹U+202E›, from the finding's message, right under the field), reported, and cannot
// mirror the page's own words: inputs take their direction from their own text and every piece
// of data the page renders is isolated (unicode-bidi: isolate). At 360 px no select or input of
// the editor cuts the text it shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPage, screenshotDir } from './browser.mjs';

const RELAY = '/domains/0/relays/0';
const HOST = `[data-path="${RELAY}/host"]`;
const USER = `[data-path="${RELAY}/username"]`;
const RLO = '\u202E';
const ZWSP = '\u200B';

let session;
before(async () => {
  session = await openPage();
  await session.page.waitForSelector('body[data-analysed="true"]', { timeout: 30_000 });
});
after(async () => { await session?.close(); });

/** Types `value` into the input of `field` and waits until the finding under it says `shown`. */
async function typeAndWait(page, field, value, shown) {
  await page.fill(`${field} input`, value);
  await page.waitForFunction(([f, s]) => [...document.querySelectorAll(`${f} .inline-finding`)]
    .some((note) => note.textContent.includes(s)), [field, shown], { timeout: 30_000 });
  await page.waitForTimeout(300);  // the editor is drawn again after the analysis
}

test('a right-to-left override in the host and a zero-width space in the user name are shown and reported', async () => {
  const { page } = session;
  await typeAndWait(page, HOST, `smtp.${RLO}moc.rekylz`, 'smtp.‹U+202E›moc.rekylz');
  await typeAndWait(page, USER, `crm${ZWSP}relay@zylker.com`, 'crm‹U+200B›relay@zylker.com');

  // Under the host: core's error, the label shown with the override as ‹U+202E›.
  const host = await page.$eval(HOST, (field) => ({
    notes: [...field.querySelectorAll('.inline-finding')].map((n) => ({ text: n.textContent, kind: n.className })),
    dir: field.querySelector('input').getAttribute('dir'),
    bidi: getComputedStyle(field.querySelector('input')).unicodeBidi,
    value: field.querySelector('input').value,
  }));
  assert.equal(host.value, `smtp.${RLO}moc.rekylz`, 'the input keeps what was typed');
  assert.equal(host.dir, 'ltr');
  assert.equal(host.bidi, 'plaintext');
  const hostNote = host.notes.find((n) => n.text.includes('‹U+202E›'));
  assert.ok(hostNote, JSON.stringify(host.notes));
  assert.match(hostNote.kind, /\berror\b/);
  assert.match(hostNote.text, /right-to-left override/);

  // Under the user name: core's warning, with the value as core shows it.
  const user = await page.$eval(USER, (field) => [...field.querySelectorAll('.inline-finding')]
    .map((n) => ({ text: n.textContent, kind: n.className })));
  const userNote = user.find((n) => n.text.includes('"crm‹U+200B›relay@zylker.com"'));
  assert.ok(userNote, JSON.stringify(user));
  assert.match(userNote.kind, /\bwarning\b/);
  assert.match(userNote.text, /zero-width space/);

  // The findings list reports both, and no rendered text outside the inputs holds the raw
  // characters in core's words.
  const findings = await page.$eval('#findings', (root) => root.textContent);
  assert.ok(findings.includes('‹U+202E›') && findings.includes('‹U+200B›'));
  assert.ok(!findings.includes(RLO) && !findings.includes(ZWSP), 'a raw hidden character in the findings');
  const notes = await page.$$eval('.inline-finding', (list) => list.map((n) => n.textContent).join('\n'));
  assert.ok(!notes.includes(RLO) && !notes.includes(ZWSP));
  await page.locator(`fieldset.relay[data-path="${RELAY}"]`).screenshot({ path: join(screenshotDir, 'bidi-fields.png') });
});

test('every piece of data the page renders is isolated from the words around it', async () => {
  const { page } = session;
  await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
  const loose = await page.evaluate(() => {
    // Each kind of element that shows data: the relay's and domain's title (the host as typed),
    // finding messages, fixes and locations, inline notes, outcome and plan cells, DNS values.
    const selectors = ['legend strong', '.finding .message', '.finding .fix', '.finding .location',
      '.inline-finding', '.group-title', '#outcomes td', '#outcomes th', '#plan td', '#plan th',
      '.dns-value', '.dns-record', '.spf-record', '.spf-domain'];
    const out = [];
    let seen = 0;
    for (const selector of selectors) {
      for (const element of document.querySelectorAll(selector)) {
        seen += 1;
        const bidi = getComputedStyle(element).unicodeBidi;
        if (element.localName !== 'bdi' && bidi !== 'isolate' && bidi !== 'plaintext') out.push(`${selector}: ${bidi}`);
      }
    }
    return { out: [...new Set(out)], seen };
  });
  assert.ok(loose.seen > 20, `only ${loose.seen} data elements found`);
  assert.deepEqual(loose.out, []);
  // The relay's title shows the host as typed; isolated, the override stops at its end.
  const title = await page.$eval(`fieldset.relay[data-path="${RELAY}"] > legend strong`, (s) => s.textContent);
  assert.equal(title, `smtp.${RLO}moc.rekylz`);
});

test('at 360 px no select or input of the editor cuts the text it shows', async () => {
  const { page } = session;
  await page.fill(`${HOST} input`, 'smtp.zylker.com');
  await page.fill(`${USER} input`, 'crm-relay@zylker.com');
  await page.setViewportSize({ width: 360, height: 800 });
  await page.waitForTimeout(800);
  assert.ok(await page.evaluate(() => document.scrollingElement.scrollWidth) <= 360);
  const cut = await page.evaluate(() => {
    const out = [];
    const editor = document.querySelector('#editor') ?? document.body;
    for (const select of editor.querySelectorAll('select')) {
      if (select.getClientRects().length === 0) continue;
      // A select draws its chosen label in its content box, beside the arrow: the label's text
      // must fit in the box less the arrow's room.
      const probe = document.createElement('span');
      probe.style.cssText = 'position:absolute;visibility:hidden;white-space:pre';
      probe.style.font = getComputedStyle(select).font;
      probe.textContent = select.selectedOptions[0]?.textContent ?? '';
      document.body.append(probe);
      const text = probe.getBoundingClientRect().width;
      probe.remove();
      const style = getComputedStyle(select);
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16;
      const where = select.closest('[data-path]')?.dataset.path ?? select.id;
      if (select.scrollWidth > select.clientWidth || text > room) out.push(`select ${where}: ${text.toFixed(0)} px of text in ${room.toFixed(0)} px`);
    }
    for (const input of editor.querySelectorAll('input[type="text"]')) {
      if (input.getClientRects().length === 0 || input.value.length > 100) continue;
      if (input.scrollWidth > input.clientWidth) {
        out.push(`input ${input.closest('[data-path]')?.dataset.path}: ${input.scrollWidth} px of text in ${input.clientWidth} px`);
      }
    }
    return out;
  });
  await page.screenshot({ path: join(screenshotDir, 'bidi-360.png'), fullPage: true });
  assert.deepEqual(cut, []);
  await page.setViewportSize({ width: 1360, height: 1000 });
});
