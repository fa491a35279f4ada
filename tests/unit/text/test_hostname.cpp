// Host names (RFC 1123 with IDNA labels), Unicode lowercasing, subdomains and certificate
// name matching (RFC 6125 §6.4.3).
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "text/hostname.hpp"

using namespace relaycheck::text;

namespace {

std::string ascii_of(std::string_view text) {
  auto name = parse_host_name(text);
  return name ? name.value->ascii : "ERROR: " + name.error;
}

std::string unicode_of(std::string_view text) {
  auto name = parse_host_name(text);
  return name ? name.value->unicode : "ERROR: " + name.error;
}

bool rejected(std::string_view text) { return !parse_host_name(text); }

bool matches(std::string_view pattern, std::string_view host) {
  auto p = parse_certificate_name(pattern);
  REQUIRE(p);
  return certificate_name_matches(*p.value, host);
}

}  // namespace

TEST_CASE("host names are lowercased and keep both IDNA forms", "[hostname]") {
  CHECK(ascii_of("SMTP.Zylker.COM") == "smtp.zylker.com");
  CHECK(ascii_of("zylker.com.") == "zylker.com");  // the root's dot is dropped
  CHECK(ascii_of("B\u00FCcher.example") == "xn--bcher-kva.example");
  CHECK(unicode_of("xn--bcher-kva.example") == "b\u00FCcher.example");
  CHECK(unicode_of("XN--BCHER-KVA.example") == "b\u00FCcher.example");
  CHECK(ascii_of("m\u00FCnchen.de") == "xn--mnchen-3ya.de");
  CHECK(ascii_of("\u4F8B\u3048.\u30C6\u30B9\u30C8") == "xn--r8jz45g.xn--zckzah");
  CHECK(ascii_of("\u03A0\u0391\u03A1\u0386\u0394\u0395\u0399\u0393\u039C\u0391."
                 "\u0394\u039F\u039A\u0399\u039C\u0389") == "xn--hxajbheg2az3al.xn--jxalpdlp");
  CHECK(ascii_of("\u4F8B\u3048\u3002\u30C6\u30B9\u30C8") ==
        "xn--r8jz45g.xn--zckzah");  // ideographic full stop
  CHECK(ascii_of("a-b.c0.de") == "a-b.c0.de");
  CHECK(ascii_of("123.example") == "123.example");  // RFC 1123 allows a leading digit
  auto single = parse_host_name("mailhost");
  REQUIRE(single);
  CHECK(single.value->labels == 1);
}

TEST_CASE("host names that break RFC 1123 or IDNA are rejected with the reason", "[hostname]") {
  CHECK(parse_host_name("").error == "it is empty");
  CHECK(parse_host_name("foo_bar.com").error.find("underscore") != std::string::npos);
  CHECK(parse_host_name("smtp.zylker.com:587").error.find("port") != std::string::npos);
  CHECK(parse_host_name("crm@zylker.com").error.find("email address") != std::string::npos);
  CHECK(parse_host_name("a b.com").error.find("space") != std::string::npos);
  CHECK(parse_host_name("a..b").error.find("empty label") != std::string::npos);
  CHECK(parse_host_name(".a.b").error.find("empty label") != std::string::npos);
  CHECK(parse_host_name("-a.com").error.find("hyphen") != std::string::npos);
  CHECK(parse_host_name("a-.com").error.find("hyphen") != std::string::npos);
  CHECK(parse_host_name("ab--cd.com").error.find("reserved for IDNA") != std::string::npos);
  CHECK(parse_host_name("1.2.3.4").error.find("all digits") != std::string::npos);
  CHECK(parse_host_name("example.123").error.find("all digits") != std::string::npos);
  CHECK(rejected(std::string(64, 'a') + ".com"));
  CHECK_FALSE(rejected(std::string(63, 'a') + ".com"));
  std::string long_name;
  for (int i = 0; i < 5; ++i) long_name += std::string(50, 'a') + ".";
  long_name += "com";  // 258 characters
  CHECK(parse_host_name(long_name).error.find("253") != std::string::npos);
  CHECK(rejected("."));
  CHECK(rejected(".."));
  CHECK(rejected("zylker.com.."));
}

