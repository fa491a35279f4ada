// The worker's module keeper (web/js/fresh-module.js): after a request that grew the wasm heap
// past the threshold, the next call goes to a fresh instance whose heap is back at its start
// size; small requests keep the same instance. Uses the wasm build, as the worker does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadModule, repoRoot, webDir } from './core.mjs';
import { freshModules, FRESH_AFTER_BYTES } from '../../web/js/fresh-module.js';

const MiB = 1024 * 1024;
await loadModule();  // sets up the globals the module's ES build expects in Node
const { default: createRelaycheck } = await import(pathToFileURL(join(webDir, 'relaycheck.mjs')).href);
const wasmBinary = readFileSync(join(webDir, 'relaycheck.wasm'));

/** freshModules over instances of the wasm build, each instance made pushed onto `made`. */
function wasmModules(made, options) {
  return freshModules(async () => {
    const module = await createRelaycheck({ wasmBinary });
    made.push(module);
    return module;
  }, options);
}

test('after a request that grew the heap, the next call has a fresh module at its start size', async (t) => {
  const made = [];
  const modules = wasmModules(made);
  const small = '{"text": "192.0.2.0/24"}';
  assert.equal(JSON.parse(await modules.call('cidr.parse', small)).ok, true);
  assert.equal(JSON.parse(await modules.call('cidr.parse', small)).ok, true);
  assert.equal(modules.instances(), 1, 'small requests keep the instance');
  const startBytes = made[0].HEAP8.length;

  // About 700,000 lines: 10 MiB of request, well past the 8 MiB threshold once read.
  const lines = [];
  for (let k = 0; k < 700000; k++) lines.push(`10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`);
  const big = JSON.stringify({ text: lines.join('\n') });
  assert.ok(big.length > FRESH_AFTER_BYTES);
  const answer = JSON.parse(await modules.call('cidr.aggregate', big));
  assert.equal(answer.ok, true);
  const grownBytes = made[0].HEAP8.length;
  assert.ok(grownBytes - startBytes > FRESH_AFTER_BYTES, `the heap grew: ${grownBytes}`);
  assert.equal(modules.instances(), 2, 'a fresh instance is started');

  assert.equal(JSON.parse(await modules.call('cidr.parse', small)).ok, true);
  assert.equal(made.length, 2);
  assert.equal(made[1].HEAP8.length, startBytes, 'the fresh instance is back at the start size');
  t.diagnostic(`wasm heap ${(startBytes / MiB).toFixed(0)} MiB at start, ${(grownBytes / MiB).toFixed(0)} MiB after the large request, ${(made[1].HEAP8.length / MiB).toFixed(0)} MiB in the fresh instance`);
});

test('an instance grown by a recurring method is kept for it, and replaced once its request shrinks', async (t) => {
  const made = [];
  const modules = wasmModules(made, { recurring: ['analyze'] });
  // A config of 250 domains x 3 relays with DNS data grows the heap well past the threshold.
  const config = JSON.parse(execFileSync('python3', [join(repoRoot, 'scripts', 'gen-config'), '--domains', '250', '--relays', '3', '--dns'],
    { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const large = JSON.stringify({ config });
  const analysed = async (request) => JSON.parse(await modules.call('analyze', request)).result;
  await modules.methods();
  const startBytes = made[0].HEAP8.length;
  const first = await analysed(large);
  assert.equal(first.config.domains.length, 250);
  const grownBytes = made[0].HEAP8.length;
  assert.ok(grownBytes - startBytes > FRESH_AFTER_BYTES, `the heap grew: ${grownBytes}`);
  assert.equal(modules.instances(), 1, 'the grown instance is kept for the next analysis');
  // The same config again (an edit): the same instance answers, and it grows no further.
  assert.deepEqual((await analysed(large)).summary, first.summary);
  assert.equal(modules.instances(), 1);
  assert.equal(made[0].HEAP8.length, grownBytes);
  // Core's example, a request far less than a quarter as long: answered, then the instance goes.
  const example = JSON.stringify({ config: JSON.parse(await modules.call('example', '{}')).result.config });
  assert.ok(example.length * 4 < large.length);
  assert.equal((await analysed(example)).config.domains.length, 1);
  assert.equal(modules.instances(), 2, 'a fresh instance is started once the config shrank');
  await analysed(example);
  assert.equal(made[1].HEAP8.length, startBytes, 'the fresh instance is back at the start size');
  t.diagnostic(`wasm heap ${(startBytes / MiB).toFixed(0)} MiB at start, ${(grownBytes / MiB).toFixed(0)} MiB kept for 250 domains, ${(made[1].HEAP8.length / MiB).toFixed(0)} MiB in the fresh instance`);
});

test('a module whose call throws is replaced, and the error reaches the caller', async () => {
  let made = 0;
  const modules = freshModules(() => {
    made += 1;
    const n = made;
    return {
      HEAP8: new Int8Array(16),
      call: () => { if (n === 1) throw new RangeError('Maximum call stack size exceeded'); return '{"ok":true,"result":{}}'; },
    };
  });
  await assert.rejects(modules.call('analyze', '{}'), RangeError);
  assert.equal(JSON.parse(await modules.call('analyze', '{}')).ok, true);
  assert.equal(modules.instances(), 2);
});

test('onStarted tells a module that could not start from a call that threw', async () => {
  const broken = freshModules(() => Promise.reject(new Error('no WebAssembly')));
  let started = false;
  await assert.rejects(broken.call('analyze', '{}', () => { started = true; }), /no WebAssembly/);
  assert.equal(started, false, 'a module that never started does not report a start');

  const throwing = freshModules(() => ({
    HEAP8: new Int8Array(16),
    call: () => { throw new RangeError('Maximum call stack size exceeded'); },
  }));
  await assert.rejects(throwing.call('analyze', '{}', () => { started = true; }), RangeError);
  assert.equal(started, true, 'the call itself threw, after the module started');
});
