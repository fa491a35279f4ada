// The wasm module's boundary: whatever JavaScript sends, an error comes back as data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, callWithAttachments, loadModule } from './core.mjs';

test('10 MB of garbage is refused as data, and the module still answers afterwards', async () => {
  const garbage = Array.from({ length: 10_000_000 }, (_, i) => String.fromCharCode((i * 7919) % 0x2fff)).join('');
  const response = JSON.parse(await call('analyze', garbage));
  assert.equal(response.ok, false);
  assert.match(response.error.code, /^request\./);
  const again = JSON.parse(await call('example', '{}'));
  assert.equal(again.ok, true);
});

test('a config of 10 MB is refused for its size', async () => {
  const response = JSON.parse(await call('analyze', JSON.stringify({ config: 'x'.repeat(10_000_000) })));
  assert.equal(response.error.code, 'config.too_large');
});

test('an unsupported schema version is a clear error naming the field', async () => {
  const response = JSON.parse(await call('analyze', JSON.stringify({ config: { schema: 7 } })));
  assert.deepEqual(response, {
    ok: false,
    error: { code: 'config.unsupported_schema', path: '/schema', message: 'schema version 7 is not supported; this relaycheck reads schemas 1 and 2' },
  });
});

test('deeply nested input and lone surrogates do not abort the module', async () => {
  const deep = JSON.parse(await call('analyze', '['.repeat(200_000)));
  assert.equal(deep.ok, false);
  const surrogate = JSON.parse(await call('analyze', JSON.stringify({ config: '\ud800' })));
  assert.equal(surrogate.ok, false);
});

test('the example analysed in wasm has no error finding', async () => {
  const example = JSON.parse(await call('example', '{}')).result.config;
  const report = JSON.parse(await call('analyze', JSON.stringify({ config: example }))).result;
  assert.equal(report.hasErrors, false);
  assert.ok(Array.isArray(report.findings));
});

test('arguments the binding cannot carry into wasm come back as error documents, not exceptions', async () => {
  const module = await loadModule();
  const codeOf = (text) => JSON.parse(text).error.code;
  assert.equal(codeOf(module.call('example', null)), 'request.bad_argument');
  assert.equal(codeOf(module.call('example', 42)), 'request.bad_argument');
  const noList = module.callWithAttachments('cidr.aggregate', '{}', undefined);
  assert.equal(codeOf(noList.response), 'request.bad_argument');
  assert.deepEqual(noList.attachments, []);
  assert.equal(codeOf(module.callWithAttachments('cidr.aggregate', '{}', [{}]).response), 'request.bad_argument');
  const huge = 'x'.repeat(65 * 1024 * 1024);
  assert.equal(codeOf(module.callWithAttachments('cidr.aggregate', '{"text": {"attachment": 0}}', [huge]).response),
    'request.too_large');
  // And the module still answers afterwards.
  assert.equal(JSON.parse(module.call('example', '{}')).ok, true);
});

test('an attachment of bytes that are not UTF-8 reads as U+FFFD, as in the native build', async () => {
  const bytes = new Uint8Array([0x23, 0x20, 0x42, 0xfc, 0x0a, 0x31, 0x30, 0x2e, 0x30, 0x2e, 0x30, 0x2e, 0x30, 0x2f, 0x38, 0x0a]);
  const { response } = await callWithAttachments('cidr.aggregate', '{"text": {"attachment": 0}}', [bytes]);
  assert.deepEqual(JSON.parse(response).result.prefixes, ['10.0.0.0/8']);
});
