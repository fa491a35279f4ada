#include "config/config.hpp"

#include <limits>

#include "api/request_error.hpp"
#include "config/fields.hpp"
#include "config/json_text.hpp"
#include "config/object_reader.hpp"
#include "text/hostname.hpp"
#include "text/json_writer.hpp"
#include "text/quote.hpp"

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

/// How a message names a field of the config: its label in double quotes ("Daily limit").
std::string label_of(std::string_view pattern) { return quote(field_label(pattern), '"'); }

/// How a message names the field `key` of the object that `r` reads, in the admin's words.
std::string label_of(const ObjectReader& r, std::string_view key) {
  return label_of(field_pattern(r.path_of(key)));
}

/// A schema-1 switch in the admin's words.
std::string on_off(bool value) { return value ? "on" : "off"; }

/// One load: the schema the file says, and what it said in schema-1 fields, for the migration.
struct Reading {
  int schema = kConfigSchema;
  std::vector<Finding>& findings;
  /// The account's `crmDkim` (schema 1's switch for every domain), when the file has it.
  std::optional<bool> account_crm_dkim;
  /// Domains that do not say `crmDkim` themselves (they take the account's value, or the default).
  std::size_t domains_without_crm_dkim = 0;
  /// Relays whose schema-1 `signsDkim` was read into `dkim.signs`.
  std::size_t relays_migrated = 0;
};

/// A schema-2 field in a file that says schema 1: it is read as schema 2 means it, and the
/// file is told to say schema 2.
void note_newer_field(ObjectReader& r, const Reading& reading, std::string_view key) {
  if (reading.schema >= 2 || r.field(key) == nullptr) return;
  r.add("config.newer_field", Severity::warning, r.path_of(key),
        "The file says it is in schema 1, but " + label_of(r, key) +
            " only exists in schema 2; it is read as schema 2 means it.",
        "Download the config to save it in schema 2, so that the file says what it holds.");
}

/// A DKIM signing domain (`d=`) or a return-path domain: empty means "not given" (for d=, the
/// sending domain itself); anything else must be a fully qualified domain name.
void check_domain_name(ObjectReader& r, std::string_view key, const std::string& text,
                       std::string_view what) {
  if (text.empty()) return;
  const Checked<HostName> name = parse_host_name(text);
  std::string why;
  if (!name) {
    why = name.error;
  } else if (name.value->labels < 2) {
    why = "a single label is not a fully qualified domain name";
  } else {
    return;
  }
  r.add("config.name_invalid", Severity::error, r.path_of(key),
        std::string(what) + " " + quote(text, '"') + " is not a valid domain name (" + why +
            "), so no receiver can match it against the From domain.",
        "Enter a domain name such as zylker.com or bounces.zylker.com.");
}

/// RFC 6376 §3.1: a selector is one or more sub-domains (RFC 5321: letters, digits and inner
/// hyphens) joined by dots; it names the key record <selector>._domainkey.<d>. Digits alone are
/// fine ("20230601").
bool is_dkim_selector(std::string_view text) {
  if (text.empty() || text.size() > 253) return false;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('.', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view label = text.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label) {
      const bool ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return false;
    }
    start = end + 1;
  }
  return true;
}

