// Writes a libFuzzer seed corpus: every request of the shared vectors, each prefixed by the byte
// that makes fuzz_facade.cpp pick a method (any method: the fuzzer mutates that byte too); a case's
// first attachment follows a NUL byte, as the target splits it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vectorFiles, readCases, requestText } from '../node/vectors.mjs';

const [outDir] = process.argv.slice(2);
if (!outDir) throw new Error('usage: node tests/fuzz/seed-corpus.mjs OUT_DIR');
let count = 0;
for (const file of vectorFiles().filter((f) => !f.includes('/build/'))) {
  for (const c of readCases(file)) {
    const parts = [Buffer.from([count % 256]), Buffer.from(requestText(c))];
    if (c.attachments?.length) parts.push(Buffer.from([0]), Buffer.from(c.attachments[0]));
    writeFileSync(join(outDir, `seed-${count}`), Buffer.concat(parts));
    count++;
  }
}
console.log(`fuzz seed corpus: ${count} requests`);
