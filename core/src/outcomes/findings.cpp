// The findings that explain the outcomes: computed sentences, each with its fix. Paths of one
// domain that take the same route (a relay, or the CRM's servers for one reason) share their
// findings, with the emails of every type counted. core/rules.md documents every code.
#include <algorithm>
#include <map>
#include <tuple>

#include "outcomes/detail.hpp"

namespace relaycheck::outcomes {
namespace {

using plan::RouteKind;
using plan::RouteReason;

/// `text` with its first letter upper-case, to start a message with: only for text that starts
/// with relaycheck's own words (an email type, "SPF is checked"), never with a name.
std::string capitalised(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') {
    text[0] = static_cast<char>(text[0] - 'a' + 'A');
  }
  return text;
}

/// The paths of one domain that take one route.
struct Group {
  std::vector<std::size_t> members;  ///< indexes into the outcomes
  std::int64_t emails = 0;
};

using GroupKey = std::tuple<std::size_t, int, int, long>;

GroupKey key_of(const plan::MessagePath& p) {
  return {p.domain, static_cast<int>(p.kind), static_cast<int>(p.reason),
          p.relay ? static_cast<long>(*p.relay) : -1L};
}

std::string domain_pointer(std::size_t d) { return "/domains/" + std::to_string(d); }

std::string relay_pointer(const plan::MessagePath& p) {
  return domain_pointer(p.domain) + "/relays/" + std::to_string(p.relay.value_or(0));
}

/// "1,774 mass and 300 workflow emails a day", or "mass and workflow emails (none today)".
std::string group_emails(const std::vector<Outcome>& outcomes, const Group& group) {
  std::vector<std::string> parts;
  for (std::size_t i : group.members) {
    const Outcome& o = outcomes[i];
    if (group.emails > 0 && o.path.total == 0) continue;
    parts.push_back(group.emails == 0 ? std::string(to_string(o.path.type))
                                      : plan::format_count(o.path.total) + " " +
                                            std::string(to_string(o.path.type)));
  }
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  }
  return group.emails == 0 ? out + " emails (none today)"
                           : out + (group.emails == 1 ? " email a day" : " emails a day");
}

/// What a receiver does with the failing mail, in words.
std::string disposition_words(const DmarcOutcome& dmarc, const std::string& from) {
  if (dmarc.result == "none") {
    return "no DMARC policy applies to " + from +
           ", so receivers decide on their own (unauthenticated mail often lands in spam)";
  }
  if (dmarc.assumed) {
    return "whether receivers refuse them depends on the DMARC record of " + from +
           ", which is not in the DNS data";
  }
  std::string out = "the DMARC record of " + dmarc.record_domain + " asks for " + dmarc.policy +
                    " (" + dmarc.source + "=" + dmarc.declared +
                    (dmarc.declared != dmarc.policy ? ", one step weaker for t=y" : "") + ")";
  if (dmarc.policy == "none") return out + ": receivers deliver them but report the failure";
  out += dmarc.policy == "reject" ? ": receivers reject them" : ": receivers put them in spam";
  if (dmarc.pct && *dmarc.pct < 100) {
    out += " (receivers that follow RFC 7489 apply it to " + std::to_string(*dmarc.pct) +
           "% of them and a weaker policy to the rest)";
  }
  return out;
}

/// The envelope domain in words: its name, or whose it is when the config does not name it.
std::string envelope_words(const Outcome& o) {
  if (!o.envelope_from.empty()) return o.envelope_from;
  return o.envelope_owner == "crm" ? "the CRM's bounce domain (not entered)"
                                   : "the relay's bounce domain (not entered)";
}

/// Why no aligned pass exists, from the path's SPF and DKIM outcomes.
std::string failure_causes(const Outcome& o, const std::string& from) {
  std::string spf;
  if (o.spf->result == "pass") {
    spf = "SPF passes for " + envelope_words(o) + " but is not aligned with " + from;
  } else {
    spf = "SPF " + o.spf->result + " for " + envelope_words(o) + " (" + o.spf->basis + ")";
  }
  std::string dkim;
  for (const DkimOutcome& sig : o.dkim) {
    dkim += (dkim.empty() ? "" : "; ") +
            (sig.result != "pass" ? sig.reason
             : sig.aligned        ? "DKIM d=" + sig.domain + " passes, aligned with " + from
                           : "DKIM d=" + sig.domain + " passes but is not aligned with " + from);
  }
  if (dkim.empty()) dkim = "no one signs DKIM on this route";
  return spf + "; " + dkim;
}

