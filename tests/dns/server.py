#!/usr/bin/python3
"""A small authoritative DNS server for the CLI's live-DNS tests, on loopback only.

It answers over UDP and TCP on one port (a free one unless --port says which) from a zone file
in JSON, and prints `port N` on standard output once both sockets listen. The test that starts it
stops it by its PID (SIGTERM). Every query is logged as `udp|tcp NAME TYPE` to --log (if given),
so that a test can count lookups and see which went over TCP.

The zone file:
  {"records":  {NAME: [{"type": T, "data": D}, ...]},  the zone map of the config's `dns` section
                                                       (TXT: a list of strings, MX: [pref, host])
   "truncate": [NAME, ...],   over UDP: an empty answer with TC set, so the client must ask over TCP
   "servfail": [NAME, ...],   SERVFAIL
   "refused":  [NAME, ...],   REFUSED
   "drop":     [NAME, ...],   never answered, over UDP or TCP (a timeout)
   "malformed": [NAME, ...],  an answer with the right id and question that claims 3 answer
                              records and holds none (cut short: a decoder must say where)
   "spoof":    [NAME, ...]}   over UDP, before the real answer: one with another id and one for
                              another question, each with the TXT record "spoofed" (a client must
                              ignore both)
A name not in `records` is NXDOMAIN; a listed name without the asked type is NODATA (an SOA in the
authority section, as a real server sends). CNAMEs are followed inside the zone.

Debian's python3-dnspython builds and reads the messages: run it with /usr/bin/python3.
"""
import argparse
import ipaddress
import json
import os
import signal
import socket
import struct
import sys
import threading

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.TXT
import dns.rrset

TTL = 300


def lower(name):
    return name.lower().rstrip('.')


class Zone:
    def __init__(self, doc):
        self.records = {lower(k): v for k, v in doc.get('records', {}).items()}
        self.truncate = {lower(n) for n in doc.get('truncate', [])}
        self.servfail = {lower(n) for n in doc.get('servfail', [])}
        self.refused = {lower(n) for n in doc.get('refused', [])}
        self.drop = {lower(n) for n in doc.get('drop', [])}
        self.malformed = {lower(n) for n in doc.get('malformed', [])}
        self.spoof = {lower(n) for n in doc.get('spoof', [])}


def rdata_of(rtype, data):
    """One rdata of the zone map's entry."""
    if rtype == 'TXT':
        strings = data if isinstance(data, list) else [data]
        return dns.rdtypes.ANY.TXT.TXT(dns.rdataclass.IN, dns.rdatatype.TXT,
                                       [s.encode('utf-8') for s in strings])
    if rtype == 'MX':
        text = f'{int(data[0])} {data[1].rstrip(".")}.'
    elif rtype in ('CNAME', 'PTR', 'NS'):
        text = data.rstrip('.') + '.'
    else:
        text = str(data)
    return dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.from_text(rtype), text)


def soa_rrset(qname):
    labels = lower(qname).split('.')
    apex = '.'.join(labels[-2:]) if len(labels) >= 2 else lower(qname)
    rr = dns.rrset.RRset(dns.name.from_text(apex + '.'), dns.rdataclass.IN, dns.rdatatype.SOA)
    rr.add(dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.SOA,
                               f'ns.{apex}. hostmaster.{apex}. 1 3600 600 86400 60'), TTL)
    return rr


def answer(zone, wire, transport):
    """The response bytes to the query `wire`, or None to stay silent."""
    try:
        query = dns.message.from_wire(wire)
    except Exception:  # noqa: BLE001 - anything unreadable: FORMERR is not worth it here
        return None
    if len(query.question) != 1:
        return None
    question = query.question[0]
    qname = lower(question.name.to_text())
    qtype = dns.rdatatype.to_text(question.rdtype)
    if log_file:
        log_file.write(f'{transport} {qname} {qtype}\n')
        log_file.flush()
    response = dns.message.make_response(query)
    response.flags |= dns.flags.AA
    if qname in zone.drop:
        return None
    if qname in zone.servfail:
        response.set_rcode(dns.rcode.SERVFAIL)
        return response.to_wire()
    if qname in zone.refused:
        response.set_rcode(dns.rcode.REFUSED)
        return response.to_wire()
    if qname in zone.malformed:
        wire = bytearray(response.to_wire())
        wire[6:8] = struct.pack('!H', 3)  # ANCOUNT 3, and no record follows
        return bytes(wire)
    if transport == 'udp' and qname in zone.truncate:
        response.flags |= dns.flags.TC
        return response.to_wire()
    owner = qname
    for _ in range(9):
        entries = zone.records.get(owner)
        if entries is None:
            if owner == qname:
                response.set_rcode(dns.rcode.NXDOMAIN)
            response.authority.append(soa_rrset(owner))
            return response.to_wire()
        cname = next((e for e in entries if e['type'] == 'CNAME'), None)
        if cname is not None and qtype != 'CNAME':
            rr = dns.rrset.RRset(dns.name.from_text(owner + '.'), dns.rdataclass.IN,
                                 dns.rdatatype.CNAME)
            rr.add(rdata_of('CNAME', cname['data']), TTL)
            response.answer.append(rr)
            owner = lower(cname['data'])
            continue
        matching = [e for e in entries if e['type'] == qtype]
        if not matching:
            response.authority.append(soa_rrset(owner))
            return response.to_wire()
        rr = dns.rrset.RRset(dns.name.from_text(owner + '.'), dns.rdataclass.IN,
                             dns.rdatatype.from_text(qtype))
        for e in matching:
            rr.add(rdata_of(qtype, e['data']), TTL)
        response.answer.append(rr)
        return response.to_wire()
    response.set_rcode(dns.rcode.SERVFAIL)  # a CNAME chain longer than 8
    return response.to_wire()


