// The native CLI's output under hostile conditions (issue 18, item 6): a write that fails is exit 2
// with its reason, an answer never exceeds 64 MiB, and control characters from input never reach
// a terminal raw. The CLI is RELAYCHECK_CLI (scripts/test sets it), else build/native's; the tests
// are skipped when neither exists. Redirections (`> /dev/full`, `>&-`) go through /bin/sh, so that
// the CLI sees exactly the descriptors a user's shell would give it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './core.mjs';

const cli = process.env.RELAYCHECK_CLI ?? join(repoRoot, 'build', 'native', 'cli', 'relaycheck');
const skip = existsSync(cli) ? false : `no native CLI at ${cli}`;
const haveDevFull = existsSync('/dev/full');
const scratch = mkdtempSync(join(tmpdir(), 'relaycheck-cli-io-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

const ESC = '\u001b';
const BEL = '\u0007';
const RLO = '\u202e';  // right-to-left override
const LRI = '\u2066';  // left-to-right isolate

function file(name, content) {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

/** Runs the CLI with `args`; `redirect` is shell text appended to the command (`> /dev/full`). */
function run(args, { redirect = '', input, maxBuffer = 1 << 28 } = {}) {
  const result = spawnSync('/bin/sh', ['-c', `"$0" "$@" ${redirect}`, cli, ...args], {
    input: input === undefined ? undefined : Buffer.from(input), maxBuffer,
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

/** True when `text` holds a byte a terminal acts on: C0 other than tab and line feed, DEL, C1,
 *  or a bidirectional override, isolate or mark. */
function hasRawControl(text) {
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f) || c === 0x061c ||
        c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
      return true;
    }
  }
  return false;
}

const list = () => file('list.txt', '10.0.0.0/25\n10.0.0.128/25\n');

test('a write to a full disk is exit 2 with the reason', { skip: skip || (!haveDevFull && 'no /dev/full') }, () => {
  const r = run(['cidr', 'aggregate', list()], { redirect: '> /dev/full' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /standard output: cannot write: No space left on device/);
});

test('a write that succeeds is still exit 0 with the answer', { skip }, () => {
  const r = run(['cidr', 'aggregate', list()]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.toString(), '10.0.0.0/24\n');
});

test('help written to a full disk is exit 2 too', { skip: skip || (!haveDevFull && 'no /dev/full') }, () => {
  const r = run(['--help'], { redirect: '> /dev/full' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /No space left on device/);
});

test('a closed standard output is exit 2 with the reason, before anything is read', { skip }, () => {
  const r = run(['cidr', 'aggregate', list()], { redirect: '>&-' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /standard output is closed/);
});

test('a closed standard output is exit 2 even for a command that would print nothing', { skip }, () => {
  const covered = file('covered.txt', '10.0.0.0/8\n');
  const r = run(['cidr', 'missing', '--required', list(), '--allowed', covered], { redirect: '>&-' });
  assert.equal(r.status, 2);
});

test('an attachment written to a full disk says why, not "Success"', { skip: skip || (!haveDevFull && 'no /dev/full') }, () => {
  const r = run(['api', 'cidr.aggregate', '--attach', list(), '--attachment-out', '/dev/full'], {
    input: '{"text": {"attachment": 0}, "output": "attachment"}',
  });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /\/dev\/full: cannot write: No space left on device/);
  assert.doesNotMatch(r.stderr, /Success/);
});

test('an attachment written to a folder that does not exist says why', { skip }, () => {
  const r = run(['api', 'cidr.aggregate', '--attach', list(), '--attachment-out', join(scratch, 'no', 'such', 'file')], {
    input: '{"text": {"attachment": 0}, "output": "attachment"}',
  });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot write: No such file or directory/);
});

test('with standard error closed, an attachment file receives the attachment and nothing else', { skip }, () => {
  const out = join(scratch, 'answer.txt');
  const r = run(['api', 'cidr.aggregate', '--attach', list(), '--attachment-out', out], {
    redirect: '2>&-', input: '{"text": {"attachment": 0}, "output": "attachment"}',
  });
  assert.equal(r.status, 0);
  assert.equal(readFileSync(out, 'utf8'), '10.0.0.0/24\n');
});

test('a closed standard input reads as an error, not as an empty list', { skip }, () => {
  const r = run(['cidr', 'aggregate', '-'], { redirect: '<&-' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /standard input: cannot read: Bad file descriptor/);
});

// `cidr missing` of ::/0 less N scattered /128s answers about 128 CIDRs (25 bytes each) a hole:
// 30,000 holes make 66.3 MB, under 64 MiB (67,108,864 bytes); 33,000 make 72.9 MB, over it.
function holes(count) {
  let x = 2463534242;  // xorshift32: the same holes on every run
  const next = () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) & 0xffff;
  };
  const lines = [];
  for (let k = 0; k < count; k++) lines.push(`2001:db8:${next().toString(16)}:${next().toString(16)}::${next().toString(16)}/128`);
  return file(`holes-${count}.txt`, `${lines.join('\n')}\n`);
}

test('an answer just under 64 MiB is printed whole', { skip, timeout: 120_000 }, () => {
  const r = run(['cidr', 'missing', '--required', file('all.txt', '::/0\n'), '--allowed', holes(30_000)]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.length > 60_000_000 && r.stdout.length <= 64 * 1024 * 1024, `${r.stdout.length} bytes`);
});

test('an answer over 64 MiB is exit 2 naming the limit, and nothing is printed', { skip, timeout: 120_000 }, () => {
  const r = run(['cidr', 'missing', '--required', file('all.txt', '::/0\n'), '--allowed', holes(33_000)]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /over the limit of 67108864 \(64 MiB\)/);
  assert.equal(r.stdout.length, 0);
});

test('control characters in an argument are escaped in the error message', { skip }, () => {
  const r = run(['cidr', 'parse', `${ESC}[31m10.0.0.1${BEL}${RLO}`]);
  assert.equal(r.status, 2);
  assert.ok(!hasRawControl(r.stderr), JSON.stringify(r.stderr));
  // Core's quote() escapes the controls and marks the override (‹U+202E›) itself.
  assert.match(r.stderr, /\\u001B\[31m10\.0\.0\.1\\u0007‹U\+202E›/);
});

test('an unknown command with an escape sequence is escaped too', { skip }, () => {
  const r = run([`${ESC}]0;pwned${BEL}`]);
  assert.equal(r.status, 2);
  assert.ok(!hasRawControl(r.stderr), JSON.stringify(r.stderr));
});

test('a byte that is not UTF-8 in a message is shown as \\xHH, a C1 control as \\u00HH', { skip }, () => {
  // 0x9B alone is CSI to a terminal that reads 8-bit controls; C2 9B is CSI in UTF-8. The file
  // name reaches the message as it is; the address reaches core, which reads it as UTF-8.
  const r = spawnSync('/bin/sh', ['-c', `"$0" cidr aggregate "$(printf 'no\\233[2J')"`, cli]);
  assert.equal(r.status, 2);
  assert.ok(!r.stderr.includes(0x9b), JSON.stringify(r.stderr.toString('latin1')));
  assert.match(r.stderr.toString('utf8'), /no\\x9B\[2J: cannot read: No such file or directory/);
  const c1 = spawnSync('/bin/sh', ['-c', `"$0" cidr parse "$(printf '10\\302\\233[2J')"`, cli]);
  assert.equal(c1.status, 2);
  assert.ok(!hasRawControl(c1.stderr.toString('utf8')), c1.stderr.toString('utf8'));
  assert.match(c1.stderr.toString('utf8'), /'10\\u009B\[2J'/);
});

function hostileConfig() {
  const config = JSON.parse(readFileSync(join(repoRoot, 'core', 'data', 'example-zylker.json'), 'utf8'));
  config.domains[0].name = `zylker${ESC}[2J${BEL}${RLO}moc.${LRI}`;
  return file('hostile.json', JSON.stringify(config));
}

test('the text analysis of a config shows its control characters escaped', { skip }, () => {
  const r = run(['analyze', hostileConfig()]);
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const text = r.stdout.toString('utf8');
  assert.ok(!hasRawControl(text), 'raw control character in the text analysis');
  assert.match(text, /zylker\\u001B\[2J\\u0007\\u202Emoc\.\\u2066/);
});

test('the JSON analysis escapes them as JSON, so it parses to the very same name', { skip }, () => {
  const r = run(['analyze', '--format', 'json', hostileConfig()]);
  const text = r.stdout.toString('utf8');
  assert.ok(!hasRawControl(text), 'raw control character in the JSON analysis');
  assert.ok(text.includes(`zylker${ESC}[2J${BEL}${RLO}moc.${LRI}`) === false);
  assert.ok(JSON.stringify(JSON.parse(text)).includes(JSON.stringify(`zylker${ESC}[2J${BEL}${RLO}moc.${LRI}`).slice(1, -1)));
});

test('relaycheck api into a pipe keeps the façade\'s bytes, bidirectional overrides included', { skip }, () => {
  // Core's messages mark the override (‹U+202E›); the config it echoes holds the value as written.
  const config = JSON.parse(readFileSync(join(repoRoot, 'core', 'data', 'example-zylker.json'), 'utf8'));
  config.domains[0].relays[0].username = `crm${RLO}relay`;
  const r = run(['api', 'analyze'], { input: JSON.stringify({ config }) });
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout.toString('utf8');
  // Core's JSON text is ASCII (text/json_writer.hpp): the override travels as its escape.
  assert.ok(out.includes('"crm\\u202erelay"'), 'the façade\'s escaped U+202E');
  assert.ok([...out].every((c) => c.charCodeAt(0) < 0x80), 'the façade\'s bytes are ASCII');
  const answer = JSON.parse(out);
  assert.equal(answer.result.config.domains[0].relays[0].username, `crm${RLO}relay`);
  assert.ok(answer.result.findings.some((f) => f.message.includes('crm‹U+202E›relay')), 'core\'s finding shows it marked');
});

// A NUL inside a bad list entry: the message must go on past it (the entry, then the reason).
// Core's message once ended at the NUL (RequestError's what() is a C string); the façade now
// answers with RequestError::message(), and quote() shows the NUL as \u0000.
test('a NUL byte in a bad entry does not cut the error message short', { skip }, () => {
  const r = run(['cidr', 'aggregate', file('nul.txt', Buffer.from('10.0.0.0/8\n1.2\u00003.4\n'))]);
  assert.equal(r.status, 2);
  assert.ok(!hasRawControl(r.stderr), JSON.stringify(r.stderr));
  assert.match(r.stderr, /line 2: '1\.2\\u00003\.4': .+/);
});

// The command line's arguments and files, as a catalogue: each is exit 2 with the reason on
// stderr, never a crash (parse_args itself is fuzzed by tests/fuzz/fuzz_cli_args.cpp).
const argumentCatalogue = [
  [['cidr', 'aggregate', '/nonexistent/list.txt'], /\/nonexistent\/list\.txt: cannot read: No such file or directory/],
  [['cidr', 'aggregate', '/'], /\/: cannot read: Is a directory/],
  [['cidr', 'aggregate', '/dev/zero'], /\/dev\/zero: larger than the 64 MiB that relaycheck reads/],
  [['cidr', 'aggregate', '--bogus', 'x'], /unknown option '--bogus'/],
  [['cidr', 'missing', '--required'], /option --required needs a value/],
  [['cidr', 'missing', '--required', '-', '--allowed', '-'], /only one of --required and --allowed can be standard input/],
  [['cidr', 'parse', '--format=yaml', '10.0.0.0/8'], /unknown --format 'yaml'; choose one of: text, json/],
  [['cidr', 'parse', '--lenient=1', '10.0.0.0/8'], /unknown option '--lenient=1'/],
  [['cidr', 'parse', '1'.repeat(100000)], /'1{64}…' \(100000 bytes\)/],
  [['cidr', 'parse'], /expected one TEXT/],
  [['api'], /expected one METHOD/],
  [['api', 'cidr.parse', '--attach', '-'], /standard input holds the request/],
  [['analyze', '/nonexistent.json'], /cannot read: No such file or directory/],
  [['spf', 'check', '--ip', '192.0.2.1', '--sender', 'a@b.example', '--helo', 'h'], /--zone ZONE\.json is required/],
  [['no-such-command'], /unknown command 'no-such-command'/],
  [['cidr'], /^$/],
];

test('bad arguments and files are exit 2 with the reason', { skip }, () => {
  for (const [args, reason] of argumentCatalogue) {
    const r = run(args, { input: '' });
    assert.equal(r.status, 2, `${args.join(' ').slice(0, 80)}: ${r.stderr}`);
    assert.match(r.stderr, reason, args.join(' ').slice(0, 80));
    assert.ok(!hasRawControl(r.stderr), r.stderr);
  }
});

// The largest amplification a config within the loader's limits allows: 500 domains of 20
// relays, each relay with the findings of an IP-whitelist relay that carries every email type.
// Its answer passes 64 MiB; the CLI must say so (exit 2, naming the limit) within 1 GiB of
// address space, not run out of memory (measured 2026-12-02: 558 MB resident, Debug build).
function amplifyingConfig() {
  const domains = [];
  for (let d = 0; d < 500; ++d) {
    const relays = [];
    for (let r = 0; r < 20; ++r) {
      relays.push({ host: `s${r}.d${d}.co`, emailTypes: ['mass', 'workflow', 'individual'], auth: 'ip-whitelist' });
    }
    domains.push({ name: `d${d}-${'x'.repeat(30)}.co`, relays, traffic: { mass: { daily: 100000, profile: 'burst' } } });
  }
  return JSON.stringify({ schema: 2, account: { dataCenter: 'US', editionDailyLimit: 5000 }, domains });
}

const havePrlimit = existsSync('/usr/bin/prlimit');
test('the largest config the limits allow is refused within 1 GiB, naming the answer limit', { skip: skip || (!havePrlimit && 'no prlimit'), timeout: 300_000 }, () => {
  const text = amplifyingConfig();
  assert.ok(text.length < 1 << 20, `the config is ${text.length} bytes`);
  const path = file('amplifying.json', text);
  const result = spawnSync('/usr/bin/prlimit', [`--as=${1 << 30}`, cli, 'analyze', path, '--format', 'json'], { maxBuffer: 1 << 28 });
  const stderr = result.stderr.toString('utf8');
  assert.equal(result.status, 2, stderr);
  assert.match(stderr, /over the limit of 67108864 \(64 MiB\)/);
  assert.doesNotMatch(stderr, /out of memory/);
  assert.equal(result.stdout.length, 0);
});

test('analyze --format markdown and html print core\'s report for a change ticket', { skip }, () => {
  const example = join(repoRoot, 'core', 'data', 'example-zylker.json');
  const md = run(['analyze', example, '--format', 'markdown']);
  assert.equal(md.status, 0, md.stderr);
  assert.match(md.stdout.toString('utf8'), /^# /);
  assert.match(md.stdout.toString('utf8'), /\| Day \| 2,000 \| 2,300 \| 0 \|/);
  const html = run(['analyze', example, '--format', 'html']);
  assert.equal(html.status, 0, html.stderr);
  const page = html.stdout.toString('utf8');
  assert.match(page, /^<!DOCTYPE html>/i);
  assert.ok(!/<script/i.test(page));
  const bad = run(['analyze', example, '--format', 'pdf']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /choose one of: text, json, markdown, html/);
});
