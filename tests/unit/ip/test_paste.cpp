// Reading pasted whitelists (core/src/ip/paste.cpp): each form an admin pastes, what is cleaned,
// what is refused and why, the limits.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "ip/paste.hpp"

using namespace relaycheck::ip;

namespace {

std::vector<std::string> entries(std::string_view text, PasteMode mode = PasteMode::prefixes) {
  std::vector<std::string> out;
  for (const auto& p : extract_entries(text, mode).entries) out.push_back(entry_text(p, mode));
  return out;
}

std::size_t cleaned(const Extracted& e, Cleaning kind) {
  return e.kinds[static_cast<std::size_t>(kind)];
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("A plain list, one entry a line, is read as it is, canonically") {
  const Extracted e =
      extract_entries("136.143.176.0/23\n2001:DB8:0::/32\n\n# a comment\n10.0.0.1\n");
  CHECK(e.entries.size() == 3);
  CHECK(entries("136.143.176.0/23\n2001:DB8:0::/32\n10.0.0.1") ==
        Lines{"136.143.176.0/23", "2001:db8::/32", "10.0.0.1/32"});
  CHECK(e.cleaned == 0);
  CHECK(e.lines == 3);
  CHECK(e.unreadable_count == 0);
  CHECK(summary(e, PasteMode::prefixes) == "Read 3 entries from 3 lines.");
}

TEST_CASE("Bullets, numbers and dashes from a help page are removed") {
  const std::string text =
      "• 136.143.176.0/23\n"
      "◦ 136.143.178.0/23\n"
      "– 165.173.128.0/24\n"
      "- 204.141.32.0/23\n"
      "1. 204.141.42.0/23\n"
      "2) 185.230.212.0/22\n"
      "(3) 8.39.54.0/23\n";
  const Extracted e = extract_entries(text);
  CHECK(e.entries.size() == 7);
  CHECK(cleaned(e, Cleaning::marker) == 7);
  CHECK(e.unreadable_count == 0);
}

TEST_CASE("A number that starts an address is not taken for a list number") {
  CHECK(entries("10.0.0.0/8\n1.2.3.4") == Lines{"10.0.0.0/8", "1.2.3.4/32"});
  CHECK(cleaned(extract_entries("10.0.0.0/8"), Cleaning::marker) == 0);
}

TEST_CASE("Commas, semicolons, trailing commas and full stops separate or end entries") {
  const Extracted e =
      extract_entries("136.143.176.0/23, 136.143.178.0/23,\n10.1.0.0/16; 10.2.0.0/16.");
  CHECK(e.entries.size() == 4);
  CHECK(cleaned(e, Cleaning::punctuation) == 1);
}

TEST_CASE("Unicode spaces from a web page separate entries like ASCII ones") {
  CHECK(entries("10.0.0.0/8\xC2\xA0\xC2\xA0"
                "192.0.2.0/24\xE2\x80\x89"
                "198.51.100.0/24") == Lines{"10.0.0.0/8", "192.0.2.0/24", "198.51.100.0/24"});
}

TEST_CASE("A description after a spaced dash and a label before a colon are dropped") {
  const Extracted e = extract_entries("136.143.176.0/23 – United States\nIPv4: 10.0.0.0/8\n");
  CHECK(entries("136.143.176.0/23 – United States\nIPv4: 10.0.0.0/8\n") ==
        Lines{"136.143.176.0/23", "10.0.0.0/8"});
  CHECK(cleaned(e, Cleaning::label) == 2);
  CHECK(e.unreadable_count == 0);
}

TEST_CASE("An IPv6 address ending in a colon is not taken for a label") {
  CHECK(entries("2001:db8:: 10.0.0.0/8") == Lines{"2001:db8::/128", "10.0.0.0/8"});
}

TEST_CASE("A Postfix mynetworks line loses its setting name and IPv6 brackets") {
  const Extracted e = extract_entries("mynetworks = 127.0.0.0/8, [::1]/128, 10.0.0.0/24");
  CHECK(entries("mynetworks = 127.0.0.0/8, [::1]/128, 10.0.0.0/24") ==
        Lines{"127.0.0.0/8", "::1/128", "10.0.0.0/24"});
  CHECK(cleaned(e, Cleaning::setting) == 1);
  CHECK(cleaned(e, Cleaning::wrapper) == 1);
}

TEST_CASE("A Postfix line continued on an indented line is read on") {
  CHECK(entries("mynetworks = 127.0.0.0/8\n    [::ffff:127.0.0.0]/104 [::1]/128") ==
        Lines{"127.0.0.0/8", "::ffff:127.0.0.0/104", "::1/128"});
}

TEST_CASE("Postfix lookup tables and exclusions are refused with their reason") {
  const Extracted e =
      extract_entries("mynetworks = hash:/etc/postfix/network_table !10.1.0.0/16 10.0.0.0/8");
  CHECK(e.entries.size() == 1);
  REQUIRE(e.unreadable.size() == 2);
  CHECK(e.unreadable[0].text == "'hash:/etc/postfix/network_table'");
  CHECK(e.unreadable[0].reason.find("lookup table") != std::string::npos);
  CHECK(e.unreadable[1].reason.find("excluded by '!'") != std::string::npos);
}

TEST_CASE("An Exim list with its own separator is split at it") {
  const Extracted e = extract_entries("hostlist relay_from_hosts = <; 1.2.3.0/24 ; 2001:db8::/32");
  CHECK(entries("hostlist relay_from_hosts = <; 1.2.3.0/24 ; 2001:db8::/32") ==
        Lines{"1.2.3.0/24", "2001:db8::/32"});
  CHECK(cleaned(e, Cleaning::exim_list) == 1);
  CHECK(cleaned(e, Cleaning::setting) == 1);
}

TEST_CASE("An Exim colon list writes a colon inside an item twice") {
  // Exim specification, "List construction": "127.0.0.1 : ::::1" is 127.0.0.1 and ::1.
  CHECK(entries("hostlist relay = 127.0.0.1 : ::::1 : 2001::db8::::/32") ==
        Lines{"127.0.0.1/32", "::1/128", "2001:db8::/32"});
}

TEST_CASE("An Exim colon list with single IPv6 colons is refused with how to write it") {
  const Extracted e = extract_entries("hostlist relay = 2001::db8::/32");
  CHECK(e.entries.empty());
  REQUIRE(e.unreadable.size() == 1);
  CHECK(e.unreadable[0].text == "'2001::db8::/32'");
  CHECK(e.unreadable[0].reason.find("reads as '2001:db8:/32'") != std::string::npos);
  CHECK(e.unreadable[0].reason.find("'<;'") != std::string::npos);
  const Extracted cut = extract_entries("hostlist relay = 2001:db8::/32");
  REQUIRE_FALSE(cut.unreadable.empty());
  CHECK(cut.unreadable[0].reason.find("one group of an IPv6 address") != std::string::npos);
}

TEST_CASE("An Exim list continued with a backslash keeps its separator") {
  CHECK(entries("hostlist relay = <; 10.0.0.0/8 ; \\\n  2001:db8::/32 ; 192.0.2.1") ==
        Lines{"10.0.0.0/8", "2001:db8::/32", "192.0.2.1/32"});
}

TEST_CASE("Doubled colons outside an Exim list are read as Exim's when nothing else reads") {
  const Extracted e = extract_entries("2001::db8::::/32");
  CHECK(entries("2001::db8::::/32") == Lines{"2001:db8::/32"});
  CHECK(cleaned(e, Cleaning::exim_list) == 1);
  // A plain "::" is an IPv6 address: nothing to undo.
  CHECK(cleaned(extract_entries("::1"), Cleaning::exim_list) == 0);
}

TEST_CASE("Sendmail access-map lines give their key, partial octets as networks") {
  const std::string text =
      "Connect:192.0.2 RELAY\n"
      "Connect:10 RELAY\n"
      "198.51.100.7 RELAY\n"
      "172.16 OK\n"
      "IPv6:2001:db8::1 OK\n"
      "Connect:IPv6:2001:db8:1 RELAY\n"
      "Connect:[127.0.0.3] OK\n";
  CHECK(entries(text) == Lines{"192.0.2.0/24", "10.0.0.0/8", "198.51.100.7/32", "172.16.0.0/16",
                               "2001:db8::1/128", "2001:db8:1::/48", "127.0.0.3/32"});
  const Extracted e = extract_entries(text);
  CHECK(cleaned(e, Cleaning::partial) == 4);
  CHECK(e.unreadable_count == 0);
}

TEST_CASE("A partial address outside an access map is not widened") {
  const Extracted e = extract_entries("192.0.2");
  CHECK(e.entries.empty());
  CHECK(e.unreadable_count == 1);
}

TEST_CASE("An access-map line that refuses is no whitelist entry") {
  const Extracted e =
      extract_entries("Connect:10.9 REJECT\n192.0.2.1 ERROR:\"550 no\"\n203.0.113 554");
  CHECK(e.entries.empty());
  REQUIRE(e.unreadable.size() == 3);
  CHECK(e.unreadable[0].reason.find("'REJECT'") != std::string::npos);
}

TEST_CASE("Sender and recipient rules of an access map are refused") {
  const Extracted e = extract_entries("From:spammer.example REJECT\nTo:zylker.com RELAY");
  CHECK(e.entries.empty());
  CHECK(e.unreadable_count == 2);
}

TEST_CASE("Netmasks and address ranges become prefixes") {
  CHECK(entries("192.0.2.0/255.255.255.0") == Lines{"192.0.2.0/24"});
  CHECK(entries("198.51.100.10-198.51.100.13") == Lines{"198.51.100.10/31", "198.51.100.12/31"});
  CHECK(entries("198.51.100.0 – 198.51.100.255") == Lines{"198.51.100.0/24"});
  CHECK(entries("0.0.0.0-255.255.255.255") == Lines{"0.0.0.0/0"});
  CHECK(entries("2001:db8::-2001:db8::3") == Lines{"2001:db8::/126"});
  // A range backwards or across families is refused, not read as two addresses.
  const Extracted backwards = extract_entries("198.51.100.9 - 198.51.100.1\n10.0.0.1-2001:db8::1");
  CHECK(backwards.entries.empty());
  REQUIRE(backwards.unreadable.size() == 2);
  CHECK(backwards.unreadable[0].text == "'198.51.100.9 - 198.51.100.1'");
  CHECK(backwards.unreadable[0].reason.find("comes after its last") != std::string::npos);
  CHECK(backwards.unreadable[1].reason.find("IPv4 to an IPv6") != std::string::npos);
  // A netmask that is not contiguous is not a prefix length.
  CHECK(extract_entries("192.0.2.0/255.0.255.0").unreadable_count == 1);
}

TEST_CASE("Host bits, leading zeros and zone ids are refused with the parser's reason") {
  const Extracted e = extract_entries("10.0.0.1/24 010.0.0.1 fe80::1%eth0");
  CHECK(e.entries.empty());
  REQUIRE(e.unreadable.size() == 3);
  CHECK(e.unreadable[0].reason.find("10.0.0.0/24") != std::string::npos);
}

TEST_CASE("Words and host names are reported, a run of words as one item") {
  const Extracted e = extract_entries("US data centre 10.0.0.0/8 smtp.zylker.com");
  CHECK(e.entries.size() == 1);
  REQUIRE(e.unreadable.size() == 2);
  CHECK(e.unreadable[0].text == "'US data centre'");
  CHECK(e.unreadable[1].reason.find("host name") != std::string::npos);
}

TEST_CASE("Each unreadable item carries its line") {
  const Extracted e = extract_entries("10.0.0.0/8\n\n300.1.1.1\n# x\nnope.example\n");
  REQUIRE(e.unreadable.size() == 2);
  CHECK(e.unreadable[0].line == 3);
  CHECK(e.unreadable[1].line == 5);
  CHECK(summary(e, PasteMode::prefixes) ==
        "Read 1 entry from 3 lines; could not read 2 items (lines 3 and 5).");
}

TEST_CASE("Control bytes in an unreadable item are quoted, not passed on") {
  const Extracted e = extract_entries(std::string("10.0.0.\x1b[31m", 12));
  REQUIRE(e.unreadable.size() == 1);
  CHECK(e.unreadable[0].text.find('\x1b') == std::string::npos);
}

TEST_CASE("Duplicates are left out and counted") {
  const Extracted e = extract_entries("10.0.0.0/8, 10.0.0.0/8\n[10.0.0.0/8]");
  CHECK(e.entries.size() == 1);
  CHECK(e.duplicates == 2);
  CHECK(summary(e, PasteMode::prefixes).find("left out 2 duplicates") != std::string::npos);
}

TEST_CASE("Outbound IPs accept single addresses only") {
  const Extracted e = extract_entries(
      "203.0.113.25, 203.0.113.0/24, 2001:db8::/64, 198.51.100.9/32", PasteMode::addresses);
  CHECK(entries("203.0.113.25, 198.51.100.9/32", PasteMode::addresses) ==
        Lines{"203.0.113.25", "198.51.100.9"});
  REQUIRE(e.unreadable.size() == 2);
  CHECK(e.unreadable[0].reason ==
        "is a network of 256 addresses, not one address: list each "
        "address the relay sends from");
  CHECK(e.unreadable[1].reason.find("/64 network") != std::string::npos);
}

TEST_CASE("A short range of outbound IPs is written out address by address") {
  CHECK(entries("203.0.113.1-203.0.113.3", PasteMode::addresses) ==
        Lines{"203.0.113.1", "203.0.113.2", "203.0.113.3"});
  CHECK(extract_entries("10.0.0.0-10.0.1.255", PasteMode::addresses).unreadable_count == 1);
}

TEST_CASE("No more than the limit of entries is kept, and the rest is counted") {
  std::string text;
  for (std::size_t k = 0; k < kMaxPastedEntries + 5; ++k) {
    text += "10." + std::to_string(k / 256 / 256 % 256) + "." + std::to_string(k / 256 % 256) +
            "." + std::to_string(k % 256) + "\n";
  }
  const Extracted e = extract_entries(text);
  CHECK(e.entries.size() == kMaxPastedEntries);
  CHECK(e.over_limit == 5);
  CHECK(summary(e, PasteMode::prefixes).find("beyond the limit of 10,000") != std::string::npos);
}

TEST_CASE("No more than the limit of unreadable items is listed, and all are counted") {
  std::string text;
  for (int k = 0; k < 500; ++k) text += "x" + std::to_string(k) + "\n";
  const Extracted e = extract_entries(text);
  CHECK(e.unreadable.size() == kMaxUnreadableListed);
  CHECK(e.unreadable_count == 500);
}

TEST_CASE("Blank text says that it holds nothing") {
  const Extracted e = extract_entries(" \n# only a comment\r\n\n");
  CHECK(e.entries.empty());
  CHECK(e.lines == 0);
  CHECK(summary(e, PasteMode::prefixes) ==
        "The pasted text holds no entry (it is blank or only comments).");
}

TEST_CASE("CRLF and CR line ends count lines as LF does") {
  const Extracted e = extract_entries("10.0.0.0/8\r\nbad\r192.0.2.0/24\r\n");
  CHECK(e.entries.size() == 2);
  REQUIRE(e.unreadable.size() == 1);
  CHECK(e.unreadable[0].line == 2);
}
