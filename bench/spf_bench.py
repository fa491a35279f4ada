"""The SPF benchmark behind scripts/bench-spf: the RFC 7208 suite (203 checks) evaluated ROUNDS
times by relaycheck native (the engine, and the JSON façade), relaycheck wasm in Node (when
build/web holds the module) and pyspf (Debian's python3-spf) with a DNS mock built from the same
zone maps, the way pyspf's own test driver mocks DNS. Prints a table with ratios against pyspf.
Run with /usr/bin/python3 (pyspf is a Debian package). Not a timed test."""
import argparse
import json
import os
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def pyspf_lookup(spf, zones):
    """A DNSLookup replacement over the current scenario's zone map (zones[0])."""

    def lookup(name, qtype, strict=True, timeout=None, level=0):
        labels = [label for label in name.split('.') if label]
        if any(len(label) > 63 for label in labels):
            raise spf.TempError('DNS label too long')
        key = '.'.join(labels).lower()
        seen = False
        for entry in zones[0].get(key, ()):
            kind = entry['type']
            if kind == 'TIMEOUT':
                if not seen:
                    raise spf.TempError('DNS timeout')
                return
            if kind == qtype:
                seen = True
            value = entry.get('data')
            if kind == 'AAAA':
                value = socket.inet_pton(socket.AF_INET6, value)
            elif kind in ('TXT', 'SPF'):
                value = tuple(s.encode('utf-8') for s in value)
            elif kind == 'MX':
                value = (value[0], value[1])
            yield ((key, kind), value)
            if level == 0 and kind == 'CNAME':
                yield from lookup(value, qtype, strict, timeout, 1)

    return lookup


def run_pyspf(suite, rounds):
    import spf
    zones = [None]
    spf.DNSLookup = pyspf_lookup(spf, zones)
    prepared = [({k.lower().rstrip('.'): v for k, v in s['zone'].items()}, s['tests']) for s in suite['scenarios']]

    def one(test):
        q = spf.query(i=test['host'], s=test['mailfrom'], h=test['helo'], strict=True)
        q.set_default_explanation(suite['default_explanation'])
        return q.check()

    correct = checks = 0
    for zone, tests in prepared:
        zones[0] = zone
        for t in tests:
            checks += 1
            result, _, explanation = one(t)
            if result in t['result'] and (t['explanation'] is None or t['explanation'] == explanation):
                correct += 1
    start = time.perf_counter()
    for _ in range(rounds):
        for zone, tests in prepared:
            zones[0] = zone
            for t in tests:
                one(t)
    seconds = time.perf_counter() - start
    return {'checks': checks, 'correct': correct, 'seconds': seconds, 'micros': seconds / (checks * rounds) * 1e6}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--native', required=True, help='the relaycheck_bench_spf binary')
    parser.add_argument('--suite', default=os.path.join(REPO, 'tests', 'data', 'spf', 'rfc7208-tests.json'))
    parser.add_argument('--rounds', type=int, default=100)
    args = parser.parse_args()
    with open(args.suite, encoding='utf-8') as f:
        suite = json.load(f)

    rows = []
    native = json.loads(subprocess.run([args.native, args.suite, str(args.rounds)], check=True,
                                       capture_output=True, text=True).stdout)
    rows.append(('relaycheck native, check_host() + RecordCache', native['cachedMicrosPerCheck'], native['checks'], None))
    rows.append(('relaycheck native, check_host()', native['engineMicrosPerCheck'], native['checks'], None))
    rows.append(('relaycheck native, check_host() with trace', native['tracedMicrosPerCheck'], native['checks'], None))
    rows.append(('relaycheck native, JSON façade (batch)', native['facadeMicrosPerCheck'], native['checks'], None))

    web = os.environ.get('RELAYCHECK_WEB_DIR', os.path.join(REPO, 'build', 'web'))
    wasm = os.path.join(web, 'relaycheck.wasm')
    if os.path.exists(wasm):
        env = dict(os.environ, NODE_PATH='/usr/share/nodejs')
        out = json.loads(subprocess.run(['node', os.path.join(HERE, 'spf_bench_wasm.mjs'), args.suite, str(args.rounds)],
                                        check=True, capture_output=True, text=True, env=env).stdout)
        label = 'relaycheck wasm in Node, JSON façade' + (' (batch)' if out['batched'] else ' (one request a check)')
        rows.append((label, out['microsPerCheck'], out['checks'], out['correct']))
    else:
        print('no wasm module at %s: the wasm row is skipped (build it with the wasm preset)' % wasm)

    py = run_pyspf(suite, args.rounds)
    rows.append(('pyspf %s (python3-spf), DNS mock' % pyspf_version(), py['micros'], py['checks'], py['correct']))

    total = sum(len(s['tests']) for s in suite['scenarios'])
    print('RFC 7208 suite: %d checks x %d rounds; time per check_host(), lower is better' % (total, args.rounds))
    print('%-58s %10s %10s %10s' % ('', 'us/check', 'correct', 'vs pyspf'))
    for label, micros, checks, correct in rows:
        shown = '%d/%d' % (correct, checks) if correct is not None else '%d/%d*' % (checks, checks)
        print('%-58s %10.2f %10s %9.1fx' % (label, micros, shown, py['micros'] / micros))
    print('* correctness is asserted by tests/unit/test_spf_suite.cpp (203/203); the façade rows parse')
    print('  each scenario\'s zone once per batch (one request a scenario, its tests repeated ROUNDS times)')
    print('targets: native >= 50x pyspf, wasm >= 20x pyspf')


def pyspf_version():
    try:
        import spf
        return spf.__version__
    except (ImportError, AttributeError):
        return '?'


if __name__ == '__main__':
    sys.exit(main())
