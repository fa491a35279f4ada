// The wasm side of scripts/bench-plan: times the façade's `plan` method of the wasm build in
// Node on the request that bench_plan --request printed, and prints the median like bench_plan.
//   node bench/plan.mjs REQUEST.json [RUNS]
// The module is loaded by tests/node/core.mjs (RELAYCHECK_WEB_DIR chooses the build).
import { readFileSync } from 'node:fs';
import { call } from '../tests/node/core.mjs';

const [file, runsArg] = process.argv.slice(2);
const request = readFileSync(file, 'utf8');
const runs = Math.max(1, Number(runsArg ?? 2000));

const first = JSON.parse(await call('plan', request));
if (!first.ok) {
  console.error(`bench-plan: the wasm build answered ${JSON.stringify(first.error)}; is it older than the plan method?`);
  process.exit(1);
}
for (let i = 0; i < 50; ++i) await call('plan', request);  // warm-up: tiering, memory growth

const times = [];
for (let i = 0; i < runs; ++i) {
  const start = process.hrtime.bigint();
  await call('plan', request);
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
times.sort((a, b) => a - b);
console.log(`wasm_facade_median_ms=${times[Math.floor(runs / 2)]}`);