/// Reads a DKIM signer object: the CRM's per domain (`flag` "enabled"), a relay's (`flag` "signs").
void read_signer(const json& value, const std::string& path, std::string_view what,
                 std::string_view flag, DkimSigner& out, std::vector<Finding>& findings) {
  ObjectReader r(value, path, std::string(what), findings);
  r.read_bool(flag, out.signs, Need::required);
  if (r.read_string("domain", out.domain))
    check_domain_name(r, "domain", out.domain, "The signing domain (d=)");
  if (r.read_string("selector", out.selector) && !out.selector.empty() &&
      !is_dkim_selector(out.selector)) {
    r.add("config.selector_invalid", Severity::error, r.path_of("selector"),
          "The DKIM selector " + quote(out.selector, '"') +
              " is not valid (a selector is letters, digits and inner hyphens, in labels "
              "separated by dots), so receivers cannot look up a key under it and the signature "
              "does not count.",
          "Enter the selector as the DNS key record names it: for s1._domainkey.zylker.com it is "
          "s1.");
  }
  if (r.is_object() && !out.signs && (!out.domain.empty() || !out.selector.empty())) {
    r.add("config.unused_field", Severity::warning,
          r.path_of(out.domain.empty() ? "selector" : "domain"),
          "A signing domain or selector is entered, but " + label_of(r, flag) +
              " is off, so no signature is made with it.",
          "Turn on " + label_of(r, flag) + " if " + (flag == "enabled" ? "the CRM" : "the relay") +
              " signs this mail, or clear the signing domain and selector.");
  }
  r.finish();
}

/// RFC 3339 §5.6 date-time: 2024-05-01T09:30:00Z, with optional fractional seconds and a
/// numeric offset; "T" and "Z" in either case. Checks the ranges (February 29 only in leap years).
bool is_rfc3339_date_time(std::string_view t) {
  auto digits = [&t](std::size_t at, std::size_t n, int& out) {
    if (at + n > t.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      out = out * 10 + (t[i] - '0');
    }
    return true;
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(0, 4, year) || t.size() < 20 || t[4] != '-' || !digits(5, 2, month) || t[7] != '-' ||
      !digits(8, 2, day) || (t[10] != 'T' && t[10] != 't') || !digits(11, 2, hour) ||
      t[13] != ':' || !digits(14, 2, minute) || t[16] != ':' || !digits(17, 2, second)) {
    return false;
  }
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  constexpr std::array<int, 12> kDays{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[static_cast<std::size_t>(month - 1)] ||
      (month == 2 && day == 29 && !leap) || hour > 23 || minute > 59 || second > 60) {
    return false;
  }
  std::size_t at = 19;
  if (t[at] == '.') {
    std::size_t end = at + 1;
    while (end < t.size() && t[end] >= '0' && t[end] <= '9') ++end;
    if (end == at + 1) return false;
    at = end;
  }
  if (at < t.size() && (t[at] == 'Z' || t[at] == 'z')) return at + 1 == t.size();
  int offset_hour = 0, offset_minute = 0;
  return at + 6 == t.size() && (t[at] == '+' || t[at] == '-') && digits(at + 1, 2, offset_hour) &&
         t[at + 3] == ':' && digits(at + 4, 2, offset_minute) && offset_hour <= 23 &&
         offset_minute <= 59;
}

/// Schema 2's optional source of each DNS record: `fetched` (when, RFC 3339) and `resolver` (which
/// resolver answered). Names stay a zone map (owner name → list of records), so the DNS view
/// reads the section as before; only record objects are checked here (the rest is the view's).
void read_dns_sources(const json& dns, std::vector<Finding>& findings) {
  for (const auto& [owner, records] : dns.items()) {
    if (!records.is_array()) continue;
    const std::string base = "/dns/" + pointer_token(owner);
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (!records[i].is_object()) continue;
      ObjectReader r(records[i], base + "/" + std::to_string(i), "DNS record", findings);
      r.accept("type");
      r.accept("data");
      std::string fetched;
      if (r.read_string("fetched", fetched) && !is_rfc3339_date_time(fetched)) {
        r.add(
            "config.time_invalid", Severity::warning, r.path_of("fetched"),
            "The time this record was fetched, " + quote(fetched, '"') +
                ", is not an RFC 3339 time, so nobody can tell how old the answer is; the record "
                "is still used.",
            "Write it as 2024-05-01T09:30:00Z (UTC) or with an offset, 2024-05-01T11:30:00+02:00.");
      }
      std::string resolver;
      r.read_string("resolver", resolver);
      r.finish();
    }
  }
}

