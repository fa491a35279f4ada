#!/usr/bin/python3
"""The address-engine benchmark behind scripts/bench-cidr.

  cidr_bench.py run --native BIN --data DIR [--budget SECONDS] [--seed N]
  cidr_bench.py peer PEER ROW DIR [SAMPLE]      (one timed row of a Python peer)

`run` writes one generated data set (seeded) to DIR, then times every row for every peer on
that same data: relaycheck native (BIN), relaycheck wasm in Node (when build/web holds the
module), Python ipaddress, netaddr, and the npm packages cidr-tools and fast-cidr-tools. Each
peer gets BUDGET seconds a row; one that cannot finish is measured on a subsample and reported
as a rate per operation, marked '~' (extrapolated) in the table. Every peer's figure is the best
of up to BENCH_RUNS (3) runs in one process, as far as the budget allows, so that JIT compilers
are warm for JavaScript as they are for the wasm module; the first run is printed beside it.

Rows: aggregate 1,000,000 random IPv4+IPv6 prefixes; missing with 100,000 required against
100,000 allowed; 1,000,000 contains look-ups against a 100,000-prefix set. Inputs are strings
and answers are strings for every peer, parsing included. Run with /usr/bin/python3 (netaddr).
"""
import argparse
import bisect
import ipaddress
import json
import os
import random
import subprocess
import sys
import time

ROWS = {
    "aggregate": ("aggregate 1M prefixes", 1_000_000, 10_000),
    "missing": ("missing 100k vs 100k", 100_000, 2_000),
    "contains": ("contains 1M vs 100k set", 1_000_000, 10_000),
}
PYTHON_PEERS = ["python-ipaddress", "netaddr"]
NODE_PEERS = ["cidr-tools", "fast-cidr-tools"]
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


# ---------------------------------------------------------------- data

def random_prefix(rng):
    if rng.random() < 0.5:
        length = rng.choice([rng.randint(8, 32), rng.randint(16, 32), rng.randint(20, 32)])
        value = rng.getrandbits(32) & ~((1 << (32 - length)) - 1)
        return ipaddress.IPv4Network((value, length))
    length = rng.choice([rng.randint(16, 128), rng.randint(32, 64), rng.randint(40, 128)])
    value = ((0x2 << 125) | rng.getrandbits(125)) & ~((1 << (128 - length)) - 1)
    return ipaddress.IPv6Network((value, length))


def related(rng, net):
    r = rng.random()
    if r < 0.3 or net.prefixlen == 0:
        return net
    if r < 0.6 or net.prefixlen == net.max_prefixlen:
        return net.supernet(new_prefix=max(0, net.prefixlen - rng.randint(1, 4)))
    return next(net.subnets(new_prefix=min(net.max_prefixlen, net.prefixlen + rng.randint(1, 4))))


def random_address_in(rng, net):
    return net.network_address + rng.randrange(net.num_addresses)


def write_lines(path, items):
    with open(path, "w") as f:
        f.write("\n".join(str(i) for i in items) + "\n")


def generate(data, seed):
    rng = random.Random(seed)
    os.makedirs(data, exist_ok=True)
    write_lines(os.path.join(data, "aggregate.txt"), (random_prefix(rng) for _ in range(1_000_000)))
    required = [random_prefix(rng) for _ in range(100_000)]
    allowed = [related(rng, rng.choice(required)) if rng.random() < 0.5 else random_prefix(rng)
               for _ in range(100_000)]
    write_lines(os.path.join(data, "required.txt"), required)
    write_lines(os.path.join(data, "allowed.txt"), allowed)
    members = [random_prefix(rng) for _ in range(100_000)]
    write_lines(os.path.join(data, "set.txt"), members)
    queries = []
    for _ in range(1_000_000):
        if rng.random() < 0.5:
            queries.append(random_address_in(rng, rng.choice(members)))
        elif rng.random() < 0.5:
            queries.append(ipaddress.IPv4Address(rng.getrandbits(32)))
        else:
            queries.append(ipaddress.IPv6Address((0x2 << 125) | rng.getrandbits(125)))
    write_lines(os.path.join(data, "queries.txt"), queries)


# ---------------------------------------------------------------- Python peers

def read(data, name, sample=None):
    with open(os.path.join(data, name)) as f:
        lines = [line for line in f.read().split("\n") if line]
    return lines[:sample] if sample else lines


def collapse(nets):
    out = []
    for version in (4, 6):
        out += sorted(ipaddress.collapse_addresses(n for n in nets if n.version == version))
    return out


