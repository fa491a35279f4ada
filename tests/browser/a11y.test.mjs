// The page for everyone (issue 16): axe-core (pinned in package.json) finds no violation on the
// example, on a config with errors, on a 30-domain config and in the dark theme; at 360 px the
// page never scrolls sideways, not even with a 10,000-character host; touch targets are at least
// 24 px; the dark theme comes from the system setting and its colours reach WCAG AA contrast.
//
// The page's Content Security Policy forbids inline scripts, so page.addScriptTag cannot inject
// axe-core; page.evaluate with the file's text runs it through the DevTools protocol instead,
// which the policy does not govern.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage, importConfig, screenshotDir } from './browser.mjs';
import { repoRoot } from '../node/core.mjs';

const axeSource = readFileSync(join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const HOST = '[data-path="/domains/0/relays/0/host"] input';

let session;
/** Every file chooser the page opened. Playwright turns its interception of file choosers on when
 *  the first listener is added but does not wait for it: an Enter sent at once can reach the page
 *  first (this test's one failure, in CI on 2026-12-03, at load). So the listener is added here,
 *  long before any test presses a key. */
const choosers = [];
before(async () => {
  session = await openPage();
  session.page.on('filechooser', (chooser) => choosers.push(chooser));
  await session.page.waitForSelector('body[data-analysed="true"]', { timeout: 30_000 });
});
after(async () => { await session?.close(); });

/** axe-core's violations on the page as it is now, one line per element, for the message. */
async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document);
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}) ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`));
  });
  return found;
}

/** Waits until an edit has been analysed and drawn: the summary changes from `before`. */
async function analysedAfter(page, edit, done) {
  await edit();
  await page.waitForFunction(done, null, { timeout: 30_000 });
  await page.waitForTimeout(300);  // the editor is drawn again after the analysis
}

/** Opens every group of findings, every domain card and every outcome row, so that axe sees them. */
async function unfoldEverything(page) {
  await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
  for (const selector of ['button.fold[aria-expanded="false"]', 'button.expand[aria-expanded="false"]']) {
    for (let i = 0; i < 100 && await page.locator(selector).count(); i++) await page.locator(selector).first().click();
  }
}

/** Colours in the page as [r, g, b]: what `value` (any CSS colour, or var(--x)) computes to. */
async function colours(page, values) {
  return page.evaluate((list) => {
    const probe = document.createElement('span');
    document.body.append(probe);
    const out = list.map((value) => {
      probe.style.color = value;
      return getComputedStyle(probe).color.match(/[\d.]+/g).slice(0, 3).map(Number);
    });
    probe.remove();
    return out;
  }, values);
}

function luminance([r, g, b]) {
  const lin = (v) => { const s = v / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// Every text colour of the theme on every background it is drawn on (style.css's custom
// properties): the severity colours on the page, the cards, a relay's card, an expanded outcome
// row, a failing outcome row and their own chips; white or dark ink on the severity circles.
const PAIRS = [
  ...['--ink', '--muted', '--accent', '--error', '--warning', '--info', '--ok'].flatMap((ink) =>
    ['--bg', '--card', '--subtle', '--fail-row', '--field', '--hover'].map((bg) => [ink, bg])),
  ['--error', '--error-bg'], ['--warning', '--warning-bg'], ['--info', '--info-bg'], ['--ok', '--ok-bg'],
  ['--muted', '--status-bg'], ['--warning', '--notice-warning-bg'], ['--ink', '--chosen'], ['--muted', '--chosen'],
  ['--ink', '--code-bg'], ['--snippet-ink', '--snippet-bg'], ['--top-ink', '--top-bg'], ['--top-muted', '--top-bg'],
  ['--top-ink', '--top-button'],
  ...['--error', '--warning', '--info', '--ok', '--accent'].map((solid) => ['--on-solid', solid]),
];

/** The pairs of PAIRS under 4.5:1 in the theme the page shows now, with their ratio. */
async function weakPairs(page) {
  const values = await colours(page, PAIRS.flat().map((name) => `var(${name})`));
  const weak = [];
  PAIRS.forEach(([ink, bg], i) => {
    const ratio = contrast(values[2 * i], values[2 * i + 1]);
    if (ratio < 4.5) weak.push(`${ink} on ${bg}: ${ratio.toFixed(2)}:1`);
  });
  return weak;
}

test('axe-core finds no violation on the example', async () => {
  const { page } = session;
  assert.deepEqual(await violations(page), []);
});

test('Import is a button reached by Tab, and Enter on it opens the file chooser', async () => {
  const { page } = session;
  await page.evaluate(() => document.activeElement?.blur());
  const visited = [];
  for (let i = 0; i < 5 && visited.at(-1) !== 'button#import'; i++) {
    await page.keyboard.press('Tab');
    visited.push(await page.evaluate(() => `${document.activeElement?.localName}#${document.activeElement?.id}`));
  }
  assert.equal(visited.at(-1), 'button#import', `Import is among the first controls in Tab order; Tab went to ${visited.join(', ')}`);
  const seen = choosers.length;
  await page.keyboard.press('Enter');
  for (let waited = 0; choosers.length === seen && waited < 30_000; waited += 50) {
    await new Promise((resolve) => { setTimeout(resolve, 50); });
  }
  const opened = choosers[seen];
  assert.ok(opened, 'Enter on Import opened a file chooser');
  assert.equal(opened.isMultiple(), false);
});

