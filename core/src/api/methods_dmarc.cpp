// The façade's DMARC method: dmarc.parse. The record is read as RFC 9989 says (dmarc/record.hpp);
// with "domain", report addresses in another organizational domain (by the Public Suffix List,
// orgdomain/psl.hpp) are checked, and with "zone" (the zone map of the SPF methods) their
// authorisation records are looked up in it.
#include <nlohmann/json.hpp>

#include "api/methods.hpp"
#include "api/request_error.hpp"
#include "api/request_reader.hpp"
#include "dmarc/record.hpp"
#include "orgdomain/psl.hpp"
#include "spf/dns_view.hpp"
#include "text/hostname.hpp"

namespace relaycheck::methods {

using json = nlohmann::json;

json dmarc_parse(const json& request) {
  const std::string record = txt_record_field(request, "record");
  dmarc::ParseOptions options;
  options.domain = string_field_or(request, "domain", "");
  if (!options.domain.empty()) {
    const auto host = parse_host_name(options.domain);
    if (!host) {
      throw RequestError("request.bad_value", "\"domain\" is not a domain name: " + host.error,
                         "/domain");
    }
    options.domain = host.value->ascii;
  }
  options.organizational_domain = [](std::string_view name) {
    return orgdomain::organizational_domain(name);
  };
  const std::optional<spf::ZoneView> zone = optional_zone_field(request);
  if (zone) {
    if (options.domain.empty()) {
      throw RequestError(
          "request.missing_field",
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
