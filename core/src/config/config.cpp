#include "config/config.hpp"

#include <limits>

#include "config/json_text.hpp"
#include "config/object_reader.hpp"
#include "api/request_error.hpp"

namespace relaycheck {
namespace {

using json = nlohmann::json;
using Need = ObjectReader::Need;

constexpr std::array<Choice<DataCenter>, 6> kDataCenters{{{"US", DataCenter::us},
                                                          {"EU", DataCenter::eu},
                                                          {"IN", DataCenter::in},
                                                          {"AU", DataCenter::au},
                                                          {"CN", DataCenter::cn},
                                                          {"custom", DataCenter::custom}}};
constexpr std::array<Choice<Security>, 3> kSecurities{{{"none", Security::none},
                                                       {"starttls", Security::starttls},
                                                       {"implicit-tls", Security::implicit_tls}}};
constexpr std::array<Choice<AuthMethod>, 2> kAuthMethods{
    {{"password", AuthMethod::password}, {"ip-whitelist", AuthMethod::ip_whitelist}}};
constexpr std::array<Choice<EmailType>, 3> kEmailTypeNames{{{"workflow", EmailType::workflow},
                                                            {"mass", EmailType::mass},
                                                            {"individual", EmailType::individual}}};
constexpr std::array<Choice<ReturnPathMode>, 3> kReturnPaths{
    {{"crm", ReturnPathMode::crm},
     {"from-address", ReturnPathMode::from_address},
     {"custom-address", ReturnPathMode::custom_address}}};
constexpr std::array<Choice<TrafficProfile>, 4> kProfiles{
    {{"office-hours", TrafficProfile::office_hours},
     {"burst", TrafficProfile::burst},
     {"flat", TrafficProfile::flat},
     {"custom", TrafficProfile::custom}}};

/// Sanity bounds on list lengths, so that a hostile file cannot make the analysis quadratic in
/// megabytes; the rules report the real limits (three relays per domain) as findings.
constexpr std::size_t kMaxDomains = 500;
/// Not the CRM's limit of three (kMaxRelaysPerDomain, a finding): the most relays read at all.
constexpr std::size_t kMaxRelaysRead = 20;

void read_account(const json& value, LoadedConfig& loaded) {
  ObjectReader r(value, "/account", "account", loaded.findings);
  Account& a = loaded.config.account;
  r.read_choice("dataCenter", a.data_center, kDataCenters, Need::required);
  r.read_string_list("crmRanges", a.crm_ranges);
  r.read_string_list("bounceDomains", a.bounce_domains);
  r.read_integer("editionDailyLimit", a.edition_daily_limit, 0, kMaxCount, Need::required);
  r.read_string("timeZone", a.time_zone);
  r.read_bool("crmDkim", a.crm_dkim);
  r.finish();
}

void read_email_types(ObjectReader& r, Relay& relay) {
  const json* list = r.field("emailTypes", Need::required);
  if (list == nullptr) return;
  if (!list->is_array()) {
    r.add("config.wrong_type", Severity::error, r.path_of("emailTypes"),
          "\"emailTypes\" of the relay must be a list such as [\"mass\", \"workflow\"].",
          "List the email types the relay carries: workflow, mass, individual.");
    return;
  }
  std::vector<std::string> names;
  for (const auto& c : kEmailTypeNames) names.emplace_back(c.name);
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& item = (*list)[i];
    const std::string path = r.path_of("emailTypes") + "/" + std::to_string(i);
    std::string text = item.is_string() ? item.get<std::string>() : item.dump();
    bool matched = false;
    for (const auto& c : kEmailTypeNames) {
      if (item.is_string() && c.name == text) {
        matched = true;
        if (std::find(relay.email_types.begin(), relay.email_types.end(), c.value) !=
            relay.email_types.end()) {
          r.add("config.duplicate_value", Severity::warning, path,
                "the email type \"" + text + "\" is listed twice for this relay.",
                "Remove the second \"" + text + "\".");
        } else {
          relay.email_types.push_back(c.value);
        }
      }
    }
    if (!matched) {
      std::string close = item.is_string() ? closest_match(text, names) : std::string();
      r.add("config.unknown_value", Severity::error, path,
            "\"" + text.substr(0, 60) + "\" is not an email type; the CRM relays workflow, mass and individual emails.",
            close.empty() ? "Use workflow, mass or individual." : "Did you mean \"" + close + "\"?");
    }
  }
}

Relay read_relay(const json& value, const std::string& path, std::vector<Finding>& findings) {
  ObjectReader r(value, path, "relay", findings);
  Relay relay;
  r.read_string("host", relay.host, Need::required);
  r.read_int("port", relay.port, 1, 65535, Need::required);
  r.read_choice("security", relay.security, kSecurities, Need::required,
                "The source's \"SSL\" is implicit-tls, its \"TLS\" is starttls.");
  r.read_bool("verifyCertificate", relay.verify_certificate);
  r.read_string("certificateHost", relay.certificate_host);
  r.read_choice("auth", relay.auth, kAuthMethods, Need::required);
  r.read_string("username", relay.username);
  if (r.field("password") != nullptr) {
    r.add("config.password_not_stored", Severity::info, r.path_of("password"),
          "the config holds a password; relaycheck never stores or exports passwords, so it is dropped.",
          "Enter the password in the CRM's relay settings only; keep it out of config files.");
  }
  r.read_string_list("allowedNetworks", relay.allowed_networks);
  r.read_integer("dailyLimit", relay.daily_limit, 0, kMaxCount, Need::required);
  read_email_types(r, relay);
  r.read_string_list("outboundIps", relay.outbound_ips);
  r.read_bool("modifiesMessages", relay.modifies_messages);
  r.read_bool("signsDkim", relay.signs_dkim);
  r.read_bool("rewritesReturnPath", relay.rewrites_return_path);
  r.read_optional_int("outageFromHour", relay.outage_from_hour, 0, 23);
  r.finish();
  return relay;
}

void read_traffic(const json& value, const std::string& path, Domain& domain,
                  std::vector<Finding>& findings) {
  ObjectReader types(value, path, "traffic forecast", findings);
  for (const auto& type : kEmailTypeNames) {
    const json* item = types.field(type.name);
    if (item == nullptr) continue;
    ObjectReader r(*item, types.path_of(type.name), std::string(type.name) + " forecast", findings);
    Traffic traffic;
    traffic.type = type.value;
    r.read_integer("daily", traffic.daily, 0, kMaxCount, Need::required);
    r.read_choice("profile", traffic.profile, kProfiles);
    r.read_int("burstHour", traffic.burst_hour, 0, 23);
    if (const json* weights = r.field("weights"); weights != nullptr) {
      if (!weights->is_array() || weights->size() != 24) {
        r.add("config.wrong_type", Severity::error, r.path_of("weights"),
              "\"weights\" must be a list of 24 hourly weights, one per hour from 00:00.",
              "Give exactly 24 whole numbers ≥ 0.");
      } else {
        for (std::size_t h = 0; h < 24; ++h) {
          const json& w = (*weights)[h];
          if (!w.is_number_integer() || w.get<std::int64_t>() < 0 || (w.is_number_unsigned() && w.get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxCount))) {
            r.add("config.out_of_range", Severity::error, r.path_of("weights") + "/" + std::to_string(h),
                  "the weight of hour " + std::to_string(h) + " is " + w.dump() +
                      "; weights are whole numbers ≥ 0.",
                  "Write a whole number ≥ 0.");
            traffic.weights.clear();
            break;
          }
          traffic.weights.push_back(w.get<std::int64_t>());
        }
      }
    }
    if (traffic.profile == TrafficProfile::custom && traffic.weights.empty() && r.is_object() &&
        !item->contains("weights")) {
      r.add("config.missing_field", Severity::error, r.path_of("weights"),
            "a custom profile needs 24 hourly \"weights\".",
            "Add \"weights\" with 24 whole numbers, or choose office-hours, burst or flat.");
    }
    r.finish();
    if (r.is_object()) domain.traffic.push_back(std::move(traffic));
  }
  types.finish();
}