test('every control reached by Tab shows a visible focus outline', async () => {
  const { page } = session;
  await page.evaluate(() => document.activeElement?.blur());
  const unseen = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const seen = await page.evaluate(() => {
      const e = document.activeElement;
      const style = getComputedStyle(e);
      return { name: `${e.localName}#${e.id}.${e.className}`, outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
    });
    if (!seen.outline) unseen.push(seen.name);
  }
  assert.deepEqual(unseen, []);
});

test('the keyboard stays on a select or a checkbox that redraws the editor', async () => {
  const { page } = session;
  const auth = '[data-path="/domains/0/relays/0/auth"] select';
  await page.focus(auth);
  await page.selectOption(auth, 'ip-whitelist');
  await page.waitForSelector('[data-path="/domains/0/relays/0/allowedNetworks"] textarea');
  assert.ok(await page.$eval(auth, (select) => select === document.activeElement), 'focus after the select redrew the editor');
  await page.keyboard.press('ArrowUp');  // back to the password, by keyboard, on the same select
  await page.waitForSelector('[data-path="/domains/0/relays/0/username"] input');
  assert.equal(await page.$eval(auth, (select) => select.value), 'password');
  assert.ok(await page.$eval(auth, (select) => select === document.activeElement), 'focus after the second redraw');
  const individual = '[data-path="/domains/0/relays/0/emailTypes"] input[type="checkbox"] >> nth=2';
  await page.focus(individual);
  await page.keyboard.press('Space');
  await page.waitForTimeout(300);
  assert.ok(await page.locator(individual).evaluate((box) => box === document.activeElement && box.checked), 'focus after a checkbox');
  await page.keyboard.press('Space');
  await page.waitForTimeout(300);
  assert.equal(await page.locator(individual).isChecked(), false);
});

test('at 360 px the example does not scroll sideways and the host and security fields show whole', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 360, height: 800 });
  await page.waitForTimeout(300);
  assert.ok(await page.evaluate(() => document.scrollingElement.scrollWidth) <= 360);
  const host = await page.$eval(HOST, (input) => ({ scroll: input.scrollWidth, client: input.clientWidth, value: input.value }));
  assert.equal(host.value, 'smtp.zylker.com');
  assert.ok(host.scroll <= host.client, `the host is cut: ${host.scroll} px of text in ${host.client} px`);
  // A select shows its chosen label whole when its box is at least as wide as the label's text.
  const security = await page.$eval('[data-path="/domains/0/relays/0/security"] select', (select) => {
    const probe = document.createElement('span');
    probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap;font:inherit';
    select.parentElement.append(probe);
    probe.style.font = getComputedStyle(select).font;
    probe.textContent = select.selectedOptions[0].textContent;
    const text = probe.getBoundingClientRect().width;
    probe.remove();
    return { text, box: select.clientWidth };
  });
  assert.ok(security.text + 24 <= security.box, `the security choice is cut: ${security.text} px of text in ${security.box} px`);
  assert.deepEqual(await violations(page), [], 'axe-core at 360 px');
  await page.screenshot({ path: join(screenshotDir, 'a11y-360.png') });
});

test('at 360 px every control is a touch target of at least 24 by 24 px', async () => {
  const { page } = session;
  const small = await page.evaluate(() => {
    const controls = document.querySelectorAll('button, select, input:not([type="hidden"]), textarea, summary, a[href], label.button, [tabindex="0"]');
    const out = [];
    for (const control of controls) {
      if (control.closest('[hidden]') || control.getClientRects().length === 0) continue;
      // A checkbox or radio button is pressed through its label too: the label is its target.
      const target = /^(checkbox|radio)$/.test(control.type) ? control.closest('label') ?? control : control;
      const box = target.getBoundingClientRect();
      const name = `${control.localName}${control.className ? `.${control.className}` : ''} "${(control.textContent || control.name || '').slice(0, 30)}"`;
      if (box.width < 24 || box.height < 24) out.push(`${name}: ${box.width.toFixed(1)} x ${box.height.toFixed(1)}`);
    }
    return out;
  });
  assert.deepEqual(small, []);
});

