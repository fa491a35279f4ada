#pragma once
/// DMARC Policy Records (RFC 9989 §4.7 and §4.8, which obsolete RFC 7489 §6.3 and §6.4): the
/// record read as a receiver reads it, its effective values with the defaults applied, and
/// findings that say what will happen to the mail.
///
/// What decides, in short:
///  - `v=DMARC1` must open the record: the tag name `v` (ABNF strings are case-insensitive) and
///    the value `DMARC1` exactly (RFC 9989 §4.8 writes it %s"DMARC1", case-sensitive), followed by
///    `;` or the end. Anything else is not a DMARC record at all.
///  - A tag name that occurs twice makes the whole record invalid (RFC 9989 §4.7 takes DKIM's
///    tag-value syntax, and RFC 6376 §3.2 says a tag-list with a duplicate name is invalid).
///  - Unknown tags are ignored (reported as info); a known tag with a value outside its grammar
///    is ignored too and its default applies (RFC 9989 §4.8: "Syntax errors in the remainder of
///    the record MUST be discarded in favor of default values").
///  - A missing or invalid `p`, or an invalid `sp` or `np`: with at least one syntactically
///    valid `rua` URI the record reads as `p=none` (all three policies none); without one,
///    receivers apply no DMARC processing at all and the record is not valid (RFC 9989 §4.10.1).
///  - Defaults (RFC 9989 §4.7): sp = p, np = sp, adkim = aspf = r, psd = u, t = n, fo = 0.
///  - The tags RFC 9989 removed (`pct`, `rf`, `ri`) are read and reported: receivers that still
///    follow RFC 7489 apply them.
///
/// Cost: one pass over the text; duplicate names are found by sorting, so a record of 100 KB or
/// of 10,000 tags is read in O(n log n) time and O(n) memory, with at most a few findings per
/// code (the rest are counted in one summary finding).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/finding.hpp"

namespace relaycheck::spf {
class DnsView;
}

namespace relaycheck::dmarc {

/// The Domain Owner Assessment Policy (p, sp, np). Declaration order is strength order.
enum class Policy : std::uint8_t { none, quarantine, reject };
/// Identifier alignment mode (adkim, aspf).
enum class Alignment : std::uint8_t { relaxed, strict };
/// The psd tag: y (a public suffix domain), n (an organizational domain), u (unknown, default).
enum class Psd : std::uint8_t { yes, no, unknown };

std::string_view to_string(Policy policy);        ///< "none", "quarantine", "reject"
std::string_view to_string(Alignment alignment);  ///< "r", "s"
std::string_view to_string(Psd psd);              ///< "y", "n", "u"

/// The policy one level weaker (reject → quarantine → none, none stays none): what `t=y` asks
/// receivers to apply (RFC 9989 §4.7), and what an RFC 7489 receiver applies to the failing mail
/// that `pct` leaves out (RFC 7489 §6.6.4).
Policy weaker(Policy policy);

/// A DNS query the caller still has to answer (the view said "unknown"). Always type TXT.
struct Lookup {
  std::string name;
  bool operator==(const Lookup& other) const { return name == other.name; }
};

/// Whether a report address outside the record's organizational domain is authorised to
/// receive its reports (RFC 9990 §4, RFC 9991 §5: `<domain>._report._dmarc.<host>` TXT
/// "v=DMARC1").
enum class Authorization : std::uint8_t {
  not_needed,    ///< the address is in the record's own organizational domain (or no domain given)
  not_checked,   ///< external, and no DNS data was given (or the check limit was reached)
  authorized,    ///< the authorisation record exists
  unauthorized,  ///< it does not: receivers ignore the address
  unknown,       ///< the DNS view has not fetched it yet (listed in `needed`)
  temp_error,    ///< the query failed temporarily
};

std::string_view to_string(Authorization authorization);

/// One URI of `rua` or `ruf`.
struct ReportUri {
  std::string text;    ///< as written, with any size suffix
  std::string uri;     ///< without the size suffix
  std::string scheme;  ///< lowercased, e.g. "mailto"
  std::string
      domain;  ///< the host a report goes to (mailto: the address's domain), ASCII
               ///< lowercased; empty when there is none (another scheme, an address literal)
  std::optional<std::uint64_t> size;  ///< the number of an obsolete `!size` suffix
  char size_unit = '\0';              ///< its unit: 'k', 'm', 'g', 't', or '\0' for bytes
  std::size_t offset = 0;             ///< where the URI starts in the record text
  bool valid = false;                 ///< a syntactically valid URI (RFC 3986)
  std::string error;                  ///< why it is not, when it is not
  bool external = false;              ///< outside the record's organizational domain
  Authorization authorization = Authorization::not_needed;
  std::string authorization_name;  ///< the name of the authorisation record, when external
};

/// Why a record is not valid.
struct RecordError {
  std::string code;     ///< the code of the error finding that says the same
  std::string message;  ///< a sentence, with the offset
  std::size_t offset = 0;
  std::string tag;  ///< the tag at fault, lowercased, or "" for the record as a whole
};

/// A record as a receiver reads it.
struct Record {
  /// A DMARC Policy Record that receivers apply: it opens with v=DMARC1, has no duplicate tag,
  /// and has a usable policy (a valid p, sp and np, or a valid rua URI to fall back on p=none).
  bool valid = false;
  /// It opens with v=DMARC1 (discovery counts it as a DMARC record even if it is not valid).
  bool dmarc = false;
  std::vector<RecordError> errors;  ///< when not valid: why

