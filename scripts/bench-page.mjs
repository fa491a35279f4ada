// The page's speed (issue 16), in Debian's Chromium through playwright-core, against build/web
// (or RELAYCHECK_WEB_DIR) served on loopback by scripts/static-server.mjs. A benchmark, not a
// test: it prints each figure beside its target and the load average (/proc/loadavg) when it was
// taken, and exits 0 whatever the figures; only a page that cannot be driven at all is a failure.
//
//   first load      every response of a first visit (html, css, js, worker, wasm, data), each
//                   body gzipped by zlib at level 9, summed                       target <= 300 KB
//   first analysis  navigation start to the first analysis painted (median of fresh loads)
//                                                                                 target <= 400 ms
//   edit to paint   a key typed in a relay's daily limit to the paint of the analysis of that
//                   edit (median), on the example and on 30 domains x 3 relays    <= 30 / 100 ms
//   500 domains     scripts/gen-config --domains 500 --relays 3 --dns (traffic for every type):
//                   the import to the analysis painted, and the longest main-thread task
//                   ('longtask' entries) during the import and during an edit     <= 1 s, 200 ms
//                   (and, beside the figures, the same import 5 s after the first analysis)
//
// "Painted": the page sets body[data-analysed] each time it shows an analysis (app.js). An
// observer installed before the page's scripts notes that moment, then the end of the next frame
// (requestAnimationFrame, then a message: the task after the frame is drawn), and says so on the
// console. The benchmark waits for that line rather than asking the page: Playwright's polls are
// scripts run on the page's main thread, and its first one brings Playwright's own script into
// the page, 37-53 ms of a task that landed between a first drawing and its paint (trace,
// 2026-12-03). Nothing of the harness runs in the page while a figure is being measured.
//
// Options (environment): BENCH_LOADS fresh loads (default 5), BENCH_EDITS edits per config
// (default 15), BENCH_EDITS_LARGE edits on the 500-domain config (default 5), BENCH_BIG_DOMAINS
// (default 500), CHROMIUM (default /usr/bin/chromium).
/* global window, document, MutationObserver, requestAnimationFrame -- functions run in the page */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startServer } from './static-server.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** How long the first load waits for the worker's warm-up config to be fetched (core-worker.js). */
const WARM_UP_WAIT = 6000;
/** The idle time before the second import of the largest config: an admin's reading and choosing. */
const IDLE_BEFORE_IMPORT = 5000;
const webDir = resolve(process.env.RELAYCHECK_WEB_DIR ?? join(repoRoot, 'build', 'web'));
const LOADS = Number(process.env.BENCH_LOADS ?? 5);
const EDITS = Number(process.env.BENCH_EDITS ?? 15);
const EDITS_LARGE = Number(process.env.BENCH_EDITS_LARGE ?? 5);
const BIG = Number(process.env.BENCH_BIG_DOMAINS ?? 500);
const STEP_TIMEOUT = 180_000;
const LIMIT_FIELD = '[data-path="/domains/0/relays/0/dailyLimit"] input';

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => (Number.isFinite(x) ? `${Math.round(x)} ms` : String(x));
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const results = [];
/** Prints one figure with the load average and its target; kept for the closing table. */
function report(label, value, target, shown, extra = '') {
  const met = Number.isFinite(value) ? value <= target.limit : false;
  results.push({ label, shown, target: target.text, met });
  console.log(`${label.padEnd(44)} ${shown.padStart(12)}   target ${target.text.padEnd(9)} ${met ? 'met' : 'NOT met'}   load ${loadavg()}${extra ? `   ${extra}` : ''}`);
}

/** The console line of each analysis painted (instrument). */
const SHOWN = 'relaycheck-bench: shown';

/** Runs in the page before its own scripts: notes each analysis shown and when it was painted,
 *  every input event, the import's start, and the main thread's long tasks. */
function instrument(SHOWN) {
  const bench = { shows: [], inputs: [], importStart: null, tasks: [] };
  window.__bench = bench;
  new MutationObserver(() => {
    const at = performance.now();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        bench.shows.push({ at, painted: performance.now() });
        console.debug(SHOWN);
      };
      channel.port2.postMessage(0);
    });
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-analysed'] });
  document.addEventListener('input', (e) => bench.inputs.push(e.timeStamp), true);
  document.addEventListener('change', (e) => { if (e.target?.id === 'import-file') bench.importStart = e.timeStamp; }, true);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.tasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch { /* no long task API: the figure says so */ }
}

