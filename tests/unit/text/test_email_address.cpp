// The return-path address parser (RFC 5321 §4.1.2 Mailbox), fed valid and hostile input.
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "text/email_address.hpp"

using namespace relaycheck::text;

namespace {

std::string error_of(std::string_view text) { return parse_email_address(text).error; }

bool says(std::string_view text, std::string_view part) {
  const std::string error = error_of(text);
  INFO(text << " → " << error);
  return error.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("plain and quoted addresses parse into local part and domain", "[email]") {
  auto a = parse_email_address("bounce@zylker.com");
  REQUIRE(a);
  CHECK(a.value->local == "bounce");
  CHECK(a.value->domain.ascii == "zylker.com");
  auto b = parse_email_address("Bounce+crm.relay@Bounces.Zylker.COM");
  REQUIRE(b);
  CHECK(b.value->local == "Bounce+crm.relay");  // the local part keeps its case (RFC 5321 §2.4)
  CHECK(b.value->domain.ascii == "bounces.zylker.com");
  auto c = parse_email_address("\"bounce desk\"@zylker.com");
  REQUIRE(c);
  CHECK(c.value->local == "\"bounce desk\"");
  auto d = parse_email_address("\"a\\\"b\"@zylker.com");
  REQUIRE(d);
  auto e = parse_email_address("bounce@b\u00FCcher.example");
  REQUIRE(e);
  CHECK(e.value->domain.ascii == "xn--bcher-kva.example");
  CHECK(parse_email_address("!#$%&'*+-/=?^_`{|}~@zylker.com"));
}

TEST_CASE("malformed addresses are rejected with the reason", "[email]") {
  CHECK(says("", "empty"));
  CHECK(says("bounce", "no \"@\""));
  CHECK(says("@zylker.com", "nothing before"));
  CHECK(says("bounce@", "nothing after"));
  CHECK(says("a@b@zylker.com", "more than one"));
  CHECK(says(".bounce@zylker.com", "dot"));
  CHECK(says("bounce.@zylker.com", "dot"));
  CHECK(says("bo..unce@zylker.com", "dot"));
  CHECK(says("bo unce@zylker.com", "quotes"));
  CHECK(says("bo,unce@zylker.com", "quotes"));
  CHECK(says("Bounce Desk <bounce@zylker.com>", "angle brackets"));
  CHECK(says(" bounce@zylker.com", "spaces"));
  CHECK(says("bounce@zylker.com\n", "spaces"));
  CHECK(says("bounce@[192.0.2.1]", "address literal"));
  CHECK(says("bounce@zylker", "fully qualified"));
  CHECK(says("bounce@zylker.com.", "ends with a dot"));
  CHECK(says("bounce@zyl_ker.com", "underscore"));
  CHECK(says("b\u00F6unce@zylker.com", "SMTPUTF8"));
  CHECK(says(std::string(65, 'a') + "@zylker.com", "64"));
  CHECK_FALSE(says(std::string(64, 'a') + "@zylker.com", "64"));
  CHECK(says(std::string(64, 'a') + "@" + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
                 std::string(63, 'd') + ".com",
             "254"));
}

TEST_CASE("hostile quoted strings and bytes are refused, never crash", "[email]") {
  CHECK(says("\"bounce@zylker.com", "no closing quote"));
  CHECK(says("\"bounce\\", "no closing quote"));
  CHECK(says("\"bou\"nce@zylker.com", "not followed by"));
  CHECK(says("\"a\\\x01\"@zylker.com", "escapes"));
  CHECK(says(std::string("\"a\0b\"@zylker.com", 16), "0x00"));
  CHECK(says(std::string("a\0b@zylker.com", 14), "0x00"));
  CHECK(says("\"\xC3\xA9\"@zylker.com", "SMTPUTF8"));
  CHECK(says(std::string(100000, '"'), "bytes long"));
  CHECK(says(std::string(500, '"'), "not followed by"));
  CHECK(says("\"", "no closing quote"));
  CHECK(says("@", "nothing before"));
  for (int byte = 0; byte < 256; ++byte) {
    (void)parse_email_address(std::string("a") + static_cast<char>(byte) + "@zylker.com");
    (void)parse_email_address(std::string("\"") + static_cast<char>(byte) + "\"@zylker.com");
    (void)parse_email_address(std::string("a@zylker") + static_cast<char>(byte) + "com");
  }
}

TEST_CASE("random input never crashes the address parser", "[email]") {
  const std::vector<std::string> pieces{"a",        "@",    ".", "\"", "\\", " ", "zylker", "com",
                                        "\xC3\xA9", "\xFF", "<", "[",  "-",  "+", "\x01",   "xn--"};
  std::mt19937 random(777);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 30);
  std::size_t accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    for (int i = length(random); i > 0; --i) text += pieces[pick(random)];
    if (round % 2 == 0)
      text =
          "a" + text.substr(0, text.size() / 2) + "@zylker" + text.substr(text.size() / 2) + ".com";
    auto address = parse_email_address(text);
    if (address) {
      ++accepted;
      CHECK(address.value->local.size() <= 64);
      CHECK(address.value->domain.labels >= 2);
    } else {
      CHECK(!address.error.empty());
    }
  }
  CHECK(accepted > 10);
}
