#include "api/request_reader.hpp"

#include "api/request_error.hpp"
#include "config/json_text.hpp"

namespace relaycheck::methods {
namespace {

using json = nlohmann::json;

std::string pointer_of(const std::string& base, std::string_view key) {
  return base + "/" + std::string(key);
}

}  // namespace

const json* find_field(const json& object, std::string_view key) {
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

const std::string& string_field(const json& object, std::string_view key, const std::string& base) {
  const json* value = find_field(object, key);
  if (value == nullptr) {
    throw RequestError("request.missing_field", "the request needs \"" + std::string(key) + "\"",
                       pointer_of(base, key));
  }
  if (!value->is_string()) {
    throw RequestError("request.bad_type", "\"" + std::string(key) + "\" must be a string",
                       pointer_of(base, key));
  }
  return value->get_ref<const std::string&>();
}

std::string string_field_or(const json& object, std::string_view key, std::string fallback,
                            const std::string& base) {
  if (find_field(object, key) == nullptr) return fallback;
  return string_field(object, key, base);
}

bool bool_field_or(const json& object, std::string_view key, bool fallback,
                   const std::string& base) {
  const json* value = find_field(object, key);
  if (value == nullptr) return fallback;
  if (!value->is_boolean()) {
    throw RequestError("request.bad_type", "\"" + std::string(key) + "\" must be true or false",
                       pointer_of(base, key));
  }
  return value->get<bool>();
}

std::string choice_field(const json& object, std::string_view key,
                         std::initializer_list<std::string_view> choices, std::string_view fallback,
                         const std::string& base) {
  std::string value = string_field_or(object, key, std::string(fallback), base);
  std::string listed;
  for (std::string_view choice : choices) {
    if (value == choice) return value;
    listed += (listed.empty() ? "\"" : ", \"") + std::string(choice) + "\"";
  }
  throw RequestError("request.bad_value", "\"" + std::string(key) + "\" is one of " + listed,
                     pointer_of(base, key));
}

spf::ZoneView zone_field(const json& request) {
  const json* zone = find_field(request, "zone");
  if (zone == nullptr) {
    throw RequestError("request.missing_field",
                       "the request needs \"zone\": the zone map of the DNS data", "/zone");
  }
  json parsed;
  if (zone->is_string()) {
    parsed = parse_json_or_throw(zone->get_ref<const std::string&>(),
                                 {"zone.not_json", "zone.too_deep", "zone.number_out_of_range"},
                                 "the zone", "/zone");
    zone = &parsed;
  }
  const spf::MissingName missing =
      choice_field(request, "zoneMode", {"nxdomain", "unknown"}, "nxdomain") == "nxdomain"
          ? spf::MissingName::nxdomain
          : spf::MissingName::unknown;
  auto loaded = spf::ZoneView::load(*zone, missing);
  if (!loaded) throw RequestError("zone.invalid", loaded.error, "/zone" + loaded.path);
  return std::move(*loaded.zone);
}

std::optional<spf::ZoneView> optional_zone_field(const json& request) {
  if (find_field(request, "zone") == nullptr) return std::nullopt;
  return zone_field(request);
}

std::string txt_record_field(const json& object, std::string_view key) {
  const json* value = find_field(object, key);
  const std::string path = pointer_of("", key);
  if (value == nullptr)
    throw RequestError("request.missing_field", "the request needs \"" + std::string(key) + "\"",
                       path);
  if (value->is_string()) return value->get<std::string>();
  if (!value->is_array()) {
    throw RequestError(
        "request.bad_type",
        "\"" + std::string(key) + "\" is the record's text, or its TXT strings as an array", path);
  }
  std::string joined;
  for (std::size_t i = 0; i < value->size(); ++i) {
    if (!(*value)[i].is_string()) {
      throw RequestError("request.bad_type", "each TXT string must be a string",
                         path + "/" + std::to_string(i));
    }
    joined += (*value)[i].get_ref<const std::string&>();
  }
  return joined;
}

}  // namespace relaycheck::methods