Domain read_domain(const json& value, const std::string& path, std::vector<Finding>& findings) {
  ObjectReader r(value, path, "domain", findings);
  Domain domain;
  r.read_string("name", domain.name, Need::required);
  r.read_choice("returnPath", domain.return_path, kReturnPaths);
  r.read_string("returnPathAddress", domain.return_path_address);
  if (const json* relays = r.field("relays"); relays != nullptr) {
    if (!relays->is_array()) {
      r.add("config.wrong_type", Severity::error, r.path_of("relays"),
            "\"relays\" must be a list of relay servers.", "Write \"relays\": [ {...}, ... ].");
    } else {
      const std::size_t count = std::min(relays->size(), kMaxRelaysRead);
      for (std::size_t i = 0; i < count; ++i) {
        domain.relays.push_back(
            read_relay((*relays)[i], r.path_of("relays") + "/" + std::to_string(i), findings));
      }
      if (relays->size() > count) {
        r.add("config.too_many", Severity::error, r.path_of("relays"),
              "the domain lists " + std::to_string(relays->size()) + " relays; only the first " +
                  std::to_string(count) + " were read.",
              "A domain can have at most three relay servers.");
      }
    }
  }
  if (const json* traffic = r.field("traffic"); traffic != nullptr) {
    read_traffic(*traffic, r.path_of("traffic"), domain, findings);
  }
  r.finish();
  return domain;
}

}  // namespace