/// The DNS section's own text: each owner name, each record's type and each string of its data
/// (in every schema), reported when it holds hidden characters. Receivers read these records,
/// so a hidden character in one is what they get.
void report_hidden_dns(const json& dns, std::vector<Finding>& findings) {
  constexpr std::string_view kRead = "receivers read in DNS";
  for (const auto& [owner, records] : dns.items()) {
    const std::string base = "/dns/" + pointer_token(owner);
    report_hidden(base, owner, findings, kRead, "DNS name");
    if (!records.is_array()) continue;
    for (std::size_t i = 0; i < records.size(); ++i) {
      const json& record = records[i];
      if (!record.is_object()) continue;
      const std::string at = base + "/" + std::to_string(i);
      if (const auto type = record.find("type"); type != record.end() && type->is_string())
        report_hidden(at + "/type", type->get_ref<const std::string&>(), findings, kRead);
      const auto data = record.find("data");
      if (data == record.end()) continue;
      if (data->is_string()) {
        report_hidden(at + "/data", data->get_ref<const std::string&>(), findings, kRead);
      } else if (data->is_array()) {
        for (std::size_t k = 0; k < data->size(); ++k) {
          const json& part = (*data)[k];
          if (part.is_string()) {
            report_hidden(at + "/data/" + std::to_string(k), part.get_ref<const std::string&>(),
                          findings, kRead);
          }
        }
      }
    }
  }
}

void read_account(const json& value, LoadedConfig& loaded, Reading& reading) {
  ObjectReader r(value, "/account", "account", loaded.findings);
  Account& a = loaded.config.account;
  r.read_choice("dataCenter", a.data_center, kDataCenters, Need::required);
  r.read_string_list("crmRanges", a.crm_ranges);
  r.read_string_list("bounceDomains", a.bounce_domains);
  r.read_integer("editionDailyLimit", a.edition_daily_limit, 0, kMaxCount, Need::required);
  r.read_string("timeZone", a.time_zone);
  // Schema 1's account-wide CRM DKIM switch; it becomes each domain's crmDkim.enabled.
  if (bool crm_dkim = true; r.read_bool("crmDkim", crm_dkim)) reading.account_crm_dkim = crm_dkim;
  r.finish();
}

void read_email_types(ObjectReader& r, Relay& relay) {
  const json* list = r.field("emailTypes", Need::required);
  if (list == nullptr) return;
  if (!list->is_array()) {
    r.add("config.wrong_type", Severity::error, r.path_of("emailTypes"),
          "The value of " + label_of(r, "emailTypes") +
              " must be a list of email types such as [\"mass\", \"workflow\"], so the relay "
              "is taken to carry none.",
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
                "The email type " + quote(text, '"') +
                    " is listed twice for this relay; the second is ignored.",
                "Remove the second " + quote(text, '"') + ".");
        } else {
          relay.email_types.push_back(c.value);
        }
      }
    }
    if (!matched) {
      std::string close = item.is_string() ? closest_match(text, names) : std::string();
      r.add(
          "config.unknown_value", Severity::error, path,
          "The email type " + quote(text, '"') +
              " is not one the CRM knows (it relays workflow, mass and individual emails), so "
              "it is ignored.",
          close.empty() ? "Use workflow, mass or individual." : "Did you mean \"" + close + "\"?");
    }
  }
}

