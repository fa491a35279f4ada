// The façade's spf.ranges: check_host() over address ranges (spf/ranges.hpp) for one domain,
// and, for a list of client prefixes, which of them the domain authorises.
#include <nlohmann/json.hpp>

#include "api/methods.hpp"
#include "api/request_error.hpp"
#include "api/request_reader.hpp"
#include "spf/ranges.hpp"

namespace relaycheck::methods {

namespace {

using json = nlohmann::json;

json prefixes_json(const ip::PrefixSet& set) {
  json out = json::array();
  for (const auto& p : set.prefixes()) out.push_back(ip::to_string(p));
  return out;
}

std::string prefixes_text(const ip::PrefixSet& set) {
  std::string out;
  for (const auto& p : set.prefixes()) out += (out.empty() ? "" : " ") + ip::to_string(p);
  return out;
}

json results_json(const std::vector<spf::RangeResult>& results) {
  json out = json::array();
  for (const auto& r : results) {
    out.push_back({{"result", spf::to_string(r.result)},
                   {"code", r.code},
                   {"prefixes", prefixes_json(r.addresses)}});
  }
  return out;
}

std::string result_label(const spf::RangeResult& r) {
  return std::string(spf::to_string(r.result)) + (r.code.empty() ? "" : " (" + r.code + ")");
}

/// "prefixes": a list of addresses or prefixes (host bits must be clear).
std::vector<ip::Prefix> prefix_list(const json& request) {
  std::vector<ip::Prefix> out;
  const json* list = find_field(request, "prefixes");
  if (list == nullptr) return out;
  if (!list->is_array()) {
    throw RequestError("request.bad_type", "\"prefixes\" must be a list of addresses or prefixes",
                       "/prefixes");
  }
  for (std::size_t k = 0; k < list->size(); ++k) {
    const std::string path = "/prefixes/" + std::to_string(k);
    if (!(*list)[k].is_string()) {
      throw RequestError("request.bad_type", "each prefix must be a string", path);
    }
    const std::string text = (*list)[k].get<std::string>();
    auto parsed = ip::parse_prefix(text);
    if (!parsed) {
      throw RequestError("spf.bad_ip",
                         "'" + text + "' is not an address or prefix: " + parsed.error, path);
    }
    out.push_back(*parsed.value);
  }
  return out;
}

json coverage_json(const std::vector<spf::Coverage>& coverages, std::string& text) {
  json out = json::array();
  for (const auto& c : coverages) {
    json split = results_json(c.split);
    out.push_back({{"prefix", ip::to_string(c.prefix)},
                   {"uniform", c.uniform ? json(spf::to_string(*c.uniform)) : json(nullptr)},
                   {"split", split},
                   {"undecided", prefixes_json(c.undecided)},
                   {"assumed", c.assumed}});
    text += ip::to_string(c.prefix) + "  ";
    if (c.uniform) {
      text += result_label(c.split.front()) + "\n";
      continue;
    }
    std::string line;
    for (const auto& r : c.split) {
      line += (line.empty() ? "" : "; ") + result_label(r) + " " + prefixes_text(r.addresses);
    }
    if (!c.undecided.empty()) {
      line += (line.empty() ? "" : "; ") + std::string("undecided ") + prefixes_text(c.undecided);
    }
    text += "split: " + line + "\n";
  }
  return out;
}

json summary_json(const spf::CoverageSummary& s, std::string& text) {
  json missing = json::array();
  std::string missing_text;
  for (const auto& p : s.missing) {
    missing.push_back(ip::to_string(p));
    missing_text += (missing_text.empty() ? "" : ", ") + ip::to_string(p);
  }
  text += "authorises " + std::to_string(s.authorised) + " of " + std::to_string(s.total) +
          (s.total == 1 ? " prefix" : " prefixes");
  if (!missing_text.empty()) text += "; missing " + missing_text;
  text += s.assumed ? " (assumed: lookups still needed)\n" : "\n";
  return json{
      {"total", s.total},
      {"authorised", s.authorised},
      {"partial", s.partial},
      {"unknown", s.unknown},
      {"missing", missing},
      {"missingResult", s.missing_result ? json(spf::to_string(*s.missing_result)) : json(nullptr)},
      {"assumed", s.assumed}};
}

}  // namespace

/// `spf.ranges`: {"zone", "zoneMode", "domain" and/or "sender" (MAIL FROM; "" = the null
/// reverse path, checked as postmaster@HELO), "helo", optional "prefixes"} → the partition:
/// {"domain", "exact", "approximateTerm", "approximateDomain", "overBudget", "parts": [{"result",
/// "code", "prefixes"}], "pass", "undecided", "needed", "complete", "text"}; with "prefixes" also
/// "coverage": [{"prefix", "uniform" (null when split), "split", "undecided", "assumed"}] and
/// "summary": {"total", "authorised", "partial", "unknown", "missing", "missingResult",
/// "assumed"}.
json spf_ranges(const json& request) {
  const spf::ZoneView zone = zone_field(request);
  std::string domain = string_field_or(request, "domain", "");
  std::string sender =
      domain.empty() ? string_field(request, "sender") : string_field_or(request, "sender", "");
  std::string helo = string_field_or(request, "helo", "");
  if (domain.empty() && sender.empty()) {
    domain = string_field(request, "helo");  // the null reverse path: the HELO identity
    sender = "postmaster@" + helo;
  } else if (domain.empty()) {
    const std::size_t at = sender.rfind('@');
    domain = at == std::string::npos ? sender : sender.substr(at + 1);
  } else if (sender.empty()) {
    sender = "postmaster@" + domain;
  }
  const std::vector<ip::Prefix> prefixes = prefix_list(request);
  spf::RecordCache cache;
  const spf::Partition p = spf::partition(zone, domain, sender, helo, &cache);
  std::string text;
  for (const auto& part : p.parts)
    text += result_label(part) + "  " + prefixes_text(part.addresses) + "\n";
  if (!p.exact()) {
    text += "undecided (from '" + p.approximate_term + "' in " + p.approximate_domain + ")  " +
            prefixes_text(p.undecided) + "\n";
  }
  json needed = json::array();
  for (const auto& l : p.needed) {
    needed.push_back({{"name", l.name}, {"type", spf::to_string(l.type)}});
    text += "needed: " + std::string(spf::to_string(l.type)) + " " + l.name + "\n";
  }
  json out{{"domain", domain},
           {"exact", p.exact()},
           {"approximateTerm", p.approximate_term},
           {"approximateDomain", p.approximate_domain},
           {"overBudget", p.over_budget},
           {"parts", results_json(p.parts)},
           {"pass", prefixes_json(p.pass())},
           {"undecided", prefixes_json(p.undecided)},
           {"needed", needed},
           {"complete", p.complete()}};
  if (find_field(request, "prefixes") != nullptr) {
    spf::CoverageQuery query{&zone, domain, sender, helo, &cache};
    const std::vector<spf::Coverage> coverages = spf::coverage(p, prefixes, query);
    out["coverage"] = coverage_json(coverages, text);
    out["summary"] = summary_json(spf::summarize(coverages), text);
  }
  out["text"] = text;
  return out;
}

}  // namespace relaycheck::methods
