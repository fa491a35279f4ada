// Punycode (RFC 3492): the sample strings of §7.1, round trips, and hostile input.
#include <random>

#include <catch2/catch.hpp>

#include "text/punycode.hpp"

using namespace relaycheck::text;

namespace {

struct Sample {
  std::u32string text;
  std::string encoded;
};

}  // namespace

TEST_CASE("punycode encodes and decodes the RFC 3492 samples", "[punycode]") {
  // §7.1 (A), (B), (L), (M), (S), plus IDNA's classic examples and a supplementary code point.
  const std::vector<Sample> samples{
      {U"\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634\u0639\u0631\u0628"
       U"\u064A\u061F",
       "egbpdaj6bu4bxfgehfvwxn"},
      {U"\u4ED6\u4EEC\u4E3A\u4EC0\u4E48\u4E0D\u8BF4\u4E2D\u6587", "ihqwcrb4cv8a8dqg056pqjye"},
      {U"3\u5E74B\u7D44\u91D1\u516B\u5148\u751F", "3B-ww4c5e180e575a65lsy2b"},
      {U"\u5B89\u5BA4\u5948\u7F8E\u6075-with-SUPER-MONKEYS",
       "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n"},
      {U"-> $1.00 <-", "-> $1.00 <--"},
      {U"b\u00FCcher", "bcher-kva"},
      {U"m\u00FCnchen", "mnchen-3ya"},
      {U"\u00FC", "tda"},
      {U"abc", "abc-"},
      {U"\U0001F600smile", "smile-y224d"},
      {U"\U0010FFFD", "bn32g"},
  };
  for (const auto& s : samples) {
    INFO(s.encoded);
    CHECK(punycode::encode(s.text) == s.encoded);
    CHECK(punycode::decode(s.encoded) == s.text);
  }
}

TEST_CASE("punycode decoding ignores the case of digits", "[punycode]") {
  CHECK(punycode::decode("BCHER-KVA") == U"B\u00FCCHER");
  CHECK(punycode::decode("bcher-KVA") == U"b\u00FCcher");
}

TEST_CASE("punycode round-trips random code point strings", "[punycode]") {
  std::mt19937 random(20260101);
  std::uniform_int_distribution<int> length(1, 30);
  std::uniform_int_distribution<std::uint32_t> ascii(0x21, 0x7E);
  std::uniform_int_distribution<std::uint32_t> bmp(0x80, 0xD7FF);
  std::uniform_int_distribution<std::uint32_t> astral(0x10000, 0x10FFFF);
  std::uniform_int_distribution<int> kind(0, 2);
  for (int round = 0; round < 3000; ++round) {
    std::u32string text;
    for (int i = length(random); i > 0; --i) {
      const int k = kind(random);
      text += static_cast<char32_t>(k == 0 ? ascii(random) : k == 1 ? bmp(random) : astral(random));
    }
    const auto encoded = punycode::encode(text);
    REQUIRE(encoded);
    for (char c : *encoded) REQUIRE(static_cast<unsigned char>(c) < 0x80);
    CHECK(punycode::decode(*encoded) == text);
  }
}

TEST_CASE("punycode refuses what is not a Unicode scalar value", "[punycode]") {
  CHECK_FALSE(punycode::encode(U"a\xD800"));
  CHECK_FALSE(punycode::encode(std::u32string(1, static_cast<char32_t>(0x110000))));
}

TEST_CASE("punycode decoding rejects hostile input without crashing", "[punycode]") {
  CHECK_FALSE(punycode::decode("b\xC3\xBC-kva"));                    // a non-ASCII basic code point
  CHECK_FALSE(punycode::decode("abc-!!"));                           // not a digit
  CHECK_FALSE(punycode::decode("kv"));                               // truncated number
  CHECK_FALSE(punycode::decode("99999999999999999999"));             // overflows 32 bits
  CHECK_FALSE(punycode::decode("999999999999999999999999999999a"));  // overflows
  CHECK_FALSE(punycode::decode("a-99999999"));
  CHECK_FALSE(punycode::decode("egbpdaj6bu4bxfgehfvwxn9999999999"));
  // Valid, if odd: an all-basic string with a trailing delimiter, and digits that decode far out.
  CHECK(punycode::decode("a-ww4c5e180e575a65lsy2b-") == U"a-ww4c5e180e575a65lsy2b");
  CHECK(punycode::decode("zzzzzzzzzzzzzzzzzzzzzz") ==
        U"\u885E\uD144\u9CE5\u7BA5\uC1DF\u7CEA\u7E16\uB047");
  CHECK_FALSE(punycode::decode("ib9b"));    // U+D800, a surrogate
  CHECK_FALSE(punycode::decode("a-qo7g"));  // U+DFFF after "a"
  CHECK(punycode::decode("") == U"");
  CHECK(punycode::decode("-") == U"");
  // Every short string of digits and delimiters either decodes or is refused, never crashes.
  const std::string alphabet = "a9z-0A";
  for (std::size_t n = 0; n < 6 * 6 * 6 * 6 * 6; ++n) {
    std::string text;
    for (std::size_t k = n, i = 0; i < 5; ++i, k /= 6) text += alphabet[k % 6];
    (void)punycode::decode(text);
  }
}
