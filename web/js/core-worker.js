// The Web Worker that owns the wasm module, so that analysis never stalls typing.
// It answers {id, method, request} with the façade's response text; after a request that grew
// the module's memory past a threshold it starts a fresh instance (fresh-module.js).
import createRelaycheck from '../relaycheck.mjs';
import { freshModules } from './fresh-module.js';

const modules = freshModules(() => createRelaycheck());

// A failure says where it happened: `start` (the module could not be made) or `call` (a call
// threw; fresh-module.js has already replaced the instance, so the next call can succeed).
self.onmessage = async ({ data: { id, method, request } }) => {
  let stage = 'start';
  try {
    const response = await modules.call(method, request, () => {
      stage = 'call';
    });
    self.postMessage({ id, response });
  } catch (error) {
    self.postMessage({ id, failure: String(error?.message ?? error), stage });
  }
};
