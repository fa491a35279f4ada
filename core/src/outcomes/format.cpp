// The outcomes as a document (`outcomes` of the analysis report) and as a text matrix.
#include <nlohmann/json.hpp>

#include "config/names.hpp"
#include "outcomes/outcomes.hpp"
#include "text/json_writer.hpp"

namespace relaycheck::outcomes {
namespace {

using json = nlohmann::json;

/// `text`, or null when it is empty.
void text_or_null(text::JsonWriter& w, std::string_view name, const std::string& text) {
  if (text.empty()) {
    w.member(name, nullptr);
  } else {
    w.member(name, text);
  }
}

void write_spf(text::JsonWriter& w, const SpfOutcome& spf) {
  w.object().member("result", spf.result).member("domain", spf.domain);
  w.member("aligned", spf.aligned).member("assumed", spf.assumed).key("clients").array();
  for (const auto& c : spf.clients) {
    w.object().member("client", c.client).member("result", c.result).end();
  }
  w.end().member("basis", spf.basis).member("code", spf.code).key("needed").array();
  for (const auto& name : spf.needed) w.value(name);
  w.end().end();
}

void write_dkim(text::JsonWriter& w, const std::vector<DkimOutcome>& signatures) {
  w.array();
  for (const DkimOutcome& s : signatures) {
    w.object().member("signer", s.signer).member("domain", s.domain);
    text_or_null(w, "selector", s.selector);
    w.member("result", s.result).member("aligned", s.aligned).member("assumed", s.assumed);
    w.member("reason", s.reason).end();
  }
  w.end();
}

void write_dmarc(text::JsonWriter& w, const DmarcOutcome& d) {
  w.object().member("result", d.result);
  text_or_null(w, "policy", d.policy);
  text_or_null(w, "source", d.source);
  text_or_null(w, "declared", d.declared);
  w.member("disposition", d.disposition).member("pct", d.pct);
  text_or_null(w, "recordDomain", d.record_domain);
  w.member("assumed", d.assumed).member("reason", d.reason).end();
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

void write(text::JsonWriter& w, const Outcomes& outcomes, const Config& config,
           const std::vector<std::optional<std::size_t>>& finding_index) {
  const Names names(config);
  w.array();
  for (const Outcome& o : outcomes.paths) {
    const plan::MessagePath& p = o.path;
    w.object()
        .member("domain", p.domain)
        .member("domainName", config.domains[p.domain].name)
        .member("type", to_string(p.type))
        .member("route", to_string(p.kind))
        .member("routeLabel", plan::route_label(p, names));
    if (p.reason == plan::RouteReason::none) {
      w.member("reason", nullptr);
    } else {
      w.member("reason", to_string(p.reason));
    }
    w.member("relay", p.relay);
    if (p.relay) {
      w.member("host", config.domains[p.domain].relays[*p.relay].host);
    } else {
      w.member("host", nullptr);
    }
    w.member("total", p.total).member("potential", o.potential);
    text_or_null(w, "envelopeFrom", o.envelope_from);
    text_or_null(w, "envelopeOwner", o.envelope_owner);
    w.key("clientIps").array();
    for (const auto& ip : o.client_ips) w.value(ip);
    w.end().member("clientIpsAssumed", o.client_ips_assumed).key("spf");
    if (o.spf) {
      write_spf(w, *o.spf);
    } else {
      w.value(nullptr);
    }
    w.key("dkim");
    write_dkim(w, o.dkim);
    w.key("dmarc");
    if (o.dmarc) {
      write_dmarc(w, *o.dmarc);
    } else {
      w.value(nullptr);
    }
    w.key("findings").array();
    for (std::size_t i : o.findings) {
      if (i < finding_index.size() && finding_index[i]) w.value(*finding_index[i]);
    }
    w.end().end();
  }
  w.end();
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