def ipaddress_missing(required, allowed):
    """required - allowed by a sweep over both collapsed lists, with address_exclude."""
    out = []
    for version in (4, 6):
        req = [n for n in required if n.version == version]
        allow = [n for n in allowed if n.version == version]
        j = 0
        for r in req:
            while j < len(allow) and allow[j].broadcast_address < r.network_address:
                j += 1
            parts = [r]
            k = j
            while k < len(allow) and allow[k].network_address <= r.broadcast_address:
                a = allow[k]
                next_parts = []
                for p in parts:
                    if p.subnet_of(a):
                        continue
                    next_parts += list(p.address_exclude(a)) if a.subnet_of(p) else [p]
                parts = next_parts
                k += 1
            out += parts
    return collapse(out)


def python_once(peer, row, data, sample):
    """One timed run of a Python peer: (seconds, answer size)."""
    if peer == "python-ipaddress":
        if row == "aggregate":
            lines = read(data, "aggregate.txt", sample)
            start = time.perf_counter()
            answer = [str(n) for n in collapse([ipaddress.ip_network(s) for s in lines])]
        elif row == "missing":
            req, allow = read(data, "required.txt", sample), read(data, "allowed.txt", sample)
            start = time.perf_counter()
            answer = [str(n) for n in ipaddress_missing(collapse([ipaddress.ip_network(s) for s in req]),
                                                          collapse([ipaddress.ip_network(s) for s in allow]))]
        else:
            members, queries = read(data, "set.txt"), read(data, "queries.txt", sample)
            start = time.perf_counter()
            nets = collapse([ipaddress.ip_network(s) for s in members])
            by_family = {v: [n for n in nets if n.version == v] for v in (4, 6)}
            starts = {v: [int(n.network_address) for n in by_family[v]] for v in (4, 6)}
            yes = 0
            for q in queries:
                a = ipaddress.ip_address(q)
                i = bisect.bisect_right(starts[a.version], int(a)) - 1
                yes += i >= 0 and a in by_family[a.version][i]
            answer = range(yes)
    else:
        import netaddr
        if row == "aggregate":
            lines = read(data, "aggregate.txt", sample)
            start = time.perf_counter()
            answer = [str(n) for n in netaddr.cidr_merge(lines)]
        elif row == "missing":
            req, allow = read(data, "required.txt", sample), read(data, "allowed.txt", sample)
            start = time.perf_counter()
            answer = [str(n) for n in (netaddr.IPSet(req) - netaddr.IPSet(allow)).iter_cidrs()]
        else:
            members, queries = read(data, "set.txt"), read(data, "queries.txt", sample)
            start = time.perf_counter()
            s = netaddr.IPSet(members)
            answer = range(sum(1 for q in queries if netaddr.IPAddress(q) in s))
    return time.perf_counter() - start, len(answer)


def python_row(peer, row, data, sample):
    """Best of up to BENCH_RUNS runs (default 3), as cidr_peers.mjs does for the Node peers."""
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    budget = float(os.environ.get("BENCH_BUDGET", "60"))
    times = []
    while len(times) < runs:
        seconds, answer = python_once(peer, row, data, sample)
        times.append(seconds)
        if sum(times) + seconds > budget / 2:
            break
    operations = len(read(data, {"aggregate": "aggregate.txt", "missing": "required.txt",
                                 "contains": "queries.txt"}[row], sample))
    print(json.dumps({"row": row, "seconds": min(times), "firstSeconds": times[0], "runs": len(times),
                      "operations": operations, "answer": answer}))


# ---------------------------------------------------------------- orchestration

