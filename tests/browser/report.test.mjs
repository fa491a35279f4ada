// The report for a change ticket in a real browser: the two buttons ask core for the example's
// report and save it under core's file name; the files hold the verdict, the findings, the
// outcome matrix, the day plan, the DNS records and the snippets. The HTML file is then opened
// on its own (it needs nothing else) and a hostile config's report runs no script.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage, screenshotDir, importConfig } from './browser.mjs';
import { repoRoot } from '../node/core.mjs';

const example = JSON.parse(readFileSync(join(repoRoot, 'core', 'data', 'example-zylker.json'), 'utf8'));

let session;
before(async () => {
  session = await openPage();
  await session.page.waitForSelector('body[data-analysed="true"]', { timeout: 20_000 });
});
after(async () => { await session?.close(); });

/** Clicks a download button and returns the file's name and text. */
async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const stream = await file.createReadStream();
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return { name: file.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
}

const SECTIONS = ['Verdict', 'Findings', 'Outcomes', 'Day plan', 'DNS records', 'Whitelist snippets'];

test('Download report (Markdown) saves core\'s Markdown of the example', async () => {
  const { page } = session;
  const { name, text } = await download(page, '#report-markdown');
  assert.equal(name, 'relaycheck-report-zylker.com.md');
  assert.match(text, /^# relaycheck report: zylker\.com\n/);
  for (const s of SECTIONS) assert.ok(text.includes(`\n## ${s}\n`), s);
  assert.ok(text.includes('| Hour | Through relays | Through the CRM | Not sent |'));
  assert.ok(text.includes('include:zohomail.com'));
  assert.ok(text.includes('p=quarantine'));
  assert.match(await page.textContent('#status'), /Report saved as relaycheck-report-zylker\.com\.md/);
});

test('Download report (HTML) saves a page that stands alone and runs no script', async () => {
  const { page } = session;
  const { name, text } = await download(page, '#report-html');
  assert.equal(name, 'relaycheck-report-zylker.com.html');
  assert.ok(!/<script/i.test(text));
  const context = page.context();
  const view = await context.newPage();
  const requests = [];
  view.on('request', (r) => { if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url()); });
  await view.setContent(text);
  const headings = await view.$$eval('h2', (hs) => hs.map((x) => x.textContent));
  assert.deepEqual(headings, SECTIONS);
  assert.ok((await view.textContent('body')).includes('include:zohomail.com'));
  assert.equal(await view.locator('table').count() >= 3, true);
  await view.screenshot({ path: join(screenshotDir, 'report-html.png'), fullPage: true });
  assert.deepEqual(requests, []);
  await view.close();
});

test('a hostile config\'s HTML report shows its text and runs nothing', async () => {
  const { page } = session;
  const config = structuredClone(example);
  config.domains[0].relays[0].username = '<script>window.pwned=1</script>" & \u202Egnp.exe';
  config.dns['zylker.com'] = [{ type: 'TXT', data: ['v=spf1 <img src=x onerror="window.pwned=2"> ~all'] }];
  await importConfig(page, 'hostile-report.json', config);
  const { text } = await download(page, '#report-html');
  assert.ok(!/<script|<img/i.test(text));
  assert.ok(!text.includes('\u202E'));
  const view = await page.context().newPage();
  await view.setContent(text);
  assert.equal(await view.evaluate(() => window.pwned), undefined);
  assert.equal(await view.locator('img, script').count(), 0);
  await view.close();
  const md = await download(page, '#report-markdown');
  assert.ok(md.text.includes('\\<img src=x onerror="window.pwned=2"\\>'), 'the record is shown, escaped');
  assert.ok(!md.text.includes('\u202E'));
});
