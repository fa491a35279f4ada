// JSON text from outside (config/json_text.cpp): the nesting limit that keeps a deep document from
// overflowing the stack, positions for every error, and duplicate members found with their pointer.
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "api/request_error.hpp"
#include "config/config.hpp"
#include "config/json_text.hpp"
#include "relaycheck/facade.hpp"

using nlohmann::json;
using relaycheck::JsonTextError;
using relaycheck::kMaxJsonDepth;
using relaycheck::parse_json_text;

namespace {

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

json error_of(const std::string& response) { return json::parse(response)["error"]; }

}  // namespace

TEST_CASE("arrays and objects nested exactly as deep as the limit are read") {
  const auto parsed = parse_json_text(nested(kMaxJsonDepth));
  CHECK_FALSE(parsed.error);
  CHECK(parsed.document.is_array());
}

TEST_CASE("one level more than the limit is refused at the bracket that goes too deep") {
  const auto parsed = parse_json_text("\n  " + nested(kMaxJsonDepth + 1));
  REQUIRE(parsed.error);
  CHECK(parsed.error->kind == JsonTextError::Kind::too_deep);
  CHECK(parsed.error->line == 2);
  CHECK(parsed.error->column == 3 + kMaxJsonDepth);
  CHECK(parsed.document.is_null());
}

TEST_CASE("brackets inside strings do not count towards the nesting") {
  const std::string text = R"({"a": ")" + std::string(1000, '[') + R"(\"{{{{", "b": [1]})";
  const auto parsed = parse_json_text(text);
  REQUIRE_FALSE(parsed.error);
  CHECK(parsed.document["b"][0] == 1);
}

TEST_CASE("a syntax error names its line and column") {
  const auto parsed = parse_json_text("{\n  \"a\": 1,\n}");
  REQUIRE(parsed.error);
  CHECK(parsed.error->kind == JsonTextError::Kind::syntax);
  CHECK(parsed.error->describe().rfind("line 3, column 1: not valid JSON (", 0) == 0);
}

TEST_CASE(
    "a number too large for a double is a range error with its position, not an internal error") {
  const auto parsed = parse_json_text("{\"port\":\n 1e999}");
  REQUIRE(parsed.error);
  CHECK(parsed.error->kind == JsonTextError::Kind::range);
  CHECK(parsed.error->line == 2);
  const json e = error_of(relaycheck::call("analyze", R"({"config": "{\"schema\": 1e999}"})"));
  CHECK(e["code"] == "config.number_out_of_range");
  CHECK(e["message"].get<std::string>().rfind("line 1, column ", 0) == 0);
  CHECK(error_of(relaycheck::call("analyze", R"({"config": 1e999})"))["code"] ==
        "request.number_out_of_range");
}

TEST_CASE("members given twice are found with their JSON Pointer, and the last value is kept") {
  const auto parsed =
      parse_json_text(R"({"a": [{"x": 1}, {"y": 1, "y/~": 2, "y/~": 3}], "a": 5})", {true});
  REQUIRE_FALSE(parsed.error);
  CHECK(parsed.duplicate_keys == std::vector<std::string>{"/a/1/y~1~0", "/a"});
  CHECK(parsed.document["a"] == 5);
  CHECK(parse_json_text(R"({"a": 1, "a": 2})").duplicate_keys.empty());  // only when asked
}

TEST_CASE("a config that gives a field twice loads with a warning at that field") {
  const auto loaded = relaycheck::load_config_text(R"({"schema": 1, "schema": 1, "domains": []})");
  bool found = false;
  for (const auto& f : loaded.findings) {
    if (f.code == "config.duplicate_key") {
      found = true;
      CHECK(f.path == "/schema");
      CHECK(f.severity == relaycheck::Severity::warning);
    }
  }
  CHECK(found);
}

TEST_CASE("a config whose dns section nests thousands deep is refused, not a stack overflow") {
  const std::string config =
      R"({"schema": 1, "domains": [], "dns": {"a.example": )" + nested(5000) + "}}";
  const json e = error_of(relaycheck::call("analyze", json{{"config", config}}.dump()));
  CHECK(e["code"] == "config.too_deep");
  CHECK(error_of(relaycheck::call("plan", json{{"config", config}}.dump()))["code"] ==
        "config.too_deep");
  // The same config as an object inside the request: the request itself is too deep.
  const std::string request = R"({"config": )" + config + "}";
  CHECK(error_of(relaycheck::call("analyze", request))["code"] == "request.too_deep");
}

TEST_CASE("a zone given as text is held to the same limit") {
  const std::string zone = R"({"a.example": )" + nested(200) + "}";
  const json e = error_of(relaycheck::call(
      "spf.check",
      json{{"zone", zone}, {"ip", "192.0.2.1"}, {"sender", "a@a.example"}, {"helo", "a"}}.dump()));
  CHECK(e["code"] == "zone.too_deep");
  CHECK(e["path"] == "/zone");
}
