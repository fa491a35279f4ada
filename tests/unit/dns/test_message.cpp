// The DNS wire codec (core/src/dns/message.hpp): queries, responses, compression, hostile bytes,
// and the zone form of an answer.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "dns/message.hpp"

namespace dns = relaycheck::dns;
namespace ip = relaycheck::ip;
using dns::Bytes;
using nlohmann::json;

namespace {

dns::Record txt(const std::string& name, std::vector<std::string> strings) {
  dns::Record r;
  r.name = name;
  r.type = dns::type::TXT;
  r.ttl = 300;
  r.txt = std::move(strings);
  return r;
}

dns::Record cname(const std::string& name, const std::string& target) {
  dns::Record r;
  r.name = name;
  r.type = dns::type::CNAME;
  r.target = target;
  return r;
}

dns::Record a(const std::string& name, const std::string& address) {
  dns::Record r;
  r.name = name;
  r.type = dns::type::A;
  r.address = *ip::parse_address(address).value;
  return r;
}

dns::Message response(const std::string& name, std::uint16_t t, std::uint16_t code,
                      std::vector<dns::Record> answers = {}) {
  dns::Message m;
  m.id = 0x1234;
  m.response = true;
  m.recursion_desired = true;
  m.recursion_available = true;
  m.rcode = code;
  m.questions.push_back({name, t, 1});
  m.answers = std::move(answers);
  return m;
}

Bytes encode(const dns::Message& m) {
  auto bytes = dns::encode_message(m);
  REQUIRE(bytes);
  return *bytes.value;
}

dns::Message roundtrip(const dns::Message& m) {
  auto decoded = dns::decode_response(encode(m));
  REQUIRE(decoded);
  return *decoded.value;
}

json zone_of(const dns::Message& m, const std::string& name, std::uint16_t t) {
  auto decoded = roundtrip(m);
  auto zone = dns::to_zone_entries({name, t, 1}, decoded);
  INFO(zone.error);
  REQUIRE(zone);
  return *zone.value;
}

Bytes header(std::uint16_t qd, std::uint16_t an, std::uint16_t flags = 0x8180) {
  return Bytes{0x12,
               0x34,
               static_cast<std::uint8_t>(flags >> 8),
               static_cast<std::uint8_t>(flags & 0xff),
               0,
               static_cast<std::uint8_t>(qd),
               0,
               static_cast<std::uint8_t>(an),
               0,
               0,
               0,
               0};
}

}  // namespace

TEST_CASE("A query is a header with RD, one question and one OPT record", "[dns]") {
  auto query = dns::encode_query("example.com", dns::type::TXT, 0xbeef);
  REQUIRE(query);
  const Bytes expected{
      0xbe, 0xef, 0x01, 0x00, 0,   1,   0,    0,    0, 0,   0,   1,  // header
      7,    'e',  'x',  'a',  'm', 'p', 'l',  'e',  3, 'c', 'o', 'm', 0, 0,
      16,   0,    1,    0,    0,   41,  0x04, 0xd0, 0, 0,   0,   0,   0, 0};  // OPT, payload 1232
  CHECK(*query.value == expected);
  auto decoded = dns::decode_response(*query.value);
  REQUIRE(decoded);
  CHECK_FALSE(decoded.value->response);
  CHECK(decoded.value->recursion_desired);
  CHECK(decoded.value->questions.at(0).name == "example.com");
  CHECK(decoded.value->udp_payload == std::optional<std::uint16_t>(1232));
}

TEST_CASE("A query name may end with a dot and the root is an empty name", "[dns]") {
  auto dotted = dns::encode_query("example.com.", dns::type::A, 1);
  auto plain = dns::encode_query("example.com", dns::type::A, 1);
  REQUIRE(dotted);
  CHECK(*dotted.value == *plain.value);
  auto root = dns::encode_query(".", dns::type::NS, 1);
  REQUIRE(root);
  CHECK(root.value->size() == 12 + 1 + 4 + 11);
}

