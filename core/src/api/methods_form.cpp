// The façade method `form`: what the page's editor offers, from core's own tables, so that the
// page holds no fact of core's. Every list comes from the table that the loader, the rules or the
// planner use; every default from the model's own initial values, written out by to_json; only
// the labels (the admin's words for each value) are written here, once.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/methods.hpp"
#include "config/config.hpp"
#include "config/fields.hpp"
#include "dns/lookup_plan.hpp"
#include "plan/plan.hpp"
#include "rules/crm_networks.hpp"
#include "rules/rules.hpp"
#include "rules/whitelist.hpp"

namespace relaycheck::methods {
namespace {

using json = nlohmann::json;

// The admin's words for each value. A switch without a default: a value added to an enum does
// not compile (-Wswitch, -Werror) until it has its words here.

std::string label(DataCenter value) {
  if (value == DataCenter::custom) return "Custom ranges";
  const std::string name(to_string(value));
  const std::string host = crm::data_center_host(name);
  return host.empty() ? name : name + " (" + host + ")";
}

std::string label(Security value) {
  switch (value) {
    case Security::none:
      return "None";
    case Security::starttls:
      return "STARTTLS (\"TLS\")";
    case Security::implicit_tls:
      return "Implicit TLS (\"SSL\")";
  }
  return {};
}

std::string label(AuthMethod value) {
  switch (value) {
    case AuthMethod::password:
      return "User name and password";
    case AuthMethod::ip_whitelist:
      return "IP-based relay permission (no password)";
  }
  return {};
}

std::string label(EmailType value) {
  switch (value) {
    case EmailType::workflow:
      return "Workflow emails";
    case EmailType::mass:
      return "Mass emails";
    case EmailType::individual:
      return "Individual emails";
  }
  return {};
}

std::string label(ReturnPathMode value) {
  switch (value) {
    case ReturnPathMode::crm:
      return "The CRM (bounce management on)";
    case ReturnPathMode::from_address:
      return "The From address (bounce management off)";
    case ReturnPathMode::custom_address:
      return "A custom address (bounce management off)";
  }
  return {};
}

std::string hour_text(int hour) { return (hour < 10 ? "0" : "") + std::to_string(hour) + ":00"; }

std::string label(TrafficProfile value) {
  switch (value) {
    case TrafficProfile::office_hours:
      return "Office hours (" + hour_text(plan::kOfficeFirstHour) + " to " +
             hour_text(plan::kOfficeEndHour) + ")";
    case TrafficProfile::burst:
      return "One campaign burst";
    case TrafficProfile::flat:
      return "Flat over the day";
    case TrafficProfile::custom:
      return "Custom hourly weights";
  }
  return {};
}

std::string label(whitelist::SnippetFormat value) {
  switch (value) {
    case whitelist::SnippetFormat::plain:
      return "Plain list";
    case whitelist::SnippetFormat::postfix:
      return "Postfix";
    case whitelist::SnippetFormat::exim:
      return "Exim";
    case whitelist::SnippetFormat::sendmail:
      return "Sendmail";
    case whitelist::SnippetFormat::exchange:
      return "Exchange";
  }
  return {};
}

std::string label(whitelist::SnippetKind value) {
  switch (value) {
    case whitelist::SnippetKind::allow_connection:
      return "Let the CRM connect (the password stays required)";
    case whitelist::SnippetKind::grant_relay:
      return "Let the CRM relay without a password";
  }
  return {};
}

/// One sentence on what a snippet of the kind does to the relay, and when it is the right one.
std::string explanation(whitelist::SnippetKind value) {
  switch (value) {
    case whitelist::SnippetKind::allow_connection:
      return "For a relay that checks a password: the CRM's ranges pass your connection checks "
             "and still have to log in, so no other tenant of the CRM's data centre can relay "
             "through it.";
    case whitelist::SnippetKind::grant_relay:
      return "For an IP-whitelist relay only: every host in the CRM's ranges, other tenants of "
             "its data centre included, may relay through it without a password.";
  }
  return {};
}

std::string label(plan::RouteKind value) {
  switch (value) {
    case plan::RouteKind::relay:
      return "through a relay";
    case plan::RouteKind::crm:
      return "through the CRM's servers";
    case plan::RouteKind::not_sent:
      return "not sent today";
  }
  return {};
}

std::string label(plan::RouteReason value) {
  switch (value) {
    case plan::RouteReason::none:
      return {};
    case plan::RouteReason::relay_cap:
      return "the relay reached its daily limit";
    case plan::RouteReason::relay_outage:
      return "the relay is down";
    case plan::RouteReason::no_relay:
      return "no relay carries this type";
    case plan::RouteReason::edition_limit:
      return "the edition's limit is used up";
  }
  return {};
}

/// A config with one domain, one relay and one forecast, each as the model makes them.
Config sample_config() {
  Config config;
  config.domains.emplace_back();
  config.domains[0].relays.emplace_back();
  config.domains[0].traffic.emplace_back();
  return config;
}

/// Where sample_config's parts are in the file it writes (JSON Pointers).
constexpr std::string_view kAccount = "/account";
constexpr std::string_view kDomain = "/domains/0";
constexpr std::string_view kRelay = "/domains/0/relays/0";
std::string traffic_pointer() {
  return "/domains/0/traffic/" + std::string(to_string(Traffic{}.type));
}

/// The object at `where` in the config file that `config` writes.
json written(const Config& config, std::string_view where) {
  return to_json(config).at(json::json_pointer(std::string(where)));
}

/// {value, label} for each value: lists that bring no fields of their own (routes, formats).
template <class Values>
json simple_choices(const Values& values) {
  json out = json::array();
  for (const auto& value : values) {
    out.push_back({{"value", to_string(value)}, {"label", label(value)}});
  }
  return out;
}

/// {value, label, fields} for each value of a config choice: `fields` are the members that go
/// with that value and not with every other, with their initial values. They are read from what
/// the config writer writes with each value set on sample_config (`set`) at `where` (a custom
/// return path writes returnPathAddress, a burst writes burstHour), so that the page shows a
/// field exactly when the file has it.
template <class E, class Set>
json config_choices(const std::vector<E>& values, Set set, std::string_view where) {
  std::vector<json> objects;
  for (const E& value : values) {
    Config config = sample_config();
    set(config, value);
    objects.push_back(written(config, where));
  }
  json out = json::array();
  for (std::size_t i = 0; i < values.size(); ++i) {
    json fields = json::object();
    for (const auto& [key, initial] : objects[i].items()) {
      bool everywhere = true;
      for (const json& other : objects) everywhere = everywhere && other.contains(key);
      if (!everywhere) fields[key] = initial;
    }
    out.push_back({{"value", to_string(values[i])},
                   {"label", label(values[i])},
                   {"fields", std::move(fields)}});
  }
  return out;
}

/// {value, label, explanation} for each kind of whitelist snippet.
json snippet_kind_choices() {
  json out = json::array();
  for (const auto kind : whitelist::kSnippetKinds) {
    out.push_back(
        {{"value", to_string(kind)}, {"label", label(kind)}, {"explanation", explanation(kind)}});
  }
  return out;
}

/// Whose domain a path's envelope sender is (`envelopeOwner` of the report's outcomes), in the
/// admin's words, for a path whose envelope domain the config does not name.
json envelope_owner_choices() {
  struct Owner {
    std::string_view value;
    std::string_view label;
  };
  constexpr std::array<Owner, 4> owners{{{"crm", "The CRM's bounce domain"},
                                         {"relay", "The relay's return-path domain"},
                                         {"from", "The From domain"},
                                         {"custom", "The custom return-path address"}}};
  json out = json::array();
  for (const Owner& owner : owners) out.push_back({{"value", owner.value}, {"label", owner.label}});
  return out;
}

/// The public DNS-over-HTTPS services the page may ask (RFC 8484: GET with the base64url `dns`
/// parameter of its §4.1, answered as application/dns-message, so no CORS preflight). The page's
/// Content-Security-Policy lists exactly these origins in connect-src (a browser test checks it):
/// the page can reach no other resolver, and none is typed in.
json doh_resolver_choices() {
  struct Resolver {
    std::string_view value;
    std::string_view label;
    std::string_view url;
  };
  constexpr std::array<Resolver, 3> resolvers{
      {{"cloudflare", "Cloudflare (1.1.1.1)", "https://cloudflare-dns.com/dns-query"},
       {"google", "Google Public DNS (8.8.8.8)", "https://dns.google/dns-query"},
       {"quad9", "Quad9 (9.9.9.9)", "https://dns.quad9.net/dns-query"}}};
  json out = json::array();
  for (const Resolver& r : resolvers) {
    out.push_back({{"value", r.value}, {"label", r.label}, {"url", r.url}});
  }
  return out;
}

/// The page's words for what happened to one DoH lookup and to a record, with {placeholders}
/// that the page fills in from the request (the resolver's label, the HTTP status, the seconds).
json live_dns_words() {
  return json{{"timeout", "no answer within {seconds} s"},
              {"http", "{resolver} answered HTTP {status}"},
              {"unreachable", "{resolver} could not be reached ({reason})"},
              {"truncated", "{resolver} sent a truncated answer"},
              {"unreadable", "{resolver} sent an answer that cannot be read: {reason}"},
              {"notAsked", "not asked: {reason}"},
              {"cancelled", "cancelled"},
              {"added", "Added"},
              {"changed", "Changed"}};
}

json choices() {
  const auto data_center = [](Config& c, DataCenter v) { c.account.data_center = v; };
  const auto return_path = [](Config& c, ReturnPathMode v) { c.domains[0].return_path = v; };
  const auto security = [](Config& c, Security v) { c.domains[0].relays[0].security = v; };
  const auto auth = [](Config& c, AuthMethod v) { c.domains[0].relays[0].auth = v; };
  const auto profile = [](Config& c, TrafficProfile v) { c.domains[0].traffic[0].profile = v; };
  json ports = json::array();
  for (int port : kRelayPorts) ports.push_back({{"value", port}, {"label", std::to_string(port)}});
  return json{
      {"dataCenter", config_choices(data_center_choices(), data_center, kAccount)},
      {"returnPath", config_choices(return_path_choices(), return_path, kDomain)},
      {"security", config_choices(security_choices(), security, kRelay)},
      {"auth", config_choices(auth_choices(), auth, kRelay)},
      {"emailTypes", simple_choices(kEmailTypes)},
      {"profile", config_choices(traffic_profile_choices(), profile, traffic_pointer())},
      {"port", std::move(ports)},
      {"snippetFormat", simple_choices(whitelist::kSnippetFormats)},
      {"snippetKinds", snippet_kind_choices()},
      {"envelopeOwner", envelope_owner_choices()},
      {"route", simple_choices(plan::kRouteKinds)},
      {"routeReason", simple_choices(plan::kRouteReasons)},
      {"dohResolvers", doh_resolver_choices()},
  };
}

/// A new account, domain, relay and forecast as the model makes them, in the file's form.
json defaults() {
  Config empty_domain;
  empty_domain.domains.emplace_back();
  const Config sample = sample_config();
  return json{{"account", written(sample, kAccount)},
              {"domain", written(empty_domain, kDomain)},
              {"relay", written(sample, kRelay)},
              {"traffic", written(sample, traffic_pointer())}};
}

// The most domains a config may have for the page's editor to show every domain card open. A
// card holds some 380 elements (three relays, traffic, DKIM, DNS records); past 20 domains the
// open form passes 7,600 of them and the admin finds a domain by its header line, so the cards of
// a larger config start folded, and a folded card is built when it is first opened (issue 16:
// 500 open cards were 190,000 elements and 15 s to import).
constexpr int kFoldDomainsAbove = 20;

// The most rows of a long table of the results (the outcome matrix, the plan's message paths and
// its suggested split by relay) the page draws before the admin asks for the rest. 30 domains x 3
// relays have 185 paths; 500 domains have 3,072 outcome rows, 2,072 paths and 1,500 relays, which
// were a third of the drawing of an import, and more of the browser's layout after it (issue 16;
// the split's rows alone were 9,000 of the page's 21,000 elements). The rest is a button away, and
// in the reports.
constexpr int kTableRowsAtFirst = 200;

// The file name the page gives a config it downloads (a config of any name imports).
constexpr const char* kConfigFileName = "relay-config.json";

}  // namespace

json form(const json&) {
  return json{{"schema", kConfigSchema},
              {"choices", choices()},
              {"defaults", defaults()},
              // The admin's label (and hint) of every config field, by JSON Pointer pattern.
              {"fields", field_labels_json()},
              {"limits",
               {{"maxRelaysPerDomain", kMaxRelaysPerDomain},
                {"hoursPerDay", plan::kHours},
                {"maxCount", kMaxCount},
                {"maxDnsLookups", dns::kMaxLookupsPerRound},
                {"dohTimeoutMs", dns::kDohTimeoutMs},
                {"dohInFlight", dns::kDohInFlight},
                {"foldDomainsAbove", kFoldDomainsAbove},
                {"tableRowsAtFirst", kTableRowsAtFirst}}},
              {"files", {{"config", kConfigFileName}}},
              {"words", {{"liveDns", live_dns_words()}}}};
}

}  // namespace relaycheck::methods
