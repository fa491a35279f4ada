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
import createPageModule from '../relaycheck-page.mjs';
import { freshModules } from './fresh-module.js';
import { createEncoder } from './answer-delta.js';

const PAGE = { factory: async () => createPageModule, wasm: '../relaycheck-page.wasm' };
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

const pageModules = freshModules(() => createInstance(PAGE));
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

/** How many analyses of core's own example the worker runs to warm up. Measured 2026-12-03: in
 *  Node 20, 10 took the first 500-domain analysis from 1.0-1.1 s to 0.67-0.82 s and 40 to
 *  0.61-0.63 s (0.37 s for the ones after it; the 40 cost about 140 ms in all); in the page's
 *  worker (Chromium, load 1.8), 40 took it from 1.54-1.84 s to 1.29-1.35 s. */
const WARM_RUNS = 40;
/** When the warm-up starts after the page's first analysis is answered: once the page has drawn
 *  it (begun at once, on a 2-core machine the warm-up and the compiles it sets off took the first
 *  analysis from 1.0 to 2.0 s to paint, scripts/bench-page). */
const WARM_AFTER_MS = 1500;
let warmed = false;

/** V8 runs a wasm function in its baseline tier until it has run long enough to be compiled by its
 *  optimising tier, and a call keeps the code it started in: the first analysis of a large config
 *  (an import, a share link) ran three times slower than the next. So after the page's first
 *  analysis, the worker analyses core's example, one run a task, so that a request from the page
 *  waits for one run at most; the answers are dropped. */
function warmUp() {
  if (warmed) return;
  warmed = true;
  let request = null;
  let left = WARM_RUNS;
  const step = async () => {
    try {
      request ??= JSON.stringify({ config: JSON.parse(await pageModules.call('example', '{}')).result.config });
      await pageModules.call('analyze', request);
    } catch {
      return;  // a warm-up that fails changes nothing the page sees
    }
    left -= 1;
    if (left > 0) setTimeout(step, 0);
  };
  setTimeout(step, WARM_AFTER_MS);
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
    // The parsed pieces go first, each a message (and a task of the page's) of its own.
    const { answer, pieces } = encoder.encode(method, text, Boolean(shared));
    for (const piece of pieces) self.postMessage({ id, piece });
    self.postMessage({ id, method, answer });
    if (method === 'analyze') warmUp();
  } catch (error) {
    self.postMessage({ id, failure: String(error?.message ?? error), stage });
  }
};