TEST_CASE("A-labels must be valid, canonical Punycode of a lowercase non-ASCII label",
          "[hostname]") {
  CHECK(rejected("xn--.com"));
  CHECK(rejected("xn--abc-.com"));  // encodes plain "abc"; caught by the trailing hyphen
  CHECK(parse_host_name("xn--9999999999a.com").error.find("Punycode") != std::string::npos);
  CHECK(parse_host_name("xn--abc.com").error.find("not allow") !=
        std::string::npos);  // decodes to U+0082…
  CHECK(parse_host_name("xn--bcher-kva!.com").error.find("not allow") != std::string::npos);
  CHECK(parse_host_name("xn--bcher-kva9999999.com").error.find("Punycode") != std::string::npos);
  // "bÜcher" in Punycode: an A-label must encode the lowercase form.
  CHECK(parse_host_name("xn--bcher-2pa.com").error.find("capital") != std::string::npos);
  // A label longer than 63 once encoded.
  std::string wide;  // 40 different CJK ideographs: 82 characters in ASCII form
  for (unsigned i = 0; i < 40; ++i) {
    const unsigned c = 0x4E00 + i * 37;
    wide += static_cast<char>(0xE0 | (c >> 12));
    wide += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    wide += static_cast<char>(0x80 | (c & 0x3F));
  }
  CHECK(parse_host_name(wide + ".com").error.find("ASCII form") != std::string::npos);
}

TEST_CASE("hostile host name input is refused, never crashes", "[hostname]") {
  CHECK(parse_host_name("\xC3").error.find("UTF-8") != std::string::npos);              // truncated
  CHECK(parse_host_name("\xC0\xAF.com").error.find("UTF-8") != std::string::npos);      // overlong
  CHECK(parse_host_name("\xED\xA0\x80.com").error.find("UTF-8") != std::string::npos);  // surrogate
  CHECK(parse_host_name("\xF4\x90\x80\x80.com").error.find("UTF-8") !=
        std::string::npos);  // > U+10FFFF
  CHECK(rejected(std::string("a\0b.com", 7)));
  CHECK(rejected("zylker\u200B.com"));  // zero-width space
  CHECK(rejected("\u0301a.com"));       // begins with a combining mark
  CHECK(rejected("\U0001F600.com"));    // emoji
  CHECK(rejected("a\u00A0b.com"));      // no-break space
  CHECK(parse_host_name(std::string(100000, 'a')).error.find("bytes long") != std::string::npos);
  std::string dots(1000, '.');
  CHECK(rejected(dots));
  for (int b = 0; b < 256; ++b) {
    (void)parse_host_name(std::string("a") + static_cast<char>(b) + ".com");
  }
}

TEST_CASE("Unicode simple lowercasing covers the cased scripts", "[hostname]") {
  CHECK(simple_lowercase(U'A') == U'a');
  CHECK(simple_lowercase(U'z') == U'z');
  CHECK(simple_lowercase(U'1') == U'1');
  CHECK(simple_lowercase(0x00C4) == 0x00E4);    // Ä
  CHECK(simple_lowercase(0x0178) == 0x00FF);    // Ÿ
  CHECK(simple_lowercase(0x0130) == U'i');      // İ (simple mapping)
  CHECK(simple_lowercase(0x03A3) == 0x03C3);    // Σ
  CHECK(simple_lowercase(0x0416) == 0x0436);    // Ж
  CHECK(simple_lowercase(0x0531) == 0x0561);    // Ա
  CHECK(simple_lowercase(0x10A0) == 0x2D00);    // Georgian Ⴀ
  CHECK(simple_lowercase(0x1E9E) == 0x00DF);    // ẞ
  CHECK(simple_lowercase(0xFF21) == 0xFF41);    // fullwidth Ａ
  CHECK(simple_lowercase(0x10400) == 0x10428);  // Deseret
  CHECK(simple_lowercase(0x00DF) == 0x00DF);    // ß has no simple lowercase change
  CHECK(simple_lowercase(0x4E2D) == 0x4E2D);    // 中 is caseless
  CHECK(simple_lowercase(0x0101) == 0x0101);    // ā is already lowercase
}

TEST_CASE("a name is the same as or a subdomain of a parent only on a label boundary",
          "[hostname]") {
  CHECK(is_same_or_subdomain("zylker.com", "zylker.com"));
  CHECK(is_same_or_subdomain("bounces.zylker.com", "zylker.com"));
  CHECK(is_same_or_subdomain("a.b.zylker.com", "zylker.com"));
  CHECK_FALSE(is_same_or_subdomain("notzylker.com", "zylker.com"));
  CHECK_FALSE(is_same_or_subdomain("zylker.com", "bounces.zylker.com"));
  CHECK_FALSE(is_same_or_subdomain("zylker.co", "zylker.com"));
  CHECK_FALSE(is_same_or_subdomain(".zylker.com", "zylker.com"));
}

TEST_CASE("certificate names match by RFC 9525's wildcard rules", "[hostname][certificate]") {
  CHECK(matches("smtp.zylker.com", "smtp.zylker.com"));
  CHECK(matches("SMTP.Zylker.com", "smtp.zylker.com"));
  CHECK(matches("*.zylker.com", "smtp.zylker.com"));
  CHECK_FALSE(matches("*.zylker.com", "zylker.com"));         // one label, not zero
  CHECK_FALSE(matches("*.zylker.com", "a.smtp.zylker.com"));  // one label, not two
  CHECK_FALSE(matches("smtp.zylker.com", "mail.zylker.com"));
  CHECK(matches("*.zylker.com", "xn--bcher-kva.zylker.com"));  // a whole label, A-label or not
  CHECK(matches("*.b\u00FCcher.example", "smtp.xn--bcher-kva.example"));
}

