// Seeds of the fuzz targets whose input is not a vector's request as it is (seed-corpus.mjs
// writes them): each generator yields the bytes of one seed at a time.
//  - prefixes: every list of the cidr.* and whitelist cases (texts, arrays one a line,
//    attachments), which fuzz_prefixes.cpp reads both as a list and as a recipe of prefixes;
//  - spf: every zone of the spf.* cases and of the RFC 7208 test suite, in the line form of
//    fuzz_spf.cpp (the check first, then NAME TYPE DATA a line);
//  - config: every config of the vectors and of tests/data/config, the worked example, and
//    configs nested 64 levels (the limit) and 65 levels (one past it) deep at every place a
//    config can nest: top level, account, a domain, a relay, a traffic entry, a DKIM signer,
//    the dns section, a name's records, a record's data. Random mutation of a real config never
//    builds those (the façade target ran 68,000 inputs without one);
//  - cli_args: a catalogue of command lines, the byte that picks a command's option set first,
//    then the words split by NUL (fuzz_cli_args.cpp).
//  - cli_dns: DNS headers, resolv.conf texts, --server forms and base64 (fuzz_cli_dns.cpp).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../node/core.mjs';
import { vectorFiles, readCases } from '../node/vectors.mjs';

function* committedCases() {
  for (const file of vectorFiles().filter((f) => !f.includes('/build/'))) yield* readCases(file);
}

/** Every string in a request, and every array of strings as one text a line. */
function listTexts(value, out = []) {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out.push(value.join('\n'));
  else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) listTexts(v, out);
  }
  return out;
}

/** A zone document in fuzz_spf.cpp's line form, after the check's line. */
function zoneLines(check, zone) {
  const lines = [check];
  for (const [name, entries] of Object.entries(zone ?? {})) {
    for (const e of Array.isArray(entries) ? entries : []) {
      const data = e.data;
      let text = '';
      if (e.type === 'TXT' || e.type === 'SPF') text = (Array.isArray(data) ? data : [data ?? '']).join('\t');
      else if (e.type === 'MX' && Array.isArray(data)) text = `${data[0]} ${data[1]}`;
      else if (data !== undefined) text = Array.isArray(data) ? data.join(' ') : String(data);
      lines.push(`${name} ${e.type} ${text}`.trimEnd());
    }
  }
  return Buffer.from(lines.join('\n'));
}

/** Where a config can nest, with the arrays and objects around the nest (the config is one). */
const nestPlaces = {
  top: [1, (c, v) => { c.extra = v; }],
  account: [2, (c, v) => { c.account.crmRanges = v; }],
  domain: [3, (c, v) => { c.domains[0].name = v; }],
  relay: [5, (c, v) => { c.domains[0].relays = [{ host: v }]; }],
  traffic: [5, (c, v) => { c.domains[0].traffic = [{ type: 'mass', weights: v }]; }],
  dkim: [4, (c, v) => { c.domains[0].crmDkim = { enabled: true, domain: v }; }],
  dns: [1, (c, v) => { c.dns = v; }],
  records: [2, (c, v) => { c.dns['example.com'] = v; }],
  data: [4, (c, v) => { c.dns['example.com'] = [{ type: 'TXT', data: v }]; }],
};

/** The worked example nested `depth` levels deep at `place`, arrays and objects alternating. */
export function deepConfig(place, depth) {
  const config = JSON.parse(readFileSync(join(repoRoot, 'core', 'data', 'example-zylker.json'), 'utf8'));
  const [above, put] = nestPlaces[place];
  let value = 'x';
  for (let k = 0; k < depth - above; k++) value = k % 2 ? { a: value } : [value];
  put(config, value);
  return JSON.stringify(config);
}

/** Command lines for fuzz_cli_args.cpp: [option-set index, words]. */
const cliCatalogue = [
  [0, ['config.json']], [0, ['--format', 'json', 'config.json']], [0, ['--format=text', '-']],
  [0, ['--format']], [0, ['--format=', 'x']], [0, ['--', '--format', '-h']], [0, ['--help']],
  [0, ['-x']], [0, ['--format=json=json']], [11, ['--live', '--server', '127.0.0.1:5353', 'c.json']],
  [11, ['--missing-only', '--timeout=2', '--', '--live']], [12, ['--output', '-', '--server', '[::1]:53', 'c.json']], [7, ['--ip', '--', '', '-h']], [7, ['--ip', '-h']], [1, ['cidr.aggregate', '--attach', 'a', '--attachment-out', 'b']],
  [1, ['--attach']], [1, ['--attach=', '--attachment-out=']], [2, ['--lenient', '10.0.0.1/24']],
  [2, ['--lenient=yes', '1.2.3.4']], [2, ['-', '--', '-1.2.3.4']], [3, ['--required', 'r', '--allowed', 'a']],
  [3, ['--required', '--allowed']], [4, ['--set', 's', '10.0.0.1', '::1', '--format', 'json']],
  [5, ['--dc', 'US', '--format', 'postfix']], [5, ['--ranges', 'r', '--kind', 'grant-relay']],
  [5, ['--format', 'exchange', '--format', 'nope']], [6, ['--format', 'csv', 'c.json']],
  [7, ['--zone', 'z', '--ip', '192.0.2.1', '--sender', '', '--helo', 'h', '--trace']],
  [7, ['--default-explanation', '%{i} \u001b[31m', '--trace=1']],
  [8, ['--zone', 'z', 'example.com', '--ip', '1.2.3.4', '5.6.7.8']],
  [9, ['--domain', 'example.com', '--zone', 'z', 'v=DMARC1; p=none']],
  [10, ['--method', 'tree-walk', '--zone', 'z', 'a.b.example']], [10, ['\u202eexample.com', '--method=psl']],
];

