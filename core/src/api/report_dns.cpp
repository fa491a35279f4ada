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
#include "dns/sources.hpp"
#include "ip/ip.hpp"
#include "orgdomain/psl.hpp"
#include "spf/dns_view.hpp"
#include "spf/limits.hpp"
#include "spf/lint.hpp"
#include "spf/spf.hpp"
#include "text/hostname.hpp"
#include "text/json_writer.hpp"

namespace relaycheck {
namespace {

using json = nlohmann::json;

using dns::DnsSources;
using dns::RecordSource;

/// Where the record of `type` at `name` came from, as the panel shows it.
void write_source(text::JsonWriter& w, const DnsSources& sources, const std::string& name,
                  std::string_view type) {
  const RecordSource source = sources.source(name, {type});
  switch (source.kind) {
    case RecordSource::Kind::live: {
      std::string text = "fetched";
      if (source.fetched) text += " " + *source.fetched;
      if (source.resolver) text += " from " + *source.resolver;
      const auto or_null = [](const std::optional<std::string>& s) {
        return s ? json(*s) : json(nullptr);
      };
      w.object()
          .member("kind", "live")
          .member("fetched", or_null(source.fetched))
          .member("resolver", or_null(source.resolver))
          .member("text", text)
          .end();
      return;
    }
    case RecordSource::Kind::config:
      w.object().member("kind", "config").member("text", "entered in the config").end();
      return;
    case RecordSource::Kind::unknown:
      break;
  }
  w.object()
      .member("kind", "unknown")
      .member("text", "not in the DNS data: check live DNS, or enter the record in the config")
      .end();
}

/// Deeper than any tree lint builds (every level costs a lookup, and there are at most
/// spf::kLookupLimit of those before lint stops): a guard, not a limit anyone meets.
constexpr unsigned kMaxTreeDepth = 2 * spf::kLookupLimit + 2;

std::string ascii_of(const std::string& name) {
  const auto host = text::parse_host_name(name);
  return host ? host.value->ascii : std::string();
}

void write_strings(text::JsonWriter& w, const std::vector<std::string>& strings) {
  w.array();
  for (const std::string& s : strings) w.value(s);
  w.end();
}

void write_needed(text::JsonWriter& w, const std::vector<spf::Lookup>& needed) {
  w.array();
  for (const spf::Lookup& l : needed) {
    w.object().member("name", l.name).member("type", spf::to_string(l.type)).end();
  }
  w.end();
}

/// One record of the include tree, with each term's cost and where the record came from. The
/// tree's depth is bounded by lint; the guard stops at kMaxTreeDepth all the same.
void write_tree(text::JsonWriter& w, const spf::RecordNode& node, const DnsSources& dns,
                unsigned depth) {
  w.object()
      .member("domain", node.domain)
      .member("status", spf::to_string(node.status))
      .member("record", node.record)
      .member("error", node.error)
      .member("cost", node.cost)
      .key("source");
  write_source(w, dns, node.domain, "TXT");
  w.key("terms").array();
  for (const spf::TermNode& t : node.terms) {
    w.object()
        .member("term", t.term)
        .member("cost", t.cost)
        .member("total", t.total)
        .member("void", t.void_lookup)
        .member("note", t.note);
    if (!t.branch.empty() && depth < kMaxTreeDepth) {
      w.key("branch");
      write_tree(w, t.branch.front(), dns, depth + 1);
    }
    w.end();
  }
  w.end().end();
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
std::vector<ip::Prefix> relay_clients(const Domain& domain, std::vector<std::string>& listed) {
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

/// The SPF record to publish for the relays' outbound IPs, when any relay keeps the CRM's
/// return path and lists them.
void write_spf_publish(text::JsonWriter& w, const spf::ZoneView& zone, const Domain& domain,
                       const std::string& ascii) {
  std::vector<std::string> ips;
  const std::vector<ip::Prefix> clients = relay_clients(domain, ips);
  if (clients.empty()) return;
  const spf::Proposal p = spf::propose(zone, ascii, clients);
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
  w.object().member("kind", "spf").member("name", ascii).member("type", "TXT").key("value");
  if (p.usable) {
    w.value(p.record);
  } else {
    w.value(nullptr);
  }
  w.key("strings");
  write_strings(w, p.strings);
  w.member("current", p.current).member("changed", p.changed).member("usable", p.usable).key("ips");
  write_strings(w, ips);
  w.key("added");
  write_strings(w, p.added);
  w.key("already").array();
  for (const auto& a : p.already) w.object().member("ip", a.ip).member("by", a.by).end();
  w.end()
      .member("lookupsBefore", p.lookups_before)
      .member("lookupsAfter", p.lookups_after)
      .member("lookupLimit", spf::kLookupLimit)
      .key("findings");
  write_json(w, p.findings);
  w.key("needed");
  write_needed(w, p.needed);
  w.member("reason", reason).end();
}

/// The DMARC record a domain without one starts with: monitoring only, reports to a mailbox
/// the admin names (the placeholder says so; relaycheck does not pick one).
void write_dmarc_publish(text::JsonWriter& w, const std::string& record_domain) {
  const std::string value = "v=DMARC1; p=none; rua=mailto:dmarc-reports@" + record_domain;
  w.object()
      .member("kind", "dmarc")
      .member("name", "_dmarc." + record_domain)
      .member("type", "TXT")
      .member("value", value)
      .key("strings")
      .array()
      .value(value)
      .end()
      .member("changed", true)
      .member("usable", true)
      .member("reason",
              "No DMARC record is published. Start with p=none and read the reports (create the "
              "mailbox dmarc-reports@" +
                  record_domain +
                  " or put one you read in rua), then move to p=quarantine and p=reject once "
                  "every route passes.")
      .end();
}

/// A DKIM key record that must be published and cannot be written here.
struct MissingKey {
  std::string name;
  std::string signer;
  std::string text;
};

/// One signer's key record, when its selector is entered.
void write_dkim_entry(text::JsonWriter& w, const spf::ZoneView& zone, const DnsSources& dns,
                      const std::string& signer, const std::string& relay_host,
                      const DkimSigner& dkim, const std::string& ascii,
                      std::vector<MissingKey>& missing) {
  const std::string d = dkim.domain.empty() ? ascii : ascii_of(dkim.domain);
  w.object().member("signer", signer).key("relay");
  if (relay_host.empty()) {
    w.value(nullptr);
  } else {
    w.value(relay_host);
  }
  w.member("domain", d).member("selector", dkim.selector);
  if (dkim.selector.empty() || d.empty()) {
    w.member("status", "no-selector")
        .member("text",
                "The selector is not entered, so the key record cannot be looked up; the "
                "outcomes assume it is published and valid.")
        .end();
    return;
  }
  const std::string name = dkim.selector + "._domainkey." + d;
  w.member("name", name).key("source");
  write_source(w, dns, name, "TXT");
  const spf::DnsAnswer& answer = zone.query(name, spf::RrType::txt);
  const std::string who = signer == "crm" ? "the CRM" : "relay " + relay_host;
  if (answer.status == spf::DnsStatus::unknown || answer.status == spf::DnsStatus::temp_error) {
    w.member("status", "unknown")
        .member("text", name + " is not in the DNS data: check live DNS or enter the record.")
        .end();
    return;
  }
  if (answer.status != spf::DnsStatus::records || answer.txt.empty()) {
    w.member("status", "missing")
        .member("text", "No key record at " + name + ": every signature " + who +
                            " makes with this selector fails.")
        .end();
    missing.push_back({name, signer,
                       "Publish the DKIM key record at " + name + " that " + who +
                           " gives you (the public key of its selector " + dkim.selector +
                           "). relaycheck cannot write it: only the signer has the key."});
    return;
  }
  const std::string record = spf::join_strings(answer.txt.front());
  const dkim::KeyRecord key = dkim::parse_key_record(record);
  json parsed;
  dkim::to_json(parsed, key);
  w.member("status", dkim::to_string(key.verdict))
      .member("record", record)
      .member("parsed", parsed)
      .member("text", key.verdict == dkim::Verdict::ok
                          ? "The key record at " + name + " is valid" +
                                (key.key_bits > 0 ? " (" + key.key_type + ", " +
                                                        std::to_string(key.key_bits) + " bits)."
                                                  : std::string("."))
                          : "The key record at " + name + " is " +
                                std::string(dkim::to_string(key.verdict)) + ": " + key.reason)
      .end();
}

void write_spf(text::JsonWriter& w, const spf::ZoneView& zone, const DnsSources& sources,
               const Domain& domain, const std::string& ascii) {
  const spf::LintResult lint = spf::lint(zone, ascii);
  w.object()
      .member("name", ascii)
      .member("status", spf::to_string(lint.tree.status))
      .member("record", lint.tree.record)
      .key("source");
  write_source(w, sources, ascii, "TXT");
  w.key("tree");
  write_tree(w, lint.tree, sources, 0);
  w.member("lookups", lint.lookups)
      .member("lookupLimit", spf::kLookupLimit)
      .member("voidLookups", lint.void_lookups)
      .member("voidLimit", spf::kVoidLimit)
      .key("findings");
  write_json(w, lint.findings);
  w.key("needed");
  write_needed(w, lint.needed);
  w.member("complete", lint.needed.empty()).member("scope", spf_scope(domain, ascii)).end();
}

void write_domain_panel(text::JsonWriter& w, const spf::ZoneView& zone, const DnsSources& sources,
                        const Config& config, const Names& names, std::size_t d) {
  const Domain& domain = config.domains[d];
  const std::string ascii = ascii_of(domain.name);
  w.object().member("domain", d).member("name", names.domain(d)).member("ascii", ascii);
  if (ascii.empty()) {
    w.member("text", "The domain name is not valid, so its records cannot be read.").end();
    return;
  }
  w.key("spf");
  write_spf(w, zone, sources, domain, ascii);

  dmarc::DiscoveryOptions options;
  options.check_report_authorization = false;
  const std::optional<std::string> org = orgdomain::organizational_domain(ascii);
  const dmarc::Discovery found = dmarc::discover(zone, ascii, org, options);
  const std::string dmarc_name = found.record_name.empty() ? "_dmarc." + ascii : found.record_name;
  w.key("dmarc").object();
  dmarc::write_members(w, found, false);
  w.member("name", dmarc_name).key("source");
  write_source(w, sources, dmarc_name, "TXT");
  w.end();

  std::vector<MissingKey> missing;
  w.key("dkim").array();
  if (domain.crm_dkim.signs) {
    write_dkim_entry(w, zone, sources, "crm", "", domain.crm_dkim, ascii, missing);
  }
  for (const Relay& relay : domain.relays) {
    if (relay.dkim.signs) {
      write_dkim_entry(w, zone, sources, "relay", relay.host, relay.dkim, ascii, missing);
    }
  }
  w.end().key("publish").array();
  write_spf_publish(w, zone, domain, ascii);
  if (found.status == dmarc::DiscoveryStatus::none) write_dmarc_publish(w, org ? *org : ascii);
  w.end().key("missing").array();
  for (const MissingKey& m : missing) {
    w.object()
        .member("kind", "dkim")
        .member("name", m.name)
        .member("type", "TXT")
        .member("signer", m.signer)
        .member("text", m.text)
        .end();
  }
  w.end().end();
}

}  // namespace

void write_dns_panel(text::JsonWriter& w, const Config& config) {
  auto loaded = spf::ZoneView::load(config.dns, spf::MissingName::unknown);
  // A dns section that is not a zone is the outcomes' finding (config.dns.invalid); the panel
  // then reads nothing, as the outcomes do.
  if (!loaded) loaded = spf::ZoneView::load(json::object(), spf::MissingName::unknown);
  const Names names(config);
  const DnsSources sources(config.dns);
  w.array();
  for (std::size_t d = 0; d < config.domains.size(); ++d) {
    write_domain_panel(w, *loaded.zone, sources, config, names, d);
  }
  w.end();
}

json dns_panel(const Config& config) {
  return text::written_tree([&](text::JsonWriter& w) { write_dns_panel(w, config); });
}

}  // namespace relaycheck
