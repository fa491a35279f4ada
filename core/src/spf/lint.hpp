#pragma once
/// SPF record analysis (the include tree with what each branch costs, void lookups, findings)
/// and the record to publish so that a relay's outbound IPs pass.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/finding.hpp"
#include "ip/ip.hpp"
#include "spf/dns_view.hpp"
#include "spf/spf.hpp"

namespace relaycheck::spf {

struct RecordNode;

/// What lint found at a domain of the tree.
enum class RecordStatus : std::uint8_t {
  ok,         ///< one SPF record, which parses: its terms follow
  none,       ///< no SPF record
  multiple,   ///< more than one SPF record
  syntax,     ///< a record that does not parse
  temperror,  ///< the TXT lookup fails
  unknown,    ///< the TXT records are not fetched yet
  malformed,  ///< not a domain that can be looked up
  loop,       ///< a domain reached again through its own includes or redirects
};

/// "ok", "none", "multiple", ...: the enumerator's name.
std::string_view to_string(RecordStatus status);

/// One term of a record in the tree, in evaluation order, costed as if nothing matched (the
/// worst case every receiver must be able to evaluate).
struct TermNode {
  std::string term;
  unsigned cost = 0;   ///< DNS-lookup terms this term costs, its include/redirect branch included
  unsigned total = 0;  ///< running total of the whole evaluation after this term
  bool void_lookup = false;
  std::string note;                ///< what the lookup found, or why it was not followed
  std::vector<RecordNode> branch;  ///< the included or redirected record (0 or 1)
};

/// One domain's record in the tree.
struct RecordNode {
  std::string domain;
  RecordStatus status = RecordStatus::none;
  std::string record;
  std::string error;
  unsigned cost = 0;  ///< DNS-lookup terms inside this record and its branches
  std::vector<TermNode> terms;
};

struct LintOptions {
  /// The client the void lookups of `a` are judged for (A for IPv4, AAAA for IPv6), and for
  /// which the decisive term is reported. Without it: IPv4, and no evaluation.
  std::optional<ip::Address> ip;
};

struct LintResult {
  std::string domain;
  RecordNode tree;
  unsigned lookups = 0;       ///< worst-case DNS-lookup terms (the limit is kLookupLimit)
  unsigned void_lookups = 0;  ///< void lookups on the worst-case path (the limit is kVoidLimit)
  std::vector<Finding> findings;
  std::vector<Lookup> needed;
  std::optional<CheckResult> check;  ///< with LintOptions::ip: check_host for postmaster@domain
};

/// Analyses the SPF record of `domain`. Finding paths point at the zone entry of the domain
/// concerned: `/zone/<name>`.
LintResult lint(const DnsView& dns, std::string_view domain, const LintOptions& options = {});

struct ProposeOptions {
  /// The include the relay vendor publishes (e.g. "spf.vendor.example"), if any: used instead
  /// of IP terms when it authorises the IPs and keeps the record within kLookupLimit lookups.
  std::string vendor_include;
};

struct Proposal {
  std::string domain;
  std::string current;               ///< the record published now ("" when none)
  std::string record;                ///< the record to publish (== current when nothing changes)
  std::vector<std::string> strings;  ///< `record` as TXT character-strings (split_strings)
  bool changed = false;
  std::vector<std::string> added;  ///< the terms inserted
  struct Covered {
    std::string ip;
    std::string by;  ///< the term that already authorises it ("" if not)
  };
  std::vector<Covered> already;  ///< IPs that pass already, and the term that makes them pass
  unsigned lookups_before = 0;
  unsigned lookups_after = 0;
  bool usable = true;  ///< false when no record can be proposed (see findings)
  std::vector<Finding> findings;
  std::vector<Lookup> needed;
};

/// The smallest change to `domain`'s record that makes every address in `ips` pass: `ip4:` and
/// `ip6:` terms (no DNS lookup) inserted before the term that decides against them (usually
/// the `all`), or the vendor's include when it fits; re-checked by evaluation, against the
/// lookup limit and the size limits. What receivers never evaluate, or what fails every check
/// that reaches it, goes first: the terms after the `all` (RFC 7208 §5.1) and includes of a
/// domain without an SPF record (§5.2); an `all` that passes every sender becomes `~all`. The
/// findings carry lint's word on each of those, and the errors lint finds in the proposal.
Proposal propose(const DnsView& dns, std::string_view domain, const std::vector<ip::Prefix>& ips,
                 const ProposeOptions& options = {});

/// The JSON Pointer of a domain's entry in the zone document, "/zone/<name>": where lint's and
/// propose's findings point.
std::string zone_path(std::string_view domain);

}  // namespace relaycheck::spf
