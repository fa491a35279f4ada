#pragma once
/// SPF over address ranges: check_host() (RFC 7208 §4) for one domain, sender and HELO name as a
/// function of the client address, computed over whole address ranges at once. The result is a
/// partition of all addresses of both families into sets with one result each, plus the set of
/// addresses whose result depends on the address in a way a set cannot express.
///
/// The model. Evaluation of a record is sequential and stops at the first match (§4.6.2), so a
/// record is walked term by term with the addresses that reach each term: each mechanism matches
/// a set (ip4/ip6: the network; a/mx: the A or AAAA answers of the family widened to
/// cidr4/cidr6 (§5.3, §5.4); `exists` with a name that does not depend on the client: all or
/// nothing (§5.7); include: the addresses for which the included record gives pass (§5.2); all:
/// everything), the matched part gets the qualifier's result and leaves, the rest goes on; after
/// the last term, redirect= hands the rest to the target's record (§6.1), else it is neutral.
///
/// Exact limits. The counts of §4.6.4 differ between addresses once an include lets some of them
/// leave early (a `-ip4:` inside an include ends its evaluation before the include's later
/// terms), so the addresses that reach a term are kept in groups by their (lookups, void
/// lookups) counts, at most (kLookupLimit + 1) × (kVoidLimit + 1) groups; each group passes
/// the limits exactly where check_host() would, and the term that goes past a limit gives
/// permerror to that group only. Errors are final wherever they arise (an include passes
/// temperror and permerror up, §5.2); an include or redirect of a domain without a record is
/// permerror (§5.2, §6.1). An IPv4-mapped client is evaluated as IPv4 (§5), so ::ffff:0:0/96
/// gets the IPv4 results.
///
/// Approximate terms. What `ptr` and the macros %{i}, %{c} and %{p} in a domain-spec look up
/// depends on the client address (§5.5, §7.3), which a set cannot express. The addresses that
/// reach such a term go to `undecided` (evaluate them one by one with check_host()), and the
/// first such term is named. %{s}, %{l}, %{o}, %{h} and %{d} come from the sender, the HELO name
/// and the record's domain, and %{v} from the family: those stay exact. A hostile zone that
/// would need more than kRangeStepBudget group steps also ends in `undecided`.
///
/// DNS answers "unknown" (MissingName::unknown) are taken as check_host() takes them (no match,
/// a missing record as none) and listed in `needed`: while it is not empty, the partition is an
/// assumption. Only lookups that decide results are made: not exp= (an explanation is per
/// address), nor those of undecided addresses.
///
/// Work. No cap beyond check_host()'s own: a term's answer of n addresses is one sort of n
/// prefixes; the walk recurses once per include or redirect (at most kLookupLimit deep, as every
/// group pays for each); kRangeStepBudget bounds the rest.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ip/prefix_set.hpp"
#include "spf/spf.hpp"

namespace relaycheck::spf {

/// Group steps (one term applied to one group of addresses) one partition may take before the
/// rest of the addresses is left `undecided`. A real record takes a few hundred.
constexpr std::size_t kRangeStepBudget = 20000;

/// A set of addresses with one result. `code` is check_host()'s code for none, temperror and
/// permerror (`spf.limit.lookups`, ...), empty for the others.
struct RangeResult {
  ip::PrefixSet addresses;
  Result result = Result::none;
  std::string code;
};

/// check_host() as a function of the client address.
struct Partition {
  /// Disjoint, one per (result, code); together with `undecided` they cover every address of
  /// both families.
  std::vector<RangeResult> parts;
  /// Addresses whose result needs a check_host() of their own.
  ip::PrefixSet undecided;
  /// The first term that left addresses undecided, as written ("ptr", "exists:%{i}._i.x.org",
  /// or "" when exact); `approximate_domain` is the domain whose record holds it.
  std::string approximate_term;
  std::string approximate_domain;
  /// True when kRangeStepBudget ran out (at `approximate_term`) rather than a term needing it.
  bool over_budget = false;
  /// Lookups the view answered "unknown": fetch them and compute again.
  std::vector<Lookup> needed;

  bool exact() const { return undecided.empty(); }
  bool complete() const { return needed.empty(); }
  /// The addresses whose result is pass.
  ip::PrefixSet pass() const;
  /// The part holding `address` (mapped IPv6 included), or null when it is undecided.
  const RangeResult* find(const ip::Address& address) const;
};

/// The partition for check_host(<any ip>, domain, sender) with `helo` for %{h}.
Partition partition(const DnsView& dns, std::string_view domain, std::string_view sender,
                    std::string_view helo, RecordCache* cache = nullptr);

/// Addresses of one prefix that coverage() checks one by one with check_host() when they are
/// undecided; a larger undecided part leaves the prefix approximate.
constexpr std::size_t kCoverageCheckLimit = 256;

/// What the domain says about one client prefix (a relay's outbound address, a CRM's range).
struct Coverage {
  ip::Prefix prefix;
  /// The result when it is the same for every address of the prefix.
  std::optional<Result> uniform;
  /// The prefix split by result (one entry when uniform); undecided addresses that were checked
  /// one by one are in here too.
  std::vector<RangeResult> split;
  /// Addresses of the prefix whose result is not known: more than kCoverageCheckLimit undecided.
  ip::PrefixSet undecided;
  /// True while the partition still needs lookups (its results are assumptions).
  bool assumed = false;

  bool passes() const { return uniform == Result::pass; }
};

/// The sender and HELO name for the per-address checks of coverage(), as given to partition().
struct CoverageQuery {
  const DnsView* dns = nullptr;
  std::string_view domain;
  std::string_view sender;
  std::string_view helo;
  RecordCache* cache = nullptr;
};

/// Per prefix, in the order given: its result, or how it splits. Undecided addresses are checked
/// with check_host() (at most kCoverageCheckLimit per prefix) when `query.dns` is set.
std::vector<Coverage> coverage(const Partition& partition, const std::vector<ip::Prefix>& prefixes,
                               const CoverageQuery& query = {});

/// The counts behind "your SPF authorises 7 of the CRM's 9 US ranges; missing
/// 136.143.190.0/23".
struct CoverageSummary {
  std::size_t total = 0;            ///< prefixes given
  std::size_t authorised = 0;       ///< prefixes that pass as a whole
  std::size_t partial = 0;          ///< prefixes that pass in part
  std::size_t unknown = 0;          ///< prefixes with undecided addresses
  std::vector<ip::Prefix> missing;  ///< the given addresses that do not pass, fewest CIDRs
  /// The result of the missing addresses when it is one and the same for all of them.
  std::optional<Result> missing_result;
  bool assumed = false;  ///< some result rests on lookups still needed
};

CoverageSummary summarize(const std::vector<Coverage>& coverages);

}  // namespace relaycheck::spf
