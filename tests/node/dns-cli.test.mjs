// The CLI's live DNS (issue 17) against a real DNS server: tests/dns/server.py, started here on
// loopback only (127.0.0.1, ::1, and for the resolv.conf default a 127.x address on port 53 when
// this runs as root), on a free port, and stopped here by its PID. It serves tests/dns/zone.json:
// SPF, DMARC and DKIM TXT records, a CNAME, a DKIM key whose UDP answer is truncated (so the CLI
// asks again over TCP), a SERVFAIL and a name that never answers.
//
// The CLI is RELAYCHECK_CLI (scripts/test sets it), else build/native's; the tests are skipped
// when it is missing or has no `dns fetch` yet, or when Debian's python3-dnspython is missing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './core.mjs';

const cli = process.env.RELAYCHECK_CLI ?? join(repoRoot, 'build', 'native', 'cli', 'relaycheck');
const python = '/usr/bin/python3';
const serverScript = join(repoRoot, 'tests', 'dns', 'server.py');
const zonePath = join(repoRoot, 'tests', 'dns', 'zone.json');
const zone = JSON.parse(readFileSync(zonePath, 'utf8'));
const domainsOnly = JSON.parse(readFileSync(join(repoRoot, 'tests', 'dns', 'config-domains-only.json'), 'utf8'));

function why() {
  if (!existsSync(cli)) return `no native CLI at ${cli}`;
  if (spawnSync(cli, ['dns', 'fetch', '--help']).status !== 0) return 'the CLI has no `dns fetch` yet';
  if (spawnSync(python, ['-c', 'import dns.message']).status !== 0) return 'no python3-dnspython';
  return false;
}
const skip = why();