TEST_CASE("Names that cannot be encoded are refused with a reason", "[dns]") {
  CHECK(dns::encode_query("a..b", dns::type::A, 1).error == "the name has an empty label");
  CHECK(dns::encode_query(".a", dns::type::A, 1).error == "the name has an empty label");
  const std::string label64(64, 'x');
  CHECK_THAT(dns::encode_query(label64 + ".com", dns::type::A, 1).error,
             Catch::Contains("is 64 octets long; a label has at most 63"));
  CHECK(dns::encode_query(std::string(63, 'x') + ".com", dns::type::A, 1));
  std::string long_name;
  for (int i = 0; i < 5; ++i) long_name += std::string(60, 'a') + ".";
  CHECK_THAT(dns::encode_query(long_name, dns::type::A, 1).error, Catch::Contains("at most 255"));
  CHECK_THAT(dns::encode_query("b\xc3\xbc"
                               "cher.example",
                               dns::type::A, 1)
                 .error,
             Catch::Contains("A-labels"));
  CHECK_THAT(dns::encode_query("a b.example", dns::type::A, 1).error, Catch::Contains("byte 32"));
  CHECK_THAT(dns::encode_query("example.com", dns::type::A, 1, 511).error,
             Catch::Contains("under 512"));
}

TEST_CASE("The RFC 8484 GET parameter is base64url without padding of an id-0 query", "[dns]") {
  auto parameter = dns::doh_get_parameter("www.example.com", dns::type::A);
  REQUIRE(parameter);
  // RFC 8484 §4.1.1's example query, with our OPT record appended.
  CHECK(parameter.value->rfind("AAABAAABAAAAAAAB", 0) == 0);
  CHECK(parameter.value->find('=') == std::string::npos);
  CHECK(dns::base64url_encode({0xfb, 0xff}) == "-_8");
  CHECK(dns::base64_encode({0xfb, 0xff}) == "+/8=");
}

TEST_CASE("Base64 decodes what it encodes and names the offset of a bad character", "[dns]") {
  const Bytes bytes{0, 1, 2, 250, 251, 252, 253};
  auto decoded = dns::base64_decode(dns::base64_encode(bytes));
  REQUIRE(decoded);
  CHECK(*decoded.value == bytes);
  CHECK(dns::base64_decode("ab!d").offset == 2);
  CHECK_FALSE(dns::base64_decode("abc"));
  CHECK_FALSE(dns::base64_decode("a=bc"));
}

TEST_CASE("A response round-trips with TXT of several strings, A, AAAA, MX, PTR and SOA", "[dns]") {
  dns::Message m = response("example.com", dns::type::TXT, dns::rcode::NOERROR,
                            {txt("example.com", {"v=spf1 include:_spf.example.net ", "~all"})});
  dns::Record mx;
  mx.name = "example.com";
  mx.type = dns::type::MX;
  mx.preference = 10;
  mx.target = "mail.example.com";
  m.answers.push_back(mx);
  m.answers.push_back(a("mail.example.com", "192.0.2.1"));
  dns::Record aaaa;
  aaaa.name = "mail.example.com";
  aaaa.type = dns::type::AAAA;
  aaaa.address = *ip::parse_address("2001:db8::1").value;
  m.answers.push_back(aaaa);
  dns::Record ptr;
  ptr.name = "1.2.0.192.in-addr.arpa";
  ptr.type = dns::type::PTR;
  ptr.target = "mail.example.com";
  m.answers.push_back(ptr);
  dns::Record soa;
  soa.name = "example.com";
  soa.type = dns::type::SOA;
  soa.soa =
      dns::Soa{"ns.example.com", "hostmaster.example.com", 2026120201, 7200, 3600, 1209600, 300};
  m.authority.push_back(soa);
  const Bytes bytes = encode(m);
  const dns::Message back = roundtrip(m);
  CHECK(back.id == 0x1234);
  CHECK(back.response);
  REQUIRE(back.answers.size() == 5);
  CHECK(back.answers[0].txt ==
        std::vector<std::string>{"v=spf1 include:_spf.example.net ", "~all"});
  CHECK(back.answers[1].preference == 10);
  CHECK(back.answers[1].target == "mail.example.com");
  CHECK(ip::to_string(*back.answers[2].address) == "192.0.2.1");
  CHECK(ip::to_string(*back.answers[3].address) == "2001:db8::1");
  CHECK(back.answers[4].target == "mail.example.com");
  REQUIRE(back.authority.size() == 1);
  CHECK(back.authority[0].soa->serial == 2026120201);
  CHECK(back.authority[0].soa->rname == "hostmaster.example.com");
  // Compression: the first answer's owner is a pointer to the question's name at offset 12.
  CHECK(bytes.at(29) == 0xc0);
  CHECK(bytes.at(30) == 12);
  CHECK(encode(back) == bytes);
}