  // Effective values, defaults applied (meaningful when valid).
  Policy p = Policy::none;
  Policy sp = Policy::none;
  Policy np = Policy::none;
  /// p, sp and np read as none because p is missing or invalid (or sp or np is invalid) and a
  /// valid rua URI saves the record (RFC 9989 §4.10.1).
  bool policy_fallback = false;
  Alignment adkim = Alignment::relaxed;
  Alignment aspf = Alignment::relaxed;
  Psd psd = Psd::unknown;
  bool testing = false;        ///< t=y
  std::string fo = "0";        ///< failure reporting options, lowercased, colon-separated
  std::vector<ReportUri> rua;  ///< every URI written, valid or not, in order
  std::vector<ReportUri> ruf;

  // The tags RFC 9989 removed, as an RFC 7489 receiver reads them (set only when written and
  // valid under RFC 7489).
  std::optional<unsigned> pct;
  std::optional<std::string> rf;
  std::optional<std::uint32_t> ri;

  /// Known tags written with a value that was used, lowercased, in order (the others show
  /// defaults).
  std::vector<std::string> written;
  std::size_t unknown_tags = 0;

  std::vector<Finding> findings;  ///< sorted (sort_findings)
  std::vector<Lookup> needed;     ///< authorisation records the DNS view does not know yet
};

/// The organizational domain of an ASCII, lowercased name, or nullopt when it has none (a public
/// suffix). Supplied by the caller (the organizational-domain engine); without it, two names
/// are taken to be in one organization when one is the other or lies below it.
using OrgDomainFn = std::function<std::optional<std::string>(std::string_view name)>;

struct ParseOptions {
  /// The domain the record is published for (`_dmarc.<domain>`); "" when unknown. Needed for the
  /// report-address check.
  std::string domain;
  /// DNS data for the authorisation records of external report addresses; nullptr: not checked.
  const spf::DnsView* dns = nullptr;
  OrgDomainFn organizational_domain;
};

/// Reads a record (the TXT record's strings already joined).
Record parse_record(std::string_view text, const ParseOptions& options = {});

/// True when `text` opens with the version tag v=DMARC1, which is what makes a TXT record a
/// DMARC record for discovery (RFC 9989 §4.10 steps 2 and 6) and for the authorisation check.
bool is_dmarc_record(std::string_view text);

/// Valid: {"valid": true, "tags": {...effective...}, "defaulted": [...], "policyFallback",
/// "reportUris": [...], "removed": {...}, "findings", "needed", "errors": []}.
/// Not valid: {"valid": false, "errors": [{"code", "message", "offset", "tag"}], "findings",
/// "needed"}.
/// `write_json` writes the same as JSON text, into a report's writer; to_json reads that back.
void to_json(nlohmann::json& out, const Record& record);
void write_json(text::JsonWriter& w, const Record& record);
/// The lookups as [{"name", "type": "TXT"}].
void write_lookups(text::JsonWriter& w, const std::vector<Lookup>& needed);

}  // namespace relaycheck::dmarc