std::string_view to_string(DataCenter value) { return name_of(kDataCenters, value); }
std::string_view to_string(Security value) { return name_of(kSecurities, value); }
std::string_view to_string(AuthMethod value) { return name_of(kAuthMethods, value); }
std::string_view to_string(EmailType value) { return name_of(kEmailTypeNames, value); }
std::string_view to_string(ReturnPathMode value) { return name_of(kReturnPaths, value); }
std::string_view to_string(TrafficProfile value) { return name_of(kProfiles, value); }

LoadedConfig load_config(const json& document) {
  if (!document.is_object()) {
    throw RequestError("config.not_object",
                       "a config must be a JSON object, but this is " +
                           std::string(json_type_name(document)));
  }
  LoadedConfig loaded;
  ObjectReader root(document, "", "config", loaded.findings);
  if (const json* schema = root.field("schema"); schema == nullptr) {
    root.add("config.missing_field", Severity::warning, "/schema",
             "the config does not say its schema version; it is read as schema " +
                 std::to_string(kConfigSchema) + ".",
             "Add \"schema\": " + std::to_string(kConfigSchema) + ".");
  } else if (!schema->is_number_integer() || schema->get<std::int64_t>() != kConfigSchema) {
    throw RequestError("config.unsupported_schema",
                       "schema version " + schema->dump() + " is not supported; this relaycheck reads schema " +
                           std::to_string(kConfigSchema),
                       "/schema");
  }
  if (const json* account = root.field("account", Need::required); account != nullptr) {
    read_account(*account, loaded);
  }
  if (const json* domains = root.field("domains", Need::required); domains != nullptr) {
    if (!domains->is_array()) {
      root.add("config.wrong_type", Severity::error, "/domains",
               "\"domains\" must be a list of sending domains.", "Write \"domains\": [ {...}, ... ].");
    } else {
      const std::size_t count = std::min(domains->size(), kMaxDomains);
      for (std::size_t i = 0; i < count; ++i) {
        loaded.config.domains.push_back(
            read_domain((*domains)[i], "/domains/" + std::to_string(i), loaded.findings));
      }
      if (domains->size() > count) {
        root.add("config.too_many", Severity::error, "/domains",
                 "the config lists " + std::to_string(domains->size()) + " domains; only the first " +
                     std::to_string(count) + " were read.",
                 "Split the config.");
      }
    }
  }
  if (const json* dns = root.field("dns"); dns != nullptr) {
    if (dns->is_object()) {
      loaded.config.dns = *dns;
    } else {
      root.add("config.wrong_type", Severity::error, "/dns",
               "\"dns\" must be a map from DNS names to their records.",
               "Write \"dns\": {\"example.com\": [{\"type\": \"TXT\", \"data\": [\"v=spf1 ...\"]}]}.");
    }
  }
  root.finish();
  return loaded;
}