TEST_CASE("The compression example of RFC 1035 section 4.1.4 decodes", "[dns]") {
  // F.ISI.ARPA in the question (offset 12), FOO.F.ISI.ARPA as a label and a pointer to it, and
  // ARPA as a pointer alone (to offset 18, the ARPA label inside the first name).
  Bytes m = header(1, 2);
  const Bytes question{1, 'F', 3, 'I', 'S', 'I', 4, 'A', 'R', 'P', 'A', 0, 0, 1, 0, 1};
  m.insert(m.end(), question.begin(), question.end());
  const Bytes foo{3, 'F', 'O', 'O', 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1};
  m.insert(m.end(), foo.begin(), foo.end());
  const Bytes arpa{0xc0, 18, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 2};
  m.insert(m.end(), arpa.begin(), arpa.end());
  auto decoded = dns::decode_response(m);
  INFO(decoded.error);
  REQUIRE(decoded);
  CHECK(decoded.value->questions[0].name == "F.ISI.ARPA");
  CHECK(decoded.value->answers[0].name == "FOO.F.ISI.ARPA");
  CHECK(decoded.value->answers[1].name == "ARPA");
}

TEST_CASE("A compression pointer to itself is a loop, not a hang", "[dns]") {
  Bytes m = header(1, 0);
  m.insert(m.end(), {0xc0, 12, 0, 1, 0, 1});
  auto decoded = dns::decode_response(m);
  CHECK_FALSE(decoded);
  CHECK(decoded.offset == 12);
  CHECK(decoded.error ==
        "at byte 12: compression pointer to 12 points forward (a pointer "
        "points to an earlier name)");
}

TEST_CASE("A name whose pointer leads back into itself is a loop", "[dns]") {
  // At 12: the label "b", then a pointer to 12: b.b.b.b... without end.
  Bytes m = header(1, 0);
  m.insert(m.end(), {1, 'b', 0xc0, 12, 0, 1, 0, 1});
  auto decoded = dns::decode_response(m);
  CHECK_FALSE(decoded);
  CHECK(decoded.error ==
        "at byte 14: compression pointer to 12 does not point before the "
        "previous pointer's target (12): a loop");
}

namespace {
/// `count` questions; question k > 0 is the label "x" and a pointer to question k-1's name, so
/// the last name follows count-1 pointers.
Bytes pointer_chain(int count) {
  Bytes m = header(0, 0);
  m[4] = static_cast<std::uint8_t>(count >> 8);
  m[5] = static_cast<std::uint8_t>(count & 0xff);
  m.insert(m.end(), {1, 'x', 0, 0, 1, 0, 1});
  std::size_t previous = 12;
  for (int k = 1; k < count; ++k) {
    const std::size_t here = m.size();
    m.insert(m.end(), {1, 'x', static_cast<std::uint8_t>(0xc0 | (previous >> 8)),
                       static_cast<std::uint8_t>(previous & 0xff), 0, 1, 0, 1});
    previous = here;
  }
  return m;
}
}  // namespace

TEST_CASE("A name may follow 64 compression pointers and no more", "[dns]") {
  // Names of 65 labels fit in 255 octets only while short: 64 jumps make "x" 65 times.
  auto ok = dns::decode_response(pointer_chain(65));
  INFO(ok.error);
  REQUIRE(ok);
  CHECK(ok.value->questions.back().name.size() == 65 * 2 - 1);
  auto too_many = dns::decode_response(pointer_chain(66));
  CHECK_FALSE(too_many);
  CHECK_THAT(too_many.error, Catch::Contains("more than 64 compression pointers"));
}