/** The longest long task (>= 50 ms) that overlaps [from, to], or 0 when there was none. */
async function longestTask(page, from, to) {
  return page.evaluate(([a, b]) => Math.max(0, ...window.__bench.tasks
    .filter((t) => t.start < b && t.start + t.duration > a).map((t) => t.duration)), [from, to]);
}

/** Where the main thread went in [from, to]: the page's own performance measures ('relaycheck
 *  receive analyze', 'relaycheck draw outcomes'...; a drawing that pauses counts its busy time
 *  only), summed by name, as "name 12 ms, ...". */
async function breakdown(page, from, to) {
  const sums = await page.evaluate(([a, b]) => {
    const out = {};
    for (const m of performance.getEntriesByType('measure')) {
      if (!m.name.startsWith('relaycheck ') || m.startTime < a || m.startTime > b) continue;
      const name = m.name.slice('relaycheck '.length);
      out[name] = (out[name] ?? 0) + m.duration;
    }
    return out;
  }, [from, to]);
  const parts = Object.entries(sums).sort((x, y) => y[1] - x[1]).map(([k, v]) => `${k} ${Math.round(v)}`);
  return parts.length ? parts.join(', ') : 'no measure from the page';
}

/** Counts the analyses painted in `page`, as its console says (instrument). */
function countShows(page) {
  const counter = { count: 0, waiting: [] };
  page.on('console', (message) => {
    if (message.type() !== 'debug' || message.text() !== SHOWN) return;
    counter.count += 1;
    counter.waiting = counter.waiting.filter((w) => !w());
  });
  shows.set(page, counter);
}
const shows = new WeakMap();

