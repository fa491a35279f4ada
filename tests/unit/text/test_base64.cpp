// The one base64 codec of core (core/src/text/base64.hpp): RFC 4648's test vectors, a round trip
// of every length and byte against a plain bit-by-bit reference, and each problem where it stands.
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "text/base64.hpp"

using relaycheck::text::base64_decode;
using relaycheck::text::base64_encode;
using relaycheck::text::Base64Decoded;
using relaycheck::text::Base64Form;
using Problem = Base64Decoded::Problem;

namespace {

std::string encode(const std::string& bytes, Base64Form form) {
  return base64_encode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), form);
}

/// Base64 written out bit by bit (RFC 4648 §4), the plain reference for the codec.
std::string reference(const std::string& bytes, bool url) {
  const std::string alphabet =
      std::string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") +
      (url ? "-_" : "+/");
  std::vector<int> bits;
  for (char byte : bytes) {
    const auto c = static_cast<unsigned char>(byte);
    for (int b = 7; b >= 0; --b) bits.push_back((c >> b) & 1);
  }
  while (bits.size() % 6 != 0) bits.push_back(0);
  std::string out;
  for (std::size_t i = 0; i < bits.size(); i += 6) {
    int v = 0;
    for (std::size_t b = 0; b < 6; ++b) v = v * 2 + bits[i + b];
    out += alphabet[static_cast<std::size_t>(v)];
  }
  while (!url && out.size() % 4 != 0) out += '=';
  return out;
}

}  // namespace

TEST_CASE("base64: RFC 4648 section 10's test vectors") {
  const std::vector<std::pair<std::string, std::string>> vectors{{"", ""},
                                                                 {"f", "Zg=="},
                                                                 {"fo", "Zm8="},
                                                                 {"foo", "Zm9v"},
                                                                 {"foob", "Zm9vYg=="},
                                                                 {"fooba", "Zm9vYmE="},
                                                                 {"foobar", "Zm9vYmFy"}};
  for (const auto& [bytes, text] : vectors) {
    CHECK(encode(bytes, Base64Form::standard) == text);
    const Base64Decoded decoded = base64_decode(text, false);
    CHECK(decoded.problem == Problem::none);
    CHECK(decoded.bytes == bytes);
  }
  CHECK(encode("foob", Base64Form::url_unpadded) == "Zm9vYg");
  CHECK(encode("\xfb\xff", Base64Form::standard) == "+/8=");
  CHECK(encode("\xfb\xff", Base64Form::url_unpadded) == "-_8");
}

TEST_CASE("base64: every length up to 64 and every byte round-trip, as the reference writes") {
  std::string bytes;
  std::uint32_t seed = 2024;
  for (int length = 0; length <= 64; ++length) {
    for (int b = 0; b < 256; b += 64) {
      bytes.clear();
      for (int i = 0; i < length; ++i) {
        seed = seed * 1664525u + 1013904223u;
        bytes +=
            static_cast<char>(i == 0 ? static_cast<std::uint32_t>(b + length % 64) : seed >> 24);
      }
      const std::string text = encode(bytes, Base64Form::standard);
      REQUIRE(text == reference(bytes, false));
      REQUIRE(encode(bytes, Base64Form::url_unpadded) == reference(bytes, true));
      const Base64Decoded decoded = base64_decode(text, false);
      REQUIRE(decoded.problem == Problem::none);
      REQUIRE(decoded.bytes == bytes);
    }
  }
}

TEST_CASE("base64: each problem is named where it stands") {
  const auto check = [](const std::string& text, bool fws, Problem problem, std::size_t at,
                        std::size_t symbols) {
    INFO(text);
    const Base64Decoded decoded = base64_decode(text, fws);
    CHECK(decoded.problem == problem);
    CHECK(decoded.at == at);
    CHECK(decoded.symbols == symbols);
  };
  check("Zm9v-_8=", false, Problem::not_base64, 4, 4);  // base64url is not base64
  check("Zm 9v", false, Problem::not_base64, 2, 2);
  check("Zm=v", false, Problem::after_padding, 3, 3);
  check("Z===", false, Problem::too_much_padding, 3, 3);
  check("Zm9vY", false, Problem::partial_group, 5, 5);
  check("Zm9vYg=", false, Problem::partial_group, 7, 7);
  // Folding white space is passed over where it is allowed, and not counted.
  const Base64Decoded folded = base64_decode(" Zm9v\r\n\tYmFy ", true);
  CHECK(folded.problem == Problem::none);
  CHECK(folded.bytes == "foobar");
  check("Zm 9v!", true, Problem::not_base64, 5, 4);
  check("Zg= =x", true, Problem::after_padding, 5, 4);
}
