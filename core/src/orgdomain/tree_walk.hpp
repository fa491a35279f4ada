#pragma once
/// The organizational domain by RFC 9989's DNS tree walk (§4.10, §4.10.2), over the DNS view
/// the SPF engine reads (spf/dns_view.hpp). Written from draft-ietf-dmarc-dmarcbis-41, the
/// text the IESG approved as RFC 9989.
///
/// The walk (§4.10): query TXT at `_dmarc.<name>`; keep the records that begin with the
/// `v=DMARC1` tag; two or more such records count as none, and so does one with a tag written
/// twice (not a valid record); a single valid one with `psd=y` or `psd=n` stops the walk. Then
/// drop the left-most label, except that a name of x >= 8 labels is shortened at once to its
/// last 7, so that a walk never makes more than 8 queries (`a.b.c.d.e.f.g.h.i.j.mail.example.com`
/// asks `_dmarc.` + itself, then `_dmarc.g.h.i.j.mail.example.com`, ... down to `_dmarc.com`),
/// and repeat until it stops or no label is left.
///
/// The selection (§4.10.2), from the longest name with a record to the shortest:
///  1. a record with `psd=n`: its domain is the organizational domain;
///  2. a record with `psd=y` at a name other than the one the walk started from: the
///     organizational domain is the name one label below it (a label of the start name);
///  3. otherwise the record at the name with the fewest labels.
/// When no name had a record, the start name is its own organizational domain. A walk that
/// starts at a name with `psd=y` stops there and, by rule 3, answers that name.
///
/// The view may answer `unknown` (not fetched yet): the walk then goes on past that name, so
/// that `needed` lists every query a caller must make before the answer can be known; the
/// answer is left empty until none is missing. A temporary DNS error leaves it empty too
/// (RFC 9989 §4.10.1 leaves such errors to the receiver); `status` says which.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spf/dns_view.hpp"
#include "text/hostname.hpp"

namespace relaycheck::orgdomain {

/// The most queries one walk makes (RFC 9989 §4.10).
constexpr std::size_t kMaxWalkQueries = 8;

/// What one query of the walk found.
struct WalkLookup {
  std::string domain;  ///< the name whose policy was looked for, in A-labels: `example.com`
  std::string query;   ///< the name queried: `_dmarc.example.com`
  spf::DnsStatus status = spf::DnsStatus::unknown;
  bool too_long = false;       ///< the query name exceeds 253 characters: not queried, no record
  bool duplicate_tag = false;  ///< the one DMARC record writes a tag twice: not valid, not counted
  std::size_t dmarc_records = 0;  ///< TXT records that begin with `v=DMARC1`
  /// For exactly one DMARC record that is valid (no tag twice): its `psd`, 'y', 'n' or 'u';
  /// 0 when there is no such record.
  char psd = 0;

  bool has_record() const { return psd != 0; }
};

enum class WalkStatus : std::uint8_t {
  determined,     ///< every query needed was answered
  needs_lookups,  ///< the view does not know some names yet: see `needed`
  dns_error,      ///< a query failed with a temporary error before the walk could stop
};

std::string_view to_string(WalkStatus status);

struct TreeWalk {
  WalkStatus status = WalkStatus::determined;
  std::string name;        ///< the start name, lowercased, in the form given
  std::string name_ascii;  ///< the same in A-labels
  std::optional<std::string> organizational_domain;  ///< in the form given; set when determined
  std::optional<std::string> organizational_domain_ascii;
  /// The name whose record said `psd=y` and stopped the walk (a public suffix domain), if any.
  std::optional<std::string> public_suffix_domain;
  std::optional<std::string> public_suffix_domain_ascii;
  std::vector<WalkLookup> lookups;  ///< in the order made, at most kMaxWalkQueries
  std::vector<std::string> needed;  ///< names to query for TXT (`_dmarc.…`) before it is known
  std::string reason;               ///< which rule decided, as a sentence

  bool complete() const { return status == WalkStatus::determined; }
};

/// The label counts of the names a walk from a name of `labels` labels queries, in order:
/// 4 → {4, 3, 2, 1}; 13 → {13, 7, 6, 5, 4, 3, 2, 1}.
std::vector<std::size_t> walk_label_counts(std::size_t labels);

/// The walk from `name` (checked as text/hostname.hpp checks host names), or why `name` is not
/// a domain name.
Checked<TreeWalk> tree_walk(std::string_view name, const spf::DnsView& dns);

/// The minimum of a DMARC policy record the walk reads (a stand-in until the walk calls
/// dmarc::parse_record from core/src/dmarc/record.hpp).
struct RecordPeek {
  /// A tag name occurs twice (compared case-insensitively): the record is not valid (RFC 9989
  /// §4.7 takes DKIM's tag-value syntax; RFC 6376 §3.2), so the walk does not count it.
  bool duplicate_tag = false;
  /// The `psd` value: 'y', 'n', or 'u' when absent or not one of y/n/u (RFC 9989 §4.8: "syntax
  /// errors in the remainder of the record MUST be discarded in favor of default values").
  char psd = 'u';
};

/// Nullopt when `record` does not begin with the version tag (RFC 9989 §4.8: "v" *WSP "=" *WSP
/// "DMARC1", the value case-sensitive, then ";" or the end: the record is then not a DMARC
/// record at all). Tags are `name *WSP "=" *WSP value` with a name of letters, read
/// case-insensitively as ABNF reads literals; a part that is not one is ignored.
std::optional<RecordPeek> peek_dmarc_record(std::string_view record);

}  // namespace relaycheck::orgdomain
