// The worker-to-page codec of the façade's answers (web/js/answer-delta.js): what the page rebuilds
// is exactly JSON.parse of core's text, answer after answer; a part whose text did not change is the
// very object of the previous answer; an answer not shared is whole; ends out of step are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEncoder, createDecoder } from '../../web/js/answer-delta.js';
import { call } from './core.mjs';

/** Sends each text through a fresh pair of ends, checking every answer against JSON.parse. */
function roundTrip(method, texts) {
  const encoder = createEncoder();
  const decoder = createDecoder();
  return texts.map((text) => {
    const answer = decoder.decode(method, structuredClone(encoder.encode(method, text, true)));
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
  const [c] = [createDecoder().decode('m', createEncoder().encode('m', first, false))];
  assert.deepEqual(c, JSON.parse(first), 'an answer not shared is whole');
});

test('a delta that builds on an answer the page does not hold is refused', () => {
  const encoder = createEncoder();
  const decoder = createDecoder();
  const text = '{"ok":true,"result":{"a":1}}';
  decoder.decode('m', encoder.encode('m', text, true));
  encoder.encode('m', text, true);  // lost on the way
  assert.throws(() => decoder.decode('m', encoder.encode('m', text, true)), /builds on 2, this page holds 1/);
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
