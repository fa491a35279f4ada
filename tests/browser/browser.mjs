// Starts build/web (or RELAYCHECK_WEB_DIR) on a loopback port and Debian's Chromium through
// playwright-core (never a browser of its own download), with the flags that work as root in this
// sandbox. Screenshots go to build/screenshots, or RELAYCHECK_SCREENSHOT_DIR.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/static-server.mjs';
import { repoRoot, webDir } from '../node/core.mjs';

export const screenshotDir = resolve(process.env.RELAYCHECK_SCREENSHOT_DIR ?? join(repoRoot, 'build', 'screenshots'));

/** Opens the page in a new browser; `beforeLoad(page, context)`, when given, runs before the page
 *  is asked for (to route its requests, or to set what its storage holds). */
export async function openPage({ beforeLoad } = {}) {
  const { server, url } = await startServer(webDir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
  const page = await context.newPage();
  const problems = [];
  const foreignRequests = [];
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('request', (request) => { if (!request.url().startsWith(url) && !request.url().startsWith('blob:')) foreignRequests.push(request.url()); });
  await beforeLoad?.(page, context);
  await page.goto(url);
  mkdirSync(screenshotDir, { recursive: true });
  return {
    page, url, problems, foreignRequests,
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/** Imports `config` as the file `name`, answering yes when the page asks before replacing an
 *  edited config. The question comes after the file is read, so this waits for either the
 *  question or the import's status before answering, then for the status. */
export async function importConfig(page, name, config) {
  await page.setInputFiles('#import-file', { name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(config)) });
  await page.waitForFunction((n) => document.querySelector('dialog[open]')
    || document.querySelector('#status').textContent.includes(n), name);
  const yes = page.locator('dialog[open] button[value="yes"]');
  if (await yes.count()) await yes.click();
  await page.waitForFunction((n) => document.querySelector('#status').textContent.includes(n), name);
}

/** Waits until the status line matches `pattern` (a RegExp). */
export function waitStatus(page, pattern) {
  return page.waitForFunction((source) => new RegExp(source).test(document.querySelector('#status').textContent), pattern.source);
}

/** Dispatches a paste of `text` into the textarea of the field at `path`, as the browser would. */
export async function paste(page, path, text) {
  await page.$eval(`[data-path="${path}"] textarea`, (box, pasted) => {
    box.focus();
    box.select();
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Clicks the download button `selector`, answering "Download" if the page asks first (a config
 *  with errors), and returns the file's suggested name and its text. */
export async function download(page, selector) {
  const file = page.waitForEvent('download');
  await page.click(selector);
  const asked = page.locator('dialog.ask[open] button[value="yes"]');
  if (await Promise.race([file.then(() => false), asked.waitFor().then(() => true)])) await asked.click();
  const done = await file;
  const chunks = [];
  for await (const chunk of await done.createReadStream()) chunks.push(chunk);
  return { name: done.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
}
