// The outcomes as a document (`outcomes` of the analysis report) and as a text matrix.
#include <nlohmann/json.hpp>

#include "config/names.hpp"
#include "outcomes/outcomes.hpp"

namespace relaycheck::outcomes {
namespace {

using json = nlohmann::json;

json spf_json(const SpfOutcome& spf) {
  json clients = json::array();
  for (const auto& c : spf.clients) clients.push_back({{"client", c.client}, {"result", c.result}});
  return {{"result", spf.result},   {"domain", spf.domain}, {"aligned", spf.aligned},
          {"assumed", spf.assumed}, {"clients", clients},   {"basis", spf.basis},
          {"code", spf.code},       {"needed", spf.needed}};
}

json dkim_json(const std::vector<DkimOutcome>& signatures) {
  json out = json::array();
  for (const DkimOutcome& s : signatures) {
    out.push_back({{"signer", s.signer},
                   {"domain", s.domain},
                   {"selector", s.selector.empty() ? json(nullptr) : json(s.selector)},
                   {"result", s.result},
                   {"aligned", s.aligned},
                   {"assumed", s.assumed},
                   {"reason", s.reason}});
  }
  return out;
}

json dmarc_json(const DmarcOutcome& d) {
  return {{"result", d.result},
          {"policy", d.policy.empty() ? json(nullptr) : json(d.policy)},
          {"source", d.source.empty() ? json(nullptr) : json(d.source)},
          {"declared", d.declared.empty() ? json(nullptr) : json(d.declared)},
          {"disposition", d.disposition},
          {"pct", d.pct ? json(*d.pct) : json(nullptr)},
          {"recordDomain", d.record_domain.empty() ? json(nullptr) : json(d.record_domain)},
          {"assumed", d.assumed},
          {"reason", d.reason}};
}

/// "pass", "fail*" (assumed), "pass, aligned".
std::string cell(const std::string& result, bool aligned, bool assumed) {
  return result + (aligned ? " aligned" : "") + (assumed ? "*" : "");
}

std::string dkim_cell(const json& signatures) {
  if (signatures.empty()) return "none";
  std::string out;
  for (const json& s : signatures) {
    out += (out.empty() ? "" : ", ") + s.value("domain", "") + " " +
           cell(s.value("result", ""), s.value("aligned", false), s.value("assumed", false));
  }
  return out;
}

}  // namespace

json to_json(const Outcomes& outcomes, const Config& config) {
  const Names names(config);
  json paths = json::array();
  for (const Outcome& o : outcomes.paths) {
    const plan::MessagePath& p = o.path;
    json findings = json::array();
    for (std::size_t i : o.findings) findings.push_back(outcomes.findings[i]);
    paths.push_back(
        {{"domain", p.domain},
         {"domainName", config.domains[p.domain].name},
         {"type", to_string(p.type)},
         {"route", to_string(p.kind)},
         {"routeLabel", plan::route_label(p, names)},
         {"reason",
          p.reason == plan::RouteReason::none ? json(nullptr) : json(to_string(p.reason))},
         {"relay", p.relay ? json(*p.relay) : json(nullptr)},
         {"host", p.relay ? json(config.domains[p.domain].relays[*p.relay].host) : json(nullptr)},
         {"total", p.total},
         {"potential", o.potential},
         {"envelopeFrom", o.envelope_from.empty() ? json(nullptr) : json(o.envelope_from)},
         {"envelopeOwner", o.envelope_owner.empty() ? json(nullptr) : json(o.envelope_owner)},
         {"clientIps", o.client_ips},
         {"clientIpsAssumed", o.client_ips_assumed},
         {"spf", o.spf ? spf_json(*o.spf) : json(nullptr)},
         {"dkim", dkim_json(o.dkim)},
         {"dmarc", o.dmarc ? dmarc_json(*o.dmarc) : json(nullptr)},
         {"findings", std::move(findings)}});
  }
  return paths;
}

std::string format_matrix(const json& outcomes) {
  std::vector<std::vector<std::string>> rows{
      {"domain", "type", "route", "emails", "envelope", "SPF", "DKIM", "DMARC", "disposition"}};
  for (const json& o : outcomes) {
    const bool potential = o.value("potential", false);
    std::vector<std::string> row{o.value("domainName", ""), o.value("type", ""),
                                 o.value("routeLabel", ""),
                                 potential ? "(0)" : plan::format_count(o.value("total", 0))};
    const json& spf = o.at("spf");
    const json& dmarc = o.at("dmarc");
    if (spf.is_null() || dmarc.is_null()) {
      row.insert(row.end(), {"-", "-", "-", "-", "not sent"});
    } else {
      const json& envelope = o.at("envelopeFrom");
      const std::string owner = o.value("envelopeOwner", "");
      row.push_back(envelope.is_string() ? envelope.get<std::string>()
                    : owner == "crm"     ? "(CRM bounce domain)"
                    : owner == "relay"   ? "(relay's domain)"
                                         : "?");
      row.push_back(
          cell(spf.value("result", ""), spf.value("aligned", false), spf.value("assumed", false)));
      row.push_back(dkim_cell(o.at("dkim")));
      // The tag that gave the policy: p=, or sp= / np= for a subdomain From.
      const json& policy = dmarc.at("policy");
      const json& source = dmarc.at("source");
      row.push_back(cell(dmarc.value("result", ""), false, dmarc.value("assumed", false)) +
                    (policy.is_string()
                         ? " (" +
                               (source.is_string() ? source.get<std::string>() : std::string("p")) +
                               "=" + policy.get<std::string>() + ")"
                         : ""));
      row.push_back(dmarc.value("disposition", ""));
    }
    rows.push_back(std::move(row));
  }
  return "Authentication outcomes (* assumed: the DNS data lacks a record that decides; "
         "(0): a route with no mail today)\n" +
         plan::text_table(rows, {false, false, false, true, false, false, false, false, false});
}

}  // namespace relaycheck::outcomes
