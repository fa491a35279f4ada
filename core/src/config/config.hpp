#pragma once
/// The configuration model: everything the domain source names about a CRM account that sends
/// through its own SMTP relays, and its versioned JSON file format
/// (core/schema/relay-config.schema.json).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/finding.hpp"

namespace relaycheck {

/// The version of the file format this build writes. It reads this one and every older one:
/// a schema-1 file is migrated on load (see load_config).
constexpr int kConfigSchema = 2;
/// The oldest version of the file format this build reads.
constexpr int kOldestConfigSchema = 1;
/// The largest config text the loader reads (a real config is a few kilobytes).
constexpr std::size_t kMaxConfigBytes = 1024u * 1024u;
/// The CRM accepts at most this many relay servers per domain (the domain source).
constexpr std::size_t kMaxRelaysPerDomain = 3;
/// The largest count relaycheck accepts: JavaScript's Number.MAX_SAFE_INTEGER, so that a config
/// edited in the page never loses precision.
constexpr std::int64_t kMaxCount = 9007199254740991;

/// The CRM data centre the account lives in; it decides which source ranges reach the relay.
enum class DataCenter { us, eu, in, au, cn, custom };
/// How the relay's connection is secured. The source's "SSL" is implicit TLS, its "TLS" is
/// STARTTLS.
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

inline constexpr std::array kEmailTypes{EmailType::workflow, EmailType::mass,
                                        EmailType::individual};

std::string_view to_string(DataCenter value);
std::string_view to_string(Security value);
std::string_view to_string(AuthMethod value);
std::string_view to_string(EmailType value);
std::string_view to_string(ReturnPathMode value);
std::string_view to_string(TrafficProfile value);

/// Every value of each choice above, in the file format's order: what a form offers
/// (the email types are kEmailTypes).
std::vector<DataCenter> data_center_choices();
std::vector<Security> security_choices();
std::vector<AuthMethod> auth_choices();
std::vector<ReturnPathMode> return_path_choices();
std::vector<TrafficProfile> traffic_profile_choices();

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
  // Schema 1's `crmDkim` (one switch for every domain) is each domain's Domain::crm_dkim now.
};

/// Who adds a DKIM signature to a domain's mail, and with which signing domain (the `d=` tag,
/// RFC 6376 §3.5), which decides whether the signature aligns with the From domain for DMARC.
struct DkimSigner {
  /// Whether this party signs at all (the file's `crmDkim.enabled`, or a relay's `dkim.signs`).
  bool signs = false;
  /// The signing domain `d=`. Empty: the sending domain itself (aligned). For the CRM that holds
  /// once the domain is authenticated in the CRM; until then the CRM signs with a domain of its
  /// own, which the admin enters here.
  std::string domain;
  /// The selector (`s=`), when known; empty when not given. It names the key record
  /// `<selector>._domainkey.<domain>`.
  std::string selector;
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
  /// The relay's own DKIM signature, if it adds one (schema 1's `signsDkim` is `signs`).
  DkimSigner dkim;
  /// The relay replaces the return path with its own bounce address.
  bool rewrites_return_path = false;
  /// The domain of the return path a rewriting relay sets (the envelope sender's domain that SPF
  /// then checks); empty when not given.
  std::string return_path_domain;
  /// The relay is down from this hour (0-23, account time) for the rest of the day.
  std::optional<int> outage_from_hour;
};

/// The expected daily volume of one email type for one domain, and its spread over the day.
struct Traffic {
  EmailType type = EmailType::mass;
  /// The expected number of emails a day; empty when the forecast is not known (schema 2's
  /// `"daily": null` or no `daily`). Schema 1 required it.
  std::optional<std::int64_t> daily;
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
  /// The CRM's DKIM signature of this domain's mail. On by default, signing with d= the domain
  /// itself (what schema 1's account-wide `crmDkim: true` meant).
  DkimSigner crm_dkim{true, {}, {}};
  std::vector<Relay> relays;
  std::vector<Traffic> traffic;
};

struct Config {
  /// The schema version the file was written in (1 or 2; kConfigSchema when it said none). The
  /// model is always the current schema: an older file is migrated while it is read, and
  /// to_json writes kConfigSchema.
  int source_schema = kConfigSchema;
  Account account;
  std::vector<Domain> domains;
  /// DNS data in the zone-map form (owner name → list of records); a name not listed is unknown.
  /// In schema 2 each record may also say where it came from: `"fetched"` (an RFC 3339 time)
  /// and `"resolver"` (the resolver that answered); records typed in by hand have neither.
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
///
/// Schema 1 is migrated with an info `config.migrated` at /schema: `account.crmDkim` becomes
/// every domain's `crmDkim.enabled` (signing with d= the domain, as schema 1 meant), a relay's
/// `signsDkim` becomes its `dkim.signs`. A schema-2 file that still has those fields gets a
/// warning `config.moved_field`, and their value is used where the new field is absent.
LoadedConfig load_config(const nlohmann::json& document);

/// Parses config text (with the size limit and a line/column for syntax errors), then loads it.
LoadedConfig load_config_text(std::string_view text);

/// Writes the config in the current file format (schema kConfigSchema, whatever the file was
/// read from). Never writes a password: the model holds none. `write_json` writes it as JSON
/// text into a report's writer; to_json reads that text back as a tree.
nlohmann::json to_json(const Config& config);
void write_json(text::JsonWriter& w, const Config& config);

}  // namespace relaycheck
