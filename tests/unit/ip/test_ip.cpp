#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "ip/ip.hpp"

using namespace relaycheck::ip;

namespace {

/// The canonical text of a prefix, or "error: REASON".
std::string canonical(std::string_view text, HostBits mode = HostBits::reject) {
  auto parsed = parse_prefix(text, mode);
  return parsed ? to_string(*parsed.value) : "error: " + parsed.error;
}

/// The reason `text` is rejected as a prefix; fails the test when it is accepted.
std::string rejection(std::string_view text) {
  auto parsed = parse_prefix(text);
  INFO("input: " << std::string(text));
  CHECK_FALSE(parsed);
  CHECK_FALSE(parsed.error.empty());
  return parsed.error;
}

bool mentions(const std::string& reason, const std::string& word) {
  return reason.find(word) != std::string::npos;
}

}  // namespace

TEST_CASE("IPv4 addresses and prefixes print as dotted quads with a length", "[ip]") {
  CHECK(canonical("1.2.3.4") == "1.2.3.4/32");
  CHECK(canonical("0.0.0.0/0") == "0.0.0.0/0");
  CHECK(canonical("255.255.255.255") == "255.255.255.255/32");
  CHECK(canonical("10.0.0.0/8") == "10.0.0.0/8");
  CHECK(canonical("192.168.1.0/24") == "192.168.1.0/24");
  CHECK(canonical("0.0.0.0") == "0.0.0.0/32");
  CHECK(canonical("204.141.42.0/23") == "204.141.42.0/23");
}

