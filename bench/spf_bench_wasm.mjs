// The wasm half of scripts/bench-spf: the RFC 7208 suite through the façade's spf.check in Node.
// usage: node bench/spf_bench_wasm.mjs SUITE.json ROUNDS  → one JSON line of figures on stdout.
// One compact batch request per scenario (its zone read once, its tests repeated ROUNDS times);
// a module built before batches existed is timed with one request per test instead, and says so.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { call } from '../tests/node/core.mjs';

const [suitePath, roundsText] = process.argv.slice(2);
const rounds = Number(roundsText ?? 100);
const suite = JSON.parse(readFileSync(suitePath, 'utf8'));

const scenarios = suite.scenarios.map((s) => ({
  tests: s.tests,
  batch: JSON.stringify({
    zone: s.zone, defaultExplanation: suite.default_explanation, trace: false, compact: true,
    checks: s.tests.map((t) => ({ ip: t.host, sender: t.mailfrom, helo: t.helo })),
  }),
  repeated: JSON.stringify({
    zone: s.zone, defaultExplanation: suite.default_explanation, trace: false, compact: true,
    checks: Array.from({ length: rounds }, () => s.tests.map((t) => ({ ip: t.host, sender: t.mailfrom, helo: t.helo }))).flat(),
  }),
  single: s.tests.map((t) => JSON.stringify({
    zone: s.zone, ip: t.host, sender: t.mailfrom, helo: t.helo,
    defaultExplanation: suite.default_explanation, trace: false,
  })),
}));

// Correctness first: every test's result must be one the suite lists (and its explanation).
const probe = JSON.parse(await call('spf.check', scenarios[0].batch));
const batched = probe.ok && Array.isArray(probe.result.results);
let correct = 0;
let checks = 0;
for (const s of scenarios) {
  const results = batched
    ? JSON.parse(await call('spf.check', s.batch)).result.results
    : await Promise.all(s.single.map(async (r) => JSON.parse(await call('spf.check', r)).result));
  s.tests.forEach((t, i) => {
    checks += 1;
    const r = results[i];
    if (t.result.includes(r.result) && (t.explanation == null || t.explanation === r.explanation)) correct += 1;
  });
}

const start = performance.now();
if (batched) {
  for (const s of scenarios) await call('spf.check', s.repeated);
} else {
  for (let round = 0; round < rounds; round += 1) {
    for (const s of scenarios) {
      for (const r of s.single) await call('spf.check', r);
    }
  }
}
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({ checks, correct, rounds, batched, seconds, microsPerCheck: (seconds / (checks * rounds)) * 1e6 }));