/// The aligned DKIM passes in words: "the CRM's DKIM (d=zylker.com)".
std::string aligned_dkim_words(const Outcome& o) {
  std::string out;
  for (const DkimOutcome& sig : o.dkim) {
    if (!sig.aligned) continue;
    out += (out.empty() ? "" : " and ") +
           std::string(sig.signer == "crm" ? "the CRM's" : "the relay's") +
           " DKIM (d=" + sig.domain + ")";
  }
  return out;
}

bool crm_signature_broken(const Outcome& o) {
  return std::any_of(o.dkim.begin(), o.dkim.end(),
                     [](const DkimOutcome& s) { return s.signer == "crm" && s.result == "fail"; });
}

/// The fix for a DMARC failure, and the field it is about. Prefers DKIM, as the domain source
/// does, and never a change that another rule reports.
std::pair<std::string, std::string> dmarc_fix(const Context& context, const Outcome& o) {
  const std::string& from = context.names.domain(o.path.domain);
  const std::string d = domain_pointer(o.path.domain);
  const Domain& domain = context.config.domains[o.path.domain];
  if (crm_signature_broken(o)) {
    return {relay_pointer(o.path) + "/modifiesMessages",
            "Have relay " + context.names.relay(o.path.domain, *o.path.relay) +
                " sign DKIM with d=" + from +
                " after its changes, or stop it adding footers and disclaimers. An ARC seal "
                "from the relay does not make DMARC pass."};
  }
  for (const DkimOutcome& sig : o.dkim) {
    if (sig.result == "permerror") {
      return {"/dns", "Publish a valid DKIM key record: " + sig.reason + "."};
    }
  }
  if (!domain.crm_dkim.signs) {
    return {d + "/crmDkim/enabled",
            "Turn on DKIM signing for " + from +
                " in the CRM (the domain source recommends it), signing with d=" + from + "."};
  }
  if (!o.dkim.empty() && o.dkim.front().signer == "crm" && !o.dkim.front().aligned) {
    return {d + "/crmDkim/domain", "Authenticate " + from + " in the CRM so that it signs with d=" +
                                       from + " instead of d=" + o.dkim.front().domain + "."};
  }
  return {d + "/returnPath", "Sign DKIM with d=" + from +
                                 ", or authorise the clients of this "
                                 "route in the SPF record of an envelope domain that aligns with " +
                                 from + "."};
}

/// True when the envelope domain is one the admin chose (the From address, a custom address, a
/// relay's rewritten return path), not the CRM's own bounce domain.
bool envelope_set_by_admin(const Context& context, const Outcome& o) {
  const Relay* relay = relay_of(context.config, o.path);
  return (relay && relay->rewrites_return_path) ||
         context.config.domains[o.path.domain].return_path != ReturnPathMode::crm;
}

/// True when the failure is certain: no identifier that could align rests on missing DNS data or
/// on a relay's outbound IPs that are not entered. Taking the CRM's ranges as its outbound
/// addresses is the model's premise, not missing data: a record that refuses them all is certain.
bool failure_certain(const Context& context, const Outcome& o) {
  if (o.dmarc->assumed) return false;
  const bool unknown_clients = relay_of(context.config, o.path) && o.client_ips_assumed;
  if (o.spf->result != "pass" && !o.spf->domain.empty() &&
      (!o.spf->needed.empty() || unknown_clients)) {
    return false;
  }
  return std::none_of(o.dkim.begin(), o.dkim.end(),
                      [](const DkimOutcome& s) { return s.assumed && s.result != "pass"; });
}

Severity failure_severity(const Context& context, const Outcome& o, const Group& group) {
  const bool refuses = o.dmarc->result == "fail" && !o.dmarc->assumed &&
                       (o.dmarc->policy == "quarantine" || o.dmarc->policy == "reject");
  return refuses && group.emails > 0 && failure_certain(context, o) ? Severity::error
                                                                    : Severity::warning;
}

