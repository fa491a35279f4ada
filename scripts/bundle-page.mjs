// Bundles the page's JavaScript for the folder it is served from: web/js/app.js and every module
// it imports become js/app.js, and the worker's web/js/core-worker.js with its imports becomes
// js/core-worker.js, both minified, with source maps beside them (fetched only by a developer's
// tools). wasm/CMakeLists.txt runs this after copying web/ to the build's page folder.
//
//   node scripts/bundle-page.mjs OUT_DIR
//
// Why (issue 16: the first analysis): unbundled, the page was 25 modules. A browser new to the page
// asked for them over its six connections to the host and instantiated them one by one; on the
// reference machine the last arrived 150-300 ms after the first was asked for, and the page's first
// analysis was painted at a median of 675 ms from navigation against 492 ms bundled (9 loads each,
// 2026-12-03 06:31 UTC, load 2.4).
//
// The core modules (relaycheck-page.mjs, relaycheck.mjs: Emscripten's glue) stay files of their
// own: the worker imports each when it first needs it. The modules copied from web/js are removed
// from OUT_DIR/js, so that nothing the page does not load is served.
import { build } from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const [outArgument] = process.argv.slice(2);
if (!outArgument) {
  console.error('usage: node scripts/bundle-page.mjs OUT_DIR');
  process.exit(2);
}
const out = resolve(outArgument);
const web = join(dirname(fileURLToPath(import.meta.url)), '..', 'web');
const BUNDLES = ['app', 'core-worker'];

// The copies of web/js's modules go first: the bundles take their place.
const js = join(out, 'js');
for (const name of readdirSync(js)) {
  const path = join(js, name);
  rmSync(path, { recursive: statSync(path).isDirectory(), force: true });
}

const result = await build({
  entryPoints: Object.fromEntries(BUNDLES.map((name) => [name, join(web, 'js', `${name}.js`)])),
  outdir: js,
  bundle: true,
  format: 'esm',
  minify: true,
  sourcemap: 'linked',
  // The Chromium of Debian and the browsers the page supports run ES2022 as written.
  target: 'es2022',
  // Emscripten's glue, imported by the worker when it makes a module: a file of its own.
  external: ['../relaycheck-page.mjs', '../relaycheck.mjs'],
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
  metafile: true,
});
for (const [path, { bytes }] of Object.entries(result.metafile.outputs)) {
  if (path.endsWith('.js')) console.log(`bundle-page: ${path.split('/').slice(-2).join('/')}: ${bytes} bytes`);
}
