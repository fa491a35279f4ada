// The Web Worker that owns the wasm module, so that analysis never stalls typing.
// It loads the module once and answers {id, method, request} with the façade's response text.
import createRelaycheck from '../relaycheck.mjs';

const modulePromise = createRelaycheck();

self.onmessage = async ({ data: { id, method, request } }) => {
  try {
    const module = await modulePromise;
    self.postMessage({ id, response: module.call(method, request) });
  } catch (error) {
    self.postMessage({ id, failure: String(error?.message ?? error) });
  }
};