struct Explainer {
  const Context& context;
  std::vector<Outcome>& outcomes;
  std::vector<Finding>& findings;
  /// Per domain: the relay routes whose DMARC rests on DKIM alone because the CRM stays the
  /// return path (reported together by explain_relay_hops).
  std::map<std::size_t, std::vector<const Group*>> relay_hops{};

  void add(const Group& group, Finding finding) {
    for (std::size_t i : group.members) outcomes[i].findings.push_back(findings.size());
    findings.push_back(std::move(finding));
  }

  void explain_group(const Group& group) {
    const Outcome& o = outcomes[group.members.front()];
    if (!o.spf || !o.dmarc) return;
    const std::string& from = context.names.domain(o.path.domain);
    const std::string route = route_words(context, o.path);
    const std::string emails = group_emails(outcomes, group);
    if (!has_aligned_pass(o)) {
      auto [at, fix] = dmarc_fix(context, o);
      add(group, {"outcome.dmarc.fail", failure_severity(context, o, group), at,
                  capitalised(emails) + " of " + from + " " + route +
                      (group.emails == 0 ? " would fail DMARC: " : " fail DMARC: ") +
                      failure_causes(o, from) + "; " + disposition_words(*o.dmarc, from) + ".",
                  fix});
    } else {
      explain_pass(group, o, from, route, emails);
    }
    explain_spf(group, o, from, route);
  }

  void explain_pass(const Group& group, const Outcome& o, const std::string& from,
                    const std::string& route, const std::string& emails) {
    const Relay* relay = relay_of(context.config, o.path);
    if (relay && crm_signature_broken(o)) {
      add(group,
          {"outcome.dkim.broken", Severity::warning, relay_pointer(o.path) + "/modifiesMessages",
           "Relay " + context.names.relay(o.path.domain, *o.path.relay) +
               " changes messages after the CRM signed them, so the CRM's DKIM signature "
               "fails for " +
               emails + " " + route + "; they pass DMARC only through " +
               (o.spf->aligned ? "SPF (" + o.spf->domain + ")" : aligned_dkim_words(o)) +
               " (an ARC seal is not a DMARC pass).",
           "Keep the relay's own DKIM signature with d=" + from +
               " on, or stop the relay adding footers and disclaimers."});
      return;
    }
    if (o.spf->aligned) return;
    if (relay && context.config.domains[o.path.domain].return_path == ReturnPathMode::crm &&
        !relay->rewrites_return_path) {
      relay_hops[o.path.domain].push_back(&group);
    } else if (!o.spf->domain.empty() && envelope_set_by_admin(context, o) &&
               !aligns(context, o.path.domain, o.spf->domain, false)) {
      // Alignment is a fact of the names alone: whatever the SPF record of the envelope domain
      // says (or whether the DNS data holds it), SPF cannot carry DMARC for this mail.
      const std::string spf_words =
          o.spf->result == "pass" && !o.spf->assumed ? "SPF passes for " + o.spf->domain
          : o.spf->assumed
              ? "SPF is checked for " + o.spf->domain + " (its result rests on data not entered)"
              : "SPF is checked for " + o.spf->domain + " (" + o.spf->result + ")";
      add(group,
          {"outcome.spf.unaligned", Severity::info, domain_pointer(o.path.domain) + "/returnPath",
           capitalised(spf_words) + ", which is not aligned with " + from +
               ", so SPF cannot carry DMARC: " + emails + " " + route +
               " pass DMARC only through DKIM.",
           "Keep DKIM signing with d=" + from +
               " on; for an SPF pass that aligns, use a return path in " + from + "."});
    }
  }

