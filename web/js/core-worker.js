// The Web Worker that owns the wasm module, so that analysis never stalls typing.
// It answers {id, method, request, shared} with the façade's response, parsed here rather than on
// the page's main thread and posted as what changed since the previous shared answer of that method
// (answer-delta.js: a 500-domain analysis is 14 MB of text); after a request that grew the module's
// memory past a threshold it starts a fresh instance (fresh-module.js).
import createRelaycheck from '../relaycheck.mjs';
import { freshModules } from './fresh-module.js';
import { createEncoder } from './answer-delta.js';

const modules = freshModules(() => createRelaycheck());
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
    self.postMessage({ id, method, answer: encoder.encode(method, text, Boolean(shared)) });
  } catch (error) {
    self.postMessage({ id, failure: String(error?.message ?? error), stage });
  }
};
