// The Web Worker that owns the wasm module, so that analysis never stalls typing.
// It answers {id, method, request} with the façade's response text; after a request that grew
// the module's memory past a threshold it starts a fresh instance (fresh-module.js).
import createRelaycheck from '../relaycheck.mjs';
import { freshModules } from './fresh-module.js';

const modules = freshModules(() => createRelaycheck());

self.onmessage = async ({ data: { id, method, request } }) => {
  try {
    self.postMessage({ id, response: await modules.call(method, request) });
  } catch (error) {
    self.postMessage({ id, failure: String(error?.message ?? error) });
  }
};
