#!/usr/bin/env python3
"""Differential cases for the address engine: seeded random lists of IPv4 and IPv6 prefixes
(overlapping, adjacent, nested, /0, host routes, IPv4-mapped) through cidr.aggregate,
cidr.missing and cidr.contains, with the expected answers computed by Python's own ipaddress
module (collapse_addresses, address_exclude). Writes a vector file in the shared format
({"cases": [{"name", "method", "request", "expect"}]}) that the native Catch2 runner
(RELAYCHECK_EXTRA_VECTORS) and the Node runner both read.

usage: cidr_cases.py [--seed N] [--count N] [--out FILE]   (FILE '-' or absent: stdout)
Needs only the standard library; runs with any python3.
"""
import argparse
import ipaddress
import json
import random
import sys

V4_BITS, V6_BITS = 32, 128


def canonical(net):
    """relaycheck's canonical text: RFC 5952, IPv4-mapped in the mixed form of its §5."""
    if net.version == 6 and net.network_address.ipv4_mapped is not None:
        return "::ffff:%s/%d" % (net.network_address.ipv4_mapped, net.prefixlen)
    if net.version == 6:
        # Python's compression follows RFC 5952 (longest run of two or more, the first on a tie).
        return "%s/%d" % (ipaddress.IPv6Address(int(net.network_address)).compressed, net.prefixlen)
    return str(net)


def aggregate(nets):
    """collapse_addresses per family, IPv4 first, ascending."""
    out = []
    for version in (4, 6):
        out += sorted(ipaddress.collapse_addresses(n for n in nets if n.version == version))
    return out


def subtract(required, allowed):
    """required minus allowed with address_exclude, minimal."""
    allowed = aggregate(allowed)
    pieces = []
    for r in aggregate(required):
        parts = [r]
        for a in allowed:
            if a.version != r.version or not a.overlaps(r):
                continue
            next_parts = []
            for p in parts:
                if p.subnet_of(a):
                    continue
                if a.subnet_of(p):
                    next_parts += list(p.address_exclude(a))
                else:
                    next_parts.append(p)
            parts = next_parts
        pieces += parts
    return aggregate(pieces)


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)

    def family(self):
        return 4 if self.rng.random() < 0.55 else 6

    def base(self, version):
        """A random cluster centre; some IPv6 centres are IPv4-mapped, some at the ends."""
        r = self.rng.random()
        bits = V4_BITS if version == 4 else V6_BITS
        if r < 0.05:
            return 0
        if r < 0.10:
            return (1 << bits) - 1
        if version == 6 and r < 0.25:
            return (0xFFFF << 32) | self.rng.getrandbits(32)
        return self.rng.getrandbits(bits)

    def prefix(self, version, centre, spread):
        """A prefix near `centre`: lengths cluster so that prefixes overlap, nest and touch."""
        bits = V4_BITS if version == 4 else V6_BITS
        r = self.rng.random()
        if r < 0.02:
            length = 0
        elif r < 0.15:
            length = bits
        else:
            low = max(0, bits - spread - 8)
            length = self.rng.randint(low, bits)
        addr = centre ^ self.rng.getrandbits(spread) if spread else centre
        addr &= (1 << bits) - 1
        cls = ipaddress.IPv4Network if version == 4 else ipaddress.IPv6Network
        return cls((addr, length), strict=False)

    def related(self, net):
        """A sibling (adjacent), a child (nested) or the parent of `net`."""
        r = self.rng.random()
        if net.prefixlen > 0 and r < 0.4:
            parent = net.supernet()
            halves = list(parent.subnets())
            return halves[1] if halves[0] == net else halves[0]
        if net.prefixlen < net.max_prefixlen and r < 0.8:
            return self.rng.choice(list(net.subnets()))
        return net.supernet() if net.prefixlen > 0 else net

    def nets(self, count=None):
        count = self.rng.randint(0, 24) if count is None else count
        out = []
        clusters = [(v, self.base(v), self.rng.choice([4, 8, 12, 20, 40, 72])) for v in
                    (self.family() for _ in range(self.rng.randint(1, 3)))]
        for _ in range(count):
            if out and self.rng.random() < 0.3:
                out.append(self.related(self.rng.choice(out)))
                continue
            version, centre, spread = self.rng.choice(clusters)
            spread = min(spread, V4_BITS if version == 4 else V6_BITS)
            out.append(self.prefix(version, centre, spread))
        return out

    def spelling(self, net, lenient):
        """How a list writes a prefix: canonical, exploded or uppercase IPv6, bare host routes,
        and host bits set in lenient lists."""
        addr = net.network_address
        if lenient and net.prefixlen < net.max_prefixlen and self.rng.random() < 0.5:
            host = self.rng.getrandbits(net.max_prefixlen - net.prefixlen)
            addr = type(addr)(int(addr) | host)
        text = str(addr)
        if net.version == 6:
            r = self.rng.random()
            if r < 0.2:
                text = addr.exploded
            elif r < 0.3:
                text = text.upper()
            elif addr.ipv4_mapped is not None and r < 0.6:
                text = "::ffff:%s" % addr.ipv4_mapped
        if net.prefixlen == net.max_prefixlen and self.rng.random() < 0.5:
            return text
        return "%s/%d" % (text, net.prefixlen)

    def list_value(self, nets, lenient, name):
        """The list as text (with comments and blank lines), {"text", "source"} or an array."""
        entries = [self.spelling(n, lenient) for n in nets]
        style = self.rng.random()
        if style < 0.3:
            return entries
        lines = []
        for e in entries:
            if self.rng.random() < 0.1:
                lines.append("# a comment")
            if self.rng.random() < 0.1:
                lines.append("")
            lines.append(e + ("  # note" if self.rng.random() < 0.1 else ""))
        text = "\n".join(lines) + ("\n" if self.rng.random() < 0.5 else "")
        if style < 0.6:
            return text
        return {"text": text, "source": name}


