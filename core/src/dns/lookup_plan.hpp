#pragma once
/// The lookup plan (issue 17): given a loaded config and the DNS data its `dns` section already
/// holds, the (name, type) lookups the analysis still needs; and the merge of fetched answers
/// back into that section. The caller (the CLI over UDP/TCP, the page over DNS-over-HTTPS) loops:
/// plan, fetch, merge, until the plan is done or its limit is reached. Pure: no I/O.
///
/// What is asked for:
///   - every query the analysis makes that the `dns` section cannot answer (the analysis runs
///     over a view that records each query answered "unknown"): SPF records and everything they
///     reach (include, redirect, a, mx, ptr, exists, macros expanded for each path's clients and
///     envelope sender), `_dmarc` at each From domain and its organizational domain, the DKIM key
///     records of the selectors the config names;
///   - each From domain's TXT (its SPF record, read by the hosted-service rules and shown in the
///     page's DNS panel even when the envelope domain is another, such as the CRM's);
///   - each relay host's A and AAAA (a host that does not resolve, or resolves to a private
///     address, is unreachable from the CRM);
///   - the PTR of each relay outbound IP (single addresses, not ranges), and once a PTR name is
///     known, its A or AAAA (forward-confirmed reverse DNS).
/// Lookups come deduplicated (names compared case-insensitively), in a stable order (From domains'
/// TXT, relay hosts, PTRs and forward lookups, then the order the analysis met them), at most
/// `limit` per round.
/// A macro over a range of clients (the CRM's ranges, for mail the CRM sends itself) may need
/// hundreds of lookups, bounded by the SPF range engine (spf/ranges.hpp): `total` says how many.
/// A lookup the data answers with a temporary error (TIMEOUT) is not asked again, so the loop
/// ends while a server keeps failing: a caller retries by removing that entry.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "dns/message.hpp"

namespace relaycheck::dns {

/// The most lookups one round asks for.
constexpr std::size_t kMaxLookupsPerRound = 200;

/// The page's DNS-over-HTTPS client (web/js/live-dns.js), which core's `form` hands these to:
/// how long one request may take before it is kept as a temporary error (the CLI's UDP client
/// waits 3 s per server and tries the next; a DoH request crosses TLS and one resolver only), and
/// how many requests are in flight at once (quick for the 7 lookups of a small config, polite to
/// a public resolver for 200).
constexpr int kDohTimeoutMs = 5000;
constexpr int kDohInFlight = 4;

struct Lookup {
  std::string name;  ///< lowercased, no trailing dot
  std::uint16_t type = type::TXT;

  bool operator==(const Lookup& other) const { return name == other.name && type == other.type; }
};

struct LookupPlan {
  std::vector<Lookup> lookups;  ///< at most `limit`
  std::size_t total = 0;        ///< how many are needed, before the limit
  std::size_t limit = kMaxLookupsPerRound;
  bool done() const { return total == 0; }
};

/// The lookups the analysis of `config` still needs, given `config.dns`. A `dns` section that is
/// not a zone (a finding of the analysis) is read as empty.
LookupPlan plan_lookups(const Config& config, std::size_t limit = kMaxLookupsPerRound);

/// One fetched answer: the lookup and its zone fragment (to_zone_entries()).
struct Answer {
  std::string name;
  std::uint16_t type = type::TXT;
  nlohmann::json entries = nlohmann::json::object();
};

/// What a merge did to one (owner, type) of the section.
struct Change {
  std::string name;
  std::string type;    ///< "TXT", "A", ...; "CNAME", "NXDOMAIN" for name-wide entries
  std::string change;  ///< "added" (nothing was known), "changed", "unchanged"
  nlohmann::json before = nlohmann::json::array();  ///< the entries replaced (without sources)
  nlohmann::json after = nlohmann::json::array();   ///< the entries now there (without sources)
};

struct Merged {
  nlohmann::json dns = nlohmann::json::object();
  std::vector<Change> changes;
};

/// Merges answers into a `dns` section. For each owner an answer names, the entries about the
/// answered type are replaced (records of it, NODATA or TIMEOUT naming it, a TIMEOUT without
/// types); an NXDOMAIN or a
/// CNAME replaces every entry of the owner (such a name has nothing else), and records remove
/// an earlier NXDOMAIN or CNAME. Each new entry gets `"fetched": at` and `"resolver": resolver`
/// (config schema 2's optional source fields; empty strings are left out). A TIMEOUT is listed
/// last at its owner, so records known before still answer (ZoneView's rule). Errors: `dns` is
/// not an object, or an answer's entries are not a zone fragment of known entry types.
Result<Merged> merge_answers(const nlohmann::json& dns, const std::vector<Answer>& answers,
                             std::string_view resolver, std::string_view at);

}  // namespace relaycheck::dns
