// The Web Worker that owns the wasm modules, so that analysis never stalls typing.
// It answers {id, method, request, shared} with the façade's response, parsed here rather than on
// the page's main thread and posted as what changed since the previous shared answer of that method
// (answer-delta.js: a 500-domain analysis is 14 MB of text); after a request that grew a module's
// memory past a threshold it starts a fresh instance (fresh-module.js).
//
// Core is built into two modules (wasm/CMakeLists.txt): relaycheck-page answers the methods the
// page calls before anything is clicked and is fetched at once; relaycheck, the whole façade, is
// fetched the first time the page asks for a method the page module does not list (a report,
// live DNS), so the first download leaves that code out (issue 16).
import { freshModules } from './fresh-module.js';
import { createEncoder } from './answer-delta.js';

// Each module's JavaScript is imported when it is made, not statically: the page module's .wasm
// is asked for as this script starts, while its JavaScript still loads.
const PAGE = { factory: async () => (await import('../relaycheck-page.mjs')).default, wasm: '../relaycheck-page.wasm' };
const WHOLE = { factory: async () => (await import('../relaycheck.mjs')).default, wasm: '../relaycheck.wasm' };

/** The module's code, compiled once: each fresh instance (fresh-module.js) is made from it, so a
 *  new instance neither fetches nor compiles again, and keeps the code the engine has optimised
 *  (issue 16: every analysis of a large config made a fresh instance, which compiled the module
 *  anew and ran core in unoptimised code, several times slower). */
const compiled = new Map();

/** Fetches and compiles the module; compiled while it downloads when the server labels it
 *  application/wasm (scripts/serve does), which streaming compilation requires. */