def texts(nets):
    return [canonical(n) for n in nets]


def answer(prefixes, text_form):
    """The result of cidr.aggregate or cidr.missing: an array, or text with one CIDR a line."""
    if text_form:
        return {"text": "".join(p + "\n" for p in prefixes), "count": len(prefixes)}
    return {"prefixes": prefixes, "count": len(prefixes)}


def make_cases(seed, count):
    g = Generator(seed)
    cases = []
    methods = ["cidr.aggregate", "cidr.missing", "cidr.contains"]
    for i in range(count):
        method = methods[i % 3]
        lenient = g.rng.random() < 0.25
        name = "%s #%d (seed %d)" % (method, i, seed)
        # Every fourth case of a method asks for the text output form (not drawn from the
        # generator, so that the other cases stay as they were for a seed).
        form = i // 3
        text_form = form % 4 == 3
        if method == "cidr.aggregate":
            nets = g.nets()
            request = {"lenient": lenient}
            value = g.list_value(nets, lenient, "case-%d.txt" % i)
            if isinstance(value, list):
                request["prefixes"] = value
            elif isinstance(value, dict):
                request.update(value)
            else:
                request["text"] = value
            result = texts(aggregate(nets))
            expect = {"ok": True, "result": answer(result, text_form)}
            if text_form:
                request["output"] = "text"
        elif method == "cidr.missing":
            required = g.nets()
            allowed = g.nets()
            if g.rng.random() < 0.4:  # allowed built from the required, so that much is covered
                allowed = [g.related(n) if g.rng.random() < 0.5 else n for n in required
                           if g.rng.random() < 0.7] + allowed[: len(allowed) // 3]
            request = {"required": g.list_value(required, lenient, "required.txt"),
                       "allowed": g.list_value(allowed, lenient, "allowed.txt"),
                       "lenient": lenient}
            result = texts(subtract(required, allowed))
            expect = {"ok": True, "result": dict(answer(result, text_form), covered=not result)}
            if text_form:
                request["output"] = "text"
        else:
            nets = g.nets(g.rng.randint(1, 24))
            queries = []
            for _ in range(g.rng.randint(1, 12)):
                r = g.rng.random()
                if r < 0.5:  # inside or at the edge of a member
                    n = g.rng.choice(nets)
                    edge = g.rng.choice([0, n.num_addresses - 1, g.rng.randrange(n.num_addresses)])
                    addr = n.network_address + edge
                    queries.append(ipaddress.ip_network(addr))
                elif r < 0.7:  # just outside a member
                    n = g.rng.choice(nets)
                    below = int(n.network_address) - 1
                    above = int(n.broadcast_address) + 1
                    value = g.rng.choice([v for v in (below, above) if 0 <= v < 2 ** n.max_prefixlen]
                                         or [0])
                    addr = ipaddress.ip_address(value) if n.version == 4 else ipaddress.IPv6Address(value)
                    queries.append(ipaddress.ip_network(addr))
                elif r < 0.8:  # the other family, or IPv4 written as IPv4-mapped IPv6
                    n = g.rng.choice(nets)
                    if n.version == 4:
                        mapped = ipaddress.IPv6Address((0xFFFF << 32) | int(n.network_address))
                        queries.append(ipaddress.ip_network(mapped))
                    else:
                        queries.append(ipaddress.ip_network(ipaddress.IPv4Address(g.rng.getrandbits(32))))
                else:  # a whole prefix: contained when all of it is covered
                    queries.append(g.related(g.rng.choice(nets)))
            union = aggregate(nets)
            results = []
            addresses = []
            for q in queries:
                text = g.spelling(q, False)
                addresses.append(text)
                results.append({"address": text, "canonical": canonical(q),
                                "contained": not subtract([q], union)})
            request = {"set": g.list_value(nets, lenient, "set.txt"), "addresses": addresses,
                       "lenient": lenient}
            expect = {"ok": True, "result": {"results": results}}
            if form % 4 >= 2:  # the addresses as text, one a line: no "address" echoed back
                request["addresses"] = "\n".join(addresses) + "\n"
                for r in results:
                    del r["address"]
            if text_form:
                request["output"] = "text"
                yes = [r["contained"] for r in results]
                expect = {"ok": True, "result": {
                    "text": "".join("yes\n" if y else "no\n" for y in yes),
                    "count": len(yes), "contained": sum(yes)}}
        cases.append({"name": name, "method": method, "request": request, "expect": expect})
    # Strictness: host bits without lenient are refused, as Python's strict=True refuses them.
    for i in range(max(1, count // 50)):
        net = g.prefix(4 if i % 2 else 6, g.base(4 if i % 2 else 6), 16)
        if net.prefixlen == net.max_prefixlen:
            continue
        bad = g.spelling(net, True)
        try:
            ipaddress.ip_network(bad, strict=True)
            continue
        except ValueError:
            pass
        cases.append({"name": "host bits are refused without lenient #%d (seed %d)" % (i, seed),
                      "method": "cidr.aggregate", "request": {"prefixes": [bad]},
                      "expect": {"ok": False, "error": {"code": "cidr.invalid",
                                                        "path": "/prefixes/0"}}})
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=2400)
    parser.add_argument("--out", default="-")
    args = parser.parse_args()
    document = {
        "about": "Generated by tests/differential/cidr_cases.py --seed %d --count %d: expected "
                 "answers from Python's ipaddress (collapse_addresses, address_exclude)."
                 % (args.seed, args.count),
        "cases": make_cases(args.seed, args.count),
    }
    text = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
