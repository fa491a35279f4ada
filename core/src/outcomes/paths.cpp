// Steps 1 and 2 of outcomes.hpp: which paths there are, their envelope domain and their clients.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "outcomes/detail.hpp"
#include "plan/plan.hpp"
#include "rules/crm_networks.hpp"
#include "text/email_address.hpp"
#include "text/hostname.hpp"

namespace relaycheck::outcomes {
namespace {

using plan::MessagePath;
using plan::RouteKind;
using plan::RouteReason;

std::string ascii_domain(std::string_view text) {
  const auto host = parse_host_name(text);
  return host ? host.value->ascii : std::string();
}

bool same_route(const MessagePath& a, const MessagePath& b) {
  return a.domain == b.domain && a.type == b.type && a.kind == b.kind && a.reason == b.reason &&
         a.relay == b.relay;
}

/// The routes the setup allows for one domain and type, whether or not mail takes them today:
/// the first relay listing the type (the planner's rule), its overflow to the CRM's servers, and
/// its outage route when an outage is set; or the CRM's servers when no relay lists the type.
std::vector<MessagePath> allowed_routes(const Domain& domain, std::size_t d, EmailType type) {
  std::vector<MessagePath> routes;
  for (std::size_t r = 0; r < domain.relays.size(); ++r) {
    const auto& types = domain.relays[r].email_types;
    if (std::find(types.begin(), types.end(), type) == types.end()) continue;
    MessagePath relayed{d, type, RouteKind::relay, RouteReason::none, r, {}, 0};
    MessagePath cap{d, type, RouteKind::crm, RouteReason::relay_cap, r, {}, 0};
    routes = {relayed, cap};
    if (domain.relays[r].outage_from_hour) {
      routes.push_back({d, type, RouteKind::crm, RouteReason::relay_outage, r, {}, 0});
    }
    return routes;
  }
  routes.push_back({d, type, RouteKind::crm, RouteReason::no_relay, std::nullopt, {}, 0});
  return routes;
}

/// The envelope domain on the final hop (step 1), or "" when the config does not say it.
std::string envelope_domain(const Context& context, const Outcome& outcome) {
  const Config& config = context.config;
  const Domain& domain = config.domains[outcome.path.domain];
  if (const Relay* relay = relay_of(config, outcome.path); relay && relay->rewrites_return_path) {
    return ascii_domain(relay->return_path_domain);
  }
  switch (domain.return_path) {
    case ReturnPathMode::crm:
      return config.account.bounce_domains.empty()
                 ? std::string()
                 : ascii_domain(config.account.bounce_domains.front());
    case ReturnPathMode::from_address:
      return context.from_domains[outcome.path.domain];
    case ReturnPathMode::custom_address: {
      const auto address = parse_email_address(domain.return_path_address);
      return address ? address.value->domain.ascii : std::string();
    }
  }
  return {};
}

Outcome make_outcome(const MessagePath& path, bool potential) {
  Outcome outcome;
  outcome.path = path;
  outcome.potential = potential;
  return outcome;
}

std::string envelope_owner(const Context& context, const Outcome& outcome) {
  const Relay* relay = relay_of(context.config, outcome.path);
  if (relay && relay->rewrites_return_path) return "relay";
  switch (context.config.domains[outcome.path.domain].return_path) {
    case ReturnPathMode::crm:
      return "crm";
    case ReturnPathMode::from_address:
      return "from";
    case ReturnPathMode::custom_address:
      return "custom";
  }
  return {};
}

/// Step 2: the relay's outbound IPs, or the CRM's ranges (assumed) for mail it sends itself.
void set_clients(const Context& context, Outcome& outcome) {
  if (const Relay* relay = relay_of(context.config, outcome.path)) {
    for (const std::string& text : relay->outbound_ips) {
      const auto prefix = ip::parse_prefix(text, ip::HostBits::mask);
      if (prefix) outcome.client_ips.push_back(client_text(*prefix.value));
    }
    outcome.client_ips_assumed = outcome.client_ips.empty();
    return;
  }
  for (const ip::Prefix& p : context.crm_ranges) outcome.client_ips.push_back(client_text(p));
  outcome.client_ips_assumed = true;
}

}  // namespace

std::string client_text(const ip::Prefix& prefix) {
  return prefix.length == ip::max_length(prefix.family) ? ip::to_string(prefix.network())
                                                        : ip::to_string(prefix);
}

const Relay* relay_of(const Config& config, const MessagePath& path) {
  if (path.kind != RouteKind::relay || !path.relay) return nullptr;
  const Domain& domain = config.domains[path.domain];
  return *path.relay < domain.relays.size() ? &domain.relays[*path.relay] : nullptr;
}

std::vector<Outcome> enumerate_paths(const Context& context, const plan::Plan& day) {
  std::vector<Outcome> outcomes;
  for (const MessagePath& p : day.paths) outcomes.push_back(make_outcome(p, false));
  for (EmailType type : plan::kServeOrder) {
    for (std::size_t d = 0; d < context.config.domains.size(); ++d) {
      for (const MessagePath& route : allowed_routes(context.config.domains[d], d, type)) {
        const bool listed = std::any_of(outcomes.begin(), outcomes.end(), [&](const Outcome& o) {
          return same_route(o.path, route);
        });
        if (!listed) outcomes.push_back(make_outcome(route, true));
      }
    }
  }
  for (Outcome& o : outcomes) {
    if (o.path.kind == RouteKind::not_sent) continue;
    o.envelope_from = envelope_domain(context, o);
    o.envelope_owner = envelope_owner(context, o);
    set_clients(context, o);
  }
  return outcomes;
}

void prepare(Context& context, std::vector<Finding>& findings) {
  const Config& config = context.config;
  auto loaded = spf::ZoneView::load(config.dns, spf::MissingName::unknown);
  if (!loaded) {
    findings.push_back(
        {"config.dns.invalid", Severity::error, "/dns" + loaded.path,
         "The DNS data cannot be read (" + loaded.error +
             "), so every SPF, DKIM and DMARC outcome below is assumed, not computed.",
         "Correct the record, or remove it and fetch the domain's records again."});
    loaded = spf::ZoneView::load(nlohmann::json::object(), spf::MissingName::unknown);
  }
  context.zone = std::move(loaded.zone);
  auto required = crm::required_networks(to_string(config.account.data_center),
                                         config.account.crm_ranges, "/account/crmRanges");
  context.crm_ranges = required.networks.prefixes();
  for (const Domain& domain : config.domains) {
    context.from_domains.push_back(ascii_domain(domain.name));
  }
}

}  // namespace relaycheck::outcomes
