// Loads the wasm build of core in Node, once, and exposes the façade as call(method, request).
// Node cannot fetch() a file path and has no __dirname in ES modules, so the module gets its
// bytes and the CommonJS globals it expects (Debian's Emscripten 3.1.6 fetches a file path
// whenever `fetch` exists, and its ES-module output reads __dirname).
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const webDir = resolve(process.env.RELAYCHECK_WEB_DIR ?? join(repoRoot, 'build', 'web'));

const modulePromises = new Map();

/** An instantiated wasm module of the build (cached): `relaycheck`, the whole façade, or
 *  `relaycheck-page`, the page's methods alone (wasm/CMakeLists.txt). Throws when it is missing. */
export function loadModule(name = 'relaycheck') {
  if (!modulePromises.has(name)) {
    modulePromises.set(name, (async () => {
      const jsPath = join(webDir, `${name}.mjs`);
      if (!existsSync(jsPath)) throw new Error(`no wasm build at ${jsPath}: run scripts/test or cmake --build --preset wasm`);
      globalThis.__dirname ??= webDir;
      globalThis.require ??= createRequire(jsPath);
      const { default: createRelaycheck } = await import(pathToFileURL(jsPath).href);
      return createRelaycheck({ wasmBinary: readFileSync(join(webDir, `${name}.wasm`)) });
    })());
  }
  return modulePromises.get(name);
}

/** The façade: method name and request text in, response text out (exactly core's bytes). */
export async function call(method, requestText) {
  const module = await loadModule();
  return module.call(method, requestText);
}

/** The façade with attachments (core/include/relaycheck/facade.hpp): long texts beside the
 *  request document. Resolves to {response, attachments}: the response text and the texts it
 *  refers to as {"attachment": N}. */
export async function callWithAttachments(method, requestText, attachments) {
  const module = await loadModule();
  return module.callWithAttachments(method, requestText, attachments);
}