def timed(command, budget):
    """Runs one peer row; returns its JSON line, or None when it exceeds the budget."""
    try:
        env = dict(os.environ, BENCH_BUDGET=str(budget))
        done = subprocess.run(command, capture_output=True, text=True, timeout=budget, cwd=REPO, env=env)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        return {"failed": (done.stderr.strip().splitlines() or ["exit %d" % done.returncode])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def peer_command(peer, row, data, sample=None):
    extra = [str(sample)] if sample else []
    if peer in PYTHON_PEERS:
        return ["/usr/bin/python3", os.path.join(HERE, "cidr_bench.py"), "peer", peer, row, data] + extra
    return ["node", os.path.join(HERE, "cidr_peers.mjs"), peer, row, data] + extra


def measure(peer, row, data, budget):
    """{'seconds', 'operations', 'answer', 'extrapolated'} for the full row, or a rate from a
    subsample when the full row does not finish within the budget."""
    full = timed(peer_command(peer, row, data), budget)
    if full is not None:
        full["extrapolated"] = False
        return full
    # Quadratic peers may not finish even a subsample: shrink it tenfold until one does.
    sample = ROWS[row][2]
    part = None
    while part is None and sample >= 10:
        part = timed(peer_command(peer, row, data, sample), budget)
        sample //= 10
    if part is None or "failed" in part:
        return part or {"failed": "over budget even on 10 operations"}
    total = ROWS[row][1]
    return {"seconds": part["seconds"] / part["operations"] * total, "operations": part["operations"],
            "answer": None, "extrapolated": True, "runs": part.get("runs", 1)}


def fmt_seconds(s):
    return "%.3f s" % s if s >= 0.1 else "%.1f ms" % (s * 1000)


def run(args):
    data = os.path.abspath(args.data)
    print("generating the data set (seed %d) in %s ..." % (args.seed, data), flush=True)
    generate(data, args.seed)
    results = {}
    native_lines = subprocess.run([args.native, data], capture_output=True, text=True, check=True).stdout
    heap = None
    for line in native_lines.splitlines():
        item = json.loads(line)
        if item["row"] == "heap":
            heap = item
        else:
            item["extrapolated"] = False
            results[("relaycheck native", item["row"])] = item
    peers = ["relaycheck native"]
    wasm = os.path.join(os.environ.get("RELAYCHECK_WEB_DIR", os.path.join(REPO, "build", "web")), "relaycheck.wasm")
    if os.path.exists(wasm):
        peers.append("relaycheck-wasm")
    else:
        print("no wasm module at %s: the wasm rows are skipped (build it with the wasm preset)" % wasm)
    others = PYTHON_PEERS + NODE_PEERS
    for peer in peers[1:] + others:
        for row in ROWS:
            print("  %-18s %-9s ..." % (peer, row), end="", flush=True)
            results[(peer, row)] = measure(peer, row, data, args.budget)
            r = results[(peer, row)]
            print(" failed: %s" % r["failed"] if "failed" in r else
                  " %s%s" % ("~" if r["extrapolated"] else "", fmt_seconds(r["seconds"])), flush=True)

    print()
    print("Same data for every peer (seed %d); strings in, strings out; budget %d s a row;" % (args.seed, args.budget))
    print("each figure is the best of up to 3 runs in one process (the native bench: best of its runs),")
    print("with the first (cold) run beside it;")
    print("~ = over budget: rate measured on a subsample and scaled to the full row.")
    header = "| peer | " + " | ".join(ROWS[r][0] for r in ROWS) + " |"
    print(header)
    print("|" + "---|" * (len(ROWS) + 1))
    fastest = {}
    fastest_js = {}
    for row in ROWS:
        times = [results[(p, row)]["seconds"] for p in others if "seconds" in results[(p, row)]]
        fastest[row] = min(times) if times else None
        js = [results[(p, row)]["seconds"] for p in NODE_PEERS if "seconds" in results[(p, row)]]
        fastest_js[row] = min(js) if js else fastest[row]
    for peer in peers + others:
        cells = []
        for row in ROWS:
            r = results[(peer, row)]
            if "failed" in r:
                cells.append("failed")
                continue
            cell = ("~" if r["extrapolated"] else "") + fmt_seconds(r["seconds"])
            if not r["extrapolated"] and r.get("runs", 1) > 1:
                cell += " (first of %d runs %s)" % (r["runs"], fmt_seconds(r["firstSeconds"]))
            if r["extrapolated"]:
                cell += " (%.2f µs/op on %d)" % (r["seconds"] / ROWS[row][1] * 1e6, r["operations"])
            if fastest[row]:
                # The wasm build is held to the JavaScript packages, native to every peer.
                ratio = (fastest_js[row] if peer == "relaycheck-wasm" else fastest[row]) / r["seconds"]
                against = "JavaScript package" if peer == "relaycheck-wasm" else "peer"
                cell += " · %.1f× faster than the fastest %s" % (ratio, against) if peer.startswith("relaycheck") \
                    else " · %.2f× the fastest" % (r["seconds"] / fastest[row])
            native = results[("relaycheck native", row)]["answer"]
            if r.get("answer") is not None and r["answer"] != native:
                cell += " (answer %d ≠ %d)" % (r["answer"], native)
            cells.append(cell)
        print("| %s | %s |" % (peer, " | ".join(cells)))
    if heap:
        print()
        print("relaycheck native heap while aggregating %d prefixes: peak %.1f bytes a prefix "
              "(set + minimal list), the set alone %.1f bytes a prefix (%d ranges, %d CIDRs out)"
              % (heap["prefixes"], heap["peakBytesPerPrefix"], heap["setBytesPerPrefix"], heap["ranges"],
                 heap["minimal"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("--native", required=True)
    r.add_argument("--data", required=True)
    r.add_argument("--budget", type=int, default=int(os.environ.get("BENCH_BUDGET", "60")))
    r.add_argument("--seed", type=int, default=2024)
    p = sub.add_parser("peer")
    p.add_argument("peer")
    p.add_argument("row", choices=list(ROWS))
    p.add_argument("data")
    p.add_argument("sample", nargs="?", type=int)
    args = parser.parse_args()
    if args.command == "run":
        run(args)
    else:
        python_row(args.peer, args.row, args.data, args.sample)


if __name__ == "__main__":
    sys.exit(main())
