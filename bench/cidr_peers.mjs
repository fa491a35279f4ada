// One row of scripts/bench-cidr for one JavaScript peer, timed in this process:
//   node bench/cidr_peers.mjs PEER ROW DIR [SAMPLE]
// PEER: cidr-tools | fast-cidr-tools | relaycheck-wasm (the façade of build/web, or of
// RELAYCHECK_WEB_DIR, as the page calls it). ROW: aggregate | missing | contains. SAMPLE limits
// the input (aggregate: prefixes, missing: both lists, contains: look-ups; the set stays whole).
// Prints one JSON line: the best time, the first run's, and the answer's size.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const [peer, row, dir, sampleText] = process.argv.slice(2);
const sample = sampleText ? Number(sampleText) : Infinity;
const read = (name) => readFileSync(join(dir, name), 'utf8').split('\n').filter((l) => l !== '');
const head = (list) => (Number.isFinite(sample) ? list.slice(0, sample) : list);

async function peerFunctions() {
  if (peer === 'cidr-tools') {
    const { mergeCidr, excludeCidr, containsCidr } = await import('cidr-tools');
    return {
      aggregate: (list) => mergeCidr(list).length,
      missing: (required, allowed) => excludeCidr(required, allowed).length,
      contains: (set, queries) => queries.reduce((yes, q) => yes + (containsCidr(set, q) ? 1 : 0), 0),
    };
  }
  if (peer === 'fast-cidr-tools') {
    const { merge, exclude, contains } = await import('fast-cidr-tools');
    return {
      aggregate: (list) => merge(list).length,
      missing: (required, allowed) => exclude(required, allowed).length,
      contains: (set, queries) => queries.reduce((yes, q) => yes + (contains(set, [q]) ? 1 : 0), 0),
    };
  }
  if (peer === 'relaycheck-wasm') {
    // The façade, as the page calls it for long lists: a small JSON request with the lists as
    // attachments beside it, and the answer as an attachment ("output": "attachment"). Joining
    // the input and splitting the answer into one string per prefix (or one boolean per look-up)
    // are timed, so that every peer returns the same.
    const { loadModule, callWithAttachments } = await import('../tests/node/core.mjs');
    await loadModule();
    const ask = async (method, request, lists) => {
      const request_ = JSON.stringify({ ...request, output: 'attachment' });
      const { response, attachments } = await callWithAttachments(method, request_, lists.map((l) => l.join('\n')));
      const document = JSON.parse(response);
      if (!document.ok) throw new Error(document.error.message);
      return attachments[0];
    };
    const lines = (text) => (text === '' ? [] : text.slice(0, -1).split('\n'));
    return {
      aggregate: async (list) => lines(await ask('cidr.aggregate', { text: { attachment: 0 } }, [list])).length,
      missing: async (required, allowed) =>
        lines(await ask('cidr.missing', { required: { attachment: 0 }, allowed: { attachment: 1 } }, [required, allowed]))
          .length,
      contains: async (set, queries) =>
        lines(await ask('cidr.contains', { set: { attachment: 0 }, addresses: { attachment: 1 } }, [set, queries]))
          .map((answer) => answer === 'yes')
          .filter(Boolean).length,
    };
  }
  throw new Error(`unknown peer ${peer}`);
}

const f = await peerFunctions();
let args;
let operations;
if (row === 'aggregate') {
  args = [head(read('aggregate.txt'))];
  operations = args[0].length;
} else if (row === 'missing') {
  args = [head(read('required.txt')), head(read('allowed.txt'))];
  operations = args[0].length;
} else {
  args = [read('set.txt'), head(read('queries.txt'))];
  operations = args[1].length;
}
// Best of up to BENCH_RUNS runs (default 3) in this process, as the native bench takes its
// best: later runs find the JIT warm. A run that leaves too little of the budget
// (BENCH_BUDGET seconds, default 60, after which the driver stops the process) is the last one.
// The first run's time is reported too.
const runs = Number(process.env.BENCH_RUNS ?? 3);
const budget = Number(process.env.BENCH_BUDGET ?? 60);
let best = Infinity;
let first;
let answer;
let done = 0;
let spent = 0;
while (done < runs) {
  const start = performance.now();
  answer = await f[row](...args);
  const seconds = (performance.now() - start) / 1000;
  first ??= seconds;
  best = Math.min(best, seconds);
  done += 1;
  spent += seconds;
  if (spent + seconds > budget / 2) break;
}
console.log(JSON.stringify({ row, seconds: best, firstSeconds: first, runs: done, operations, answer }));
