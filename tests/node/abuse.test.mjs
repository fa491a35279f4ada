// The wasm module under abuse (issue 18, item 4): whatever JavaScript hands it, every call answers
// with a response document (never a thrown TypeError or RangeError, never an abort), the module
// stays usable for the next call, its memory stays bounded, and a request at and just past the
// 64 MiB limit behaves as README's limits table says. The figures (wasm heap, process RSS) are
// printed as test diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule } from './core.mjs';

const MiB = 1024 * 1024;
const LIMIT = 64 * MiB;  // kMaxRequestBytes

const module = await loadModule();
const heap = () => module.HEAP8.length;

/** The parsed response of a call that must answer with an error document. */
function errorOf(text) {
  assert.equal(typeof text, 'string', 'the answer is a string');
  const response = JSON.parse(text);
  assert.equal(response.ok, false, text.slice(0, 300));
  assert.equal(typeof response.error?.code, 'string', text.slice(0, 300));
  assert.equal(typeof response.error?.message, 'string', text.slice(0, 300));
  return response.error;
}

function good() {
  const response = JSON.parse(module.call('cidr.parse', '{"text": "192.0.2.0/24"}'));
  assert.deepEqual(response.result?.prefix, '192.0.2.0/24', 'the module still answers a good call');
}

const deep = (n) => `{"text": ${'['.repeat(n)}${']'.repeat(n)}}`;

// Bad calls of every kind: [what, () => response text]. Each must answer with an error.
const badCalls = [
  ['a number as the method', () => module.call(5, '{}')],
  ['null as the method', () => module.call(null, '{}')],
  ['undefined as the method', () => module.call(undefined, '{}')],
  ['an object as the method', () => module.call({ toString: () => 'cidr.parse' }, '{}')],
  ['an array as the method', () => module.call(['cidr.parse'], '{"text": "10.0.0.0/8"}')],
  ['a symbol as the method', () => module.call(Symbol('cidr.parse'), '{}')],
  ['a String object as the method', () => module.call(new String('cidr.parse'), '{}')],
  ['an unknown method', () => module.call('no.such.method', '{}')],
  ['a method name with a lone surrogate', () => module.call('cidr.parse\ud800', '{}')],
  ['a method name of 10,000 characters', () => module.call('m'.repeat(10000), '{}')],
  ['a request that is a number', () => module.call('cidr.parse', 5)],
  ['a request that is an object', () => module.call('cidr.parse', { text: '10.0.0.0/8' })],
  ['a request that is a Uint16Array', () => module.call('cidr.parse', new Uint16Array(8))],
  ['undefined as the request', () => module.call('cidr.parse', undefined)],
  ['a request that is not JSON', () => module.call('cidr.parse', '{"text": ')],
  ['a request of bytes that are not UTF-8', () => module.call('cidr.parse', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))],
  ['a request nested 65 deep', () => module.call('cidr.parse', deep(64))],
  ['a request nested 10,000 deep', () => module.call('analyze', deep(10000))],
  ['a config nested 5,000 deep', () => module.call('analyze', JSON.stringify({ config: `${'['.repeat(5000)}` }))],
  ['1e999 in a request', () => module.call('cidr.parse', '{"text": 1e999}')],
  ['a lone surrogate escape', () => module.call('cidr.parse', '{"text": "\\udc00"}')],
  ['a wrong type', () => module.call('spf.check', '{"zone": 5, "ip": [], "sender": {}, "helo": null}')],
  ['a bad address', () => module.call('cidr.parse', '{"text": "10.0.0.256/8"}')],
  ['attachments that are not an array', () => module.callWithAttachments('cidr.aggregate', '{}', 'x').response],
  ['an attachment that is a number', () => module.callWithAttachments('cidr.aggregate', '{}', [5]).response],
  ['an attachment not used', () => module.callWithAttachments('cidr.parse', '{"text": "10.0.0.0/8"}', ['x']).response],
  ['a number as the method, with attachments', () => module.callWithAttachments(7, '{}', []).response],
  ['an attachment that was not given', () => module.callWithAttachments('cidr.aggregate', '{"text": {"attachment": 3}}', []).response],
  ['no request', () => module.call('cidr.parse')],
  ['no arguments at all', () => module.call()],
  ['no attachments', () => module.callWithAttachments('cidr.aggregate', '{}').response],
];

test('every kind of bad call answers with an error document, not a thrown error', () => {
  for (const [what, call] of badCalls) {
    let text;
    assert.doesNotThrow(() => { text = call(); }, what);
    const error = errorOf(text);
    assert.ok(error.code.includes('.'), `${what}: ${error.code}`);
  }
});

test('a method that is not a string is request.bad_argument', () => {
  for (const method of [5, null, undefined, {}, [], true, Symbol('m'), new String('cidr.parse'), 10n]) {
    assert.equal(errorOf(module.call(method, '{}')).code, 'request.bad_argument');
    assert.equal(errorOf(module.callWithAttachments(method, '{}', []).response).code, 'request.bad_argument');
  }
});

