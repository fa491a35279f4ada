// The relay setup rules: domain names, relay counts, email-type routing, daily limits, and the
// per-relay and return-path rules of rules_relay.cpp and rules_return_path.cpp.
// core/rules.md documents every code.
#include "rules/rules.hpp"

#include <array>
#include <map>

#include "rules/detail.hpp"
#include "rules/timezone.hpp"
#include "rules/whitelist.hpp"

namespace relaycheck {
namespace rules {

std::string domain_path(std::size_t domain) { return "/domains/" + std::to_string(domain); }

std::string relay_path(std::size_t domain, std::size_t relay) {
  return domain_path(domain) + "/relays/" + std::to_string(relay);
}

}  // namespace rules

namespace {

using rules::domain_path;
using rules::relay_path;

/// Valid, fully qualified domain names; duplicates by their ASCII form.
void check_domain_names(const Config& config, std::vector<Finding>& out) {
  std::map<std::string, std::size_t> seen;
  for (std::size_t d = 0; d < config.domains.size(); ++d) {
    const std::string& text = config.domains[d].name;
    const std::string at = domain_path(d) + "/name";
    if (text.empty()) {
      out.push_back({"domain.name.missing", Severity::error, at,
                     "The domain has no name, so the CRM cannot tell which emails to relay.",
                     "Enter the sending domain, such as zylker.com."});
      continue;
    }
    auto name = parse_host_name(text);
    if (name && name.value->labels < 2) {
      name = {std::nullopt, "a sending domain has at least two labels (zylker.com)"};
    }
    if (!name) {
      out.push_back({"domain.name.invalid", Severity::error, at,
                     "The domain " + quote(text, '"') + " is not a valid domain name: " +
                         name.error + "; no email can be sent from it.",
                     "Enter the domain exactly as in the senders' addresses, such as zylker.com."});
      continue;
    }
    auto [it, inserted] = seen.emplace(name.value->ascii, d);
    if (!inserted) {
      out.push_back({"domain.name.duplicate", Severity::error, at,
                     "The domain \"" + name.value->unicode +
                         "\" is configured twice (also as domain " +
                         std::to_string(it->second + 1) +
                         " of the list); the CRM keeps one relay setup per domain.",
                     "Merge the two entries into one and remove this one."});
    }
  }
}

/// Each email type on at most one relay of a domain; relays without types; domains where no
/// type is routed at all.
void check_routing(const Domain& domain, std::size_t d, const Names& names,
                   std::vector<Finding>& out) {
  if (domain.relays.empty()) return;
  bool any_routed = false;
  for (const Relay& relay : domain.relays) any_routed = any_routed || !relay.email_types.empty();
  if (!any_routed) {
    out.push_back({"domain.email_types.unrouted", Severity::warning, domain_path(d) + "/relays",
                   "No relay of " + names.domain(d) +
                       " carries any email type, so "
                       "every email still goes out through the CRM's own servers.",
                   "Choose the email types (workflow, mass, individual) each relay carries."});
    return;
  }
  std::array<std::optional<std::size_t>, kEmailTypes.size()> owner{};
  for (std::size_t r = 0; r < domain.relays.size(); ++r) {
    const Relay& relay = domain.relays[r];
    if (relay.email_types.empty()) {
      out.push_back(
          {"relay.email_types.none", Severity::warning, relay_path(d, r) + "/emailTypes",
           "The relay " + names.relay(d, r) + " carries no email type, so the CRM never uses it.",
           "Choose the email types it carries, or remove the relay."});
    }
    for (std::size_t k = 0; k < relay.email_types.size(); ++k) {
      const auto type = static_cast<std::size_t>(relay.email_types[k]);
      if (!owner[type]) {
        owner[type] = r;
        continue;
      }
      const std::string type_name(to_string(relay.email_types[k]));
      // The source says only that each type can have its own relay; which relay the CRM uses
      // for a type two relays list is not documented, so this is a warning, and the planner's
      // assumption is named as one.
      out.push_back(
          {"domain.email_type.conflict", Severity::warning,
           relay_path(d, r) + "/emailTypes/" + std::to_string(k),
           "The " + type_name + " emails of " + names.domain(d) + " are listed on " +
               names.relay(d, *owner[type]) + " and on " + names.relay(d, r) +
               ": the CRM's documentation says that each email type can have its own relay, but "
               "not which relay sends a type that two relays list. The plan here assumes the "
               "first in the config, " +
               names.relay(d, *owner[type]) + ", sends them all.",
           "Keep " + type_name +
               " on one of the two relays and remove it from the other, so that "
               "the routing does not rest on behaviour the CRM does not document."});
    }
  }
}

/// The relays' daily limits share the edition's limit; they never add to it.
void check_limits(const Config& config, std::vector<Finding>& out) {
  std::int64_t total = 0;
  std::size_t relays = 0;
  for (const Domain& domain : config.domains) {
    for (const Relay& relay : domain.relays) {
      // Each limit is at most 2^53 and there are at most 10,000 relays: no overflow.
      total += relay.daily_limit;
      ++relays;
    }
  }
  const std::int64_t edition = config.account.edition_daily_limit;
  if (total > edition) {
    out.push_back({"account.relay_limits.exceed_edition", Severity::error,
                   "/account/editionDailyLimit",
                   "The relays' daily limits add up to " + std::to_string(total) + " over " +
                       std::to_string(relays) + " relay" + (relays == 1 ? "" : "s") +
                       ", more than the edition's daily limit of " + std::to_string(edition) +
                       ": a relay does not add to the edition's limit, so the relays can never all "
                       "reach their limits.",
                   "Lower the relays' daily limits so that they add up to at most " +
                       std::to_string(edition) +
                       "; the rest of the edition's limit goes through the CRM's servers."});
  }
}

void check_bounce_domains(const Config& config, std::vector<Finding>& out) {
  const auto& names = config.account.bounce_domains;
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto name = parse_host_name(names[i]);
    if (name && name.value->labels >= 2) continue;
    out.push_back({"account.bounce_domain.invalid", Severity::error,
                   "/account/bounceDomains/" + std::to_string(i),
                   "The CRM bounce domain " + quote(names[i], '"') + " is not a valid domain name" +
                       (name ? std::string(": it is a single label") : ": " + name.error) +
                       "; a relay cannot be told to accept it.",
                   "Enter the bounce domain exactly as the CRM's relay settings list it."});
  }
}

}  // namespace