TEST_CASE("A compression pointer past the end names both numbers", "[dns]") {
  Bytes m = header(1, 0);
  m.insert(m.end(), {3, 'w', 'w', 'w', 0xc2, 0x00, 0, 1, 0, 1});
  auto decoded = dns::decode_response(m);
  CHECK_FALSE(decoded);
  CHECK(decoded.error ==
        "at byte 16: compression pointer to 512 is past the end of the 22-byte message");
}

TEST_CASE("A pointer into the header is refused", "[dns]") {
  Bytes m = header(1, 0);
  m.insert(m.end(), {0xc0, 4, 0, 1, 0, 1});
  CHECK_THAT(dns::decode_response(m).error, Catch::Contains("into the 12-byte header"));
}

TEST_CASE("Truncated headers and messages name where they end", "[dns]") {
  CHECK(dns::decode_response(Bytes{}).error ==
        "at byte 0: the message is 0 bytes, shorter than the 12-byte header");
  CHECK(dns::decode_response(Bytes{1, 2, 3, 4, 5}).offset == 5);
  Bytes cut = encode(response("example.com", dns::type::TXT, 0, {txt("example.com", {"hi"})}));
  cut.resize(cut.size() - 1);
  auto decoded = dns::decode_response(cut);
  CHECK_FALSE(decoded);
  CHECK_THAT(decoded.error, Catch::Contains("runs past the end"));
}

TEST_CASE("Counts the message cannot hold are refused before reading", "[dns]") {
  Bytes m = header(1, 0);
  m[6] = 0xff;
  m[7] = 0xff;  // 65535 answers in a 12-byte message
  auto decoded = dns::decode_response(m);
  CHECK_FALSE(decoded);
  CHECK(decoded.offset == 4);
  CHECK_THAT(decoded.error, Catch::Contains("65535 records"));
}

TEST_CASE("A message over 65535 bytes is refused", "[dns]") {
  const Bytes big(65536, 0);
  CHECK(dns::decode_response(big).error ==
        "at byte 65535: the message is 65536 bytes; a DNS message has at most 65535");
}

TEST_CASE("Bytes after the last record are an error", "[dns]") {
  Bytes m = encode(response("example.com", dns::type::TXT, 0));
  m.push_back(0);
  CHECK_THAT(dns::decode_response(m).error, Catch::Contains("1 bytes follow the last record"));
}

TEST_CASE("A label longer than the message and a reserved label type are errors", "[dns]") {
  Bytes m = header(1, 0);
  m.insert(m.end(), {64, 'a', 0, 0, 1, 0, 1});
  CHECK_THAT(dns::decode_response(m).error, Catch::Contains("label type 1"));
  Bytes n = header(1, 0);
  n.insert(n.end(), {40, 'a', 0, 0, 1, 0, 1});
  CHECK_THAT(dns::decode_response(n).error, Catch::Contains("a label needs 40 bytes"));
}

TEST_CASE("A TXT string longer than its record is an error at its offset", "[dns]") {
  Bytes m = header(0, 1);
  m.insert(m.end(), {0, 0, 16, 0, 1, 0, 0, 0, 0, 0, 3, 5, 'a', 'b'});
  auto decoded = dns::decode_response(m);
  CHECK_FALSE(decoded);
  CHECK(decoded.offset == 23);
}

TEST_CASE("An A record of the wrong size is an error", "[dns]") {
  Bytes m = header(0, 1);
  m.insert(m.end(), {0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 3, 1, 2, 3});
  CHECK_THAT(dns::decode_response(m).error, Catch::Contains("it must be 4"));
}

TEST_CASE("The OPT record's extended RCODE and payload are read", "[dns]") {
  dns::Message m = response("example.com", dns::type::TXT, 0);
  dns::Record opt;
  opt.type = dns::type::OPT;
  opt.klass = 4096;
  opt.ttl = 1u << 24;  // extended RCODE 1: 16 (BADVERS)
  m.additional.push_back(opt);
  const dns::Message back = roundtrip(m);
  CHECK(back.udp_payload == std::optional<std::uint16_t>(4096));
  CHECK(back.rcode == 16);
  CHECK(dns::rcode_name(back.rcode) == "RCODE16");
  m.additional.push_back(opt);
  CHECK_THAT(dns::decode_response(encode(m)).error, Catch::Contains("a second OPT record"));
}

