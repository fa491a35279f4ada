// The Web Worker that owns the wasm module, so that analysis never stalls typing.
// It answers {id, method, request, shared} with the façade's response, parsed here rather than on
// the page's main thread and posted as what changed since the previous shared answer of that method
// (answer-delta.js: a 500-domain analysis is 14 MB of text); after a request that grew the module's
// memory past a threshold it starts a fresh instance (fresh-module.js).
import createRelaycheck from '../relaycheck.mjs';
import { freshModules } from './fresh-module.js';
import { createEncoder } from './answer-delta.js';

/** The module's code, compiled once: each fresh instance (fresh-module.js) is made from it, so a
 *  new instance neither fetches nor compiles again, and keeps the code the engine has optimised
 *  (issue 16: every analysis of a large config made a fresh instance, which compiled the module
 *  anew and ran core in unoptimised code, several times slower). */
let compiled = null;

/** Fetches and compiles the module; compiled while it downloads when the server labels it
 *  application/wasm (scripts/serve does), which streaming compilation requires. */
async function compileModule(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the module could not be fetched (HTTP ${response.status})`);
  if (response.headers.get('Content-Type')?.startsWith('application/wasm')) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

async function createInstance() {
  compiled ??= compileModule(new URL('../relaycheck.wasm', import.meta.url));
  let wasm;
  try {
    wasm = await compiled;
  } catch (error) {
    compiled = null;  // the next start tries again
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

const modules = freshModules(createInstance);
const encoder = createEncoder();

// A failure says where it happened: `start` (the module could not be made) or `call` (a call
// threw; fresh-module.js has already replaced the instance, so the next call can succeed).
self.onmessage = async ({ data: { id, method, request, shared } }) => {
  let stage = 'start';
  try {
    const text = await modules.call(method, request, () => {
      stage = 'call';
    });
    // Encoded at once, in the order the answers come: both ends build on the same previous answer.
    // The parsed pieces go first, each a message (and a task of the page's) of its own.
    const { answer, pieces } = encoder.encode(method, text, Boolean(shared));
    for (const piece of pieces) self.postMessage({ id, piece });
    self.postMessage({ id, method, answer });
  } catch (error) {
    self.postMessage({ id, failure: String(error?.message ?? error), stage });
  }
};