std::vector<Finding> check_setup(const Config& config, nlohmann::json* whitelist_report) {
  std::vector<Finding> out;
  check_domain_names(config, out);
  check_bounce_domains(config, out);
  rules::check_time_zone(config, out);
  check_limits(config, out);
  // The CRM's ranges: built in per data centre, or the admin's pasted list (checked here, once).
  const crm::RequiredNetworks required = crm::required_networks(
      to_string(config.account.data_center), config.account.crm_ranges, "/account/crmRanges");
  out.insert(out.end(), required.findings.begin(), required.findings.end());
  nlohmann::json* whitelist_relays = nullptr;
  if (whitelist_report != nullptr) {
    // Password relays need only the connection allowed; relay-granting snippets are for
    // IP-whitelist relays. `snippets` is the kind this config needs: grant-relay only when
    // every relay authenticates by IP, else the kind that keeps SMTP AUTH required.
    bool any_relay = false;
    bool all_by_ip = true;
    for (const Domain& domain : config.domains) {
      for (const Relay& relay : domain.relays) {
        any_relay = true;
        all_by_ip = all_by_ip && relay.auth == AuthMethod::ip_whitelist;
      }
    }
    const auto kind = any_relay && all_by_ip ? whitelist::SnippetKind::grant_relay
                                             : whitelist::SnippetKind::allow_connection;
    const std::string label = required.label == "custom"
                                  ? std::string("your list of the CRM's ranges")
                                  : "the CRM's " + required.label + " data-centre ranges";
    nlohmann::json by_kind = nlohmann::json::object();
    for (auto k : whitelist::kSnippetKinds) {
      nlohmann::json snippets = nlohmann::json::object();
      for (auto format : whitelist::kSnippetFormats) {
        snippets[std::string(whitelist::to_string(format))] =
            whitelist::snippet(required.networks, format, label, k);
      }
      by_kind[std::string(whitelist::to_string(k))] = std::move(snippets);
    }
    nlohmann::json ranges = nlohmann::json::array();
    for (const auto& prefix : required.networks.prefixes()) ranges.push_back(ip::to_string(prefix));
    nlohmann::json snippets = by_kind[std::string(whitelist::to_string(kind))];
    *whitelist_report = {{"dataCenter", required.label},
                         {"ranges", std::move(ranges)},
                         {"snippetKind", whitelist::to_string(kind)},
                         {"snippets", std::move(snippets)},
                         {"snippetsByKind", std::move(by_kind)},
                         {"relays", nlohmann::json::array()}};
    whitelist_relays = &(*whitelist_report)["relays"];
  }
  const Names names(config);
  std::vector<std::string> relay_domains;
  for (const Domain& domain : config.domains) {
    auto name = parse_host_name(domain.name);
    if (name && !domain.relays.empty()) relay_domains.push_back(name.value->ascii);
  }
  for (std::size_t d = 0; d < config.domains.size(); ++d) {
    const Domain& domain = config.domains[d];
    if (domain.relays.size() > kMaxRelaysPerDomain) {
      out.push_back({"domain.relays.too_many", Severity::error, relay_path(d, kMaxRelaysPerDomain),
                     "The domain " + names.domain(d) + " has " +
                         std::to_string(domain.relays.size()) +
                         " relay servers; the CRM allows at most three per domain.",
                     "Remove relay servers until three remain, or move one to another domain."});
    }
    std::map<std::pair<std::string, int>, std::size_t> endpoints;
    for (std::size_t r = 0; r < domain.relays.size(); ++r) {
      const Relay& relay = domain.relays[r];
      rules::check_relay(required, relay, relay_path(d, r), out, whitelist_relays);
      const std::string key = rules::read_relay_host(relay.host).key;
      if (key.empty()) continue;
      auto [it, inserted] = endpoints.emplace(std::make_pair(key, relay.port), r);
      if (!inserted) {
        out.push_back(
            {"relay.host.duplicate", Severity::warning, relay_path(d, r) + "/host",
             "The relay " + names.relay(d, r) + " is the same server as " +
                 names.relay(d, it->second) +
                 "; a second entry adds no "
                 "capacity and splits the email types and limits of one server.",
             "Remove the duplicate and give its email types and limit to the first entry."});
      }
    }
    check_routing(domain, d, names, out);
    if (!domain.relays.empty()) rules::check_return_path(config, names, relay_domains, d, out);
  }
  return out;
}

nlohmann::json domain_forms(const Config& config) {
  nlohmann::json out = nlohmann::json::array();
  for (const Domain& domain : config.domains) {
    const auto name = parse_host_name(domain.name);
    out.push_back(
        {{"name", domain.name},
         {"ascii", name ? nlohmann::json(name.value->ascii) : nlohmann::json(nullptr)},
         {"unicode", name ? nlohmann::json(name.value->unicode) : nlohmann::json(nullptr)}});
  }
  return out;
}

}  // namespace relaycheck