const scratch = mkdtempSync(join(tmpdir(), 'relaycheck-dns-cli-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

function file(name, content) {
  const path = join(scratch, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

/** Runs the CLI; stdout as text. */
function run(args, { timeout = 60000 } = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(cli, args, { timeout, maxBuffer: 1 << 26 });
  return {
    status: r.status,
    stdout: r.stdout.toString('utf8'),
    stderr: r.stderr.toString('utf8'),
    ms: Number(process.hrtime.bigint() - started) / 1e6,
  };
}

/** Starts tests/dns/server.py; resolves to {port, pid, log(), stop()}. */
function startServer({ addresses = ['127.0.0.1'], port = 0, zoneFile = zonePath, delay = 0 } = {}) {
  const log = join(scratch, `queries-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  const args = [serverScript, '--zone', zoneFile, '--log', log, '--port', String(port), '--delay', String(delay)];
  for (const a of addresses) args.push('--address', a);
  const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server.py did not start: ${err}`)), 10000);
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server.py exited ${code}: ${err}`)); });
    child.stdout.on('data', (d) => {
      out += d;
      const m = /port (\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        port: Number(m[1]),
        pid: child.pid,
        log: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
        clearLog: () => writeFileSync(log, ''),
        stop: () => { try { process.kill(child.pid, 'SIGTERM'); } catch { /* already gone */ } },
      });
    });
  });
}

/** A loopback port nobody listens on (UDP and TCP): bound, then closed. */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const entriesOf = (config, name) => config.dns?.[name] ?? [];
const typesOf = (config, name) => entriesOf(config, name).map((e) => e.type);
const dataOf = (config, name, type) => entriesOf(config, name).filter((e) => e.type === type).map((e) => e.data);

describe('relaycheck dns fetch against a DNS server on loopback', { skip }, () => {
  let server;
  let server6 = null;
  let S;  // --server 127.0.0.1:PORT
  const configPath = () => file('domains-only.json', domainsOnly);

  before(async () => {
    server = await startServer();
    S = `127.0.0.1:${server.port}`;
    try {
      server6 = await startServer({ addresses: ['::1'] });
    } catch {
      server6 = null;  // no IPv6 loopback here
    }
  });
  after(() => {
    server?.stop();
    server6?.stop();
  });

  test('a config with only domains and relays comes back with every record the analysis needs', () => {
    server.clearLog();
    const r = run(['dns', 'fetch', configPath(), '--server', S]);
    assert.equal(r.status, 0, r.stderr);
    const filled = JSON.parse(r.stdout);
    // SPF and everything it includes, DMARC, the CRM's DKIM key, the relay host through its CNAME,
    // the PTR of the outbound IP and the forward lookup that confirms it.
    assert.deepEqual(dataOf(filled, 'zylker.com', 'TXT'), [zone.records['zylker.com'][0].data]);
    assert.deepEqual(dataOf(filled, 'zohomail.com', 'TXT'), [zone.records['zohomail.com'][0].data]);
    assert.deepEqual(dataOf(filled, '_dmarc.zylker.com', 'TXT'), [zone.records['_dmarc.zylker.com'][0].data]);
    assert.deepEqual(dataOf(filled, 'zcrm._domainkey.zylker.com', 'TXT'), [zone.records['zcrm._domainkey.zylker.com'][0].data]);
    assert.deepEqual(dataOf(filled, 'smtp.zylker.com', 'CNAME'), ['relay-1.zylker.com']);
    assert.deepEqual(dataOf(filled, 'relay-1.zylker.com', 'A'), ['203.0.113.25']);
    assert.deepEqual(dataOf(filled, '25.113.0.203.in-addr.arpa', 'PTR'), ['relay-1.zylker.com']);
    // Where and when each answer came from.
    for (const [name, entries] of Object.entries(filled.dns)) {
      for (const e of entries) {
        assert.equal(e.resolver, S, `${name} ${e.type}`);
        assert.match(e.fetched, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, `${name} ${e.type}`);
      }
    }
    // The rest of the config is as it was.
    assert.deepEqual({ ...filled, dns: undefined }, { ...domainsOnly, dns: undefined });
    // Progress: one line per round, and nothing left after the last.
    assert.match(r.stderr, /^round 1: \d+ lookups, \d+ left$/m);
    assert.match(r.stderr, /^round \d+: \d+ lookups, 0 left$/m);
    // Nothing more is needed: core's plan over the filled config is done.
    const plan = spawnSync(cli, ['api', 'dns.plan'], { input: JSON.stringify({ config: filled }) });
    const planned = JSON.parse(plan.stdout.toString());
    assert.equal(planned.ok, true, plan.stdout.toString());
    assert.equal(planned.result.done, true, JSON.stringify(planned.result.lookups));
  });

  test('each lookup is asked once over UDP per round, and only names the analysis needs', () => {
    server.clearLog();
    const r = run(['dns', 'fetch', configPath(), '--server', S]);
    assert.equal(r.status, 0, r.stderr);
    const udp = server.log().filter((l) => l.startsWith('udp '));
    assert.equal(new Set(udp).size, udp.length, udp.join('\n'));
    const asked = new Set(udp.map((l) => l.split(' ')[1]));
    for (const name of asked) {
      assert.ok(name.endsWith('zylker.com') || name === 'zohomail.com' || name.endsWith('.in-addr.arpa'), name);
    }
    const m = /(\d+) lookups in (\d+) rounds?/.exec(r.stderr);
    assert.ok(m, r.stderr);
    assert.equal(Number(m[1]), udp.length);
  });

  test('datagrams with another id or another question are ignored: the real answer is kept', () => {
    // The server sends two such datagrams before its answer for _dmarc.zylker.com.
    const r = run(['dns', 'fetch', configPath(), '--server', S]);
    assert.equal(r.status, 0, r.stderr);
    const filled = JSON.parse(r.stdout);
    assert.deepEqual(dataOf(filled, '_dmarc.zylker.com', 'TXT'), [zone.records['_dmarc.zylker.com'][0].data]);
    assert.doesNotMatch(r.stdout, /spoofed/);
  });

  test('a truncated UDP answer is asked again over TCP and kept whole', () => {
    server.clearLog();
    const r = run(['dns', 'fetch', configPath(), '--server', S]);
    assert.equal(r.status, 0, r.stderr);
    const log = server.log();
    const udpAt = log.indexOf('udp zcrm._domainkey.zylker.com TXT');
    const tcpAt = log.indexOf('tcp zcrm._domainkey.zylker.com TXT');
    assert.ok(udpAt >= 0 && tcpAt > udpAt, log.join('\n'));
    assert.equal(log.filter((l) => l.startsWith('tcp ')).length, 1, 'only the truncated answer goes over TCP');
    const key = dataOf(JSON.parse(r.stdout), 'zcrm._domainkey.zylker.com', 'TXT');
    assert.deepEqual(key, [zone.records['zcrm._domainkey.zylker.com'][0].data]);
    assert.equal(key[0].length, 2, 'the key record keeps its two strings');
    assert.match(r.stderr, /\b1 over TCP\b/);
  });

  test('the filled config replays offline to the same analysis as analyze --live', () => {
    const fetched = run(['dns', 'fetch', configPath(), '--server', S]);
    assert.equal(fetched.status, 0, fetched.stderr);
    const filledPath = file('filled.json', fetched.stdout);
    const offline = run(['analyze', filledPath, '--format', 'json']);
    const live = run(['analyze', configPath(), '--live', '--server', S, '--format', 'json']);
    assert.ok(offline.status === 0 || offline.status === 1, offline.stderr);
    assert.equal(live.status, offline.status, live.stderr);
    // The records carry the second they were fetched, which the report repeats wherever it names
    // a record's source (the config it echoes, the DNS panel, the text form): the runs fetched
    // at different times, possibly in different seconds, and only those seconds may differ.
    const times = (report) => new Set(Object.values(report.config?.dns ?? {}).flat().map((e) => e.fetched).filter(Boolean));
    const withoutTimes = (text, fetched) => [...fetched].reduce((out, time) => out.split(time).join('<fetched>'), text);
    const liveTimes = times(JSON.parse(live.stdout));
    const offlineTimes = times(JSON.parse(offline.stdout));
    assert.ok(liveTimes.size > 0 && offlineTimes.size > 0, 'the records say when they were fetched');
    assert.deepEqual(JSON.parse(withoutTimes(live.stdout, liveTimes)), JSON.parse(withoutTimes(offline.stdout, offlineTimes)));
    // The text form too, and the live records change the analysis of the bare config.
    const offlineText = run(['analyze', filledPath]);
    const liveText = run(['analyze', configPath(), '--live', '--server', S]);
    const liveTextTimes = new Set(liveText.stdout.match(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\b/g) ?? []);
    assert.equal(withoutTimes(liveText.stdout, liveTextTimes), withoutTimes(offlineText.stdout, offlineTimes));
    const bare = run(['analyze', configPath(), '--format', 'json']);
    assert.notDeepEqual(JSON.parse(bare.stdout), JSON.parse(offline.stdout));
  });

  test('--output writes the filled config to a file and leaves stdout empty', () => {
    const out = join(scratch, 'written.json');
    const r = run(['dns', 'fetch', configPath(), '--server', S, '--output', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.ok(JSON.parse(readFileSync(out, 'utf8')).dns['zylker.com']);
  });

  test('a filled config is checked again: every record asked anew, none changed', () => {
    const first = run(['dns', 'fetch', configPath(), '--server', S]);
    const filledPath = file('complete.json', first.stdout);
    server.clearLog();
    const again = run(['dns', 'fetch', filledPath, '--server', S]);
    assert.equal(again.status, 0, again.stderr);
    const m = /(\d+) lookups in/.exec(first.stderr);
    assert.equal(server.log().filter((l) => l.startsWith('udp ')).length, Number(m[1]));
    assert.match(again.stderr, /records added 0, changed 0, unchanged \d+/);
    assert.doesNotMatch(again.stderr, /dns\.records\.changed/);
    const times = (config) => JSON.stringify(config, (k, v) => (k === 'fetched' ? undefined : v));
    assert.equal(times(JSON.parse(again.stdout)), times(JSON.parse(first.stdout)));
  });

  test('--missing-only asks nothing for a config whose dns section is complete', () => {
    const first = run(['dns', 'fetch', configPath(), '--server', S]);
    const filledPath = file('complete2.json', first.stdout);
    server.clearLog();
    const again = run(['dns', 'fetch', filledPath, '--server', S, '--missing-only']);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(server.log(), []);
    assert.deepEqual(JSON.parse(again.stdout), JSON.parse(first.stdout));
    assert.match(again.stderr, /0 lookups in 0 rounds/);
  });

  test('a record that differs from the one the config held is replaced and reported', () => {
    const config = structuredClone(domainsOnly);
    config.dns = {
      'zylker.com': [{ type: 'TXT', data: ['v=spf1 ip4:203.0.113.99 -all'] }],
      '_dmarc.zylker.com': [{ type: 'TXT', data: [zone.records['_dmarc.zylker.com'][0].data[0]] }],
    };
    const r = run(['dns', 'fetch', file('pasted.json', config), '--server', S]);
    assert.equal(r.status, 0, r.stderr);
    const filled = JSON.parse(r.stdout);
    assert.deepEqual(dataOf(filled, 'zylker.com', 'TXT'), [zone.records['zylker.com'][0].data]);
    assert.match(r.stderr, /^relaycheck: dns\.records\.changed: the TXT answer for zylker\.com differs/m);
    assert.doesNotMatch(r.stderr, /_dmarc\.zylker\.com differs/);
    assert.match(r.stderr, /changed 1, unchanged/);
    // With --missing-only the pasted record stays, and nothing is reported.
    const kept = run(['dns', 'fetch', file('pasted2.json', config), '--server', S, '--missing-only']);
    assert.equal(kept.status, 0, kept.stderr);
    assert.deepEqual(dataOf(JSON.parse(kept.stdout), 'zylker.com', 'TXT'), [['v=spf1 ip4:203.0.113.99 -all']]);
    assert.doesNotMatch(kept.stderr, /dns\.records\.changed/);
  });

  test('a SERVFAIL is kept as a temporary error, not as a failure, and the other lookups go on', () => {
    const config = structuredClone(domainsOnly);
    config.domains.push({ name: 'zylker.org', returnPath: 'from-address', relays: [], traffic: {} });
    const r = run(['dns', 'fetch', file('servfail.json', config), '--server', S]);
    assert.equal(r.status, 0, r.stderr);
    const filled = JSON.parse(r.stdout);
    assert.deepEqual(typesOf(filled, 'zylker.org'), ['TIMEOUT']);
    assert.match(r.stderr, /TXT zylker\.org: 127\.0\.0\.1:\d+ answered SERVFAIL: kept as a temporary error/);
    assert.ok(dataOf(filled, 'zylker.com', 'TXT').length === 1, 'the other domain is filled');
    // The analysis reads it as a temporary error (receivers defer and retry), not as a fail.
    const analysis = JSON.parse(run(['analyze', file('servfail-filled.json', filled), '--format', 'json']).stdout);
    const temporary = analysis.findings.filter((f) => f.code === 'outcome.spf.temperror');
    assert.equal(temporary.length, 1, JSON.stringify(analysis.findings.map((f) => f.code)));
    assert.equal(temporary[0].severity, 'warning');
    assert.match(temporary[0].message, /zylker\.org/);
    const org = analysis.outcomes.filter((o) => o.domainName === 'zylker.org');
    assert.ok(org.length > 0);
    for (const o of org) assert.equal(o.spf.result, 'temperror', JSON.stringify(o.spf));
    assert.ok(!analysis.findings.some((f) => /^outcome\.spf\.(fail|permerror)/.test(f.code)));
  });

  test('an answer core cannot read names the byte where it breaks and counts as no answer', () => {
    const config = structuredClone(domainsOnly);
    config.domains.push({ name: 'zylker.org', returnPath: 'from-address', relays: [], traffic: {} });
    const r = run(['dns', 'fetch', file('malformed.json', config), '--server', S]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /TXT _dmarc\.zylker\.org: no answer \(127\.0\.0\.1:\d+: [^)]*at byte \d+/);
    assert.deepEqual(typesOf(JSON.parse(r.stdout), '_dmarc.zylker.org'), ['TIMEOUT']);
  });

  test('a name that never answers times out alone and the run still answers', () => {
    const config = structuredClone(domainsOnly);
    config.domains.push({ name: 'zylker.net', returnPath: 'from-address', relays: [], traffic: {} });
    const r = run(['dns', 'fetch', file('timeout.json', config), '--server', S, '--timeout', '0.3']);
    assert.equal(r.status, 0, r.stderr);
    const filled = JSON.parse(r.stdout);
    assert.deepEqual(typesOf(filled, '_dmarc.zylker.net'), ['TIMEOUT']);
    assert.deepEqual(dataOf(filled, 'zylker.net', 'TXT'), [zone.records['zylker.net'][0].data]);
    assert.match(r.stderr, /TXT _dmarc\.zylker\.net: no answer \(127\.0\.0\.1:\d+: no answer within 300 ms\)/);
    assert.ok(r.ms < 10000, `took ${r.ms} ms`);
  });

  test('the lookups of a round are asked together: a slow resolver costs a round trip a round', async () => {
    const slow = await startServer({ delay: 0.3 });
    try {
      const r = run(['dns', 'fetch', configPath(), '--server', `127.0.0.1:${slow.port}`]);
      assert.equal(r.status, 0, r.stderr);
      const m = /(\d+) lookups in (\d+) rounds? \((\d+) over TCP/.exec(r.stderr);
      assert.ok(m, r.stderr);
      const [lookups, rounds, tcp] = m.slice(1).map(Number);
      // One after the other, every UDP lookup would wait 0.3 s; together, one wait per round
      // (the TCP retry of a truncated answer is not delayed).
      assert.ok(lookups >= 6 && rounds >= 2, r.stderr);
      assert.ok(r.ms < lookups * 300 - 300, `${lookups} lookups, ${rounds} rounds, ${tcp} over TCP: ${r.ms} ms`);
    } finally {
      slow.stop();
    }
  });

  test('an IPv6 server is reached as [::1]:PORT', (t) => {
    if (server6 === null) return t.skip('no IPv6 loopback');
    const r = run(['dns', 'fetch', configPath(), '--server', `[::1]:${server6.port}`]);
    assert.equal(r.status, 0, r.stderr);
    const filled = JSON.parse(r.stdout);
    assert.equal(filled.dns['zylker.com'][0].resolver, `[::1]:${server6.port}`);
  });

  test('servers are tried in order: a dead first one gives way to the next', async () => {
    const dead = await closedPort();
    const r = run(['dns', 'fetch', configPath(), '--server', `127.0.0.1:${dead}`, '--server', S]);
    assert.equal(r.status, 0, r.stderr);
    const filled = JSON.parse(r.stdout);
    assert.equal(filled.dns['zylker.com'][0].resolver, S);
  });

  test('no resolver answering is exit 2 with the servers tried, and nothing on stdout', async () => {
    const dead = await closedPort();
    const r = run(['dns', 'fetch', configPath(), '--server', `127.0.0.1:${dead}`]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`no resolver answered: tried 127\\.0\\.0\\.1:${dead} \\(UDP: Connection refused\\)`));
  });

  test('a resolver that stays silent is given up, and exit 2 names the timeout', async () => {
    const silent = createSocket('udp4');
    await new Promise((resolve) => silent.bind(0, '127.0.0.1', resolve));
    try {
      const port = silent.address().port;
      const r = run(['dns', 'fetch', configPath(), '--server', `127.0.0.1:${port}`, '--timeout', '0.2']);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, new RegExp(`no resolver answered: tried 127\\.0\\.0\\.1:${port} \\(no answer within 200 ms\\)`));
      assert.ok(r.ms < 5000, `gave up after ${r.ms} ms`);
    } finally {
      silent.close();
    }
  });

  test('analyze --live with no resolver is exit 2 too, with an empty stdout', async () => {
    const dead = await closedPort();
    const r = run(['analyze', configPath(), '--live', '--server', `127.0.0.1:${dead}`]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /no resolver answered/);
  });

  test('a resolv.conf without a nameserver, or unreadable, is exit 2 naming it', () => {
    const empty = file('resolv-empty.conf', 'search example.com\n');
    const r = run(['dns', 'fetch', configPath(), '--resolv-conf', empty]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /resolv-empty\.conf lists no usable nameserver/);
    const missing = run(['dns', 'fetch', configPath(), '--resolv-conf', join(scratch, 'nope.conf')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope\.conf/);
  });

  test('a server given by name, or a bad port or timeout, is exit 2 before any lookup', () => {
    for (const [args, message] of [
      [['--server', 'dns.example'], /--server 'dns\.example': not an IPv4 or IPv6 address/],
      [['--server', '127.0.0.1:0'], /--server '127\.0\.0\.1:0': the port/],
      [['--server', S, '--timeout', '0'], /--timeout '0'/],
      [['--server', S, '--resolv-conf', '/etc/resolv.conf'], /--server or --resolv-conf, not both/],
    ]) {
      server.clearLog();
      const r = run(['dns', 'fetch', configPath(), ...args]);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      assert.deepEqual(server.log(), []);
    }
  });

  test('a config that is not JSON is exit 2 before any lookup, naming the line', () => {
    server.clearLog();
    const r = run(['dns', 'fetch', file('broken.json', '{\n  "schema": 2,\n  oops\n}\n'), '--server', S]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /broken\.json/);
    assert.deepEqual(server.log(), []);
  });

  test('the live options without --live are refused', () => {
    const r = run(['analyze', configPath(), '--server', S]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /--server asks DNS servers: it needs --live/);
    const m = run(['analyze', configPath(), '--missing-only']);
    assert.equal(m.status, 2);
    assert.match(m.stderr, /--missing-only is about DNS lookups: it needs --live/);
    const spf = run(['spf', 'lint', '--zone', file('z.json', {}), '--timeout', '1', 'zylker.com']);
    assert.equal(spf.status, 2);
    assert.match(spf.stderr, /--timeout asks DNS servers: it needs --live/);
  });

  test('spf check --live evaluates the sender domain with records fetched for it', () => {
    const pass = run(['spf', 'check', '--live', '--server', S, '--ip', '203.0.113.25',
      '--sender', 'crm@zylker.com', '--helo', 'relay-1.zylker.com']);
    assert.equal(pass.status, 0, pass.stderr);
    assert.equal(pass.stdout.split('\n')[0], 'pass');
    const viaInclude = run(['spf', 'check', '--live', '--server', S, '--ip', '136.143.188.5',
      '--sender', 'crm@zylker.com', '--helo', 'mail.zoho.example']);
    assert.equal(viaInclude.stdout.split('\n')[0], 'pass', viaInclude.stderr);
    const other = run(['spf', 'check', '--live', '--server', S, '--ip', '198.51.100.7',
      '--sender', 'crm@zylker.com', '--helo', 'x.example']);
    assert.equal(other.stdout.split('\n')[0], 'softfail', other.stderr);
  });

  test('spf lint --live walks the include tree it fetched', () => {
    const r = run(['spf', 'lint', '--live', '--server', S, 'zylker.com']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /zohomail\.com/);
    assert.doesNotMatch(r.stdout, /needed:/);
  });
});

describe('relaycheck dns fetch with the system resolver from resolv.conf', { skip }, () => {
  // resolv.conf carries no port: the server must listen on port 53, which needs root. A random
  // 127.x.y.z keeps clear of any resolver this machine runs on 127.0.0.1 or 127.0.0.53.
  const address = `127.${53 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}`;
  let server = null;
  let reason = false;

  before(async () => {
    try {
      server = await startServer({ addresses: [address], port: 53 });
    } catch (e) {
      reason = `cannot listen on ${address}:53 (${e.message.split('\n')[0]})`;
    }
  });
  after(() => server?.stop());

  test('a resolv.conf pointing at the test server is used by default', (t) => {
    if (!server) return t.skip(reason);
    const conf = file('resolv.conf', `# test\noptions ndots:1\nnameserver ${address}\n`);
    const r = run(['dns', 'fetch', file('rc.json', domainsOnly), '--resolv-conf', conf]);
    assert.equal(r.status, 0, r.stderr);
    const filled = JSON.parse(r.stdout);
    assert.equal(filled.dns['zylker.com'][0].resolver, address);
    assert.ok(filled.dns['_dmarc.zylker.com']);
  });

  test('a dead first nameserver gives way to the second', async (t) => {
    if (!server) return t.skip(reason);
    const conf = file('resolv2.conf', `nameserver 127.0.0.1\nnameserver ${address}\n`);
    // 127.0.0.1:53 may host a real resolver; only when it refuses does this test what it says.
    const probe = spawnSync(cli, ['dns', 'fetch', file('rc2.json', domainsOnly), '--server', '127.0.0.1', '--timeout', '0.2']);
    if (probe.status !== 2) return t.skip('something answers on 127.0.0.1:53 here');
    const r = run(['dns', 'fetch', file('rc3.json', domainsOnly), '--resolv-conf', conf, '--timeout', '0.5']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).dns['zylker.com'][0].resolver, address);
  });
});
