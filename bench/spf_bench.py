"""The SPF benchmark behind scripts/bench-spf: the RFC 7208 suite (203 checks) evaluated ROUNDS
times by relaycheck native (the engine, and the façade's batch forms), relaycheck wasm (the same
bench program built with em++, and the shipped module in Node through the façade) and pyspf
(Debian's python3-spf) with a DNS mock built from the same zone maps, the way pyspf's own test
driver mocks DNS. Prints a table with ratios against pyspf, the targets (native engine >= 50x,
wasm module >= 20x) and the load average. Run with /usr/bin/python3. Not a timed test."""
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
    parser.add_argument('--wasm-engine', help='relaycheck_bench_spf built with em++ (a .cjs for Node)')
    parser.add_argument('--suite', default=os.path.join(REPO, 'tests', 'data', 'spf', 'rfc7208-tests.json'))
    parser.add_argument('--rounds', type=int, default=100)
    args = parser.parse_args()
    with open(args.suite, encoding='utf-8') as f:
        suite = json.load(f)
    total = sum(len(s['tests']) for s in suite['scenarios'])
    env = dict(os.environ, NODE_PATH='/usr/share/nodejs')
    notes = []

    # (label, micros per check, correct or None when asserted by the tests, target ratio or None)
    rows = []
    native = json.loads(subprocess.run([args.native, args.suite, str(args.rounds)], check=True,
                                       capture_output=True, text=True).stdout)
    rows.append(('native engine: check_host() + RecordCache, bulk', native['bulkMicrosPerCheck'], None, 50))
    rows.append(('native engine: check_host() + RecordCache', native['cachedMicrosPerCheck'], None, None))
    rows.append(('native engine: check_host(), records parsed each time', native['engineMicrosPerCheck'], None, None))
    rows.append(('native engine: check_host() with trace', native['tracedMicrosPerCheck'], None, None))
    rows.append(('native facade: spf.check text batch', native['textFacadeMicrosPerCheck'], None, None))
    rows.append(('native facade: spf.check JSON batch (compact)', native['facadeMicrosPerCheck'], None, None))

    if args.wasm_engine:
        out = subprocess.run(['node', args.wasm_engine, args.suite, str(args.rounds)], check=True,
                             capture_output=True, text=True, env=env).stdout
        wasm = json.loads(out.strip().splitlines()[-1])
        rows.append(('wasm engine (em++): check_host() + RecordCache, bulk', wasm['bulkMicrosPerCheck'], None, None))
        rows.append(('wasm engine (em++): check_host() + RecordCache', wasm['cachedMicrosPerCheck'], None, None))
        rows.append(('wasm engine (em++): check_host(), parsed each time', wasm['engineMicrosPerCheck'], None, None))
        rows.append(('wasm facade (em++): spf.check text batch', wasm['textFacadeMicrosPerCheck'], None, None))
    else:
        notes.append('no wasm build in build/wasm: the wasm engine rows are skipped (scripts/build wasm)')

    web = os.environ.get('RELAYCHECK_WEB_DIR', os.path.join(REPO, 'build', 'web'))
    if os.path.exists(os.path.join(web, 'relaycheck.wasm')):
        out = json.loads(subprocess.run(['node', os.path.join(HERE, 'spf_bench_wasm.mjs'), args.suite, str(args.rounds)],
                                        check=True, capture_output=True, text=True, env=env).stdout)
        rows.append(('wasm module in Node: spf.check text batch, attached', out['attached']['microsPerCheck'],
                     out['attached']['correct'], 20))
        rows.append(('wasm module in Node: spf.check text batch', out['text']['microsPerCheck'], out['text']['correct'], None))
        rows.append(('wasm module in Node: spf.check JSON batch', out['json']['microsPerCheck'], out['json']['correct'], None))
    else:
        notes.append('no wasm module at %s: the module rows are skipped (scripts/build wasm)' % web)

    py = run_pyspf(suite, args.rounds)
    load = os.getloadavg()
    print('RFC 7208 suite: %d checks x %d rounds; time per check, lower is better' % (total, args.rounds))
    print('load average %.2f %.2f %.2f on %d CPUs (figures are noisy when it is high)' % (load + (os.cpu_count(),)))
    print('%-56s %9s %9s %9s %8s' % ('', 'us/check', 'correct', 'vs pyspf', 'target'))
    print('%-56s %9.2f %9s %8.1fx %8s' % ('pyspf %s (python3-spf), DNS mock' % pyspf_version(), py['micros'],
                                           '%d/%d' % (py['correct'], py['checks']), 1.0, ''))
    verdicts = []
    for label, micros, correct, target in rows:
        shown = '%d/%d' % (correct, total) if correct is not None else '*'
        ratio = py['micros'] / micros
        goal = ''
        if target:
            met = ratio >= target
            goal = '>=%dx %s' % (target, 'met' if met else 'MISSED')
            verdicts.append('%s: %.1fx pyspf (target %dx) %s' % (label, ratio, target, 'met' if met else 'MISSED'))
        print('%-56s %9.2f %9s %8.1fx %s' % (label, micros, shown, ratio, goal))
    print('bulk: trace and details (reason, matched terms, sender) off, as the batch forms of spf.check run')
    print('* 203/203 asserted by tests/unit/test_spf_suite.cpp and tests/node/spf-suite.test.mjs; the wasm module rows')
    print('  check every answer first. Batches: one request a scenario (its zone read once, its tests')
    print('  repeated ROUNDS times); module rows time the request built in JS, the call and the answers read.')
    for line in verdicts + notes:
        print(line)


def pyspf_version():
    try:
        import spf
        return spf.__version__
    except (ImportError, AttributeError):
        return '?'


if __name__ == '__main__':
    sys.exit(main())
