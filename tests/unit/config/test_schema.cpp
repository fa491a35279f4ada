// The published JSON Schema (core/schema/relay-config.schema.json) and the loader must agree:
// a config that sets every field the schema documents loads without an unknown-field warning,
// and everything the loader writes is documented in the schema.
#include <fstream>
#include <functional>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "config/data.hpp"

using nlohmann::json;

namespace {

json read_schema() {
  std::ifstream in(RELAYCHECK_SCHEMA);
  REQUIRE(in.good());
  return json::parse(in);
}

const json& resolve(const json& schema, const json& node) {
  if (!node.contains("$ref")) return node;
  const std::string ref = node["$ref"];  // "#/$defs/name"
  return schema.at(json::json_pointer(ref.substr(1)));
}

/// A value for `node` that uses every documented property of every object in it.
json sample(const json& schema, const json& raw) {
  const json& node = resolve(schema, raw);
  if (node.contains("const")) return node["const"];
  if (node.contains("enum")) return node["enum"][0];
  if (node.contains("properties")) {
    json out = json::object();
    for (const auto& [key, child] : node["properties"].items()) out[key] = sample(schema, child);
    return out;
  }
  const json type = node.value("type", json("string"));
  const std::string first = type.is_array() ? type[0].get<std::string>() : type.get<std::string>();
  if (first == "array") {
    json item = sample(schema, node.at("items"));
    return json(std::vector<json>(node.value("minItems", std::size_t{1}), item));
  }
  if (first == "integer") return node.value("minimum", 0);
  if (first == "boolean") return node.value("default", false);
  if (first == "object") return json::object();
  return "a";
}

/// Every object key in `document` must be a property of the matching schema node.
void check_documented(const json& schema, const json& raw, const json& document, const std::string& path) {
  const json& node = resolve(schema, raw);
  if (document.is_object() && node.contains("properties")) {
    for (const auto& [key, value] : document.items()) {
      INFO(path + "/" + key);
      REQUIRE(node["properties"].contains(key));
      check_documented(schema, node["properties"][key], value, path + "/" + key);
    }
  } else if (document.is_array() && node.contains("items")) {
    for (std::size_t i = 0; i < document.size(); ++i) {
      check_documented(schema, node["items"], document[i], path + "/" + std::to_string(i));
    }
  }
}

}  // namespace

TEST_CASE("a config with every field the schema documents loads without unknown fields", "[schema]") {
  const json schema = read_schema();
  json config = sample(schema, schema);
  CHECK(config["domains"][0]["relays"][0].contains("outageFromHour"));
  relaycheck::LoadedConfig loaded = relaycheck::load_config(config);
  for (const auto& f : loaded.findings) {
    INFO(f.path + ": " + f.message);
    CHECK(f.code != "config.unknown_field");
  }
}

TEST_CASE("everything the loader writes is documented in the schema", "[schema]") {
  const json schema = read_schema();
  const json example = json::parse(relaycheck::data::example_config);
  check_documented(schema, schema, example, "");
  check_documented(schema, schema, relaycheck::to_json(relaycheck::load_config(example).config), "");
  check_documented(schema, schema, relaycheck::to_json(relaycheck::load_config(sample(schema, schema)).config), "");
}
