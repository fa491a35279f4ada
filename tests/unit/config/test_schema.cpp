// The published JSON Schema (core/schema/relay-config.schema.json) and the loader must agree, for
// each schema version: a config that sets every field the schema documents for that version
// loads without an unknown-field warning, and everything the loader writes is documented in the
// schema as schema 2 (without schema 1's fields). The schema says what each version allows beyond
// the common fields in $defs/schema1 and $defs/schema2 (`false`: the field does not exist there).
#include <fstream>
#include <functional>
#include <initializer_list>

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

json read_fixture(const std::string& name) {
  std::ifstream in(std::string(RELAYCHECK_TEST_DATA) + "/config/" + name);
  REQUIRE(in.good());
  return json::parse(in);
}

const json& resolve(const json& schema, const json& node) {
  if (!node.is_object() || !node.contains("$ref")) return node;
  const std::string ref = node["$ref"];  // "#/$defs/name"
  return schema.at(json::json_pointer(ref.substr(1)));
}

/// The part of a version's restriction (from $defs/schemaN) under `keyword` (and `key`), or null.
json below(const json& schema, const json& restriction, const char* keyword,
           const std::string& key = {}) {
  const json& node = resolve(schema, restriction);
  if (!node.is_object() || !node.contains(keyword)) return nullptr;
  const json& under = node[keyword];
  if (key.empty()) return under;
  return under.is_object() && under.contains(key) ? under[key] : json(nullptr);
}

/// A value for `raw` that uses every property of every object in it that the version allows
/// (`restriction` is the version's $defs node at the same place); one entry for a map.
json sample(const json& schema, const json& raw, const json& restriction) {
  const json& node = resolve(schema, raw);
  if (node.contains("examples")) return node["examples"][0];
  if (node.contains("const")) return node["const"];
  if (node.contains("enum")) return node["enum"][0];
  if (node.contains("properties") || node.value("additionalProperties", json(false)).is_object()) {
    json out = json::object();
    const json properties = node.value("properties", json::object());
    for (const auto& [key, child] : properties.items()) {
      const json allowed = below(schema, restriction, "properties", key);
      if (allowed == json(false)) continue;
      out[key] = sample(schema, child, allowed);
    }
    if (node.value("additionalProperties", json(false)).is_object()) {
      out["zylker.com"] = sample(schema, node["additionalProperties"],
                                 below(schema, restriction, "additionalProperties"));
    }
    return out;
  }
  const json type = node.value("type", json("string"));
  const std::string first = type.is_array() ? type[0].get<std::string>() : type.get<std::string>();
  if (first == "array") {
    json item = sample(schema, node.at("items"), below(schema, restriction, "items"));
    return json(std::vector<json>(node.value("minItems", std::size_t{1}), item));
  }
  if (first == "integer") return node.value("minimum", 0);
  if (first == "boolean") return node.value("default", false);
  if (first == "object") return json::object();
  return "a";
}

/// A config of `version` that sets every field the schema documents for it.
json sample_config(const json& schema, int version) {
  const json restriction = schema.at("$defs").at("schema" + std::to_string(version));
  json config = sample(schema, schema, restriction);
  config["schema"] = version;
  return config;
}

/// Every object key in `document` must be a property of the matching schema node that
/// `restriction` (schema 2's) does not rule out; map entries are checked against their schema.
void check_documented(const json& schema, const json& raw, const json& restriction,
                      const json& document, const std::string& path) {
  const json& node = resolve(schema, raw);
  if (document.is_object() && node.contains("properties")) {
    for (const auto& [key, value] : document.items()) {
      INFO(path + "/" + key);
      REQUIRE(node["properties"].contains(key));
      const json allowed = below(schema, restriction, "properties", key);
      REQUIRE(allowed != json(false));
      check_documented(schema, node["properties"][key], allowed, value, path + "/" + key);
    }
  } else if (document.is_object() && node.value("additionalProperties", json(false)).is_object()) {
    for (const auto& [key, value] : document.items()) {
      check_documented(schema, node["additionalProperties"],
                       below(schema, restriction, "additionalProperties"), value, path + "/" + key);
    }
  } else if (document.is_array() && node.contains("items")) {
    for (std::size_t i = 0; i < document.size(); ++i) {
      check_documented(schema, node["items"], below(schema, restriction, "items"), document[i],
                       path + "/" + std::to_string(i));
    }
  }
}