function* prefixes() {
  for (const c of committedCases()) {
    if (!c.method.startsWith('cidr.') && c.method !== 'whitelist') continue;
    for (const text of [...listTexts(c.request), ...(c.attachments ?? [])]) yield Buffer.from(text);
  }
}

function* spf() {
  for (const c of committedCases()) {
    const r = c.request;
    if (!c.method.startsWith('spf.') || typeof r !== 'object' || typeof r.zone !== 'object') continue;
    const sender = r.sender ?? (r.domain ? `postmaster@${r.domain}` : '');
    const ip = r.ip ?? (Array.isArray(r.ips) ? r.ips[0] : '192.0.2.1');
    yield zoneLines(`${ip} ${sender} ${r.helo ?? r.vendorInclude ?? 'mail.example.com'}`, r.zone);
  }
  const suite = JSON.parse(readFileSync(join(repoRoot, 'tests', 'data', 'spf', 'rfc7208-tests.json'), 'utf8'));
  for (const scenario of suite.scenarios) {
    for (const t of scenario.tests) yield zoneLines(`${t.host} ${t.mailfrom} ${t.helo}`, scenario.zone);
  }
}

function* config() {
  for (const c of committedCases()) {
    const text = c.request?.config;
    if (text !== undefined) yield Buffer.from(typeof text === 'string' ? text : JSON.stringify(text));
  }
  const dir = join(repoRoot, 'tests', 'data', 'config');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) yield readFileSync(join(dir, f));
  yield readFileSync(join(repoRoot, 'core', 'data', 'example-zylker.json'));
  for (const place of Object.keys(nestPlaces)) {
    yield Buffer.from(deepConfig(place, 64));
    yield Buffer.from(deepConfig(place, 65));
  }
}

/** Inputs for fuzz_cli_dns.cpp: the byte that picks the part, then its input. */
function* cliDns() {
  const header = (id, flags, rcode, qd) => Buffer.from([id >> 8, id & 255, flags, rcode, 0, qd, 0, 0, 0, 0, 0, 0]);
  const question = Buffer.from([6, ...Buffer.from('zylker'), 3, ...Buffer.from('com'), 0, 0, 16, 0, 1]);
  yield Buffer.concat([Buffer.from([0]), header(0x1234, 0x81, 0x80, 1), question]);
  yield Buffer.concat([Buffer.from([0]), header(0x1234, 0x83, 0x80, 1), question]);
  yield Buffer.concat([Buffer.from([0]), header(0x1234, 0x81, 0x82, 0)]);
  yield Buffer.concat([Buffer.from([0]), header(0x1235, 0x81, 0x80, 1), question]);
  for (const conf of [
    'nameserver 127.0.0.1\nnameserver ::1\n',
    '# c\nsearch example.com\noptions ndots:2\nnameserver 192.0.2.1 # x\n',
    'nameserver fe80::1%lo\nnameserver\nnameserver ns.example\n',
    'nameserver 10.0.0.1\nnameserver 10.0.0.2\nnameserver 10.0.0.3\nnameserver 10.0.0.4\n',
  ]) {
    yield Buffer.from(`\u0001${conf}`);
  }
  for (const server of ['127.0.0.1', '127.0.0.1:5353', '[::1]:53', '2001:db8::53', '[fe80::1%lo]:53', 'dns.example', '1.2.3.4:0']) {
    yield Buffer.from(`\u0002${server}`);
  }
  for (const text of ['Zm9vYg==', 'Zm9vYg', '-_8', 'AAAA', 'Z']) yield Buffer.from(`\u0003${text}`);
}

function* cliArgs() {
  for (const [set, words] of cliCatalogue) yield Buffer.concat([Buffer.from([set]), Buffer.from(words.join('\0'))]);
}

/** The targets seeded here, each with its generator of seeds. */
export const generatedSeeds = { prefixes, spf, config, cli_args: cliArgs, cli_dns: cliDns };
