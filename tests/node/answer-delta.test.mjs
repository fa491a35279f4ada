// The worker-to-page codec of the façade's answers (web/js/answer-delta.js): what the page rebuilds
// is exactly JSON.parse of core's text, answer after answer; a part whose text did not change is the
// very object of the previous answer; an answer not shared is whole; ends out of step are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEncoder, createDecoder, PIECE_CHARS } from '../../web/js/answer-delta.js';
import { call } from './core.mjs';

/** Posts an answer as the worker does: its pieces, then the answer, each cloned on the way. */
const post = (encoder, decoder, method, text, shared) => {
  const { answer, pieces } = encoder.encode(method, text, shared);
  return decoder.decode(method, structuredClone(answer), pieces.map((p) => structuredClone(p)));
};

/** Sends each text through a fresh pair of ends, checking every answer against JSON.parse. */
function roundTrip(method, texts) {
  const encoder = createEncoder();
  const decoder = createDecoder();
  return texts.map((text) => {
    const answer = post(encoder, decoder, method, text, true);
    assert.deepEqual(answer, JSON.parse(text));
    return answer;
  });
}

test('awkward JSON text is cut and rebuilt exactly', () => {
  const texts = [
    '{"ok":true,"result":{"a":[1,2,{"x":"q\\\\"},"\\"]}"],"b":{"c":"}{","d":[]},"e":null,"f":-1.5e3}}',
    ' { "ok" : true , "result" : { "a" : [ 2 , {"x":"q\\\\"} , "\\"]}" , 1 ] , "b" : { "c" : "}{" , "d" : [ ] } , "e":null, "f":[]} } ',
    '{"ok":true,"result":{"a":[],"b":{},"e":"\\u00e9\\n","f":{"g":[[1],[2]]}}}',
    '{"ok":false,"error":{"code":"too-large","message":"é \\"quoted\\"","path":"/domains/3"}}',
    '{"ok":true,"result":[{"a":1},{"a":1},{"b":2}]}',
    '{"ok":true,"result":"text"}',
  ];
  roundTrip('m', texts);
  roundTrip('m', [...texts].reverse());
});

test('a part that did not change is the object of the previous answer', () => {
  const first = '{"ok":true,"result":{"same":{"x":[1,2]},"list":[{"id":1},{"id":2},{"id":3}],"changed":{"y":1}}}';
  const second = '{"ok":true,"result":{"same":{"x":[1,2]},"list":[{"id":0},{"id":1},{"id":3}],"changed":{"y":2}}}';
  const [a, b] = roundTrip('m', [first, second]);
  assert.equal(b.result.same, a.result.same);
  assert.equal(b.result.list[1], a.result.list[0], 'an element found at another place is reused');
  assert.equal(b.result.list[2], a.result.list[2]);
  assert.notEqual(b.result.changed, a.result.changed);
  const encoder = createEncoder();
  const decoder = createDecoder();
  post(encoder, decoder, 'm', first, true);
  const whole = post(encoder, decoder, 'm', first, false);
  assert.deepEqual(whole, JSON.parse(first), 'an answer not shared is whole');
  assert.notEqual(whole.result.same, a.result.same);
  assert.equal(post(encoder, decoder, 'm', first, true).result.same.x.length, 2, 'and leaves the shared ones in step');
});

test('a delta that builds on an answer the page does not hold is refused', () => {
  const encoder = createEncoder();
  const decoder = createDecoder();
  const text = '{"ok":true,"result":{"a":1}}';
  post(encoder, decoder, 'm', text, true);
  encoder.encode('m', text, true);  // lost on the way
  assert.throws(() => post(encoder, decoder, 'm', text, true), /builds on 2, this page holds 1/);
});

test('a long array goes in pieces of about PIECE_CHARS characters, rebuilt in order', () => {
  const items = Array.from({ length: 3000 }, (_, i) => ({ i, text: 'x'.repeat(i % 300) }));
  const text = JSON.stringify({ ok: true, result: { items, other: [1, 2] } });
  const { pieces, apart } = createEncoder().encode('m', text, true);
  assert.equal(apart, true, 'posted apart');
  assert.ok(pieces.length >= Math.floor(JSON.stringify(items).length / (PIECE_CHARS + 400)), `${pieces.length} pieces`);
  assert.ok(pieces.every((p) => JSON.stringify(p).length < PIECE_CHARS * 1.1), 'no piece much over PIECE_CHARS');
  roundTrip('m', [text, JSON.stringify({ ok: true, result: { items: items.slice(1000), other: [] } }), text]);
});

test('an array far longer than before is parsed whole, and the next answer shares its elements', () => {
  const list = (n, changed = -1) => Array.from({ length: n }, (_, i) => ({ i, text: i === changed ? 'changed' : `element ${i}` }));
  const texts = [list(3), list(40), list(40, 7), list(40, 7)].map((items) => JSON.stringify({ ok: true, result: { items } }));
  // The index found once the answer is posted (settle, as the worker does), or by the next answer.
  for (const settled of [true, false]) {
    const encoder = createEncoder();
    const decoder = createDecoder();
    const answers = texts.map((text, n) => {
      if (n === 2 && settled) encoder.settle();
      const answer = post(encoder, decoder, 'm', text, true);
      assert.deepEqual(answer, JSON.parse(text));
      return answer.result.items;
    });
    assert.notEqual(answers[1][0], answers[0][0], 'parsed whole: no element is an earlier one');
    assert.ok(answers[2].every((item, i) => (i === 7 ? item !== answers[1][i] : item === answers[1][i])),
      'the next answer is the previous one but for the changed element');
    assert.equal(answers[3], answers[2], 'the same text: the same array');
  }
});

test('pieces shorter together than one piece go with the answer', () => {
  const short = JSON.stringify({ ok: true, result: { a: [{ x: 1 }, { x: 2 }], b: ['y'.repeat(PIECE_CHARS / 2)] } });
  const encoded = createEncoder().encode('m', short, true);
  assert.equal(encoded.pieces.length, 2);
  assert.equal(encoded.apart, false);
  const long = JSON.stringify({ ok: true, result: { a: ['x'.repeat(PIECE_CHARS / 2 + 1)], b: ['y'.repeat(PIECE_CHARS / 2)] } });
  assert.equal(createEncoder().encode('m', long, true).apart, true, 'one character more than a piece: apart');
});

test('analyses of an edited config rebuild to core\'s answers, sharing what did not change', async () => {
  const example = JSON.parse(await call('example', '{}')).result.config;
  const edited = structuredClone(example);
  edited.domains[0].relays[0].dailyLimit = 7;
  const broken = structuredClone(example);
  broken.domains[0].name = 'not a domain';
  const texts = [];
  for (const config of [example, edited, broken, edited, example]) texts.push(await call('analyze', JSON.stringify({ config })));
  const answers = roundTrip('analyze', texts);
  assert.equal(answers[4].result.outcomes.length, answers[0].result.outcomes.length);
  assert.ok(answers[4].result.findings.every((f, i) => f === answers[3].result.findings[i] || JSON.stringify(f) !== JSON.stringify(answers[3].result.findings[i])),
    'a finding that reads the same is the same object');
});