void check_written(const json& schema, const json& document) {
  INFO(document.dump());
  CHECK(document.at("schema") == relaycheck::kConfigSchema);
  check_documented(schema, schema, schema.at("$defs").at("schema2"), document, "");
}

std::vector<std::string> codes_of(const relaycheck::LoadedConfig& loaded) {
  std::vector<std::string> out;
  for (const auto& f : loaded.findings) out.push_back(f.code);
  return out;
}

/// Checks that the loader raised none of `codes`, naming each finding it did raise.
void check_none_of(const relaycheck::LoadedConfig& loaded,
                   std::initializer_list<const char*> codes) {
  for (const auto& f : loaded.findings) {
    INFO(f.path + ": " + f.message);
    for (const char* code : codes) CHECK(f.code != code);
  }
}

bool has(const std::vector<std::string>& codes, const std::string& code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

}  // namespace

TEST_CASE("the schema lists exactly the versions the loader reads", "[schema]") {
  const json schema = read_schema();
  std::vector<int> listed = schema.at("properties").at("schema").at("enum").get<std::vector<int>>();
  std::sort(listed.begin(), listed.end());
  std::vector<int> read;
  for (int v = relaycheck::kOldestConfigSchema; v <= relaycheck::kConfigSchema; ++v)
    read.push_back(v);
  CHECK(listed == read);
  for (int v : read) CHECK(schema.at("$defs").contains("schema" + std::to_string(v)));
}

TEST_CASE("a schema-2 config with every field the schema documents loads without unknown fields",
          "[schema]") {
  const json schema = read_schema();
  const json config = sample_config(schema, 2);
  CHECK(config["domains"][0]["relays"][0].contains("outageFromHour"));
  CHECK(config["domains"][0]["relays"][0].contains("returnPathDomain"));
  CHECK(config["domains"][0]["relays"][0]["dkim"].contains("selector"));
  CHECK(config["domains"][0]["crmDkim"].contains("domain"));
  CHECK(config["dns"]["zylker.com"][0].contains("fetched"));
  CHECK_FALSE(config["account"].contains("crmDkim"));
  CHECK_FALSE(config["domains"][0]["relays"][0].contains("signsDkim"));
  const relaycheck::LoadedConfig loaded = relaycheck::load_config(config);
  check_none_of(loaded, {"config.unknown_field", "config.newer_field", "config.moved_field",
                         "config.time_invalid", "config.name_invalid", "config.selector_invalid"});
}

TEST_CASE("a schema-1 config with every field the schema documents for it loads and is migrated",
          "[schema]") {
  const json schema = read_schema();
  const json config = sample_config(schema, 1);
  CHECK(config["account"].contains("crmDkim"));
  CHECK(config["domains"][0]["relays"][0].contains("signsDkim"));
  CHECK_FALSE(config["domains"][0].contains("crmDkim"));
  CHECK_FALSE(config["domains"][0]["relays"][0].contains("dkim"));
  const relaycheck::LoadedConfig loaded = relaycheck::load_config(config);
  check_none_of(loaded, {"config.unknown_field", "config.newer_field", "config.moved_field"});
  CHECK(has(codes_of(loaded), "config.migrated"));
}

TEST_CASE("everything the loader writes is documented in the schema as schema 2", "[schema]") {
  const json schema = read_schema();
  const json example = json::parse(relaycheck::data::example_config);
  check_written(schema, example);
  for (const json& source : {example, sample_config(schema, 2), sample_config(schema, 1),
                             read_fixture("example-zylker-schema1.json")}) {
    check_written(schema, relaycheck::to_json(relaycheck::load_config(source).config));
  }
}
