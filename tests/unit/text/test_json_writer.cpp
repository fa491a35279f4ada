// The streaming JSON writer against nlohmann's dump, its plain reference.
#include <random>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "config/finding.hpp"
#include "text/json_writer.hpp"

using nlohmann::json;
using relaycheck::text::JsonWriter;

namespace {

std::string dumped(const json& value) {
  return value.dump(-1, ' ', true, json::error_handler_t::replace);
}

std::string written_string(const std::string& text) {
  std::string out;
  JsonWriter(out).value(text);
  return out;
}

}  // namespace

TEST_CASE("JsonWriter writes strings as nlohmann's dump does", "[json_writer]") {
  for (const std::string& text :
       {std::string(), std::string("plain"), std::string("quote \" and backslash \\"),
        std::string("lines\nand\ttabs\r\b\f"), std::string("\x01\x1f\x7f", 3),
        std::string("nul \0 inside", 12), std::string("zürich ✓ 😀 \xE2\x80\xAE"),
        std::string("/slash/")}) {
    CAPTURE(text);
    CHECK(written_string(text) == dumped(json(text)));
  }
}

TEST_CASE("JsonWriter agrees with nlohmann on random well-formed text", "[json_writer]") {
  std::mt19937 rng(20261202);
  std::uniform_int_distribution<int> kind(0, 5);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const int length = round % 40;
    for (int i = 0; i < length; ++i) {
      switch (kind(rng)) {
        case 0:
          text += static_cast<char>(rng() % 0x20);
          break;  // a control
        case 1:
          text += "\"\\"[rng() % 2];
          break;
        case 2:
          text += "é";
          break;
        case 3:
          text += "\xE2\x80\xAE";
          break;  // U+202E
        case 4:
          text += "\xF0\x9F\x98\x80";
          break;  // U+1F600
        default:
          text += static_cast<char>(0x20 + rng() % 0x5F);
      }
    }
    CAPTURE(text);
    REQUIRE(written_string(text) == dumped(json(text)));
  }
}

TEST_CASE("JsonWriter replaces each byte that is not UTF-8 and keeps the rest", "[json_writer]") {
  CHECK(written_string("a\xFF"
                       "b") == R"("a\ufffdb")");
  CHECK(written_string("\xC0\xAF") == R"("\ufffd\ufffd")");            // overlong
  CHECK(written_string("\xED\xA0\x80") == R"("\ufffd\ufffd\ufffd")");  // surrogate
  CHECK(written_string("\xE2\x80") == R"("\ufffd\ufffd")");            // cut short
  CHECK(json::parse(written_string("x\xF5y")) == "x\xEF\xBF\xBDy");
}

TEST_CASE("JsonWriter writes ASCII text that reads back as the UTF-8 it was given",
          "[json_writer]") {
  CHECK(written_string("o1.example \xE2\x80\xBA relay") == R"("o1.example \u203a relay")");
  CHECK(written_string("\xC2\xA7 7") == R"("\u00a7 7")");
  // Above U+FFFF: a surrogate pair, as RFC 8259 §7 writes it.
  CHECK(written_string("\xF0\x9F\x98\x80") == R"("\ud83d\ude00")");
  const std::string mixed = "z\xC3\xBCrich \xE2\x9C\x93 \xF0\x9F\x98\x80 \xE2\x80\xAE\x01";
  const std::string text = written_string(mixed);
  for (const char c : text) CHECK(static_cast<unsigned char>(c) < 0x80);
  CHECK(json::parse(text) == mixed);
  // A tree written whole (json_text, the façade's responses) keeps the same rule.
  CHECK(relaycheck::text::json_text(json{{"k", mixed}}) == "{\"k\":" + text + "}");
}

TEST_CASE("JsonWriter writes nested objects, arrays and scalars", "[json_writer]") {
  std::string out;
  JsonWriter w(out);
  w.object()
      .member("name", "zylker.com")
      .member("count", 1774)
      .member("negative", -3)
      .member("big", 18446744073709551615ULL)
      .member("flag", false)
      .member("none", nullptr)
      .member("maybe", std::optional<int>())
      .member("some", std::optional<std::string>("x"))
      .member("ratio", 0.25)
      .member("tree", json{{"b", 1}, {"a", {1, 2}}})
      .key("list")
      .array()
      .value(1)
      .array()
      .end()
      .object()
      .end()
      .value("two")
      .end()
      .key("empty")
      .object()
      .end()
      .end();
  CHECK(w.depth() == 0);
  const json expected = {{"name", "zylker.com"},
                         {"count", 1774},
                         {"negative", -3},
                         {"big", 18446744073709551615ULL},
                         {"flag", false},
                         {"none", nullptr},
                         {"maybe", nullptr},
                         {"some", "x"},
                         {"ratio", 0.25},
                         {"tree", {{"a", {1, 2}}, {"b", 1}}},
                         {"list", json::array({1, json::array(), json::object(), "two"})},
                         {"empty", json::object()}};
  CHECK(json::parse(out) == expected);
  CHECK(out.find(' ') == std::string::npos);
  CHECK(out.rfind("{\"name\":\"zylker.com\",\"count\":1774,", 0) == 0);
}

TEST_CASE("JsonWriter escapes member names", "[json_writer]") {
  std::string out;
  JsonWriter(out).object().member("a\"b\n", 1).end();
  CHECK(out == "{\"a\\\"b\\n\":1}");
}

TEST_CASE("A finding written as text reads back as its tree", "[json_writer]") {
  const std::vector<relaycheck::Finding> findings{
      {"spf.lookups", relaycheck::Severity::error, "/domains/0/relays/1/host",
       "Quote \" and back\\slash, a tab\t and ‹U+202E›", "Fix it."},
      {"x", relaycheck::Severity::info, "", "", ""},
  };
  std::string text;
  JsonWriter w(text);
  relaycheck::write_json(w, findings);
  REQUIRE(w.depth() == 0);
  const json read = json::parse(text);
  REQUIRE(read.size() == findings.size());
  for (std::size_t i = 0; i < findings.size(); ++i) {
    CHECK(read[i] == json(findings[i]));
    CHECK(read[i].at("severity") == std::string(to_string(findings[i].severity)));
  }
}
