// The wasm module behind the worker, replaced by a fresh instance when it grew: WebAssembly memory
// that grew for one large request (a long list, a large config) is never given back, so after
// such a request the worker drops the instance, and the next call goes to a new one that starts
// small. A request that recurs is the exception: the page analyses its config again at every
// edit, and a fresh instance would grow just as far again, page by page (130-150 ms more for each
// analysis of 500 domains, Node 20, 2026-12-03). So an instance that grew for a recurring method
// is kept while that method's requests stay at least a quarter as long as the longest it was kept
// for, and replaced after the first shorter one (the config shrank: its memory is given back).
// An instance whose call threw is replaced too: it may be left in any state.

/** How far the wasm heap may grow past its size at start before the instance is replaced. */
export const FRESH_AFTER_BYTES = 8 * 1024 * 1024;

/**
 * Calls into the module made by `create()` (a promise of an Emscripten module), replacing it
 * after a call that left its heap more than `freshAfterBytes` above where it started, unless the
 * call's method is one of `recurring` and its request is at least a quarter as long as the longest
 * such request the grown instance has answered.
 * Returns {call(method, request, onStarted) → promise of the response text, methods() → promise
 * of the names of the methods it answers, instances() → count made}; `onStarted` runs once the
 * module is ready, just before the call itself, so that a caller can tell a module that did not
 * start from a call that threw.
 */
export function freshModules(create, { freshAfterBytes = FRESH_AFTER_BYTES, recurring = [] } = {}) {
  let made = 0;
  let current;
  const start = () => {
    made += 1;
    current = Promise.resolve(create()).then((module) => ({ module, startBytes: module.HEAP8.length, keptFor: 0 }));
  };
  start();
  /** Whether `instance`, just past the threshold after a call of `method`, is kept for the next. */
  const keep = (instance, method, request) => {
    if (!recurring.includes(method) || request.length * 4 < instance.keptFor) return false;
    instance.keptFor = Math.max(instance.keptFor, request.length);
    return true;
  };
  return {
    async call(method, request, onStarted = () => {}) {
      const instance = await current;
      const { module, startBytes } = instance;
      onStarted();
      let response;
      try {
        response = module.call(method, request);
      } catch (error) {
        start();
        throw error;
      }
      if (module.HEAP8.length - startBytes > freshAfterBytes && !keep(instance, method, request)) start();
      return response;
    },
    /** The names of the methods the module answers (its binding's `methods()`). */
    async methods() {
      const { module } = await current;
      return module.methods();
    },
    instances: () => made,
  };
}