Relay read_relay(const json& value, const std::string& path, Reading& reading) {
  std::vector<Finding>& findings = reading.findings;
  ObjectReader r(value, path, "relay", findings);
  Relay relay;
  r.read_string("host", relay.host, Need::required);
  r.read_int("port", relay.port, 1, 65535, Need::required);
  r.read_choice("security", relay.security, kSecurities, Need::required,
                "The source's \"SSL\" is implicit-tls, its \"TLS\" is starttls.");
  r.read_bool("verifyCertificate", relay.verify_certificate);
  r.read_string("certificateHost", relay.certificate_host);
  // The certificate rule reads the certificate host only when it verifies a TLS relay named by
  // a host name; otherwise nothing else reports a hidden character in it.
  if (relay.security == Security::none || !relay.verify_certificate ||
      !parse_host_name(relay.host)) {
    report_hidden(r.path_of("certificateHost"), relay.certificate_host, findings, "the CRM sends",
                  {}, false);
  }
  r.read_choice("auth", relay.auth, kAuthMethods, Need::required);
  r.read_string("username", relay.username);
  if (r.field("password") != nullptr) {
    r.add("config.password_not_stored", Severity::info, r.path_of("password"),
          "The file holds a password for this relay; it is dropped, because passwords are never "
          "stored or exported, and the analysis does not need it.",
          "Enter the password in the CRM's relay settings only, and keep it out of config files.");
  }
  r.read_string_list("allowedNetworks", relay.allowed_networks);
  // The whitelist check reads the networks of an IP-whitelist relay only.
  if (relay.auth != AuthMethod::ip_whitelist) {
    for (std::size_t i = 0; i < relay.allowed_networks.size(); ++i) {
      report_hidden(r.path_of("allowedNetworks") + "/" + std::to_string(i),
                    relay.allowed_networks[i], findings, "the CRM sends", {}, false);
    }
  }
  r.read_integer("dailyLimit", relay.daily_limit, 0, kMaxCount, Need::required);
  read_email_types(r, relay);
  r.read_string_list("outboundIps", relay.outbound_ips);
  r.read_bool("modifiesMessages", relay.modifies_messages);
  note_newer_field(r, reading, "dkim");
  const json* dkim = r.field("dkim");
  if (dkim != nullptr)
    read_signer(*dkim, r.path_of("dkim"), "relay's DKIM signing", "signs", relay.dkim, findings);
  // Schema 1's `signsDkim` is `dkim.signs`, with d= the sending domain (what schema 1 meant).
  if (bool signs = false; r.read_bool("signsDkim", signs)) {
    if (dkim == nullptr) relay.dkim.signs = signs;
    if (reading.schema == 1 && dkim == nullptr) {
      ++reading.relays_migrated;
    } else {
      const std::string old_label = label_of(r, "signsDkim");
      const std::string new_label = label_of("/domains/*/relays/*/dkim/signs");
      r.add("config.moved_field", Severity::warning, r.path_of("signsDkim"),
            "The relay's " + old_label + " is a schema-1 setting; schema 2 says it as " +
                new_label + " of the relay's DKIM signature. " +
                (dkim == nullptr ? "Its value (" + on_off(signs) + ") is used."
                                 : "The relay's DKIM signature says it too, so this value is "
                                   "ignored."),
            dkim == nullptr ? std::string(signs ? "Turn on " : "Turn off ") + new_label +
                                  " of the relay's DKIM signature and remove " + old_label +
                                  "; downloading the config does it for you."
                            : "Remove " + old_label + ".");
    }
  }
  r.read_bool("rewritesReturnPath", relay.rewrites_return_path);
  note_newer_field(r, reading, "returnPathDomain");
  if (r.read_string("returnPathDomain", relay.return_path_domain) &&
      !relay.return_path_domain.empty()) {
    check_domain_name(r, "returnPathDomain", relay.return_path_domain, "The return-path domain");
    if (!relay.rewrites_return_path) {
      r.add("config.unused_field", Severity::warning, r.path_of("returnPathDomain"),
            "A return-path domain is entered, but the relay does not rewrite the return path (" +
                label_of(r, "rewritesReturnPath") + " is off), so it is not used.",
            "Turn on " + label_of(r, "rewritesReturnPath") +
                " if the relay replaces the return path, or clear the domain.");
    }
  }
  r.read_optional_int("outageFromHour", relay.outage_from_hour, 0, 23);
  r.finish();
  return relay;
}