LoadedConfig load_config_text(std::string_view text) {
  if (text.size() > kMaxConfigBytes) {
    throw RequestError("config.too_large", "the config is " + std::to_string(text.size()) +
                                               " bytes; the limit is " +
                                               std::to_string(kMaxConfigBytes) + " bytes");
  }
  ParsedJson parsed = parse_json_text(text, ParseOptions{true});
  if (parsed.error) {
    // One wording for every JSON text: parse_json_or_throw names the code and the position.
    parse_json_or_throw(text, {"config.not_json", "config.too_deep", "config.number_out_of_range"}, "", "");
  }
  LoadedConfig loaded = load_config(parsed.document);
  for (const std::string& path : parsed.duplicate_keys) {
    loaded.findings.push_back(Finding{"config.duplicate_key", Severity::warning, path,
                                      "this field is given more than once in its object; only the last value is "
                                      "read.",
                                      "Keep one of the values and delete the others."});
  }
  return loaded;
}

namespace {

json relay_to_json(const Relay& relay) {
  json out{{"host", relay.host},
           {"port", relay.port},
           {"security", to_string(relay.security)},
           {"verifyCertificate", relay.verify_certificate},
           {"certificateHost", relay.certificate_host},
           {"auth", to_string(relay.auth)}};
  if (relay.auth == AuthMethod::password || !relay.username.empty()) out["username"] = relay.username;
  if (relay.auth == AuthMethod::ip_whitelist || !relay.allowed_networks.empty()) {
    out["allowedNetworks"] = relay.allowed_networks;
  }
  out["dailyLimit"] = relay.daily_limit;
  json types = json::array();
  for (EmailType t : relay.email_types) types.push_back(to_string(t));
  out["emailTypes"] = types;
  out["outboundIps"] = relay.outbound_ips;
  out["modifiesMessages"] = relay.modifies_messages;
  out["signsDkim"] = relay.signs_dkim;
  out["rewritesReturnPath"] = relay.rewrites_return_path;
  out["outageFromHour"] = relay.outage_from_hour ? json(*relay.outage_from_hour) : json(nullptr);
  return out;
}

json traffic_to_json(const std::vector<Traffic>& traffic) {
  json out = json::object();
  for (const auto& t : traffic) {
    json item{{"daily", t.daily}, {"profile", to_string(t.profile)}};
    if (t.profile == TrafficProfile::burst) item["burstHour"] = t.burst_hour;
    if (t.profile == TrafficProfile::custom) item["weights"] = t.weights;
    out[std::string(to_string(t.type))] = item;
  }
  return out;
}

}  // namespace

json to_json(const Config& config) {
  json domains = json::array();
  for (const auto& d : config.domains) {
    json domain{{"name", d.name}, {"returnPath", to_string(d.return_path)}};
    if (d.return_path == ReturnPathMode::custom_address || !d.return_path_address.empty()) {
      domain["returnPathAddress"] = d.return_path_address;
    }
    json relays = json::array();
    for (const auto& r : d.relays) relays.push_back(relay_to_json(r));
    domain["relays"] = relays;
    domain["traffic"] = traffic_to_json(d.traffic);
    domains.push_back(domain);
  }
  const Account& a = config.account;
  json out{{"schema", config.schema},
           {"account",
            {{"dataCenter", to_string(a.data_center)},
             {"crmRanges", a.crm_ranges},
             {"bounceDomains", a.bounce_domains},
             {"editionDailyLimit", a.edition_daily_limit},
             {"timeZone", a.time_zone},
             {"crmDkim", a.crm_dkim}}},
           {"domains", domains}};
  if (!config.dns.empty()) out["dns"] = config.dns;
  return out;
}

}  // namespace relaycheck