// Embind throws a BindingError when a bound function gets too few arguments; wasm/post.js wraps
// the two functions so that a missing argument arrives as undefined and is answered as data.
test('a call with too few arguments answers request.bad_argument, not a BindingError', () => {
  assert.equal(errorOf(module.call('x')).code, 'request.bad_argument');
  assert.equal(errorOf(module.call()).code, 'request.bad_argument');
  assert.equal(errorOf(module.callWithAttachments('cidr.parse').response).code, 'request.bad_argument');
  const noAttachments = module.callWithAttachments('cidr.parse', '{"text": "10.0.0.0/8"}');
  assert.equal(errorOf(noAttachments.response).code, 'request.bad_argument');
  assert.deepEqual(noAttachments.attachments, []);
  // An argument too many is ignored, as JavaScript does.
  assert.equal(JSON.parse(module.call('cidr.parse', '{"text": "10.0.0.0/8"}', 'more')).ok, true);
  good();
});

test('10,000 bad calls in a row each answer with an error, and the module stays usable and bounded', (t) => {
  for (let k = 0; k < 200; k++) errorOf(badCalls[k % badCalls.length][1]());  // warm up
  const heapBefore = heap();
  const rssBefore = process.memoryUsage().rss;
  for (let k = 0; k < 10000; k++) {
    errorOf(badCalls[k % badCalls.length][1]());
    if (k % 1000 === 999) good();
  }
  good();
  const heapAfter = heap();
  const rssAfter = process.memoryUsage().rss;
  t.diagnostic(`wasm heap ${(heapBefore / MiB).toFixed(1)} MiB before, ${(heapAfter / MiB).toFixed(1)} MiB after 10,000 bad calls`);
  t.diagnostic(`process RSS ${(rssBefore / MiB).toFixed(0)} MiB before, ${(rssAfter / MiB).toFixed(0)} MiB after`);
  assert.equal(heapAfter, heapBefore, 'the wasm heap did not grow');
  assert.ok(rssAfter - rssBefore < 256 * MiB, 'the process grew by less than 256 MiB');
});

/** A request of exactly `size` bytes of ASCII: an object with one unknown member. */
function requestOfSize(size) {
  const frame = '{"x": ""}';
  return `{"x": "${'a'.repeat(size - frame.length)}"}`;
}

test('a request of exactly 64 MiB is read, one byte more is request.too_large', (t) => {
  const at = requestOfSize(LIMIT);
  assert.equal(at.length, LIMIT);
  // Read and parsed: the answer is about its content (cidr.parse needs "text").
  const read = errorOf(module.call('cidr.parse', at));
  assert.equal(read.code, 'request.missing_field');
  assert.equal(read.path, '/text');
  const heapAfterLimit = heap();
  const over = errorOf(module.call('cidr.parse', requestOfSize(LIMIT + 1)));
  assert.equal(over.code, 'request.too_large');
  assert.match(over.message, /64 MiB/);
  // The same as bytes.
  const bytes = new TextEncoder().encode(at);
  assert.equal(errorOf(module.call('cidr.parse', bytes)).code, 'request.missing_field');
  assert.equal(errorOf(module.call('cidr.parse', new Uint8Array(LIMIT + 1))).code, 'request.too_large');
  // A request and its attachments count together.
  const small = '{"text": {"attachment": 0}}';
  const list = '10.0.0.0/8\n'.padEnd(LIMIT - small.length, '#');
  assert.equal(JSON.parse(module.callWithAttachments('cidr.aggregate', small, [list]).response).ok, true);
  const tooMuch = module.callWithAttachments('cidr.aggregate', small, [`${list}#`]);
  assert.equal(errorOf(tooMuch.response).code, 'request.too_large');
  assert.deepEqual(tooMuch.attachments, []);
  good();
  t.diagnostic(`wasm heap after a 64 MiB request: ${(heapAfterLimit / MiB).toFixed(0)} MiB; after all: ${(heap() / MiB).toFixed(0)} MiB (wasm memory never shrinks)`);
});

// The answer limit is core's to enforce (kMaxResponseBytes: the façade knows the answer's size
// before it is copied out): `cidr.missing` of ::/0 less 33,000 scattered /128s would be 72.9 MB,
// over 4 million prefixes; it is refused before the text is written, so the heap stays small.
test('an answer over 64 MiB is an error response naming the limit', (t) => {
  let x = 2463534242;
  const next = () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) & 0xffff;
  };
  const lines = [];
  for (let k = 0; k < 33000; k++) lines.push(`2001:db8:${next().toString(16)}:${next().toString(16)}::${next().toString(16)}/128`);
  const request = JSON.stringify({ required: { text: '::/0' }, allowed: { text: { attachment: 0 } }, output: 'attachment' });
  const heapBefore = heap();
  const { response, attachments } = module.callWithAttachments('cidr.missing', request, [lines.join('\n')]);
  const error = errorOf(response);
  assert.equal(error.code, 'response.too_large');
  assert.match(error.message, /over the limit of 67108864 \(64 MiB\)/);
  assert.deepEqual(attachments, []);
  // The same as JSON: the prefixes as an array would be larger still, and are never built.
  const asJson = JSON.stringify({ required: '::/0', allowed: lines });
  assert.equal(errorOf(module.call('cidr.missing', asJson)).code, 'response.too_large');
  t.diagnostic(`wasm heap ${(heapBefore / MiB).toFixed(0)} MiB before, ${(heap() / MiB).toFixed(0)} MiB after the refused answers`);
  good();
});