def spoofed(wire):
    """Two answers to the query `wire` that are not its answer: another id, another question."""
    query = dns.message.from_wire(wire)
    out = []
    for other_id, name in ((query.id ^ 0x5a5a, query.question[0].name),
                           (query.id, dns.name.from_text('spoofed.example.'))):
        fake = dns.message.make_query(name, query.question[0].rdtype)
        fake.id = other_id
        response = dns.message.make_response(fake)
        rr = dns.rrset.RRset(name, dns.rdataclass.IN, query.question[0].rdtype)
        if query.question[0].rdtype == dns.rdatatype.TXT:
            rr.add(rdata_of('TXT', ['spoofed']), TTL)
            response.answer.append(rr)
        out.append(response.to_wire())
    return out


def serve_udp(sock, zone, delay):
    while True:
        wire, peer = sock.recvfrom(65535)
        reply = answer(zone, wire, 'udp')
        if reply is None:
            continue
        try:
            asked = lower(dns.message.from_wire(wire).question[0].name.to_text())
        except Exception:  # noqa: BLE001 - answer() read it already
            asked = ''
        if asked in zone.spoof:
            for fake in spoofed(wire):
                sock.sendto(fake, peer)
        if delay:
            # Each answer after its own delay, as a distant resolver would: queries sent together
            # are answered together.
            threading.Timer(delay, sock.sendto, args=(reply, peer)).start()
        else:
            sock.sendto(reply, peer)


def recv_exactly(conn, n):
    data = b''
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def serve_tcp_connection(conn, zone):
    with conn:
        conn.settimeout(10)
        try:
            while True:
                prefix = recv_exactly(conn, 2)
                if prefix is None:
                    return
                wire = recv_exactly(conn, struct.unpack('!H', prefix)[0])
                if wire is None:
                    return
                reply = answer(zone, wire, 'tcp')
                if reply is None:
                    continue  # silent: the client times out
                conn.sendall(struct.pack('!H', len(reply)) + reply)
        except OSError:
            return


def serve_tcp(sock, zone):
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=serve_tcp_connection, args=(conn, zone), daemon=True).start()


def bind_pair(address, port):
    """A UDP and a TCP socket on the same port of a loopback address."""
    family = socket.AF_INET6 if ':' in address else socket.AF_INET
    for _ in range(50):
        udp = socket.socket(family, socket.SOCK_DGRAM)
        udp.bind((address, port))
        chosen = udp.getsockname()[1]
        tcp = socket.socket(family, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            tcp.bind((address, chosen))
        except OSError:
            udp.close()
            tcp.close()
            if port:
                raise
            continue
        tcp.listen(16)
        return udp, tcp, chosen
    raise OSError('no free port for UDP and TCP together')


log_file = None


def main():
    global log_file
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--zone', required=True)
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--address', action='append',
                        help='loopback address to listen on (127.0.0.1 unless given; may repeat)')
    parser.add_argument('--log')
    parser.add_argument('--delay', type=float, default=0.0,
                        help='seconds to wait before each UDP answer (a distant resolver)')
    args = parser.parse_args()
    addresses = args.address or ['127.0.0.1']
    for a in addresses:
        if not ipaddress.ip_address(a).is_loopback:
            sys.exit(f'server.py: {a} is not a loopback address')
    with open(args.zone, encoding='utf-8') as f:
        zone = Zone(json.load(f))
    if args.log:
        log_file = open(args.log, 'a', encoding='utf-8')  # noqa: SIM115 - lives as long as the server
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    port = args.port
    threads = []
    for a in addresses:
        udp, tcp, port = bind_pair(a, port)
        threads.append(threading.Thread(target=serve_udp, args=(udp, zone, args.delay), daemon=True))
        threads.append(threading.Thread(target=serve_tcp, args=(tcp, zone), daemon=True))
    for t in threads:
        t.start()
    print(f'port {port}', flush=True)
    # Stop when the test that started us goes away, even without a SIGTERM.
    parent = os.getppid()
    while True:
        threading.Event().wait(1)
        if os.getppid() != parent:
            os._exit(0)


if __name__ == '__main__':
    main()