TEST_CASE("a label quoted in a reason shows control characters escaped", "[hostname]") {
  const auto parsed = parse_host_name("smtp\x1b[31m.zylker.com");
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error.find("\x1b") == std::string::npos);
  CHECK(parsed.error.find("\\u001B") != std::string::npos);
  const auto long_label = parse_host_name(std::string(300, 'a') + "_.zylker.com");
  REQUIRE_FALSE(long_label);
  CHECK(long_label.error.size() < 200);
}

TEST_CASE("malformed certificate names are rejected with the reason", "[hostname][certificate]") {
  CHECK(parse_certificate_name("*.com").error.find("top-level") != std::string::npos);
  CHECK(parse_certificate_name("*").error.find("domain after it") != std::string::npos);
  CHECK(parse_certificate_name("smtp.*.zylker.com").error.find("left-most") != std::string::npos);
  CHECK(parse_certificate_name("*.*.zylker.com").error.find("one wildcard") != std::string::npos);
  // RFC 9525 §6.3: the wildcard is the whole left-most label, never part of one.
  for (const char* partial : {"smtp*.zylker.com", "*1.zylker.com", "s*1.zylker.com",
                              "**.zylker.com", "xn--*.zylker.com", "s_*.zylker.com"}) {
    INFO(partial);
    CHECK(parse_certificate_name(partial).error.find("whole left-most label") != std::string::npos);
  }
  CHECK(parse_certificate_name("smtp.zylker.com:587").error.find("port") != std::string::npos);
  CHECK_FALSE(parse_certificate_name(""));
}

TEST_CASE("random input never crashes the host name and certificate parsers", "[hostname]") {
  // Pieces that exercise every branch: dots, hyphens, wildcards, xn--, multi-byte UTF-8, bad bytes.
  const std::vector<std::string> pieces{"a",
                                        "Z",
                                        "0",
                                        "-",
                                        ".",
                                        "*",
                                        "xn--",
                                        "\xC3\xBC",
                                        "\xE4\xBE\x8B",
                                        "\xF0\x9F\x98\x80",
                                        "\xC3",
                                        "\xFF",
                                        "_",
                                        ":",
                                        " ",
                                        "\xE3\x80\x82",
                                        "--"};
  std::mt19937 random(4242);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 24);
  std::size_t accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    for (int i = length(random); i > 0; --i) text += pieces[pick(random)];
    auto name = parse_host_name(text);
    if (name) {
      ++accepted;
      // A valid name is stable: its ASCII form parses to itself, and so does its Unicode form.
      CHECK(ascii_of(name.value->ascii) == name.value->ascii);
      CHECK(ascii_of(name.value->unicode) == name.value->ascii);
      CHECK(name.value->ascii.size() <= 253);
    } else {
      CHECK(!name.error.empty());
    }
    if (auto pattern = parse_certificate_name(text)) {
      (void)certificate_name_matches(*pattern.value, "smtp.zylker.com");
    }
  }
  CHECK(accepted > 100);
}

TEST_CASE("the plain ASCII path agrees with the IDNA path it skips", "[hostname]") {
  // Names from an alphabet that reaches every rule of the plain path: case, digits, hyphens in
  // every place (the third and fourth: reserved, xn--), empty labels, trailing dots, long labels.
  const std::vector<std::string> pieces{"a", "Z", "0", "9", "-", ".", "xn--", "--", "b"};
  std::mt19937 rng(20261202);
  std::size_t plain = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const std::size_t parts = rng() % 14;
    for (std::size_t i = 0; i < parts; ++i) text += pieces[rng() % pieces.size()];
    if (round % 50 == 0) text += std::string(60 + rng() % 8, 'q');    // near the label limit
    if (round % 97 == 0) text = std::string(250 + rng() % 8, 'a');    // near the name limit
    if (round % 89 == 0) text = "a." + std::string(61, 'b') + ".c.";  // valid, long
    CAPTURE(text);
    const auto fast = relaycheck::text::parse_plain_host_name(text);
    const auto full = relaycheck::text::parse_host_name_idna(text);
    if (fast) {
      ++plain;
      REQUIRE(full);
      CHECK(fast->ascii == full.value->ascii);
      CHECK(fast->unicode == full.value->unicode);
      CHECK(fast->labels == full.value->labels);
    } else if (full && text.find("--") == std::string::npos) {
      FAIL("the plain path refused a plain name the IDNA path accepts");
    }
  }
  CHECK(plain > 1000);  // the comparison covered the plain path, not only refusals
}
