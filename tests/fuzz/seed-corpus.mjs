// Writes a libFuzzer seed corpus for one fuzz target from the shared vectors:
//  - facade: every request, each prefixed by the byte that makes fuzz_facade.cpp pick a method
//    (any method: the fuzzer mutates that byte too); a case's first attachment follows a NUL
//    byte, as the target splits it;
//  - dkim, dmarc, orgdomain: the record (its TXT strings joined) or the name of every case of
//    that engine's method, as the bytes the target reads.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vectorFiles, readCases, requestText } from '../node/vectors.mjs';

const engines = { dkim: 'dkim.parse', dmarc: 'dmarc.parse', orgdomain: 'orgDomain' };
const [target, outDir] = process.argv.slice(2);
if (!outDir || !(target === 'facade' || target in engines)) {
  throw new Error(`usage: node tests/fuzz/seed-corpus.mjs facade|${Object.keys(engines).join('|')} OUT_DIR`);
}

/** The bytes of one seed for `target` from case `c`, or null when the case is not for it. */
function seed(c, count) {
  if (target === 'facade') {
    const parts = [Buffer.from([count % 256]), Buffer.from(requestText(c))];
    if (c.attachments?.length) parts.push(Buffer.from([0]), Buffer.from(c.attachments[0]));
    return Buffer.concat(parts);
  }
  if (c.method !== engines[target] || typeof c.request !== 'object') return null;
  const text = c.request.record ?? c.request.name;
  if (Array.isArray(text)) return Buffer.from(text.join(''));
  return typeof text === 'string' ? Buffer.from(text) : null;
}

let count = 0;
for (const file of vectorFiles().filter((f) => !f.includes('/build/'))) {
  for (const c of readCases(file)) {
    const bytes = seed(c, count);
    if (bytes === null) continue;
    writeFileSync(join(outDir, `seed-${count}`), bytes);
    count++;
  }
}
if (count === 0) throw new Error(`no vector case seeds the ${target} target`);
console.log(`fuzz seed corpus for ${target}: ${count} inputs`);