test('at 360 px a 10,000-character host without dots wraps or scrolls in its own box, not the page', async () => {
  const { page } = session;
  const long = 'x'.repeat(10_000);
  await analysedAfter(page, () => page.fill(HOST, long),
    () => (document.querySelector('#findings')?.textContent ?? '').includes('xxxxxxxxxxxxxxxxxxxx'));
  assert.ok(await page.evaluate(() => document.scrollingElement.scrollWidth) <= 360,
    `the page is ${await page.evaluate(() => document.scrollingElement.scrollWidth)} px wide`);
  const box = await page.$eval(HOST, (input) => input.getBoundingClientRect().right);
  assert.ok(box <= 360, `the host field ends at ${box} px`);
  await page.screenshot({ path: join(screenshotDir, 'a11y-360-long-host.png') });
  await page.setViewportSize({ width: 1360, height: 1000 });
  await page.waitForTimeout(300);
  assert.ok(await page.evaluate(() => document.scrollingElement.scrollWidth) <= 1360, 'at 1360 px');
  await analysedAfter(page, () => page.fill(HOST, 'smtp.zylker.com'),
    () => !(document.querySelector('#findings')?.textContent ?? '').includes('xxxxxxxxxx'));
});

test('axe-core finds no violation on a config with errors, every group and row unfolded', async () => {
  const { page } = session;
  await page.selectOption('[data-path="/domains/0/relays/0/auth"] select', 'ip-whitelist');
  await page.fill('[data-path="/domains/0/relays/0/allowedNetworks"] textarea', '204.141.42.0/23\n136.143.190.0/23');
  await analysedAfter(page, () => page.fill('[data-path="/account/editionDailyLimit"] input', '-5'),
    () => document.querySelector('[data-path="/account/editionDailyLimit"] .inline-finding.error')
      && document.querySelector('#whitelist pre.snippet'));
  assert.match(await page.textContent('#summary'), /[1-9]\d* errors?/);
  await unfoldEverything(page);
  assert.deepEqual(await violations(page), []);
});

test('the dark theme follows the system setting and axe-core finds no violation in it', async () => {
  const { page } = session;
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(200);
  const [background, ink] = await colours(page, ['var(--bg)', 'var(--ink)']);
  const body = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  assert.ok(luminance(background) < 0.05 && luminance(ink) > 0.6, `dark theme: ${background} ${ink}`);
  assert.deepEqual(body.match(/\d+/g).slice(0, 3).map(Number), background, 'the page is drawn in the theme');
  assert.deepEqual(await violations(page), []);
  await page.screenshot({ path: join(screenshotDir, 'a11y-dark.png'), fullPage: true });
});

test('dark and light theme colours reach 4.5:1 on every background they are drawn on', async () => {
  const { page } = session;
  for (const scheme of ['dark', 'light']) {
    await page.emulateMedia({ colorScheme: scheme });
    assert.deepEqual(await weakPairs(page), [], `${scheme} theme`);
    // The elements the issue measured: a warning beside its field and the warning chip.
    const measured = await page.evaluate(() => {
      const solid = (element) => {
        for (let e = element; e; e = e.parentElement) {
          const c = getComputedStyle(e).backgroundColor;
          if (!/rgba\(.*, 0\)$|transparent/.test(c)) return c;
        }
        return getComputedStyle(document.documentElement).backgroundColor;
      };
      return ['.chip.warning', '.inline-finding.warning', '.finding.warning .severity', '.chip.error', '.finding.error .severity']
        .map((selector) => document.querySelector(selector))
        .filter(Boolean)
        .map((e) => ({ name: e.className, color: getComputedStyle(e).color, background: solid(e) }));
    });
    assert.ok(measured.length >= 4, JSON.stringify(measured));
    for (const { name, color, background } of measured) {
      const [a, b] = [color, background].map((c) => c.match(/[\d.]+/g).slice(0, 3).map(Number));
      assert.ok(contrast(a, b) >= 4.5, `${scheme}: ${name} ${color} on ${background}: ${contrast(a, b).toFixed(2)}:1`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
});

test('axe-core finds no violation on a 30-domain config, in either theme', async () => {
  const { page } = session;
  const config = JSON.parse(execFileSync('python3', [join(repoRoot, 'scripts', 'gen-config'), '--domains', '30', '--relays', '3', '--dns'],
    { encoding: 'utf8' }));
  assert.equal(config.domains.length, 30);
  await importConfig(page, 'thirty-domains.json', config);
  await page.waitForSelector('[data-path="/domains/29"]', { timeout: 60_000 });
  await page.waitForTimeout(500);
  // Past core's limit of open cards they start folded, each its header line with its counts:
  // axe sees them so, then every card opened.
  for (const state of ['folded', 'open']) {
    if (state === 'open') await unfoldEverything(page);
    assert.deepEqual(await violations(page), [], `light theme, cards ${state}`);
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.deepEqual(await violations(page), [], `dark theme, cards ${state}`);
    await page.emulateMedia({ colorScheme: 'light' });
  }
});

test('the page never loaded anything from elsewhere nor logged an error', async () => {
  assert.deepEqual(session.foreignRequests, []);
  assert.deepEqual(session.problems, []);
});
