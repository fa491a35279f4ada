// The CLI's DNS transport, without the network: the --server syntax, resolv.conf, the check that
// a datagram answers the query, and base64 for the façade's byte fields.
#include <catch2/catch.hpp>

#include "dns_client.hpp"

using namespace relaycheck::cli::dns;

namespace {

/// A query for `name` with one question of `type`, as core encodes it (without EDNS here).
Bytes query(const std::string& name, std::uint16_t type, std::uint16_t id) {
  Bytes b{static_cast<std::uint8_t>(id >> 8),
          static_cast<std::uint8_t>(id & 0xFF),
          0x01,
          0x00,
          0,
          1,
          0,
          0,
          0,
          0,
          0,
          0};
  std::size_t start = 0;
  while (start < name.size()) {
    std::size_t end = name.find('.', start);
    if (end == std::string::npos) end = name.size();
    b.push_back(static_cast<std::uint8_t>(end - start));
    for (std::size_t i = start; i < end; ++i) b.push_back(static_cast<std::uint8_t>(name[i]));
    start = end + 1;
  }
  b.push_back(0);
  b.push_back(static_cast<std::uint8_t>(type >> 8));
  b.push_back(static_cast<std::uint8_t>(type & 0xFF));
  b.push_back(0);
  b.push_back(1);
  return b;
}

/// The response header over `q`: QR set, and `flags3` as the fourth byte (RA, RCODE).
Bytes response_to(Bytes q, std::uint8_t flags3 = 0x80) {
  q[2] = static_cast<std::uint8_t>(q[2] | 0x80);
  q[3] = flags3;
  return q;
}

}  // namespace

TEST_CASE("a server is an IPv4 address with port 53 unless a port follows", "[cli][dns]") {
  auto plain = parse_server("192.0.2.53");
  REQUIRE(plain.server);
  CHECK(plain.server->address == "192.0.2.53");
  CHECK(plain.server->port == 53);
  CHECK_FALSE(plain.server->ipv6);
  CHECK(plain.server->display() == "192.0.2.53");

  auto ported = parse_server("127.0.0.1:5353");
  REQUIRE(ported.server);
  CHECK(ported.server->port == 5353);
  CHECK(ported.server->display() == "127.0.0.1:5353");
}

TEST_CASE("an IPv6 server is bare or bracketed, and takes a port only in brackets", "[cli][dns]") {
  auto bare = parse_server("2001:db8::53");
  REQUIRE(bare.server);
  CHECK(bare.server->ipv6);
  CHECK(bare.server->port == 53);

  auto bracketed = parse_server("[::1]");
  REQUIRE(bracketed.server);
  CHECK(bracketed.server->address == "::1");
  CHECK(bracketed.server->port == 53);

  auto ported = parse_server("[::1]:5353");
  REQUIRE(ported.server);
  CHECK(ported.server->port == 5353);
  CHECK(ported.server->display() == "[::1]:5353");
}

TEST_CASE("a server that is not an address and a port is refused with the reason", "[cli][dns]") {
  for (const char* text :
       {"", "dns.example", "192.0.2.300", "192.0.2.53:", "192.0.2.53:0", "192.0.2.53:65536",
        "192.0.2.53:053", "192.0.2.53:+53", "[::1", "[::1]53", "[::1]:x", "[192.0.2.53]:53",
        "::1]:53", "1.2.3.4%eth0", "[fe80::1%no-such-interface-here]"}) {
    INFO(text);
    const auto parsed = parse_server(text);
    CHECK_FALSE(parsed.server);
    CHECK_FALSE(parsed.error.empty());
  }
  CHECK(parse_server("dns.example").error.find("not a name") != std::string::npos);
}

TEST_CASE("a server with a NUL or a byte after the address is refused, not read up to it",
          "[cli][dns]") {
  using namespace std::string_literals;
  for (const std::string& text : {"127.0.0.1\0garbage"s, "127.0.0.1 "s, "::1\0"s, "[::1\0]:53"s,
                                  "fe80::1%l\0o"s, "fe80::1%l o"s}) {
    INFO(text);
    CHECK_FALSE(parse_server(text).server);
  }
  const auto conf = parse_resolv_conf("nameserver 127.0.0.1\0\x96:x\nnameserver 192.0.2.1\n"s);
  REQUIRE(conf.servers.size() == 1);
  CHECK(conf.servers[0].address == "192.0.2.1");
  CHECK(conf.warnings.size() == 1);
}

TEST_CASE("a link-local IPv6 server keeps its interface", "[cli][dns]") {
  const auto parsed = parse_server("[fe80::1%lo]:53");
  REQUIRE(parsed.server);
  CHECK(parsed.server->scope != 0);
  CHECK(parsed.server->zone == "lo");
  CHECK(parsed.server->display() == "fe80::1%lo");
}