TEST_CASE("Types have names and names have codes", "[dns]") {
  CHECK(dns::type_name(16) == "TXT");
  CHECK(dns::type_name(65) == "TYPE65");
  CHECK(dns::type_code("aaaa") == std::optional<std::uint16_t>(28));
  CHECK(dns::type_code("TYPE65") == std::optional<std::uint16_t>(65));
  CHECK_FALSE(dns::type_code("TYPE070000"));
  CHECK_FALSE(dns::type_code("BOGUS"));
  CHECK(dns::rcode_name(3) == "NXDOMAIN");
}

TEST_CASE("Unknown types keep their data as bytes", "[dns]") {
  dns::Message m = response("example.com", 257, 0);
  dns::Record caa;
  caa.name = "example.com";
  caa.type = 257;
  caa.rdata = {0, 5, 'i', 's', 's', 'u', 'e'};
  m.answers.push_back(caa);
  CHECK(roundtrip(m).answers.at(0).rdata == caa.rdata);
}

TEST_CASE("Label bytes outside printable ASCII are written as escapes", "[dns]") {
  Bytes m = header(1, 0);
  m.insert(m.end(), {3, 'a', '.', 0xff, 0, 0, 1, 0, 1});
  auto decoded = dns::decode_response(m);
  REQUIRE(decoded);
  CHECK(decoded.value->questions[0].name == "a\\.\\255");
  // The escapes encode back to the same bytes.
  auto query = dns::encode_query(decoded.value->questions[0].name, 1, 0x1234);
  REQUIRE(query);
  CHECK(Bytes(query.value->begin() + 12, query.value->begin() + 17) == Bytes{3, 'a', '.', 0xff, 0});
}

// ---------------------------------------------------------------------------------------------
// Zone entries
// ---------------------------------------------------------------------------------------------

TEST_CASE("TXT records become zone entries with their strings", "[dns]") {
  const json zone = zone_of(response("Example.COM.", dns::type::TXT, 0,
                                     {txt("example.com", {"v=spf1 ", "-all"}),
                                      txt("example.com", {"google-site-verification=x"})}),
                            "example.com", dns::type::TXT);
  CHECK(zone == json::parse(R"({"example.com": [
    {"type": "TXT", "data": ["v=spf1 ", "-all"]},
    {"type": "TXT", "data": ["google-site-verification=x"]}]})"));
}

TEST_CASE("A CNAME chain is recorded at each alias and the records at its end", "[dns]") {
  const json zone =
      zone_of(response("selector1._domainkey.example.com", dns::type::TXT, 0,
                       {cname("selector1._domainkey.example.com", "s1.dkim.example.net"),
                        cname("s1.dkim.example.net", "S1.keys.example.org."),
                        txt("s1.keys.example.org", {"v=DKIM1; p=abc"}),
                        txt("unrelated.example", {"not part of the chain"})}),
              "selector1._domainkey.example.com", dns::type::TXT);
  CHECK(zone == json::parse(R"({
    "selector1._domainkey.example.com": [{"type": "CNAME", "data": "s1.dkim.example.net"}],
    "s1.dkim.example.net": [{"type": "CNAME", "data": "s1.keys.example.org"}],
    "s1.keys.example.org": [{"type": "TXT", "data": ["v=DKIM1; p=abc"]}]})"));
}

TEST_CASE("A CNAME loop inside an answer becomes a temporary error", "[dns]") {
  const json zone =
      zone_of(response("a.example", dns::type::A, 0,
                       {cname("a.example", "b.example"), cname("b.example", "a.example")}),
              "a.example", dns::type::A);
  CHECK(zone["a.example"] == json::parse(R"([{"type": "TIMEOUT", "data": "A"}])"));
}

