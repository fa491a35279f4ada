// The page's one door to core: a single worker, created once, and requests matched to answers.
// This is the one place where an error response becomes a JavaScript Error. The worker parses each
// answer and posts it as what changed since the previous one (answer-delta.js); the answer is
// rebuilt here, in the order the worker posted them, whether or not anyone still waits for it.
import { createDecoder } from './answer-delta.js';

let worker;
let nextId = 1;
const pending = new Map();
const decoder = createDecoder();
/** The pieces of each answer under way (answer-delta.js), by request id, until its answer. */
const pieces = new Map();

function startWorker() {
  worker = new Worker(new URL('./core-worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = ({ data }) => {
    if ('piece' in data) {
      if (!pieces.has(data.id)) pieces.set(data.id, []);
      pieces.get(data.id).push(data.piece);
      return;
    }
    const entry = pending.get(data.id);
    pending.delete(data.id);
    if (data.failure) {
      entry?.reject(new Error(failureWords(data)));
      return;
    }
    const start = performance.now();
    let response;
    try {
      response = decoder.decode(data.method, data.answer, data.pieces ?? pieces.get(data.id) ?? []);
    } catch (error) {
      entry?.reject(error);
      return;
    } finally {
      pieces.delete(data.id);
      performance.measure(`relaycheck receive ${data.method}`, { start });  // for scripts/bench-page
    }
    entry?.resolve(response);
  };
  worker.onerror = (event) => {
    for (const entry of pending.values()) {
      entry.reject(new Error(`The checker stopped (${event.message}). Reload the page; your config is kept.`));
    }
    pending.clear();
    pieces.clear();
  };
}

/** Starts the worker, and with it the download and compile of core's module, unless it has
 *  started; the first call starts it too. The page draws core's first answer of its build before
 *  core has started when it can (app.js), so that the two do not share the machine's cores while
 *  the page is first drawn (issue 16: the first analysis). */
export function startCore() {
  if (!worker) startWorker();
}

/** What the admin reads when the module itself failed (not an error response of core). */
function failureWords({ stage, failure }) {
  if (stage === 'call') {
    return `The checker failed on this request (${failure}); it has been restarted and your ` +
      'config is kept. Try again, or make the input smaller.';
  }
  return `The checker could not start (${failure}). Reload the page; your config is kept.`;
}

/** Error of a façade response, with its code and JSON Pointer. */
export class CoreError extends Error {
  constructor({ code, message, path }) {
    super(message);
    this.code = code;
    this.path = path;
  }
}

/**
 * Calls a façade method with a request object (or JSON text); resolves to the result. With
 * `{shared: true}` the result may share the parts that did not change with the previous shared
 * result of the same method (the very objects): it is then read-only, and a caller that keeps a
 * part to edit it takes a copy. Without it the result is the caller's own.
 */
export function callCore(method, request, { shared = false } = {}) {
  startCore();
  const id = nextId++;
  const text = typeof request === 'string' ? request : JSON.stringify(request);
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, method, request: text, shared });
  }).then((response) => {
    if (!response.ok) throw new CoreError(response.error);
    return response.result;
  });
}