async function compileModule(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the module could not be fetched (HTTP ${response.status})`);
  if (response.headers.get('Content-Type')?.startsWith('application/wasm')) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

async function createInstance(kind) {
  if (!compiled.has(kind)) compiled.set(kind, compileModule(new URL(kind.wasm, import.meta.url)));
  let wasm;
  let createRelaycheck;
  try {
    [wasm, createRelaycheck] = await Promise.all([compiled.get(kind), kind.factory()]);
  } catch (error) {
    compiled.delete(kind);  // the next start tries again
    throw error;
  }
  // Instantiated at once (a worker may): a failure is thrown here, not left for a promise that
  // would never settle.
  let failure = null;
  const made = createRelaycheck({
    instantiateWasm(imports, receive) {
      try {
        const instance = new WebAssembly.Instance(wasm, imports);
        receive(instance, wasm);
        return instance.exports;
      } catch (error) {
        failure = error;
        throw error;
      }
    },
  });
  if (failure) throw failure;
  return made;
}

// The page analyses its config again at every edit: an instance grown for it is kept for the next.
const pageModules = freshModules(() => createInstance(PAGE), { recurring: ['analyze'] });
let wholeModules = null;
/** The page module's methods, as core lists them (read once it has started). */
let pageMethods = null;

/** The modules that answer `method`: the page module's, else the whole façade's, started now. */
async function modulesFor(method) {
  pageMethods ??= await pageModules.methods();
  if (pageMethods.includes(method)) return pageModules;
  wholeModules ??= freshModules(() => createInstance(WHOLE));
  return wholeModules;
}

const encoder = createEncoder();

/** V8 runs a wasm function in its baseline tier until it has run long enough to be compiled by its
 *  optimising tier, and a call keeps the code it started in. Chromium tiers up later than Node:
 *  the same analysis of a 30-domain config took 408, 116, 82 ... ms and reached 22 ms only at its
 *  28th run in the page (7th in Node), and the first 500-domain analysis ran twice as slowly as
 *  the next. Warming up on core's example alone did not help the larger configs (their code runs
 *  loops and paths a one-domain config barely enters: 200 runs of it left a 500-domain import at
 *  1.19-1.22 s of core, 10 runs of a 30-domain config took it to 0.81-0.84 s; 2026-12-03).
 *  So, while the page is idle, the worker analyses again the config the page last sent, whenever
 *  it is larger than any it has warmed up on: one run a task, so that a request from the page
 *  waits for one run at most; the answers are dropped. The first warm-up also analyses a config
 *  shipped beside the module for it (WARM_CONFIG), turn about with the page's. */
const WARM_RUNS = 40;
/** The first warm-up's runs, half of them of WARM_CONFIG: scripts/gen-config's 3 domains x 3
 *  relays with DNS data (wasm/CMakeLists.txt writes it), which enters every step of the analysis
 *  on every kind of path in 2-9 ms a run. In Node, 40 runs of it took the first 500-domain
 *  analysis from 750-870 to about 480 ms; in the page, imported 5 s after the first analysis,
 *  the 500 domains were drawn in 1.34-1.75 s against 1.72-2.12 s (2026-12-03, load about 2). */
const WARM_FIRST_RUNS = 200;
const WARM_CONFIG = new URL('../warm-up.json', import.meta.url);
/** The first warm-up starts this long after the page's first analysis is answered, once the page
 *  has drawn it (begun at once, on a 2-core machine the warm-up and the compiles it sets off took
 *  the first analysis from 1.0 to 2.0 s to paint, scripts/bench-page); later ones sooner. */
const WARM_AFTER_MS = 1500;
const WARM_AGAIN_AFTER_MS = 300;
/** A config is warmed up on only when its request is at most this long (a request from the page
 *  may wait for one run: a 30-domain config's first runs take 100-400 ms, a 500-domain one's
 *  over a second) and this much longer than the last one warmed up on. */
const WARM_MAX_BYTES = 256 * 1024;
const WARM_GROWTH = 1.5;
let warmedLength = 0;
let warmUps = 0;
/** WARM_CONFIG's analysis request, fetched once: null when it could not be had. */
let shippedWarmUp = null;

function shippedRequest() {
  shippedWarmUp ??= fetch(WARM_CONFIG)
    .then((response) => (response.ok ? response.text() : null))
    .then((text) => (text === null ? null : JSON.stringify({ config: text })))
    .catch(() => null);
  return shippedWarmUp;
}

/** Warms the module up on `request`, an analysis the page asked for. */
function warmUp(request) {
  if (request.length > WARM_MAX_BYTES || request.length < warmedLength * WARM_GROWTH) return;
  const first = warmedLength === 0;
  const delay = first ? WARM_AFTER_MS : WARM_AGAIN_AFTER_MS;
  warmedLength = request.length;
  const generation = ++warmUps;
  let left = first ? WARM_FIRST_RUNS : WARM_RUNS;
  const step = async () => {
    // A larger config has taken over, or the runs are done.
    if (generation !== warmUps || left === 0) return;
    left -= 1;
    const shipped = first && left % 2 === 0 ? await shippedRequest() : null;
    try {
      await pageModules.call('analyze', shipped ?? request);
    } catch {
      return;  // a warm-up that fails changes nothing the page sees
    }
    setTimeout(step, 0);
  };
  setTimeout(step, delay);
}

// A failure says where it happened: `start` (the module could not be made) or `call` (a call
// threw; fresh-module.js has already replaced the instance, so the next call can succeed).
self.onmessage = async ({ data: { id, method, request, shared } }) => {
  let stage = 'start';
  try {
    const modules = await modulesFor(method);
    const text = await modules.call(method, request, () => {
      stage = 'call';
    });
    // Encoded at once, in the order the answers come: both ends build on the same previous answer.
    // Long parsed pieces go first, each a message (and a task of the page's) of its own; short
    // ones go with the answer.
    const { answer, pieces, apart } = encoder.encode(method, text, Boolean(shared));
    if (apart) {
      for (const piece of pieces) self.postMessage({ id, piece });
      self.postMessage({ id, method, answer });
    } else {
      self.postMessage({ id, method, answer, pieces });
    }
    setTimeout(() => encoder.settle(), 0);  // while the page draws
    if (method === 'analyze') warmUp(request);
  } catch (error) {
    self.postMessage({ id, failure: String(error?.message ?? error), stage });
  }
};