  /// One finding per domain for the relays that keep the CRM as return path (the domain
  /// source's first case): SPF fails at each relay hop, and DKIM alone carries DMARC.
  void explain_relay_hops() {
    for (const auto& [d, list] : relay_hops) {
      std::string routes;
      std::vector<std::size_t> members;
      for (std::size_t i = 0; i < list.size(); ++i) {
        const Outcome& o = outcomes[list[i]->members.front()];
        routes += (i == 0 ? "" : "; ") + group_emails(outcomes, *list[i]) + " " +
                  route_words(context, o.path);
        members.insert(members.end(), list[i]->members.begin(), list[i]->members.end());
      }
      const Outcome& first = outcomes[list.front()->members.front()];
      const std::string& from = context.names.domain(d);
      Group all{members, 0};
      add(all, {"outcome.spf.relay_hop", Severity::info, domain_pointer(d) + "/returnPath",
                "SPF fails at the relay hop because the return path stays with the CRM: " + routes +
                    " pass DMARC only through " + aligned_dkim_words(first) + ".",
                "Keep DKIM signing on for " + from +
                    " and make sure the relay does not change signed messages."});
    }
  }

  void explain_spf(const Group& group, const Outcome& o, const std::string& from,
                   const std::string& route) {
    const SpfOutcome& spf = *o.spf;
    if (spf.result == "temperror" || spf.result == "permerror") {
      add(group, {spf.result == "temperror" ? "outcome.spf.temperror" : "outcome.spf.permerror",
                  Severity::warning, "/dns",
                  "SPF of " + spf.domain + " gives " + spf.result + " for mail " + route + " (" +
                      spf.basis + ")" +
                      (spf.result == "temperror"
                           ? ": receivers defer the mail and retry, they do not fail it."
                           : ": every check that reaches it is a permerror, which DMARC counts as "
                             "no SPF pass."),
                  spf.result == "temperror"
                      ? "Make the name servers of " + spf.domain + " answer reliably."
                      : "Correct the SPF record of " + spf.domain + "."});
      return;
    }
    const Relay* relay = relay_of(context.config, o.path);
    const bool own = !spf.domain.empty() && aligns(context, o.path.domain, spf.domain, false);
    if (relay && own && !spf.assumed && spf.result != "pass") {
      std::string failing;
      for (const auto& c : spf.clients) {
        if (c.result != "pass") failing += (failing.empty() ? "" : ", ") + c.client;
      }
      add(group,
          {"outcome.spf.not_authorised", Severity::warning, "/dns",
           "The SPF record of " + spf.domain + " does not authorise " + failing +
               " (outbound IPs of relay " + context.names.relay(o.path.domain, *o.path.relay) +
               "): SPF " + spf.result + " for mail " + route + " of " + from + ".",
           "Add " + failing + " to the SPF record of " + spf.domain + " (ip4:/ip6: terms)."});
    }
  }
};

void explain_missing_ips(const Context& context, std::vector<Outcome>& outcomes,
                         std::vector<Finding>& findings) {
  std::map<std::pair<std::size_t, std::size_t>, std::vector<std::size_t>> by_relay;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const Outcome& o = outcomes[i];
    if (relay_of(context.config, o.path) && o.client_ips_assumed) {
      by_relay[{o.path.domain, *o.path.relay}].push_back(i);
    }
  }
  for (const auto& [key, members] : by_relay) {
    const std::string pointer =
        domain_pointer(key.first) + "/relays/" + std::to_string(key.second) + "/outboundIps";
    for (std::size_t i : members) outcomes[i].findings.push_back(findings.size());
    findings.push_back(
        {"outcome.relay.outbound_ips_missing", Severity::warning, pointer,
         "Relay " + context.names.relay(key.first, key.second) +
             " has no outbound IPs entered, so SPF cannot be checked for the mail it sends on: "
             "its SPF result is assumed.",
         "Enter the addresses relay " + context.names.relay(key.first, key.second) +
             " sends to recipients from (its provider documents them)."});
  }
}

}  // namespace

void explain(const Context& context, std::vector<Outcome>& outcomes,
             std::vector<Finding>& findings) {
  std::map<GroupKey, Group> groups;
  std::vector<GroupKey> order;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const GroupKey key = key_of(outcomes[i].path);
    auto [it, inserted] = groups.try_emplace(key);
    if (inserted) order.push_back(key);
    it->second.members.push_back(i);
    it->second.emails += outcomes[i].path.total;
  }
  Explainer explainer{context, outcomes, findings};
  for (const GroupKey& key : order) explainer.explain_group(groups[key]);
  explainer.explain_relay_hops();
  explain_missing_ips(context, outcomes, findings);
}

}  // namespace relaycheck::outcomes