void read_traffic(const json& value, const std::string& path, Domain& domain,
                  const Reading& reading) {
  std::vector<Finding>& findings = reading.findings;
  ObjectReader types(value, path, "traffic forecast", findings);
  for (const auto& type : kEmailTypeNames) {
    const json* item = types.field(type.name);
    if (item == nullptr) continue;
    ObjectReader r(*item, types.path_of(type.name), std::string(type.name) + " forecast", findings);
    Traffic traffic;
    traffic.type = type.value;
    // Schema 2: no "daily", or null, is a forecast nobody knows yet. Schema 1 required it.
    const auto daily_at = item->is_object() ? item->find("daily") : item->end();
    if (reading.schema >= 2 && item->is_object() &&
        (daily_at == item->end() || daily_at->is_null())) {
      r.accept("daily");
    } else if (std::int64_t daily = 0;
               r.read_integer("daily", daily, 0, kMaxCount, Need::required)) {
      traffic.daily = daily;
    }
    r.read_choice("profile", traffic.profile, kProfiles);
    r.read_int("burstHour", traffic.burst_hour, 0, 23);
    if (const json* weights = r.field("weights"); weights != nullptr) {
      if (!weights->is_array() || weights->size() != 24) {
        r.add("config.wrong_type", Severity::error, r.path_of("weights"),
              "The " + label_of(r, "weights") +
                  " must be a list of 24 whole numbers, one per hour from 00:00, so they are not "
                  "used.",
              "Give exactly 24 whole numbers ≥ 0.");
      } else {
        for (std::size_t h = 0; h < 24; ++h) {
          const json& w = (*weights)[h];
          if (!w.is_number_integer() || w.get<std::int64_t>() < 0 ||
              (w.is_number_unsigned() &&
               w.get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxCount))) {
            r.add("config.out_of_range", Severity::error,
                  r.path_of("weights") + "/" + std::to_string(h),
                  "The weight of hour " + std::string(h < 10 ? "0" : "") + std::to_string(h) +
                      ":00 is " + w.dump().substr(0, 40) +
                      ", but weights are whole numbers ≥ 0, so the hourly weights are not used.",
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
            "The " + label_of(r, "profile") + " is custom, but there are no " +
                label_of(r, "weights") + ", so this forecast cannot be spread over the hours.",
            "Enter 24 " + label_of(r, "weights") + ", or choose office-hours, burst or flat as " +
                label_of(r, "profile") + ".");
    }
    r.finish();
    if (r.is_object()) domain.traffic.push_back(std::move(traffic));
  }
  types.finish();
}

Domain read_domain(const json& value, const std::string& path, Reading& reading) {
  std::vector<Finding>& findings = reading.findings;
  ObjectReader r(value, path, "domain", findings);
  Domain domain;
  r.read_string("name", domain.name, Need::required);
  r.read_choice("returnPath", domain.return_path, kReturnPaths);
  r.read_string("returnPathAddress", domain.return_path_address);
  note_newer_field(r, reading, "crmDkim");
  if (const json* crm = r.field("crmDkim"); crm != nullptr) {
    read_signer(*crm, r.path_of("crmDkim"), "CRM's DKIM signing", "enabled", domain.crm_dkim,
                findings);
  } else if (r.is_object()) {
    domain.crm_dkim.signs = reading.account_crm_dkim.value_or(true);
    ++reading.domains_without_crm_dkim;
  }
  if (const json* relays = r.field("relays"); relays != nullptr) {
    if (!relays->is_array()) {
      r.add("config.wrong_type", Severity::error, r.path_of("relays"),
            "The domain's " + label_of(r, "relays") +
                " must be a list of relay servers, so none of them is read.",
            "Write the relays as a list in brackets, [ { … }, { … } ].");
    } else {
      const std::size_t count = std::min(relays->size(), kMaxRelaysRead);
      for (std::size_t i = 0; i < count; ++i) {
        domain.relays.push_back(
            read_relay((*relays)[i], r.path_of("relays") + "/" + std::to_string(i), reading));
      }
      if (relays->size() > count) {
        r.add("config.too_many", Severity::error, r.path_of("relays"),
              "The domain lists " + std::to_string(relays->size()) + " relays; only the first " +
                  std::to_string(count) + " are read, and the others are left out of the analysis.",
              "Keep at most three relay servers for each domain, as the CRM allows.");
      }
    }
  }
  if (const json* traffic = r.field("traffic"); traffic != nullptr) {
    read_traffic(*traffic, r.path_of("traffic"), domain, reading);
  }
  r.finish();
  return domain;
}

/// Says how a schema-1 file was read, and where a schema-2 file still uses the account's
/// schema-1 `crmDkim`.
void report_migration(const Reading& reading) {
  auto count = [](std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  if (reading.schema == 1) {
    const std::string enabled = label_of("/domains/*/crmDkim/enabled");
    std::string message =
        "This file is in schema 1 and was read as schema " + std::to_string(kConfigSchema) + ": ";
    if (reading.account_crm_dkim) {
      message += "the account's " + label_of("/account/crmDkim") + " (" +
                 on_off(*reading.account_crm_dkim) + ") is now " + enabled;
    } else {
      message += "the CRM's DKIM signing (on, schema 1's default) is now " + enabled;
    }
    message += " of " + count(reading.domains_without_crm_dkim, "domain", "domains") +
               ", signing with d= the domain itself as before";
    if (reading.relays_migrated > 0) {
      message += ", and " + label_of("/domains/*/relays/*/signsDkim") + " of " +
                 count(reading.relays_migrated, "relay", "relays") + " is now " +
                 label_of("/domains/*/relays/*/dkim/signs") + " of its DKIM signature";
    }
    reading.findings.push_back(
        Finding{"config.migrated", Severity::info, "/schema", message + ".",
                "Nothing changes for the mail. Download the config to keep it in schema " +
                    std::to_string(kConfigSchema) + "."});
  } else if (reading.account_crm_dkim) {
    const std::string value = on_off(*reading.account_crm_dkim);
    const std::size_t n = reading.domains_without_crm_dkim;
    const std::string old_label = "the account's " + label_of("/account/crmDkim");
    const std::string enabled = label_of("/domains/*/crmDkim/enabled");
    reading.findings.push_back(Finding{
        "config.moved_field", Severity::warning, "/account/crmDkim",
        "The account's " + label_of("/account/crmDkim") +
            " is a schema-1 setting; schema 2 says for each domain whether the CRM signs its "
            "mail, as its " +
            enabled + ". " +
            (n == 0 ? std::string("Every domain says it itself, so this value is ignored.")
                    : "Its value (" + value + ") is used for the " +
                          count(n, "domain that does not say it itself",
                                "domains that do not say it themselves") +
                          "."),
        n == 0 ? "Remove " + old_label + "."
               : (*reading.account_crm_dkim ? "Turn on " : "Turn off ") + enabled +
                     " in each domain that does not say it, and remove " + old_label +
                     "; downloading the config does it for you."});
  }
}

}  // namespace

std::string_view to_string(DataCenter value) { return name_of(kDataCenters, value); }
std::string_view to_string(Security value) { return name_of(kSecurities, value); }
std::string_view to_string(AuthMethod value) { return name_of(kAuthMethods, value); }
std::string_view to_string(EmailType value) { return name_of(kEmailTypeNames, value); }
std::string_view to_string(ReturnPathMode value) { return name_of(kReturnPaths, value); }
std::string_view to_string(TrafficProfile value) { return name_of(kProfiles, value); }

namespace {
template <class E, std::size_t N>
std::vector<E> values_of(const std::array<Choice<E>, N>& choices) {
  std::vector<E> values;
  for (const auto& c : choices) values.push_back(c.value);
  return values;
}
}  // namespace

std::vector<DataCenter> data_center_choices() { return values_of(kDataCenters); }
std::vector<Security> security_choices() { return values_of(kSecurities); }
std::vector<AuthMethod> auth_choices() { return values_of(kAuthMethods); }
std::vector<ReturnPathMode> return_path_choices() { return values_of(kReturnPaths); }
std::vector<TrafficProfile> traffic_profile_choices() { return values_of(kProfiles); }

LoadedConfig load_config(const json& document) {
  if (!document.is_object()) {
    throw RequestError("config.not_object", "a config must be a JSON object, but this is " +
                                                std::string(json_type_name(document)));
  }
  LoadedConfig loaded;
  Reading reading{kConfigSchema, loaded.findings, {}, 0, 0};
  ObjectReader root(document, "", "config", loaded.findings);
  if (const json* schema = root.field("schema"); schema == nullptr) {
    root.add("config.missing_field", Severity::warning, "/schema",
             "The config does not say its schema version, so it is read as schema " +
                 std::to_string(kConfigSchema) + ".",
             "Set " + label_of("/schema") + " to " + std::to_string(kConfigSchema) + ".");
  } else if (!schema->is_number_integer() || schema->get<std::int64_t>() < kOldestConfigSchema ||
             schema->get<std::int64_t>() > kConfigSchema) {
    std::string versions;
    for (int v = kOldestConfigSchema; v <= kConfigSchema; ++v) {
      versions += (v == kOldestConfigSchema ? ""
                   : v == kConfigSchema     ? " and "
                                            : ", ") +
                  std::to_string(v);
    }
    throw RequestError("config.unsupported_schema",
                       "schema version " + schema->dump() +
                           " is not supported; this relaycheck reads schemas " + versions,
                       "/schema");
  } else {
    reading.schema = static_cast<int>(schema->get<std::int64_t>());
  }
  loaded.config.source_schema = reading.schema;
  if (const json* account = root.field("account", Need::required); account != nullptr) {
    read_account(*account, loaded, reading);
  }
  if (const json* domains = root.field("domains", Need::required); domains != nullptr) {
    if (!domains->is_array()) {
      root.add("config.wrong_type", Severity::error, "/domains",
               "The " + label_of("/domains") +
                   " must be a list of sending domains, so none of them is read and nothing is "
                   "analysed.",
               "Write the domains as a list in brackets, [ { … }, { … } ].");
    } else {
      const std::size_t count = std::min(domains->size(), kMaxDomains);
      for (std::size_t i = 0; i < count; ++i) {
        loaded.config.domains.push_back(
            read_domain((*domains)[i], "/domains/" + std::to_string(i), reading));
      }
      if (domains->size() > count) {
        root.add("config.too_many", Severity::error, "/domains",
                 "The config lists " + std::to_string(domains->size()) +
                     " domains; only the first " + std::to_string(count) +
                     " are read, and the others are left out of the analysis.",
                 "Split the domains over several configs.");
      }
    }
  }
  if (const json* dns = root.field("dns"); dns != nullptr) {
    if (dns->is_object()) {
      loaded.config.dns = *dns;
      report_hidden_dns(*dns, loaded.findings);
      if (reading.schema >= 2) read_dns_sources(*dns, loaded.findings);
    } else {
      root.add("config.wrong_type", Severity::error, "/dns",
               "The " + label_of("/dns") +
                   " must be a map from DNS names to their records, so none of them is used.",
               "Write each DNS name with a list of its records, as in {\"zylker.com\": [{\"type\": "
               "\"TXT\", \"data\": [\"v=spf1 …\"]}]}, or leave the DNS records out.");
    }
  }
  root.finish();
  report_migration(reading);
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
    parse_json_or_throw(text, {"config.not_json", "config.too_deep", "config.number_out_of_range"},
                        "", "");
  }
  LoadedConfig loaded = load_config(parsed.document);
  for (const std::string& path : parsed.duplicate_keys) {
    loaded.findings.push_back(
        Finding{"config.duplicate_key", Severity::warning, path,
                "This field is given more than once; only the last value is read, and the "
                "others are ignored.",
                "Keep one of the values and delete the others."});
  }
  return loaded;
}

namespace {

/// {"enabled"|"signs": bool, "domain": d= (when given), "selector": s= (when given)}.
void write_signer(text::JsonWriter& w, const DkimSigner& signer, const char* flag) {
  w.object().member(flag, signer.signs);
  if (!signer.domain.empty()) w.member("domain", signer.domain);
  if (!signer.selector.empty()) w.member("selector", signer.selector);
  w.end();
}

void write_strings(text::JsonWriter& w, const std::vector<std::string>& strings) {
  w.array();
  for (const std::string& s : strings) w.value(s);
  w.end();
}

void write_relay(text::JsonWriter& w, const Relay& relay) {
  w.object()
      .member("host", relay.host)
      .member("port", relay.port)
      .member("security", to_string(relay.security))
      .member("verifyCertificate", relay.verify_certificate)
      .member("certificateHost", relay.certificate_host)
      .member("auth", to_string(relay.auth));
  if (relay.auth == AuthMethod::password || !relay.username.empty()) {
    w.member("username", relay.username);
  }
  if (relay.auth == AuthMethod::ip_whitelist || !relay.allowed_networks.empty()) {
    w.key("allowedNetworks");
    write_strings(w, relay.allowed_networks);
  }
  w.member("dailyLimit", relay.daily_limit).key("emailTypes").array();
  for (EmailType t : relay.email_types) w.value(to_string(t));
  w.end().key("outboundIps");
  write_strings(w, relay.outbound_ips);
  w.member("modifiesMessages", relay.modifies_messages).key("dkim");
  write_signer(w, relay.dkim, "signs");
  w.member("rewritesReturnPath", relay.rewrites_return_path);
  if (!relay.return_path_domain.empty()) w.member("returnPathDomain", relay.return_path_domain);
  w.member("outageFromHour", relay.outage_from_hour).end();
}

void write_traffic(text::JsonWriter& w, const std::vector<Traffic>& traffic) {
  w.object();
  for (const auto& t : traffic) {
    w.key(to_string(t.type))
        .object()
        .member("daily", t.daily)
        .member("profile", to_string(t.profile));
    if (t.profile == TrafficProfile::burst) w.member("burstHour", t.burst_hour);
    if (t.profile == TrafficProfile::custom) {
      w.key("weights").array();
      for (const auto weight : t.weights) w.value(weight);
      w.end();
    }
    w.end();
  }
  w.end();
}

}  // namespace

void write_json(text::JsonWriter& w, const Config& config) {
  const Account& a = config.account;
  w.object()
      .member("schema", kConfigSchema)
      .key("account")
      .object()
      .member("dataCenter", to_string(a.data_center))
      .key("crmRanges");
  write_strings(w, a.crm_ranges);
  w.key("bounceDomains");
  write_strings(w, a.bounce_domains);
  w.member("editionDailyLimit", a.edition_daily_limit)
      .member("timeZone", a.time_zone)
      .end()
      .key("domains")
      .array();
  for (const auto& d : config.domains) {
    w.object().member("name", d.name).member("returnPath", to_string(d.return_path));
    if (d.return_path == ReturnPathMode::custom_address || !d.return_path_address.empty()) {
      w.member("returnPathAddress", d.return_path_address);
    }
    w.key("crmDkim");
    write_signer(w, d.crm_dkim, "enabled");
    w.key("relays").array();
    for (const auto& r : d.relays) write_relay(w, r);
    w.end().key("traffic");
    write_traffic(w, d.traffic);
    w.end();
  }
  w.end();
  if (!config.dns.empty()) w.member("dns", config.dns);
  w.end();
}

json to_json(const Config& config) {
  return text::written_tree([&](text::JsonWriter& w) { write_json(w, config); });
}

}  // namespace relaycheck
