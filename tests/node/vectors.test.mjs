// The shared vectors against the wasm build; and, where the native CLI is given
// (RELAYCHECK_CLI), the same request through `relaycheck api` must give the very same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, callWithAttachments } from './core.mjs';
import { vectorFiles, readCases, requestText, findMismatch, findingCodes } from './vectors.mjs';

const cli = process.env.RELAYCHECK_CLI;
const scratch = mkdtempSync(join(tmpdir(), 'relaycheck-vectors-'));

/** The response text of a case; a case with "attachments" goes through callWithAttachments,
 *  and the response's own attachments must be exactly "expectAttachments" (none by default). */
async function answerText(c) {
  if (!('attachments' in c)) return call(c.method, requestText(c));
  const { response, attachments } = await callWithAttachments(c.method, requestText(c), c.attachments);
  assert.deepEqual(attachments, c.expectAttachments ?? [], `${c.name}: the response's attachments`);
  return response;
}

/** `relaycheck api` options for a case with attachments: files for its attachments and one for
 *  the answer's. */
function cliAttachmentArgs(c) {
  if (!('attachments' in c)) return { args: [], output: null };
  const args = [];
  c.attachments.forEach((text, k) => {
    const path = join(scratch, `attachment-${k}`);
    writeFileSync(path, text);
    args.push('--attach', path);
  });
  const output = join(scratch, 'answer');
  rmSync(output, { force: true });
  return { args: [...args, '--attachment-out', output], output };
}
const files = vectorFiles();
assert.ok(files.length > 0, 'no vector files found');

/** Checks one case's response against every expectation it states. */
async function checkCase(c) {
  const text = await answerText(c);
  const response = JSON.parse(text);
  assert.ok('expect' in c || 'expectCodes' in c || 'expectFindings' in c, `${c.name}: the case expects nothing`);
  if ('expect' in c) {
    assert.equal(findMismatch(c.expect, response), '', `${c.name}: ${text.slice(0, 1500)}`);
  }
  if ('expectCodes' in c) {
    assert.deepEqual(findingCodes(response, c.ignoreCodePrefixes), [...c.expectCodes].sort(), c.name);
  }
  for (const wanted of c.expectFindings ?? []) {
    const found = (response.result?.findings ?? []).some((f) => findMismatch(wanted, f) === '');
    assert.ok(found, `${c.name}: no finding matches ${JSON.stringify(wanted)}`);
  }
}

/** The CLI's `relaycheck api` must answer a case with the module's very bytes. */
async function checkCli(c) {
  const wasm = await answerText(c);
  const { args, output } = cliAttachmentArgs(c);
  let native;
  try {
    native = execFileSync(cli, ['api', c.method, ...args], { input: requestText(c), maxBuffer: 1 << 28 }).toString();
  } catch (e) {
    native = e.stdout.toString();  // exit 2 still prints the error response
  }
  assert.equal(native, wasm + '\n', c.name);
  if (output) {
    const written = existsSync(output) ? [readFileSync(output, 'utf8')] : [];
    assert.deepEqual(written, c.expectAttachments ?? [], `${c.name}: the CLI's --attachment-out`);
  }
}

// Committed cases are subtests of their own (named as natively: "FILE: case name"); the
// generated differential files change every run and run as one test each.
for (const file of files) {
  const cases = readCases(file);
  const name = file.split('/').pop();
  const committed = !file.includes('/build/');
  if (!committed) {
    test(`generated vectors in ${name} (${cases.length} cases) pass in wasm`, async () => {
      for (const c of cases) await checkCase(c);
    });
    continue;
  }
  test(`vectors in ${name} pass in wasm`, async (t) => {
    for (const c of cases) await t.test(`${name}: ${c.name}`, () => checkCase(c));
  });
  if (cli) {
    test(`vectors in ${name}: wasm and the native CLI answer byte for byte alike`, async (t) => {
      for (const c of cases) await t.test(`${name}: ${c.name} (CLI)`, () => checkCli(c));
    });
  }
}
