// The DNS panel of the analysis report (report_dns.hpp states the model).
#include "api/report_dns.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/names.hpp"
#include "dkim/key_record.hpp"
#include "dmarc/discovery.hpp"
#include "ip/ip.hpp"
#include "orgdomain/psl.hpp"
#include "spf/dns_view.hpp"
#include "spf/limits.hpp"
#include "spf/lint.hpp"
#include "spf/spf.hpp"
#include "text/hostname.hpp"

namespace relaycheck {
namespace {

using json = nlohmann::json;

/// The config's `dns` section by normalised owner name, built once per panel: a source is looked
/// up per record shown, and a config may list thousands of names.
using SourceIndex = std::unordered_map<std::string, const json*>;

SourceIndex index_sources(const json& dns) {
  SourceIndex out;
  if (!dns.is_object()) return out;
  for (const auto& [owner, records] : dns.items()) {
    if (records.is_array()) out.emplace(spf::normalize_name(owner), &records);
  }
  return out;
}

json source_of(const SourceIndex& index, const std::string& name, const std::string& type) {
  const auto it = index.find(spf::normalize_name(name));
  if (it != index.end()) {
    // The records of the type asked for, or a whole-name answer (NXDOMAIN, NODATA, CNAME), say it.
    for (const json& r : *it->second) {
      if (!r.is_object()) continue;
      const std::string t = r.value("type", "");
      if (t != type && t != "NXDOMAIN" && t != "NODATA" && t != "CNAME") continue;
      const json fetched = r.value("fetched", json());
      const json resolver = r.value("resolver", json());
      if (fetched.is_string() || resolver.is_string()) {
        std::string text = "fetched";
        if (fetched.is_string()) text += " " + fetched.get<std::string>();
        if (resolver.is_string()) text += " from " + resolver.get<std::string>();
        return json{{"kind", "live"},
                    {"fetched", fetched.is_string() ? fetched : json(nullptr)},
                    {"resolver", resolver.is_string() ? resolver : json(nullptr)},
                    {"text", text}};
      }
      return json{{"kind", "config"}, {"text", "entered in the config"}};
    }
  }
  return json{{"kind", "unknown"},
              {"text", "not in the DNS data: check live DNS, or enter the record in the config"}};
}

/// Deeper than any tree lint builds (every level costs a lookup, and there are at most
/// spf::kLookupLimit of those before lint stops): a guard, not a limit anyone meets.
constexpr unsigned kMaxTreeDepth = 2 * spf::kLookupLimit + 2;

std::string ascii_of(const std::string& name) {
  const auto host = text::parse_host_name(name);
  return host ? host.value->ascii : std::string();
}

json findings_json(const std::vector<Finding>& findings) {
  json out = json::array();
  for (const Finding& f : findings) out.push_back(f);
  return out;
}

json needed_json(const std::vector<spf::Lookup>& needed) {
  json out = json::array();
  for (const spf::Lookup& l : needed) {
    out.push_back({{"name", l.name}, {"type", spf::to_string(l.type)}});
  }
  return out;
}

/// One record of the include tree, with each term's cost and where the record came from. The
/// tree's depth is bounded by lint; the guard stops at kMaxTreeDepth all the same.
json tree_json(const spf::RecordNode& node, const SourceIndex& dns, unsigned depth) {
  json terms = json::array();
  for (const spf::TermNode& t : node.terms) {
    json term{{"term", t.term},
              {"cost", t.cost},
              {"total", t.total},
              {"void", t.void_lookup},
              {"note", t.note}};
    if (!t.branch.empty() && depth < kMaxTreeDepth) {
      term["branch"] = tree_json(t.branch.front(), dns, depth + 1);
    }
    terms.push_back(std::move(term));
  }
  return json{{"domain", node.domain},    {"status", spf::to_string(node.status)},
              {"record", node.record},    {"error", node.error},
              {"cost", node.cost},        {"source", source_of(dns, node.domain, "TXT")},
              {"terms", std::move(terms)}};
}

/// When receivers check the domain's own SPF record, by the domain's return-path mode.
std::string spf_scope(const Domain& domain, const std::string& name) {
  std::string out;
  switch (domain.return_path) {
    case ReturnPathMode::crm:
      out =
          "The return path stays with the CRM, so receivers check the SPF record of the CRM's "
          "bounce domain, not this one. The SPF record of " +
          name + " matters only for return paths in it (the From address, or a custom address in " +
          name + ").";
      break;
    case ReturnPathMode::from_address:
      out =
          "The return path is the From address, so receivers check this record for the mail "
          "of " +
          name + ".";
      break;
    case ReturnPathMode::custom_address: {
      const std::size_t at = domain.return_path_address.rfind('@');
      const std::string custom =
          at == std::string::npos ? std::string() : domain.return_path_address.substr(at + 1);
      out = custom.empty() ? std::string(
                                 "The return path is a custom address: receivers check "
                                 "the SPF record of its domain.")
                           : "The return path is a custom address at " + custom +
                                 ": receivers check the SPF record of " + custom + ".";
      break;
    }
  }
  for (const Relay& relay : domain.relays) {
    if (!relay.rewrites_return_path) continue;
    out +=
        " Relay " + relay.host + " sets its own return path" +
        (relay.return_path_domain.empty() ? std::string() : " (" + relay.return_path_domain + ")") +
        ", so for its mail receivers check that domain's record, which the relay's operator "
        "publishes.";
  }
  return out;
}

/// The outbound addresses of the relays that keep the CRM's return path (the ones this
/// domain's SPF record can be about), parsed; text that does not parse is the loader's finding.
std::vector<ip::Prefix> relay_clients(const Domain& domain, json& listed) {
  std::vector<ip::Prefix> out;
  for (const Relay& relay : domain.relays) {
    if (relay.rewrites_return_path) continue;
    for (const std::string& text : relay.outbound_ips) {
      const auto parsed = ip::parse_prefix(text, ip::HostBits::mask);
      if (!parsed) continue;
      const ip::Prefix prefix = *parsed.value;
      if (std::find(out.begin(), out.end(), prefix) != out.end()) continue;
      out.push_back(prefix);
      listed.push_back(text);
    }
  }
  return out;
}

json spf_publish(const spf::ZoneView& zone, const Domain& domain, const std::string& ascii) {
  json ips = json::array();
  const std::vector<ip::Prefix> clients = relay_clients(domain, ips);
  if (clients.empty()) return json();
  const spf::Proposal p = spf::propose(zone, ascii, clients);
  json already = json::array();
  for (const auto& a : p.already) already.push_back({{"ip", a.ip}, {"by", a.by}});
  std::string reason;
  if (!p.usable) {
    reason = "No SPF record can be proposed for " + ascii + " yet: see the notes below.";
  } else if (p.changed) {
    reason = (p.current.empty() ? "Publish this SPF record so that "
                                : "Replace the record with "
                                  "this one so that ") +
             std::string("the relays' outbound IPs pass SPF at ") + ascii + ".";
  } else {
    reason = "No change needed: the record already authorises the relays' outbound IPs.";
  }
  return json{{"kind", "spf"},
              {"name", ascii},
              {"type", "TXT"},
              {"value", p.usable ? json(p.record) : json(nullptr)},
              {"strings", p.strings},
              {"current", p.current},
              {"changed", p.changed},
              {"usable", p.usable},
              {"ips", std::move(ips)},
              {"added", p.added},
              {"already", std::move(already)},
              {"lookupsBefore", p.lookups_before},
              {"lookupsAfter", p.lookups_after},
              {"lookupLimit", spf::kLookupLimit},
              {"findings", findings_json(p.findings)},
              {"needed", needed_json(p.needed)},
              {"reason", std::move(reason)}};
}

/// The DMARC record a domain without one starts with: monitoring only, reports to a mailbox
/// the admin names (the placeholder says so; relaycheck does not pick one).
json dmarc_publish(const std::string& record_domain) {
  const std::string value = "v=DMARC1; p=none; rua=mailto:dmarc-reports@" + record_domain;
  return json{{"kind", "dmarc"},
              {"name", "_dmarc." + record_domain},
              {"type", "TXT"},
              {"value", value},
              {"strings", json::array({value})},
              {"changed", true},
              {"usable", true},
              {"reason",
               "No DMARC record is published. Start with p=none and read the reports (create the "
               "mailbox dmarc-reports@" +
                   record_domain +
                   " or put one you read in rua), then move to p=quarantine and p=reject once "
                   "every route passes."}};
}

json dmarc_section(const spf::ZoneView& zone, const SourceIndex& dns, const std::string& ascii,
                   json& publish) {
  dmarc::DiscoveryOptions options;
  options.check_report_authorization = false;
  const std::optional<std::string> org = orgdomain::organizational_domain(ascii);
  const dmarc::Discovery found = dmarc::discover(zone, ascii, org, options);
  json out;
  dmarc::to_json(out, found);
  const std::string name = found.record_name.empty() ? "_dmarc." + ascii : found.record_name;
  out["name"] = name;
  out["source"] = source_of(dns, name, "TXT");
  if (found.status == dmarc::DiscoveryStatus::none) {
    publish.push_back(dmarc_publish(org ? *org : ascii));
  }
  return out;
}

/// One signer's key record, when its selector is entered.
json dkim_entry(const spf::ZoneView& zone, const SourceIndex& dns, const std::string& signer,
                const std::string& relay_host, const DkimSigner& dkim, const std::string& ascii,
                json& missing) {
  const std::string d = dkim.domain.empty() ? ascii : ascii_of(dkim.domain);
  json out{{"signer", signer},
           {"relay", relay_host.empty() ? json(nullptr) : json(relay_host)},
           {"domain", d},
           {"selector", dkim.selector}};
  if (dkim.selector.empty() || d.empty()) {
    out["status"] = "no-selector";
    out["text"] =
        "The selector is not entered, so the key record cannot be looked up; the "
        "outcomes assume it is published and valid.";
    return out;
  }
  const std::string name = dkim.selector + "._domainkey." + d;
  out["name"] = name;
  out["source"] = source_of(dns, name, "TXT");
  const spf::DnsAnswer& answer = zone.query(name, spf::RrType::txt);
  const std::string who = signer == "crm" ? "the CRM" : "relay " + relay_host;
  if (answer.status == spf::DnsStatus::unknown || answer.status == spf::DnsStatus::temp_error) {
    out["status"] = "unknown";
    out["text"] = name + " is not in the DNS data: check live DNS or enter the record.";
    return out;
  }
  if (answer.status != spf::DnsStatus::records || answer.txt.empty()) {
    out["status"] = "missing";
    out["text"] = "No key record at " + name + ": every signature " + who +
                  " makes with this selector fails.";
    missing.push_back(
        {{"kind", "dkim"},
         {"name", name},
         {"type", "TXT"},
         {"signer", signer},
         {"text", "Publish the DKIM key record at " + name + " that " + who +
                      " gives you (the public key of its selector " + dkim.selector +
                      "). relaycheck cannot write it: only the signer has the key."}});
    return out;
  }
  const std::string record = spf::join_strings(answer.txt.front());
  const dkim::KeyRecord key = dkim::parse_key_record(record);
  json parsed;
  dkim::to_json(parsed, key);
  out["status"] = dkim::to_string(key.verdict);
  out["record"] = record;
  out["parsed"] = std::move(parsed);
  out["text"] = key.verdict == dkim::Verdict::ok
                    ? "The key record at " + name + " is valid" +
                          (key.key_bits > 0 ? " (" + key.key_type + ", " +
                                                  std::to_string(key.key_bits) + " bits)."
                                            : std::string("."))
                    : "The key record at " + name + " is " +
                          std::string(dkim::to_string(key.verdict)) + ": " + key.reason;
  return out;
}

json domain_panel(const spf::ZoneView& zone, const SourceIndex& sources, const Config& config,
                  const Names& names, std::size_t d) {
  const Domain& domain = config.domains[d];
  const std::string ascii = ascii_of(domain.name);
  json out{{"domain", d}, {"name", names.domain(d)}, {"ascii", ascii}};
  if (ascii.empty()) {
    out["text"] = "The domain name is not valid, so its records cannot be read.";
    return out;
  }
  json publish = json::array();
  json missing = json::array();
  const spf::LintResult lint = spf::lint(zone, ascii);
  out["spf"] = json{{"name", ascii},
                    {"status", spf::to_string(lint.tree.status)},
                    {"record", lint.tree.record},
                    {"source", source_of(sources, ascii, "TXT")},
                    {"tree", tree_json(lint.tree, sources, 0)},
                    {"lookups", lint.lookups},
                    {"lookupLimit", spf::kLookupLimit},
                    {"voidLookups", lint.void_lookups},
                    {"voidLimit", spf::kVoidLimit},
                    {"findings", findings_json(lint.findings)},
                    {"needed", needed_json(lint.needed)},
                    {"complete", lint.needed.empty()},
                    {"scope", spf_scope(domain, ascii)}};
  if (json spf = spf_publish(zone, domain, ascii); !spf.is_null()) publish.push_back(spf);
  out["dmarc"] = dmarc_section(zone, sources, ascii, publish);
  json dkim = json::array();
  if (domain.crm_dkim.signs) {
    dkim.push_back(dkim_entry(zone, sources, "crm", "", domain.crm_dkim, ascii, missing));
  }
  for (const Relay& relay : domain.relays) {
    if (relay.dkim.signs) {
      dkim.push_back(dkim_entry(zone, sources, "relay", relay.host, relay.dkim, ascii, missing));
    }
  }
  out["dkim"] = std::move(dkim);
  out["publish"] = std::move(publish);
  out["missing"] = std::move(missing);
  return out;
}

}  // namespace

json dns_source(const json& dns, const std::string& name, const std::string& type) {
  return source_of(index_sources(dns), name, type);
}

json dns_panel(const Config& config) {
  json out = json::array();
  auto loaded = spf::ZoneView::load(config.dns, spf::MissingName::unknown);
  // A dns section that is not a zone is the outcomes' finding (config.dns.invalid); the panel
  // then reads nothing, as the outcomes do.
  if (!loaded) loaded = spf::ZoneView::load(json::object(), spf::MissingName::unknown);
  const Names names(config);
  const SourceIndex sources = index_sources(config.dns);
  for (std::size_t d = 0; d < config.domains.size(); ++d) {
    out.push_back(domain_panel(*loaded.zone, sources, config, names, d));
  }
  return out;
}

}  // namespace relaycheck
