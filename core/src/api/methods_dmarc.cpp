// The façade's DMARC method: dmarc.parse. The record is read as RFC 9989 says (dmarc/record.hpp);
// with "domain", report addresses in another organizational domain (by the Public Suffix List,
// orgdomain/psl.hpp) are checked, and with "zone" (the zone map of the SPF methods) their
// authorisation records are looked up in it.
#include <nlohmann/json.hpp>

#include "api/methods.hpp"
#include "api/request_error.hpp"
#include "dmarc/record.hpp"
#include "orgdomain/psl.hpp"
#include "spf/dns_view.hpp"
#include "text/hostname.hpp"

namespace relaycheck::methods {
namespace {

using json = nlohmann::json;

const json* field(const json& request, const char* name) {
  auto it = request.find(name);
  return it == request.end() || it->is_null() ? nullptr : &*it;
}

std::string string_field(const json& request, const char* name, std::string fallback = {}) {
  const json* value = field(request, name);
  if (value == nullptr) return fallback;
  if (!value->is_string()) {
    throw RequestError("dmarc.bad_field", std::string("\"") + name + "\" must be a string",
                       std::string("/") + name);
  }
  return value->get<std::string>();
}

/// "record": the TXT record as one string, or as its character-strings (joined, RFC 9989 §4.5).
std::string record_field(const json& request) {
  const json* value = field(request, "record");
  if (value == nullptr) {
    throw RequestError("dmarc.missing_field",
                       "the request needs \"record\": the DMARC record's text", "/record");
  }
  if (value->is_string()) return value->get<std::string>();
  if (value->is_array()) {
    std::string joined;
    for (std::size_t i = 0; i < value->size(); ++i) {
      if (!(*value)[i].is_string()) {
        throw RequestError("dmarc.bad_field", "\"record\" is a string or a list of strings",
                           "/record/" + std::to_string(i));
      }
      joined += (*value)[i].get_ref<const std::string&>();
    }
    return joined;
  }
  throw RequestError("dmarc.bad_field", "\"record\" is a string or a list of strings", "/record");
}

std::optional<spf::ZoneView> zone_field(const json& request) {
  const json* zone = field(request, "zone");
  if (zone == nullptr) return std::nullopt;
  json parsed;
  if (zone->is_string()) {
    try {
      parsed = json::parse(zone->get_ref<const std::string&>());
    } catch (const json::parse_error& e) {
      throw RequestError("dmarc.zone_not_json", std::string("the zone is not JSON: ") + e.what(),
                         "/zone");
    }
    zone = &parsed;
  }
  const std::string mode = string_field(request, "zoneMode", "nxdomain");
  if (mode != "nxdomain" && mode != "unknown") {
    throw RequestError("dmarc.bad_field",
                       "\"zoneMode\" is \"nxdomain\" (a name not listed does not exist) or "
                       "\"unknown\" (a name not listed was not fetched yet)",
                       "/zoneMode");
  }
  auto loaded = spf::ZoneView::load(
      *zone, mode == "nxdomain" ? spf::MissingName::nxdomain : spf::MissingName::unknown);
  if (!loaded) throw RequestError("dmarc.zone_invalid", loaded.error, "/zone" + loaded.path);
  return std::move(*loaded.zone);
}

}  // namespace

json dmarc_parse(const json& request) {
  if (!request.is_object())
    throw RequestError("dmarc.bad_request",
                       "the request is an object: {\"record\": \"v=DMARC1; ...\"}");
  const std::string record = record_field(request);
  dmarc::ParseOptions options;
  options.domain = string_field(request, "domain");
  if (!options.domain.empty()) {
    const auto host = parse_host_name(options.domain);
    if (!host) {
      throw RequestError("dmarc.bad_field", "\"domain\" is not a domain name: " + host.error,
                         "/domain");
    }
    options.domain = host.value->ascii;
  }
  options.organizational_domain = [](std::string_view name) {
    return orgdomain::organizational_domain(name);
  };
  const std::optional<spf::ZoneView> zone = zone_field(request);
  if (zone) {
    if (options.domain.empty()) {
      throw RequestError(
          "dmarc.missing_field",
          "\"zone\" is for the report addresses' authorisation records, which need \"domain\"",
          "/domain");
    }
    options.dns = &*zone;
  }
  json result = dmarc::parse_record(record, options);
  if (!options.domain.empty()) result["domain"] = options.domain;
  return result;
}

}  // namespace relaycheck::methods
