// The page's first answer, worked out by core as the page is built: core's form, its example
// config and the analysis of that config, as the page's module answers them. wasm/CMakeLists.txt
// runs this after linking the module and writes first-answer.json next to the page.
//
// Why (issue 16): in a browser that has not seen the page before, the worker starts, fetches and
// compiles the module, and core runs its first calls in V8's baseline code before the page can
// draw anything: 0.9-1.1 s from navigation on the reference machine, most of it not the page's.
// With this file the page draws the form and the example's analysis as soon as its own scripts
// have run, and asks core for the same analysis once that is painted; core's answer, when it
// comes, is drawn over it (in place: only what differs changes). tests/node/first-answer.test.mjs checks that the
// file is what the module answers.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModule, webDir } from '../tests/node/core.mjs';

const module = await loadModule('relaycheck-page');

/** The result of a façade call; a failure stops the build, with core's words. */
function answer(method, request) {
  const response = JSON.parse(module.call(method, JSON.stringify(request)));
  if (!response.ok) throw new Error(`core's ${method} failed: ${response.error?.message}`);
  return response.result;
}

const form = answer('form', {});
const example = answer('example', {});
const analysis = answer('analyze', { config: example.config });
const path = join(webDir, 'first-answer.json');
writeFileSync(`${path}.part`, JSON.stringify({ form, example, analysis }));
renameSync(`${path}.part`, path);