TEST_CASE("IPv6 prints in the RFC 5952 canonical form", "[ip]") {
  // §4.1 leading zeros dropped, §4.3 lowercase.
  CHECK(canonical("2001:0DB8:0000:0000:0000:0000:0000:0001") == "2001:db8::1/128");
  // §4.2.1 the longest run of zero groups is compressed.
  CHECK(canonical("2001:db8:0:0:1:0:0:0") == "2001:db8:0:0:1::/128");
  // §4.2.2 a single zero group is not compressed.
  CHECK(canonical("2001:db8:0:1:1:1:1:1") == "2001:db8:0:1:1:1:1:1/128");
  CHECK(canonical("2001:db8::1:1:1:1:1") == "2001:db8:0:1:1:1:1:1/128");
  // §4.2.3 on a tie, the first run is compressed.
  CHECK(canonical("2001:db8:0:0:1:0:0:1") == "2001:db8::1:0:0:1/128");
  CHECK(canonical("::") == "::/128");
  CHECK(canonical("::/0") == "::/0");
  CHECK(canonical("::1") == "::1/128");
  CHECK(canonical("1::") == "1::/128");
  CHECK(canonical("1:2:3:4:5:6:7::") == "1:2:3:4:5:6:7:0/128");
  CHECK(canonical("::2:3:4:5:6:7:8") == "0:2:3:4:5:6:7:8/128");
  CHECK(canonical("0:0:1:0:0:0:1:0") == "0:0:1::1:0/128");
  CHECK(canonical("fe80::/10") == "fe80::/10");
  CHECK(canonical("2001:db8::/32") == "2001:db8::/32");
  CHECK(canonical("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") ==
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
}

TEST_CASE("IPv4-mapped IPv6 addresses print in the mixed form and stay IPv6", "[ip]") {
  CHECK(canonical("::ffff:1.2.3.4") == "::ffff:1.2.3.4/128");
  CHECK(canonical("::FFFF:0102:0304") == "::ffff:1.2.3.4/128");
  CHECK(canonical("0:0:0:0:0:ffff:c000:0201") == "::ffff:192.0.2.1/128");
  CHECK(canonical("::ffff:0:0/96") == "::ffff:0.0.0.0/96");
  // Other embedded forms are accepted on input but print as plain IPv6.
  CHECK(canonical("::1.2.3.4") == "::102:304/128");
  CHECK(canonical("64:ff9b::192.0.2.33") == "64:ff9b::c000:221/128");
  auto mapped = parse_address("::ffff:10.1.2.3");
  REQUIRE(mapped);
  CHECK(mapped.value->family == Family::v6);
  CHECK(is_v4_mapped(*mapped.value));
  CHECK(unmap(*mapped.value) == Address::v4(0x0A010203u));
  CHECK(*mapped.value == Address::v6(0, 0xFFFF0A010203ull));
  CHECK_FALSE(is_v4_mapped(Address::v4(1)));
  CHECK(unmap(*parse_address("2001:db8::1").value) == *parse_address("2001:db8::1").value);
}

TEST_CASE("addresses print without a length", "[ip]") {
  CHECK(to_string(*parse_address("192.0.2.1").value) == "192.0.2.1");
  CHECK(to_string(*parse_address("2001:DB8::1").value) == "2001:db8::1");
  CHECK(parse_address("192.0.2.0/24").error == "is a prefix ('/'), not a single address");
}

TEST_CASE("octets out of range, with leading zeros, hex or signs are rejected", "[ip]") {
  CHECK(rejection("256.0.0.1") == "octet '256' is greater than 255");
  CHECK(rejection("1.2.3.1000") == "octet '1000' is greater than 255");
  CHECK(rejection("1.2.3.99999999999999999999") ==
        "octet '99999999999999999999' is greater than 255");
  CHECK(mentions(rejection("010.0.0.1"), "leading zero"));
  CHECK(mentions(rejection("1.2.3.00"), "leading zero"));
  CHECK(mentions(rejection("0x0a.0.0.1"), "hexadecimal"));
  CHECK(mentions(rejection("1.2.3.0XFF"), "hexadecimal"));
  CHECK(mentions(rejection("1.2.3.ff"), "not a decimal number"));
  CHECK(mentions(rejection("-1.2.3.4"), "sign"));
  CHECK(mentions(rejection("1.+2.3.4"), "sign"));
  CHECK(mentions(rejection("1.2.3.4e0"), "not a decimal number"));
}

TEST_CASE("missing, extra and empty octets are rejected", "[ip]") {
  CHECK(rejection("1.2.3") == "has 3 octets; an IPv4 address has 4");
  CHECK(rejection("1.2.3.4.5") == "has 5 octets; an IPv4 address has 4");
  CHECK(rejection("16909060") == "has 1 octet; an IPv4 address has 4");
  CHECK(rejection("1..3.4") == "has an empty octet ('..')");
  CHECK(rejection(".1.2.3") == "starts with '.'");
  CHECK(rejection("1.2.3.4.") == "ends with '.'");
  CHECK(mentions(rejection("example.com"), "not an IP address"));
  CHECK(mentions(rejection("localhost"), "not an IP address"));
}

TEST_CASE("malformed IPv6 is rejected with the reason", "[ip]") {
  CHECK(rejection("1::2::3") == "has more than one '::'");
  CHECK(rejection("1:::2") == "contains ':::'");
  CHECK(rejection(":1:2:3:4:5:6:7") == "starts with a single ':'");
  CHECK(rejection("1:2:3:4:5:6:7:") == "ends with a single ':'");
  CHECK(rejection("1:2:3:4:5:6:7") == "has 7 groups; an IPv6 address has 8, or fewer with '::'");
  CHECK(rejection("1:2:3:4:5:6:7:8:9") == "has more than 8 groups");
  CHECK(mentions(rejection("1:2:3:4:5:6:7:8::"), "at least one zero group"));
  CHECK(mentions(rejection("::1:2:3:4:5:6:7:8"), "at least one zero group"));
  CHECK(rejection("12345::") == "group '12345' has more than 4 hex digits");
  CHECK(rejection("2001:db8::00001") == "group '00001' has more than 4 hex digits");
  CHECK(rejection("2001:dg8::1") == "group 'dg8' is not hexadecimal");
  CHECK(rejection("2001:-db8::1") == "group '-db8' has a sign");
  CHECK(rejection(":") == "starts with a single ':'");
  CHECK(rejection(":::") == "contains ':::'");
}

TEST_CASE("a bad embedded IPv4 address is rejected", "[ip]") {
  CHECK(rejection("::ffff:1.2.3.256") ==
        "has a bad embedded IPv4 address '1.2.3.256': octet '256' is greater than 255");
  CHECK(mentions(rejection("::ffff:1.2.3"), "has 3 octets"));
  CHECK(mentions(rejection("::ffff:01.2.3.4"), "leading zero"));
  CHECK(rejection("1.2.3.4::") == "has an embedded IPv4 address that is not at the end");
  CHECK(rejection("::1.2.3.4:5") == "has an embedded IPv4 address that is not at the end");
  CHECK(rejection("1:2:3:4:5:6:7:1.2.3.4") == "has more than 8 groups");
  CHECK(mentions(rejection("1:2:3:4:5:6:1.2.3.4::"), "not at the end"));
}

TEST_CASE("zone ids, brackets, spaces and control characters are rejected", "[ip]") {
  CHECK(mentions(rejection("fe80::1%eth0"), "zone id"));
  CHECK(mentions(rejection("fe80::1%25eth0"), "zone id"));
  CHECK(mentions(rejection("[2001:db8::1]"), "brackets"));
  CHECK(mentions(rejection("[2001:db8::]/32"), "brackets"));
  CHECK(rejection(" 1.2.3.4") == "contains a space");
  CHECK(rejection("1.2.3.4 ") == "contains a space");
  CHECK(rejection("1.2.3.4 /24") == "contains a space");
  CHECK(rejection("1.2.3.4/ 24") == "contains a space");
  CHECK(rejection("1.2.3.4\t") == "contains a space");
  CHECK(rejection("1.2.3.4\r") == "contains the control character 0x0D");
  CHECK(rejection(std::string("1.2.3.4\0", 8)) == "contains the control character 0x00");
}

TEST_CASE("non-ASCII digits and bytes are rejected and named", "[ip]") {
  // FULLWIDTH DIGIT ONE, ARABIC-INDIC DIGIT ONE, a no-break space pasted from a web page.
  CHECK(mentions(rejection("\xEF\xBC\x91.2.3.4"), "U+FF11"));
  CHECK(mentions(rejection("1.2.3.\xD9\xA1"), "U+0661"));
  CHECK(mentions(rejection("1.2.3.0/24\xC2\xA0"), "U+00A0"));
  CHECK(mentions(rejection("\xE2\x80\xA2 1.2.3.4"), "U+2022"));
  CHECK(mentions(rejection("1.2.3.4\xFF"), "byte 0xFF"));
  CHECK(mentions(rejection("1.2.3.4\xC3"), "byte 0xC3"));
  CHECK(mentions(rejection("1.2.3.4\xF0\x9F\x98"), "byte 0xF0"));
  CHECK(mentions(rejection("1.2.3.4\xF0\x9F\x98\x80"), "U+1F600"));
}

TEST_CASE("empty input is rejected", "[ip]") {
  CHECK(rejection("") == "is empty");
  CHECK(parse_address("").error == "is empty");
  CHECK(rejection("/24") == "has no address before '/'");
  CHECK(rejection("/") == "has no address before '/'");
}

TEST_CASE("prefix lengths out of range, signed, padded or in mask notation are rejected", "[ip]") {
  CHECK(rejection("10.0.0.0/33") == "prefix length 33 is greater than 32, the longest for IPv4");
  CHECK(rejection("::/129") == "prefix length 129 is greater than 128, the longest for IPv6");
  CHECK(mentions(rejection("10.0.0.0/99999999999999999999"), "greater than 32"));
  CHECK(rejection("10.0.0.0/") == "has no prefix length after '/'");
  CHECK(rejection("10.0.0.0/+8") == "prefix length '+8' has a sign");
  CHECK(rejection("10.0.0.0/-8") == "prefix length '-8' has a sign");
  CHECK(rejection("10.0.0.0/08") == "prefix length '08' has a leading zero");
  CHECK(rejection("0.0.0.0/00") == "prefix length '00' has a leading zero");
  CHECK(rejection("10.0.0.0/8a") == "prefix length '8a' is not a decimal number");
  CHECK(rejection("10.0.0.0/0x8") == "prefix length '0x8' is not a decimal number");
  CHECK(rejection("10.0.0.0/8/8") == "has more than one '/'");
  CHECK(rejection("10.0.0.0/255.0.0.0") ==
        "netmask notation '/255.0.0.0' is not allowed; write /8");
  CHECK(rejection("10.1.0.0/255.255.0.0") ==
        "netmask notation '/255.255.0.0' is not allowed; write /16");
  CHECK(rejection("10.1.0.0/0.0.255.255") ==
        "hostmask notation '/0.0.255.255' is not allowed; write /16");
  CHECK(mentions(rejection("10.0.0.0/255.0.255.0"), "netmask notation is not allowed"));
  CHECK(mentions(rejection("2001:db8::/ffff:ffff::"), "write /32"));
  CHECK(mentions(rejection("10.0.0.0/ffff::"), "not a number"));
}

TEST_CASE("host bits are an error that names the network, unless masked", "[ip]") {
  CHECK(rejection("10.0.0.1/24") ==
        "has host bits set after the first 24 bits: the network is 10.0.0.0/24");
  CHECK(mentions(rejection("2001:db8::1/32"), "the network is 2001:db8::/32"));
  CHECK(mentions(rejection("1.2.3.4/0"), "the network is 0.0.0.0/0"));
  CHECK(canonical("10.0.0.1/24", HostBits::mask) == "10.0.0.0/24");
  CHECK(canonical("10.255.255.255/9", HostBits::mask) == "10.128.0.0/9");
  CHECK(canonical("2001:db8:ffff::1/33", HostBits::mask) == "2001:db8:8000::/33");
  CHECK(canonical("::ffff:1.2.3.4/120", HostBits::mask) == "::ffff:1.2.3.0/120");
  CHECK(canonical("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/65", HostBits::mask) ==
        "ffff:ffff:ffff:ffff:8000::/65");
  // Lenient mode masks host bits and nothing else.
  CHECK(canonical("010.0.0.1/24", HostBits::mask).rfind("error:", 0) == 0);
  CHECK(canonical("10.0.0.1/33", HostBits::mask).rfind("error:", 0) == 0);
}

TEST_CASE("a bare prefix length parses strictly for SPF's cidr suffixes", "[ip]") {
  CHECK(parse_length("24", Family::v4).value == 24u);
  CHECK(parse_length("0", Family::v4).value == 0u);
  CHECK(parse_length("128", Family::v6).value == 128u);
  CHECK_FALSE(parse_length("33", Family::v4));
  CHECK_FALSE(parse_length("024", Family::v4));
  CHECK_FALSE(parse_length("", Family::v6));
  CHECK_FALSE(parse_length(" 24", Family::v4));
  CHECK_FALSE(parse_length("+24", Family::v4));
}

TEST_CASE("make_prefix masks host bits and checks the length", "[ip]") {
  const Address a = *parse_address("192.0.2.77").value;
  CHECK(to_string(*make_prefix(a, 24)) == "192.0.2.0/24");
  CHECK(to_string(*make_prefix(a, 0)) == "0.0.0.0/0");
  CHECK(to_string(*make_prefix(a, 32)) == "192.0.2.77/32");
  CHECK_FALSE(make_prefix(a, 33));
  const Address b = *parse_address("2001:db8:1234:5678:9abc:def0:1234:5678").value;
  CHECK(to_string(*make_prefix(b, 64)) == "2001:db8:1234:5678::/64");
  CHECK(to_string(*make_prefix(b, 1)) == "::/1");
  CHECK(to_string(*make_prefix(b, 127)) == "2001:db8:1234:5678:9abc:def0:1234:5678/127");
  CHECK_FALSE(make_prefix(b, 129));
}

TEST_CASE("containment respects the family and the length", "[ip]") {
  const Prefix net = *parse_prefix("10.0.0.0/8").value;
  CHECK(contains(net, *parse_address("10.255.255.255").value));
  CHECK_FALSE(contains(net, *parse_address("11.0.0.0").value));
  CHECK_FALSE(contains(net, *parse_address("::ffff:10.0.0.1").value));
  CHECK(contains(*parse_prefix("0.0.0.0/0").value, *parse_address("255.255.255.255").value));
  CHECK_FALSE(contains(*parse_prefix("0.0.0.0/0").value, *parse_address("::").value));
  CHECK(contains(*parse_prefix("::/0").value, *parse_address("ffff::").value));
  CHECK(contains(net, *parse_prefix("10.1.0.0/16").value));
  CHECK(contains(net, net));
  CHECK_FALSE(contains(*parse_prefix("10.1.0.0/16").value, net));
  CHECK(contains(*parse_prefix("2001:db8::/32").value, *parse_prefix("2001:db8:ffff::/48").value));
  CHECK(to_string(last_address(net)) == "10.255.255.255");
  CHECK(to_string(last_address(*parse_prefix("2001:db8::/32").value)) ==
        "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
  CHECK(to_string(last_address(*parse_prefix("0.0.0.0/0").value)) == "255.255.255.255");
}

TEST_CASE("prefixes order IPv4 first, then by address, wider first", "[ip]") {
  const Prefix a = *parse_prefix("10.0.0.0/8").value;
  const Prefix b = *parse_prefix("10.0.0.0/16").value;
  const Prefix c = *parse_prefix("::/0").value;
  CHECK(a < b);
  CHECK(b < c);
  CHECK_FALSE(c < a);
  CHECK(a != b);
}

TEST_CASE("hostile input never crashes the parser", "[ip]") {
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text.assign(static_cast<std::size_t>(i % 64), '\0');
    for (std::size_t j = 0; j < text.size(); ++j) {
      static const char kAlphabet[] = "0123456789abcdefABCDEF:./%[]x+- \xC2\xA0";
      text[j] =
          kAlphabet[(static_cast<std::size_t>(i) * 7919u + j * 104729u) % (sizeof kAlphabet - 1)];
    }
    auto parsed = parse_prefix(text, i % 2 ? HostBits::mask : HostBits::reject);
    if (parsed) {
      // Whatever parses prints canonically, and the canonical text reads back the same.
      auto again = parse_prefix(to_string(*parsed.value));
      REQUIRE(again);
      CHECK(*again.value == *parsed.value);
    } else {
      CHECK_FALSE(parsed.error.empty());
    }
  }
  CHECK_FALSE(parse_prefix(std::string(100000, ':')));
  CHECK_FALSE(parse_prefix(std::string(100000, '1')));
  CHECK_FALSE(parse_prefix("1.2.3.4/" + std::string(100000, '9')));
  CHECK_FALSE(parse_prefix(std::string(50000, '.') + "1"));
}

TEST_CASE("every pattern of zero groups prints as RFC 5952 says and reads back", "[ip]") {
  // Canonical text the plain way: groups without leading zeros, the longest run of two or more
  // zero groups compressed (the first on a tie); checked against the fast writer and the fast
  // reader, with groups of 1 to 4 digits.
  const auto reference = [](const unsigned(&groups)[8]) {
    int best = -1;
    int best_length = 1;
    for (int i = 0; i < 8;) {
      int j = i;
      while (j < 8 && groups[j] == 0) ++j;
      if (j - i > best_length) {
        best = i;
        best_length = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    std::string text;
    for (int i = 0; i < 8; ++i) {
      if (i == best) {
        text += "::";
        i += best_length - 1;
        continue;
      }
      if (!text.empty() && text.back() != ':') text += ':';
      char hex[8];
      std::snprintf(hex, sizeof hex, "%x", groups[i]);
      text += hex;
    }
    return text;
  };
  const unsigned values[] = {0x1, 0xab, 0x20f, 0xdb8, 0xffff};
  std::vector<Prefix> all;
  std::string lines;
  for (unsigned zeros = 0; zeros < 256; ++zeros) {
    for (unsigned v = 0; v < 5; ++v) {
      unsigned groups[8];
      std::uint64_t hi = 0;
      std::uint64_t lo = 0;
      for (unsigned i = 0; i < 8; ++i) {
        groups[i] = (zeros >> i & 1u) != 0 ? 0 : values[(v + i) % 5];
        (i < 4 ? hi : lo) = (i < 4 ? hi : lo) << 16 | groups[i];
      }
      const Address address = Address::v6(hi, lo);
      if (is_v4_mapped(address)) continue;
      const std::string text = reference(groups);
      INFO("zeros " << zeros << " values " << v);
      CHECK(to_string(address) == text);
      const auto read = parse_address(text);
      REQUIRE(read);
      CHECK(*read.value == address);
      all.push_back(*make_prefix(address, 128));
      lines += text + "/128\n";
    }
  }
  CHECK(to_text(all) == lines);
}
