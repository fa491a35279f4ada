#pragma once
/// DMARC policy discovery: which record, and which of its policies, applies to mail whose
/// RFC5322.From domain is given (RFC 9989 §4.10.1; RFC 7489 §6.6.3).
///
///  1. `_dmarc.<From domain>` TXT. Records that do not open with v=DMARC1 are ignored. One DMARC
///     record: it applies, with its `p`.
///  2. Otherwise (no record, or more than one: RFC 9989 discards them all), `_dmarc.<organizational
///     domain>` when that is a parent of the From domain. One DMARC record: it applies, with its
///     `sp` when the From domain exists and its `np` when it does not (NXDOMAIN, RFC 8020); each
///     falls back as RFC 9989 §4.7 says (np → sp → p). The organizational domain is the caller's
///     (the organizational-domain engine's); without one, discovery stops after step 1.
///  3. Otherwise no DMARC policy applies.
/// A record that is found but not usable (see record.hpp: no usable policy, a duplicate tag)
/// means no DMARC processing; discovery does not go on to the next name.
/// The RFC 9989 walk to a public suffix domain's record (psd=y) is not part of this.
///
/// A view that answers "unknown" (not fetched yet) makes the result `unknown` with the lookups
/// still needed; a temporary error makes it `temp_error` (RFC 9989 leaves its handling to the
/// receiver: deliver, or defer with 4xx).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/finding.hpp"
#include "dmarc/record.hpp"
#include "spf/dns_view.hpp"

namespace relaycheck::dmarc {

enum class DiscoveryStatus : std::uint8_t {
  found,       ///< one usable record: its policy applies
  no_policy,   ///< a record was found, but receivers apply no DMARC processing (see the reason)
  none,        ///< no DMARC record: DMARC does not apply
  temp_error,  ///< a query failed temporarily
  unknown,     ///< the DNS view lacks answers; see `needed`
};

/// Which tag of the record gives the policy.
enum class PolicySource : std::uint8_t { p, sp, np };

std::string_view to_string(
    DiscoveryStatus status);  ///< "found", "no_policy", "none", "temperror", "unknown"
std::string_view to_string(PolicySource source);  ///< "p", "sp", "np"

/// One name queried, and what it gave.
struct DiscoveryQuery {
  std::string name;
  spf::DnsStatus status = spf::DnsStatus::unknown;
  std::size_t dmarc_records = 0;  ///< TXT records that open with v=DMARC1
  std::size_t other_records = 0;  ///< TXT records that do not (ignored)
  std::string outcome;            ///< a sentence
};

struct DiscoveryOptions {
  /// Whether the From domain exists (for sp or np); nullopt: read from the view when needed.
  std::optional<bool> from_exists;
  /// Forwarded to the record's report-address check (see ParseOptions).
  OrgDomainFn organizational_domain;
  /// Look up the authorisation records of external report addresses in the same view.
  bool check_report_authorization = true;
};

struct Discovery {
  DiscoveryStatus status = DiscoveryStatus::none;
  std::string from_domain;            ///< ASCII, lowercased
  std::string organizational_domain;  ///< ASCII, lowercased; "" when none was given
  std::optional<bool> from_exists;    ///< known when it mattered or was given
  std::string record_domain;          ///< the domain whose record applies
  std::string record_name;            ///< `_dmarc.<record_domain>`
  std::string record_text;            ///< the TXT record, strings joined
  std::optional<Record> record;       ///< the record read, when one was found
  PolicySource source = PolicySource::p;
  Policy policy = Policy::none;   ///< the policy the record asks for the From domain
  Policy applied = Policy::none;  ///< after t=y (one level weaker), what receivers apply
  bool testing = false;
  std::string reason;  ///< a sentence: which record and tag, and why
  std::vector<DiscoveryQuery> queries;
  std::vector<Lookup> needed;
  std::vector<Finding> findings;  ///< discovery's own (no record, several records, ...), sorted
};

/// Discovers the policy for mail from `from_domain`. `organizational_domain` is the From
/// domain's organizational domain (nullopt: none known, e.g. a public suffix).
Discovery discover(const spf::DnsView& dns, std::string_view from_domain,
                   const std::optional<std::string>& organizational_domain,
                   const DiscoveryOptions& options = {});

/// {"status", "fromDomain", "organizationalDomain", "fromExists", "recordDomain", "recordName",
/// "record", "source", "policy", "applied", "testing", "reason", "queries", "needed", "findings",
/// "parsed" (the record's to_json, when one was found)}.
/// `write_json` writes the same as JSON text into a report's writer; to_json reads that back.
void to_json(nlohmann::json& out, const Discovery& discovery);
void write_json(text::JsonWriter& w, const Discovery& discovery);
/// The members of that object, into one the caller has opened; without `policy_source` the
/// `source` member (the tag that gave the policy) is left for the caller to write (the DNS panel
/// writes where the record came from in its place).
void write_members(text::JsonWriter& w, const Discovery& discovery, bool policy_source);

}  // namespace relaycheck::dmarc
