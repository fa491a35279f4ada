#pragma once
/// Reading the fields of a façade request: one set of readers with one set of error codes for
/// every method, so that a missing or mistyped field reads the same whichever method it is for:
///   request.missing_field   a required field is absent (or null)
///   request.bad_type        a field has the wrong JSON type
///   request.bad_value       a field's value is not one of its choices
///   zone.not_json / zone.too_deep / zone.number_out_of_range / zone.invalid   the "zone"
/// Each error names the field by its JSON Pointer: `base` is the pointer of the object read.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "spf/dns_view.hpp"

namespace relaycheck::methods {

/// The member `key` of `object`, or nullptr when it is absent or null.
const nlohmann::json* find_field(const nlohmann::json& object, std::string_view key);

/// A required string member.
const std::string& string_field(const nlohmann::json& object, std::string_view key,
                                const std::string& base = "");

/// An optional string member, `fallback` when absent.
std::string string_field_or(const nlohmann::json& object, std::string_view key,
                            std::string fallback, const std::string& base = "");

/// An optional boolean member, `fallback` when absent.
bool bool_field_or(const nlohmann::json& object, std::string_view key, bool fallback,
                   const std::string& base = "");

/// An optional string member that must be one of `choices` (listed in the error), `fallback`
/// when absent.
std::string choice_field(const nlohmann::json& object, std::string_view key,
                         std::initializer_list<std::string_view> choices, std::string_view fallback,
                         const std::string& base = "");

/// The request's DNS data: "zone" (a zone map, or its JSON text so that an error can name its
/// line) read with "zoneMode": "nxdomain" (default: a name not listed does not exist) or
/// "unknown" (a name not listed was not fetched yet).
spf::ZoneView zone_field(const nlohmann::json& request);

/// The same, or nothing when the request has no "zone".
std::optional<spf::ZoneView> optional_zone_field(const nlohmann::json& request);

/// A TXT record: its text, or its character-strings as an array, joined without separators as
/// SPF (RFC 7208 §3.3), DKIM (RFC 6376 §3.6.2.2) and DMARC read them.
std::string txt_record_field(const nlohmann::json& object, std::string_view key);

}  // namespace relaycheck::methods