/** Waits for the n-th analysis shown (0-based) to be painted; resolves to its record. */
async function shown(page, n, timeout = STEP_TIMEOUT) {
  const counter = shows.get(page);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no analysis painted within ${timeout} ms`)), timeout);
    const done = () => counter.count > n && (clearTimeout(timer), resolve(), true);
    if (!done()) counter.waiting.push(done);
  });
  return page.evaluate((k) => window.__bench.shows[k], n);
}

const showsSoFar = (page) => shows.get(page).count;

/** Waits for core in the page's worker to answer its first analysis, and resolves to when that
 *  answer reached the page. The page draws the example from its build's first answer before core
 *  has started (app.js), then asks core: the edits and imports measured are made after that, as
 *  an admin's would be. */
async function coreAnswered(page) {
  await page.waitForFunction(() => performance.getEntriesByName('relaycheck receive analyze').length > 0, null,
    { timeout: STEP_TIMEOUT, polling: 10 });
  await page.waitForTimeout(300);  // its drawing done
  return page.evaluate(() => {
    const [first] = performance.getEntriesByName('relaycheck receive analyze');
    return first.startTime + first.duration;
  });
}

async function freshPage(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
  await context.addInitScript(instrument, SHOWN);
  const page = await context.newPage();
  countShows(page);
  const problems = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.goto(url);
  await shown(page, 0);
  return { context, page, problems };
}

/** Types into the relay's daily limit `count` times (a 0 appended, then taken away), each time
 *  waiting for the analysis of that edit to be painted; the figures of each edit. */
async function edits(page, count) {
  // A config of more domains than core's form.limits.foldDomainsAbove starts with its cards
  // folded and not built: the first is opened, as the admin would, before typing into it.
  const folded = '#editor .domain[data-path="/domains/0"].collapsed > legend .fold';
  if (await page.locator(folded).count()) await page.click(folded);
  await page.click(LIMIT_FIELD);
  await page.press(LIMIT_FIELD, 'End');
  const out = [];
  for (let i = 0; i < count; i++) {
    await page.waitForTimeout(150);  // idle: nothing in flight, the last frame drawn
    const before = showsSoFar(page);
    const inputsBefore = await page.evaluate(() => window.__bench.inputs.length);
    await page.keyboard.press(i % 2 === 0 ? '0' : 'Backspace');
    const painted = await shown(page, before);
    const input = await page.evaluate((k) => window.__bench.inputs[k], inputsBefore);
    out.push({ toPaint: painted.painted - input, longest: await longestTask(page, input, painted.painted),
      parts: await breakdown(page, input, painted.painted) });
  }
  return out;
}

/** Imports `text` as a file; the time from the input's change to the analysis painted, and the
 *  longest task in between. The file is chosen by its path, as an admin's file is: the browser
 *  makes the File itself. (Given a buffer, Playwright builds the File in the page from base64
 *  with its own script: a 200-450 ms task of the page's main thread for the 860 KB config, which
 *  was this figure's longest task before 2026-12-03 and is not the page's.) */
async function importText(page, name, text) {
  const before = showsSoFar(page);
  const folder = mkdtempSync(join(tmpdir(), 'bench-page-'));
  let painted;
  try {
    writeFileSync(join(folder, name), text);
    await page.setInputFiles('#import-file', join(folder, name));
    painted = await shown(page, before);  // the page reads the file as it imports it
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const start = await page.evaluate(() => window.__bench.importStart);
  const status = await page.textContent('#status');
  if (!status.includes(name)) throw new Error(`the import of ${name} did not finish: ${status}`);
  return { toPaint: painted.painted - start, longest: await longestTask(page, start, painted.painted),
    parts: await breakdown(page, start, painted.painted) };
}

function generate(domains) {
  return execFileSync('python3', [join(repoRoot, 'scripts', 'gen-config'), '--domains', String(domains), '--relays', '3', '--dns'],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
}

async function main() {
  const { server, url } = await startServer(webDir);
  // What the server answered, by path: the bytes of a first visit, worker and wasm included.
  const served = [];
  server.on('request', (request, response) => {
    response.on('finish', () => served.push({ path: request.url.split('?')[0], status: response.statusCode }));
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  console.log(`relaycheck page benchmark, ${new Date().toISOString()}, ${webDir}`);
  console.log(`Chromium ${browser.version()}, ${(await import('node:os')).cpus().length} cores, load average at start ${loadavg()}`);
  try {
    // ---- First load and first analysis ----
    const firsts = [];
    const coreFirsts = [];
    let bytes = null;
    for (let i = 0; i < LOADS; i++) {
      served.length = 0;
      const { context, page } = await freshPage(browser, url);
      const first = await page.evaluate(() => window.__bench.shows[0].painted);
      firsts.push(first);
      coreFirsts.push(await coreAnswered(page));
      if (bytes === null) {
        // What the page fetches later without being asked counts too: the worker's warm-up config
        // comes about 1.5 s after the first analysis (core-worker.js).
        for (let waited = 0; waited < WARM_UP_WAIT && !served.some((r) => r.path === '/warm-up.json'); waited += 50) {
          await page.waitForTimeout(50);
        }
        await page.waitForTimeout(500);  // anything fetched later still (none expected)
        bytes = served.filter((r) => r.status === 200).map(({ path }) => {
          const file = resolve(webDir, `.${decodeURIComponent(path === '/' ? '/index.html' : path)}`);
          if (!file.startsWith(webDir + sep)) throw new Error(`served outside the page: ${path}`);
          const body = readFileSync(file);
          return { path, raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
        });
      }
      await context.close();
    }
    console.log('\nFirst load, per file (gzip -9):');
    for (const f of [...bytes].sort((a, b) => b.gzip - a.gzip)) {
      console.log(`  ${f.path.padEnd(34)} ${kb(f.raw).padStart(10)} raw ${kb(f.gzip).padStart(10)} gzipped`);
    }
    const total = bytes.reduce((s, f) => s + f.gzip, 0);
    console.log();
    report('first load, gzipped', total / 1024, { limit: 300, text: '300 KB' }, kb(total), `${bytes.length} files`);
    report(`first analysis (median of ${LOADS} loads)`, median(firsts), { limit: 400, text: '400 ms' }, ms(median(firsts)),
      `all: ${firsts.map((x) => Math.round(x)).join(', ')}`);
    console.log(`  (core's own first answer in the page, median: ${ms(median(coreFirsts))}; all: ${coreFirsts.map((x) => Math.round(x)).join(', ')})`);

    // ---- Edits: the example, then 30 domains x 3 relays ----
    {
      const { context, page } = await freshPage(browser, url);
      await coreAnswered(page);
      const example = await edits(page, EDITS);
      report(`edit to paint, example (median of ${EDITS})`, median(example.map((e) => e.toPaint)), { limit: 30, text: '30 ms' },
        ms(median(example.map((e) => e.toPaint))), `all: ${example.map((e) => Math.round(e.toPaint)).join(', ')}`);
      console.log(`  (last edit of the example, ms: ${example.at(-1).parts})`);
      await context.close();
    }
    {
      // A fresh page, so that the import replaces the example without asking.
      const { context, page } = await freshPage(browser, url);
      await coreAnswered(page);
      const imported = await importText(page, 'bench-30x3.json', generate(30));
      console.log(`  (import of 30 domains x 3 relays: ${ms(imported.toPaint)}, longest task ${ms(imported.longest)}; ms: ${imported.parts})`);
      const medium = await edits(page, EDITS);
      report(`edit to paint, 30 x 3 (median of ${EDITS})`, median(medium.map((e) => e.toPaint)), { limit: 100, text: '100 ms' },
        ms(median(medium.map((e) => e.toPaint))), `all: ${medium.map((e) => Math.round(e.toPaint)).join(', ')}`);
      console.log(`  (last edit of 30 x 3, ms: ${medium.at(-1).parts})`);
      await context.close();
    }

    // ---- The largest config: 500 domains x 3 relays with traffic and DNS data ----
    const bigText = generate(BIG);
    {
      const text = bigText;
      const { context, page, problems } = await freshPage(browser, url);
      await coreAnswered(page);
      let big;
      try {
        big = await importText(page, `bench-${BIG}x3.json`, text);
      } catch (error) {
        report(`${BIG} domains: import to rendered`, Infinity, { limit: 1000, text: '1 s' }, 'no answer', error.message.split('\n')[0]);
        await context.close();
        return;
      }
      report(`${BIG} domains: import to rendered`, big.toPaint, { limit: 1000, text: '1 s' }, ms(big.toPaint),
        `${kb(text.length)} of JSON`);
      console.log(`  (import of ${BIG} domains, ms: ${big.parts})`);
      report(`${BIG} domains: longest task, import`, big.longest, { limit: 200, text: '200 ms' },
        big.longest ? ms(big.longest) : '< 50 ms');
      const large = await edits(page, EDITS_LARGE);
      const longest = Math.max(...large.map((e) => e.longest));
      console.log(`  (${BIG} domains: edit to paint, median of ${EDITS_LARGE}: ${ms(median(large.map((e) => e.toPaint)))}; all: ${large.map((e) => Math.round(e.toPaint)).join(', ')})`);
      console.log(`  (last edit of ${BIG} domains, ms: ${large.at(-1).parts})`);
      report(`${BIG} domains: longest task, edit`, longest, { limit: 200, text: '200 ms' }, longest ? ms(longest) : '< 50 ms');
      if (problems.length) console.log(`  page errors: ${problems.join('; ')}`);
      await context.close();
    }
    {
      // The same import after the page has been idle for IDLE_BEFORE_IMPORT ms, as an admin who
      // reads the example and then chooses a file gives it: the worker has warmed core up by then
      // (core-worker.js). Not the target's figure, which is taken above, right after the first
      // analysis.
      const { context, page } = await freshPage(browser, url);
      await coreAnswered(page);
      await page.waitForTimeout(IDLE_BEFORE_IMPORT);
      const idle = await importText(page, `bench-${BIG}x3.json`, bigText);
      console.log(`  (${BIG} domains imported ${IDLE_BEFORE_IMPORT / 1000} s after the first analysis: ${ms(idle.toPaint)}, longest task ${ms(idle.longest)}; ms: ${idle.parts})`);
      await context.close();
    }
  } finally {
    console.log('\nSummary');
    for (const r of results) console.log(`  ${r.label.padEnd(44)} ${r.shown.padStart(12)}  <= ${r.target.padEnd(8)} ${r.met ? 'met' : 'NOT met'}`);
    console.log(`  load average at the end ${loadavg()} (figures are from a shared machine unless it was idle)`);
    await browser.close();
    server.close();
  }
}

main().catch((error) => {
  console.error(`bench-page could not run: ${error.stack ?? error}`);
  process.exit(1);
});
