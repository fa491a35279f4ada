// The façade's `orgDomain` method: the organizational domain of a name by the Public Suffix
// List (the default) or by RFC 9989's DNS tree walk over a zone map, as spf.* reads zones.
#include <nlohmann/json.hpp>

#include "api/methods.hpp"
#include "api/request_error.hpp"
#include "api/request_reader.hpp"
#include "orgdomain/psl.hpp"
#include "orgdomain/tree_walk.hpp"
#include "text/quote.hpp"

namespace relaycheck::methods {
namespace {

using json = nlohmann::json;

[[noreturn]] void invalid_name(const std::string& name, const std::string& why) {
  throw RequestError("orgdomain.invalid_name", quote(name) + " is not a domain name: " + why,
                     "/name");
}

json optional_json(const std::optional<std::string>& value) {
  return value ? json(*value) : json(nullptr);
}

json by_psl(const std::string& name, const json& request) {
  const std::string sections = choice_field(request, "sections", {"all", "icann"}, "all");
  auto found = orgdomain::psl_lookup(
      name, sections == "all" ? orgdomain::Sections::all : orgdomain::Sections::icann);
  if (!found) invalid_name(name, found.error);
  const orgdomain::PslAnswer& a = *found.value;
  return json{{"method", "psl"},
              {"name", a.name},
              {"ascii", a.name_ascii},
              {"organizationalDomain", optional_json(a.organizational_domain)},
              {"organizationalDomainAscii", optional_json(a.organizational_domain_ascii)},
              {"publicSuffix", a.public_suffix},
              {"isPublicSuffix", a.is_public_suffix()},
              {"rule", a.rule},
              {"section", orgdomain::to_string(a.section)},
              {"sections", sections},
              {"listSha256", orgdomain::psl_list_sha256()}};
}

json by_tree_walk(const std::string& name, const json& request) {
  const spf::ZoneView zone = zone_field(request);
  auto walked = orgdomain::tree_walk(name, zone);
  if (!walked) invalid_name(name, walked.error);
  const orgdomain::TreeWalk& w = *walked.value;
  json lookups = json::array();
  for (const auto& l : w.lookups) {
    json entry{{"name", l.query},
               {"domain", l.domain},
               {"status", l.too_long ? std::string_view("too-long") : spf::to_string(l.status)},
               {"dmarcRecords", l.dmarc_records},
               {"psd", l.has_record() ? json(std::string(1, l.psd)) : json(nullptr)}};
    if (l.duplicate_tag) entry["duplicateTag"] = true;
    lookups.push_back(std::move(entry));
  }
  json needed = json::array();
  for (const auto& n : w.needed) needed.push_back({{"name", n}, {"type", "TXT"}});
  return json{{"method", "tree-walk"},
              {"name", w.name},
              {"ascii", w.name_ascii},
              {"organizationalDomain", optional_json(w.organizational_domain)},
              {"organizationalDomainAscii", optional_json(w.organizational_domain_ascii)},
              {"publicSuffix", optional_json(w.public_suffix_domain)},
              {"status", orgdomain::to_string(w.status)},
              {"complete", w.complete()},
              {"reason", w.reason},
              {"lookups", lookups},
              {"needed", needed}};
}

}  // namespace

json org_domain(const json& request) {
  const std::string& name = string_field(request, "name");
  const std::string method = choice_field(request, "method", {"psl", "tree-walk"}, "psl");
  return method == "psl" ? by_psl(name, request) : by_tree_walk(name, request);
}

}  // namespace relaycheck::methods
