#pragma once
/// Hosted relays: well-known SMTP services (Microsoft 365, Google Workspace, Amazon SES, SendGrid,
/// Mailgun, Postmark, Brevo, ZeptoMail) recognised from a relay's host, and their documented
/// rules checked against the config and the day plan. The services are versioned data
/// (core/data/hosted-relays.json, embedded by relaycheck_embed): every fact there says whether it
/// was read on the provider's own page (`verified`, with the page and the date), is only
/// commonly reported (`unverified`: findings say "reported, not confirmed"), or is not
/// documented. Severity follows the mail: an error only for a verified rule that refuses mail
/// sent today; an unverified or conditional one is a warning.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "config/finding.hpp"
#include "plan/plan.hpp"

namespace relaycheck::hosted {

/// One fact about a service and where it comes from.
struct Fact {
  nlohmann::json value;     ///< null when the provider publishes no figure
  std::string status;       ///< "verified", "unverified" or "not-documented"
  std::string source;       ///< verified: the provider's page
  std::string read;         ///< verified: the date the page was read (YYYY-MM-DD)
  std::string reported;     ///< unverified: what is commonly reported
  std::string reported_in;  ///< unverified: where it was seen, when known
  std::string note;         ///< what the page says, in short
  std::string condition;    ///< a limit that applies only sometimes ("while in the sandbox")
  std::string unit;         ///< what a limit counts ("recipients", "messages")

  bool verified() const { return status == "verified"; }
  bool known() const { return status != "not-documented" && !value.is_null(); }
};

/// A host pattern: whole labels, `*` standing for exactly one label.
struct HostPattern {
  std::string pattern;
  Fact fact;
};

struct Service {
  std::string id;      ///< stable: "microsoft365-submission", "amazon-ses", ...
  std::string name;    ///< "Microsoft 365"
  std::string vendor;  ///< who documents it: "Microsoft"
  std::string form;    ///< "SMTP submission service (...)"
  std::string setup;   ///< what the admin must set up at the service
  std::vector<HostPattern> hosts;
  Fact ports;                    ///< [{"port": 587, "security": ["starttls"]}, ...]
  Fact auth;                     ///< ["password", "api-key", "ip-allowlist"]
  std::optional<Fact> username;  ///< a fixed SMTP username ("apikey"), when the service has one
  Fact limit_per_day;            ///< a number, or null
  Fact rate;                     ///< {"count": N, "seconds": S}, or null
  Fact recipients_per_message;   ///< a number, or null
  Fact envelope;                 ///< "verified-required", "rewritten" or "any"
  Fact from;                     ///< "mailbox", "verified-domain" or "any"
  Fact spf_include;              ///< the domain to include, or null
  Fact dkim;                     ///< true when it signs with the customer's domain
  nlohmann::json raw;            ///< the service's entry as the data file has it
};

/// The embedded data file, read.
struct Catalog {
  std::string schema;
  int version = 0;
  std::string date;
  std::vector<Service> services;
};

/// Parses the embedded data file. It is part of the build and checked by the tests, so a parse
/// error is a build defect (it throws, like any internal error).
Catalog load();

/// What an analysis of `config` needs of the data file: load() when the host of one of its relays
/// matches one of the file's host patterns (compiled into core by core/tools/data_tables.py),
/// else an empty catalog, without parsing the 28 KB file: that parse was a third of analysing a
/// config with no hosted relay.
Catalog load_for(const Config& config);

/// True when `host` (any case, one trailing dot ignored) matches `pattern` label by label; `*`
/// matches exactly one non-empty label. No substring ever matches:
/// "smtp.office365.com.evil.example" and "evilsmtp.office365.com" are not "smtp.office365.com".
bool host_matches(std::string_view pattern, std::string_view host);

/// The service whose host patterns match `host`, or nullptr.
const Service* match(const Catalog& catalog, std::string_view host);
/// The same with the embedded data, read for this call.
std::optional<Service> match(std::string_view host);

/// The hosted.* findings of every relay of `config` whose host is a known service, with the day
/// plan `day` of that config (its per-relay totals and hours), against `catalog` (load(): the
/// analysis reads the data once for check and report).
std::vector<Finding> check(const Catalog& catalog, const Config& config, const plan::Plan& day);

/// For the analysis report: one object per recognised relay,
/// {"path", "host", "service", "serviceName", "form", "setup", "facts"}, where `facts` holds the
/// data file's facts of the service with their sources.
nlohmann::json report(const Catalog& catalog, const Config& config);

}  // namespace relaycheck::hosted