TEST_CASE("resolv.conf gives its nameservers in order and skips everything else", "[cli][dns]") {
  const auto conf = parse_resolv_conf(
      "# written by a DHCP client\n"
      "; another comment\n"
      "search example.com\n"
      "domain example.com\n"
      "options ndots:2 timeout:1\n"
      "nameserver 192.0.2.1\n"
      "\tnameserver   2001:db8::1   # the second\r\n"
      "nameserver 127.0.0.53\n");
  REQUIRE(conf.servers.size() == 3);
  CHECK(conf.servers[0].address == "192.0.2.1");
  CHECK(conf.servers[1].address == "2001:db8::1");
  CHECK(conf.servers[1].ipv6);
  CHECK(conf.servers[2].address == "127.0.0.53");
  for (const auto& s : conf.servers) CHECK(s.port == 53);
  CHECK(conf.warnings.empty());
}

TEST_CASE("resolv.conf's bad nameserver lines are warnings naming the line", "[cli][dns]") {
  const auto conf = parse_resolv_conf(
      "nameserver\n"
      "nameserver ns.example.com\n"
      "nameserver 127.0.0.1:5353\n"
      "nameserver 192.0.2.1\n");
  REQUIRE(conf.servers.size() == 1);
  CHECK(conf.servers[0].address == "192.0.2.1");
  REQUIRE(conf.warnings.size() == 3);
  CHECK(conf.warnings[0].rfind("line 1: ", 0) == 0);
  CHECK(conf.warnings[1].rfind("line 2: 'ns.example.com'", 0) == 0);
  CHECK(conf.warnings[2].rfind("line 3: ", 0) == 0);
}

TEST_CASE("resolv.conf is read to its first three nameservers, as the C library does",
          "[cli][dns]") {
  const auto conf = parse_resolv_conf(
      "nameserver 192.0.2.1\nnameserver 192.0.2.2\nnameserver 192.0.2.3\nnameserver 192.0.2.4\n");
  REQUIRE(conf.servers.size() == 3);
  CHECK(conf.servers[2].address == "192.0.2.3");
  REQUIRE(conf.warnings.size() == 1);
  CHECK(conf.warnings[0].find("line 4") == 0);
}

TEST_CASE("resolv.conf without nameserver lines lists none", "[cli][dns]") {
  CHECK(parse_resolv_conf("").servers.empty());
  CHECK(parse_resolv_conf("search example.com\n# nameserver 192.0.2.1\n").servers.empty());
  CHECK(parse_resolv_conf("nameservers 192.0.2.1\n").servers.empty());
}

TEST_CASE("a response answers its query when id, QR and question match", "[cli][dns]") {
  const Bytes q = query("zylker.com", 16, 0x1234);
  CHECK(answers(q, response_to(q)));

  Bytes other_case = response_to(q);
  other_case[13] = 'Z';  // "Zylker": names compare without regard to case
  CHECK(answers(q, other_case));
}

TEST_CASE("a datagram with another id, no QR, or another question is not the answer",
          "[cli][dns]") {
  const Bytes q = query("zylker.com", 16, 0x1234);
  CHECK_FALSE(answers(q, response_to(query("zylker.com", 16, 0x1235))));
  CHECK_FALSE(answers(q, q));                                             // QR clear
  CHECK_FALSE(answers(q, response_to(query("zylker.net", 16, 0x1234))));  // another name
  CHECK_FALSE(answers(q, response_to(query("zylker.com", 1, 0x1234))));   // another type
  CHECK_FALSE(answers(q, Bytes(q.begin(), q.begin() + 11)));              // no whole header
  Bytes cut = response_to(q);
  cut.resize(cut.size() - 2);  // the question's class cut off
  CHECK_FALSE(answers(q, cut));
}

TEST_CASE("an error response without a question still answers, a NOERROR one does not",
          "[cli][dns]") {
  const Bytes q = query("zylker.com", 16, 7);
  Bytes bare(q.begin(), q.begin() + 12);
  bare[2] = static_cast<std::uint8_t>(bare[2] | 0x80);
  bare[5] = 0;     // QDCOUNT 0
  bare[3] = 0x82;  // SERVFAIL
  CHECK(answers(q, bare));
  bare[3] = 0x80;  // NOERROR
  CHECK_FALSE(answers(q, bare));
}

TEST_CASE("the TC bit is read from the header", "[cli][dns]") {
  Bytes r = response_to(query("zylker.com", 16, 1));
  CHECK_FALSE(truncated(r));
  r[2] = static_cast<std::uint8_t>(r[2] | 0x02);
  CHECK(truncated(r));
  CHECK_FALSE(truncated(Bytes{1, 2, 3}));
}

TEST_CASE("base64 round-trips every length and reads the URL-safe alphabet", "[cli][dns]") {
  Bytes bytes;
  for (int n = 0; n < 40; ++n) {
    const auto decoded = base64_decode(base64_encode(bytes));
    REQUIRE(decoded);
    CHECK(*decoded == bytes);
    bytes.push_back(static_cast<std::uint8_t>(n * 37 + 251));
  }
  CHECK(base64_encode(Bytes{'f', 'o', 'o', 'b'}) == "Zm9vYg==");
  CHECK(*base64_decode("Zm9vYg") == Bytes{'f', 'o', 'o', 'b'});
  CHECK(*base64_decode("-_8") == *base64_decode("+/8="));
  CHECK_FALSE(base64_decode("Zm9v!"));
  CHECK_FALSE(base64_decode("Z"));
}
