#pragma once
/// The configuration model: everything the domain source names about a CRM account that sends
/// through its own SMTP relays, and its versioned JSON file format (core/schema/relay-config.schema.json).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/finding.hpp"

namespace relaycheck {

/// The version of the file format this build reads and writes.
constexpr int kConfigSchema = 1;
/// The largest config text the loader reads (a real config is a few kilobytes).
constexpr std::size_t kMaxConfigBytes = 1024u * 1024u;
/// The CRM accepts at most this many relay servers per domain (the domain source).
constexpr std::size_t kMaxRelaysPerDomain = 3;
/// The largest count relaycheck accepts: JavaScript's Number.MAX_SAFE_INTEGER, so that a config
/// edited in the page never loses precision.
constexpr std::int64_t kMaxCount = 9007199254740991;

/// The CRM data centre the account lives in; it decides which source ranges reach the relay.
enum class DataCenter { us, eu, in, au, cn, custom };
/// How the relay's connection is secured. The source's "SSL" is implicit TLS, its "TLS" is STARTTLS.
enum class Security { none, starttls, implicit_tls };
/// How the relay knows the mail comes from the CRM.
enum class AuthMethod { password, ip_whitelist };
/// The kinds of CRM mail that can go through a relay.
enum class EmailType { workflow, mass, individual };
/// Who receives bounces. The source ties this to bounce management: `crm` keeps it on,
/// `from_address` and `custom_address` turn it off.
enum class ReturnPathMode { crm, from_address, custom_address };
/// How a day's volume of one email type spreads over its 24 hours.
enum class TrafficProfile { office_hours, burst, flat, custom };

inline constexpr std::array kEmailTypes{EmailType::workflow, EmailType::mass, EmailType::individual};

std::string_view to_string(DataCenter value);
std::string_view to_string(Security value);
std::string_view to_string(AuthMethod value);
std::string_view to_string(EmailType value);
std::string_view to_string(ReturnPathMode value);
std::string_view to_string(TrafficProfile value);

struct Account {
  DataCenter data_center = DataCenter::us;
  /// Replaces the built-in source ranges of the data centre when not empty (ranges change, and
  /// the CRM runs data centres beyond the five in the source); required for `custom`.
  std::vector<std::string> crm_ranges;
  /// The CRM's return-path (bounce) domains for the data centre. The source names none: they are
  /// to be supplied by the admin, and an analysis that needs them says so.
  std::vector<std::string> bounce_domains;
  std::int64_t edition_daily_limit = 0;
  std::string time_zone = "UTC";
  /// Whether the CRM signs DKIM for the sending domains.
  bool crm_dkim = true;
};

struct Relay {
  std::string host;
  int port = 587;
  Security security = Security::starttls;
  bool verify_certificate = true;
  /// The host name on the relay's certificate (checked when verify_certificate is on).
  std::string certificate_host;
  AuthMethod auth = AuthMethod::password;
  /// For password authentication. The password itself is never part of the model.
  std::string username;
  /// For IP-whitelist authentication: the networks the relay accepts mail from.
  std::vector<std::string> allowed_networks;
  std::int64_t daily_limit = 0;
  std::vector<EmailType> email_types;
  /// The addresses the relay sends to recipients from (they must pass SPF).
  std::vector<std::string> outbound_ips;
  /// The relay appends disclaimers or footers, or otherwise changes messages (breaks DKIM).
  bool modifies_messages = false;
  /// The relay adds a DKIM signature of its own.
  bool signs_dkim = false;
  /// The relay replaces the return path with its own bounce address.
  bool rewrites_return_path = false;
  /// The relay is down from this hour (0-23, account time) for the rest of the day.
  std::optional<int> outage_from_hour;
};

/// The expected daily volume of one email type for one domain, and its spread over the day.
struct Traffic {
  EmailType type = EmailType::mass;
  std::int64_t daily = 0;
  TrafficProfile profile = TrafficProfile::office_hours;
  /// For `burst`: the hour in which the campaign goes out.
  int burst_hour = 9;
  /// For `custom`: 24 non-negative hourly weights.
  std::vector<std::int64_t> weights;
};

struct Domain {
  std::string name;
  ReturnPathMode return_path = ReturnPathMode::crm;
  /// For `custom_address`: the address that receives every bounce.
  std::string return_path_address;
  std::vector<Relay> relays;
  std::vector<Traffic> traffic;
};

struct Config {
  int schema = kConfigSchema;
  Account account;
  std::vector<Domain> domains;
  /// DNS data in the zone-map form (owner name → records); a name not listed is unknown.
  nlohmann::json dns = nlohmann::json::object();
};

/// A loaded config and every problem found while reading it.
struct LoadedConfig {
  Config config;
  std::vector<Finding> findings;
};

/// Reads a config document. Throws RequestError only for input that cannot be a config at all
/// (not an object, unsupported schema); everything else loads and becomes findings: wrong types,
/// missing required fields and out-of-range numbers are errors, unknown fields warnings that
/// name the closest known field.
LoadedConfig load_config(const nlohmann::json& document);

/// Parses config text (with the size limit and a line/column for syntax errors), then loads it.
LoadedConfig load_config_text(std::string_view text);

/// Writes the config in the file format. Never writes a password: the model holds none.
nlohmann::json to_json(const Config& config);

}  // namespace relaycheck