TEST_CASE("NXDOMAIN is recorded at the end of the chain", "[dns]") {
  CHECK(zone_of(response("_dmarc.example.com", dns::type::TXT, dns::rcode::NXDOMAIN),
                "_dmarc.example.com", dns::type::TXT) ==
        json::parse(R"({"_dmarc.example.com": [{"type": "NXDOMAIN"}]})"));
  CHECK(zone_of(response("www.example.com", dns::type::A, dns::rcode::NXDOMAIN,
                         {cname("www.example.com", "gone.example.net")}),
                "www.example.com", dns::type::A) ==
        json::parse(R"({"www.example.com": [{"type": "CNAME", "data": "gone.example.net"}],
                        "gone.example.net": [{"type": "NXDOMAIN"}]})"));
}

TEST_CASE("NOERROR without a record of the asked type is NODATA", "[dns]") {
  CHECK(zone_of(response("example.com", dns::type::AAAA, 0, {a("example.com", "192.0.2.1")}),
                "example.com", dns::type::AAAA) ==
        json::parse(R"({"example.com": [{"type": "NODATA", "data": "AAAA"}]})"));
}

TEST_CASE("SERVFAIL and REFUSED are temporary errors, not failures", "[dns]") {
  for (std::uint16_t code : {dns::rcode::SERVFAIL, dns::rcode::REFUSED, dns::rcode::NOTIMP}) {
    CHECK(zone_of(response("example.com", dns::type::TXT, code), "example.com", dns::type::TXT) ==
          json::parse(R"({"example.com": [{"type": "TIMEOUT", "data": "TXT"}]})"));
  }
}

TEST_CASE("MX and PTR answers become zone entries", "[dns]") {
  dns::Record mx;
  mx.name = "example.com";
  mx.type = dns::type::MX;
  mx.preference = 5;
  mx.target = "MX.example.com.";
  CHECK(zone_of(response("example.com", dns::type::MX, 0, {mx}), "example.com", dns::type::MX) ==
        json::parse(R"({"example.com": [{"type": "MX", "data": [5, "mx.example.com"]}]})"));
  dns::Record ptr;
  ptr.name = "1.2.0.192.in-addr.arpa";
  ptr.type = dns::type::PTR;
  ptr.target = "out1.relay.example";
  CHECK(zone_of(response("1.2.0.192.in-addr.arpa", dns::type::PTR, 0, {ptr}),
                "1.2.0.192.in-addr.arpa", dns::type::PTR) ==
        json::parse(
            R"({"1.2.0.192.in-addr.arpa": [{"type": "PTR", "data": "out1.relay.example"}]})"));
}

TEST_CASE("A truncated, mismatched or non-response message gives no zone entries", "[dns]") {
  dns::Message m = response("example.com", dns::type::TXT, 0);
  m.truncated = true;
  auto truncated = dns::decode_response(encode(m));
  REQUIRE(truncated);
  CHECK(truncated.value->truncated);
  CHECK_THAT(dns::to_zone_entries({"example.com", dns::type::TXT, 1}, *truncated.value).error,
             Catch::Contains("over TCP"));
  m.truncated = false;
  CHECK_THAT(dns::to_zone_entries({"example.org", dns::type::TXT, 1}, m).error,
             Catch::Contains("does not answer example.org TXT"));
  m.response = false;
  CHECK_THAT(dns::to_zone_entries({"example.com", dns::type::TXT, 1}, m).error,
             Catch::Contains("not a response"));
  dns::Message ns = response("example.com", dns::type::NS, 0);
  CHECK_THAT(dns::to_zone_entries({"example.com", dns::type::NS, 1}, ns).error,
             Catch::Contains("not NS"));
}

TEST_CASE("TXT bytes that are not UTF-8 become U+FFFD in zone entries", "[dns]") {
  const json zone = zone_of(response("example.com", dns::type::TXT, 0,
                                     {txt("example.com", {std::string("a\xff"
                                                                      "b\xc3\xa9")})}),
                            "example.com", dns::type::TXT);
  CHECK(zone["example.com"][0]["data"][0] ==
        "a\xef\xbf\xbd"
        "b\xc3\xa9");
  CHECK_NOTHROW(zone.dump());
}

TEST_CASE("Reverse names of IPv4 and IPv6 addresses", "[dns]") {
  CHECK(dns::reverse_name(*ip::parse_address("192.0.2.1").value) == "1.2.0.192.in-addr.arpa");
  CHECK(dns::reverse_name(*ip::parse_address("2001:db8::567:89ab").value) ==
        "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
}
