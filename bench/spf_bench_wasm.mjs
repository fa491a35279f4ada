// The wasm half of scripts/bench-spf: the RFC 7208 suite through the façade's spf.check in Node.
// usage: node bench/spf_bench_wasm.mjs SUITE.json ROUNDS  → one JSON line of figures on stdout.
// Each scenario is one batch request (its zone read once, its tests repeated ROUNDS times), timed
// end to end as the page would run it: the request built in JavaScript, the call, and the
// response read back into one result a check. Two batch forms:
//   json  "checks": [{ip, sender, helo}, ...] with "compact": true → results [{result, explanation}]
//   text  "checksText": "IP\tMAIL FROM\tHELO\n..." → "resultsText": "RESULT[\tEXPLANATION]\n..."
//   attached  the same lines as an attachment beside the request, and the results as one
//         ("output": "attachment"): what the page sends for a long batch
// Before timing, every answer of both forms is checked against the suite.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { call, callWithAttachments } from '../tests/node/core.mjs';

const [suitePath, roundsText] = process.argv.slice(2);
const rounds = Number(roundsText ?? 100);
const suite = JSON.parse(readFileSync(suitePath, 'utf8'));
const explanation = suite.default_explanation;

/** The scenario's tests repeated `times` times, in order. */
function repeated(tests, times) {
  const out = [];
  for (let k = 0; k < times; k += 1) out.push(...tests);
  return out;
}

/** JSON batch: answers as {result, explanation}. */
async function runJson(zone, tests) {
  const request = JSON.stringify({
    zone, defaultExplanation: explanation, trace: false, compact: true,
    checks: tests.map((t) => ({ ip: t.host, sender: t.mailfrom, helo: t.helo })),
  });
  const response = JSON.parse(await call('spf.check', request));
  if (!response.ok) throw new Error(JSON.stringify(response.error));
  return response.result.results;
}

/** The answers of a results text, one line a check. */
function resultLines(text) {
  const lines = text.split('\n');
  lines.pop();
  return lines.map((line) => {
    const tab = line.indexOf('\t');
    if (tab < 0) return { result: line, explanation: '' };
    const rest = line.slice(tab + 1);
    const explanation = rest.includes('\\')
      ? rest.replace(/\\(.)/g, (_, c) => (c === 't' ? '\t' : c === 'n' ? '\n' : c))
      : rest;
    return { result: line.slice(0, tab), explanation };
  });
}

const checkLines = (tests) => tests.map((t) => `${t.host}\t${t.mailfrom}\t${t.helo}`).join('\n');

/** Text batch: the same answers, read from one line a check. */
async function runText(zone, tests) {
  const request = JSON.stringify({ zone, defaultExplanation: explanation, checksText: checkLines(tests) });
  const response = JSON.parse(await call('spf.check', request));
  if (!response.ok) throw new Error(JSON.stringify(response.error));
  return resultLines(response.result.resultsText);
}

/** Attached text batch: the check lines and the result lines travel beside the request. */
async function runAttached(zone, tests) {
  const request = JSON.stringify({
    zone, defaultExplanation: explanation, checksText: { attachment: 0 }, output: 'attachment',
  });
  const { response, attachments } = await callWithAttachments('spf.check', request, [checkLines(tests)]);
  const document = JSON.parse(response);
  if (!document.ok) throw new Error(JSON.stringify(document.error));
  return resultLines(attachments[0]);
}

const forms = { json: runJson, text: runText, attached: runAttached };
const figures = { rounds };
for (const [name, run] of Object.entries(forms)) {
  let correct = 0;
  let checks = 0;
  for (const s of suite.scenarios) {
    const results = await run(s.zone, s.tests);
    s.tests.forEach((t, i) => {
      checks += 1;
      const r = results[i];
      if (t.result.includes(r.result) && (t.explanation == null || t.explanation === r.explanation)) correct += 1;
    });
  }
  const batches = suite.scenarios.map((s) => repeated(s.tests, rounds));
  const start = performance.now();
  let answered = 0;
  for (let k = 0; k < batches.length; k += 1) answered += (await run(suite.scenarios[k].zone, batches[k])).length;
  const seconds = (performance.now() - start) / 1000;
  if (answered !== checks * rounds) throw new Error(`${name}: ${answered} answers for ${checks * rounds} checks`);
  figures.checks = checks;
  figures[name] = { correct, seconds, microsPerCheck: (seconds / (checks * rounds)) * 1e6 };
}
console.log(JSON.stringify(figures));
