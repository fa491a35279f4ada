#pragma once
/// SPF (RFC 7208): record parsing with every permerror rule, macro expansion, and check_host()
/// over a DnsView. The evaluator is exact about the limits checkers disagree on (their numbers
/// are in spf/limits.hpp):
///   - terms that cause DNS queries (include, a, mx, ptr, exists, redirect) are counted as they
///     are evaluated; one past kLookupLimit is permerror (§4.6.4). `exp` never counts.
///   - an `mx` whose MX answer has more than kMxLimit names is permerror; a `ptr` (or %{p})
///     looks at the first kPtrLimit PTR names and ignores the rest (§4.6.4).
///   - a void lookup is a term whose own query (A or AAAA for the client's family, MX, PTR,
///     the A of `exists`, or a malformed target name) answers NXDOMAIN or no data; one past
///     kVoidLimit is permerror. Address lookups of MX and PTR names are not terms and do not
///     count; nor does the exp= lookup.
///   - an IPv4-mapped client (::ffff:a.b.c.d) is evaluated as IPv4 (§5).
/// The result carries the explanation (for fail), the decisive term path, a trace of each step
/// and the lookups a view answered "unknown" (fetch them and run again).

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ip/ip.hpp"
#include "spf/dns_view.hpp"
#include "spf/limits.hpp"

namespace relaycheck::spf {

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

/// The seven results of check_host() (RFC 7208 §2.6).
enum class Result : std::uint8_t { none, neutral, pass, fail, softfail, temperror, permerror };

std::string_view to_string(Result result);

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

enum class Qualifier : std::uint8_t { pass, fail, softfail, neutral };
/// The result a matching mechanism with this qualifier gives.
Result result_of(Qualifier qualifier);

enum class Mechanism : std::uint8_t { all, include, a, mx, ptr, ip4, ip6, exists };
std::string_view to_string(Mechanism mechanism);
/// include, a, mx, ptr and exists cost one of the 10 DNS-lookup terms; redirect does too.
bool costs_lookup(Mechanism mechanism);

/// One piece of a macro-string (§7.1): literal text, or a macro with its transformers.
struct MacroPart {
  std::string literal;     ///< literal text (%% %_ %- already decoded); used when letter == 0
  char letter = 0;         ///< lowercase macro letter
  bool escape = false;     ///< uppercase letter: URL-escape the expansion
  unsigned keep = 0;       ///< DIGIT transformer: right-hand parts kept; 0 = all
  bool reverse = false;    ///< "r" transformer
  std::string delimiters;  ///< split characters; empty means "."
};

/// A parsed macro-string, with the text it was parsed from.
struct MacroString {
  std::vector<MacroPart> parts;
  std::string text;

  bool uses(char letter) const;
  /// True when the expansion depends on nothing but the current domain (no macro, or only %{d}).
  bool is_static() const;
};

/// Where a macro-string appears; it decides which letters are allowed (§7.1: c, r, t only in
/// explanation text) and whether spaces are (only in explanation text).
enum class MacroContext : std::uint8_t { domain_spec, explanation, unknown_modifier };

/// A syntax error: a stable dotted code (`spf.syntax.*`), a message, and where.
struct SyntaxError {
  std::string code;
  std::string message;
  std::string term;        ///< the term at fault, as written ("" for the record as a whole)
  std::size_t offset = 0;  ///< byte offset of that term in the record
};

struct ParsedMacro {
  std::optional<MacroString> value;
  SyntaxError error;
  explicit operator bool() const { return value.has_value(); }
};

/// Parses a macro-string (`domain_spec` also checks the domain-end rule of §7.1).
ParsedMacro parse_macro_string(std::string_view text, MacroContext context);

/// A mechanism with its qualifier and arguments.
struct Directive {
  Qualifier qualifier = Qualifier::pass;
  Mechanism mechanism = Mechanism::all;
  std::optional<MacroString> domain;  ///< include/a/mx/ptr/exists: absent = the current domain
  unsigned cidr4 = 32;                ///< a/mx: ip4-cidr-length
  unsigned cidr6 = 128;               ///< a/mx: ip6-cidr-length
  ip::Prefix network;                 ///< ip4/ip6 (host bits cleared, as §5.6 compares)
  std::string text;                   ///< the term as written
  std::size_t offset = 0;
};

/// A modifier other than redirect and exp: ignored by evaluation (§6), kept for display.
struct Modifier {
  std::string name;
  MacroString value;
  std::string text;
};

/// A parsed SPF record.
struct Record {
  std::string text;
  std::vector<Directive> directives;
  std::optional<MacroString> redirect;
  std::string redirect_text;
  std::size_t redirect_offset = 0;
  std::optional<MacroString> exp;
  std::string exp_text;
  std::vector<Modifier> modifiers;

  /// An `all` anywhere makes `redirect` ignored (§5.1).
  bool has_all() const;
};

struct ParsedRecord {
  std::optional<Record> record;
  SyntaxError error;
  explicit operator bool() const { return record.has_value(); }
};

/// True when the text is an SPF version 1 record: "v=spf1" (any case) followed by a space or
/// the end (§4.5). Other TXT records at the name are not SPF's business.
bool is_spf_record(std::string_view text);

/// Parses a whole record ("v=spf1 ..."); any syntax error anywhere is an error (§4.6).
ParsedRecord parse_record(std::string_view text);

/// The text of a TXT record: its character-strings joined without separators (§3.3).
std::string join_strings(const TxtRecord& strings);

/// Splits a record into character-strings of at most kStringSizeLimit octets, preferring to cut
/// after a space: the inverse of join_strings(), for publishing.
std::vector<std::string> split_strings(std::string_view record);

// ---------------------------------------------------------------------------------------------
// Macros
// ---------------------------------------------------------------------------------------------

/// The values of the macro letters (§7.2). `p` is filled by the evaluator when used.
struct MacroValues {
  std::string s, l, o, d, i, p, v, h, c, r, t;

  const std::string& value(char letter) const;
};

/// Expands a macro-string: split on the delimiters, reverse, keep the right-hand parts, join
/// with ".", URL-escape for uppercase letters (§7.3).
std::string expand(const MacroString& macro, const MacroValues& values);

/// The domain name a domain-spec expansion queries: without a trailing dot, and cut from the
/// left, label by label, until it is at most kNameSizeLimit characters (§7.3).
std::string target_name(std::string_view expanded);

/// True when a name can be put into a DNS query: 1 to kLabelSizeLimit octets a label (an empty
/// last label is a trailing dot), at most kNameSizeLimit octets in all.
bool is_valid_query_name(std::string_view name);

/// True when check_host() looks a domain up (§4.3): a valid query name of two labels or more;
/// any other domain (malformed, one label, an address literal) gives "none" without a query.
bool is_checkable_domain(std::string_view domain);

/// The reverse-lookup name of an address: "4.3.2.1.in-addr.arpa" or the ip6.arpa nibbles.
std::string reverse_name(const ip::Address& address);

// ---------------------------------------------------------------------------------------------
// check_host()
// ---------------------------------------------------------------------------------------------

/// One lookup a view answered "unknown": fetch it and evaluate again.
struct Lookup {
  std::string name;
  RrType type = RrType::txt;
  bool operator==(const Lookup& other) const { return name == other.name && type == other.type; }
};

/// Lists a lookup as needed (its name normalized), unless it is listed already.
void add_needed(std::vector<Lookup>& needed, std::string_view name, RrType type);

/// One step of an evaluation, for people: the record read, a term evaluated, a query and its
/// answer, a limit. `lookups` and `voids` are the running counts after the step.
struct TraceStep {
  unsigned depth = 0;  ///< 0 for the checked domain, +1 per include/redirect
  std::string domain;  ///< the domain whose record is being evaluated
  std::string event;   ///< record, query, term, match, void, limit, result, exp
  std::string term;    ///< the term as written, when the step is about one
  std::string detail;
  unsigned lookups = 0;
  unsigned voids = 0;
};

/// A term on the way to the decisive match: the matching mechanism, preceded by the include
/// or redirect terms that led to its record.
struct MatchedTerm {
  std::string domain;
  std::string term;
  unsigned depth = 0;
  std::size_t offset = 0;  ///< byte offset of the term in that domain's record
};

/// Parsed records by their text, kept by a caller that runs many checks over the same DNS data
/// (every path of an outcome matrix, a batch of checks): parsing is a large part of a check.
/// Owned by the caller, never global; not safe for concurrent use.
class RecordCache {
 public:
  const ParsedRecord& parse(std::string_view text);

 private:
  struct Entry {
    std::string text;
    ParsedRecord parsed;
  };
  /// Keys view the text of their entry; entries live in a deque so that they never move.
  std::unordered_map<std::string_view, const Entry*> index_;
  /// The same entries by the address of the text last looked up (a zone's records do not move):
  /// a hit is checked against the text, so a stale address only costs a look-up by text.
  std::unordered_map<const char*, const Entry*> by_address_;
  std::deque<Entry> entries_;
};

struct CheckOptions {
  /// Explanation for a fail when the record has no usable exp= (§6.2); macro-expanded as
  /// explanation text (if it is not valid macro text, it is used as written).
  std::string default_explanation = "%{d} does not designate %{c} as a permitted sender";
  std::string receiver = "unknown";  ///< %{r}: the host performing the check
  std::int64_t timestamp = 0;        ///< %{t}: seconds since the epoch (core has no clock)
  bool trace = true;                 ///< record the trace (off for bulk evaluation)
  /// Fill `reason`, `matched` and `sender` (off for bulk evaluation that reads only the result
  /// and the explanation; codes of none, temperror and permerror are always given).
  bool details = true;
  RecordCache* cache = nullptr;  ///< parsed records to reuse across checks (optional)
};

struct CheckResult {
  Result result = Result::none;
  /// fail only: from exp= or the default explanation.
  std::string explanation;
  /// Why: the decisive term, or the cause of none/permerror/temperror, in words.
  std::string reason;
  /// For permerror/temperror/none: a stable dotted code (`spf.syntax.*`, `spf.limit.*`, ...).
  std::string code;
  std::string domain;                ///< the domain checked (after the postmaster/HELO rules)
  std::string sender;                ///< the <sender> used for macros
  std::vector<MatchedTerm> matched;  ///< empty when no mechanism decided (none/neutral default)
  unsigned lookups = 0;
  unsigned void_lookups = 0;
  std::vector<TraceStep> trace;
  /// Lookups the view answered "unknown". While not empty, the result is an assumption: those
  /// lookups were taken to not match (a missing SPF record as none).
  std::vector<Lookup> needed;

  bool complete() const { return needed.empty(); }
};

/// check_host(<ip>, <domain>, <sender>) of RFC 7208 §4, with `helo` for %{h}.
CheckResult check_host(const DnsView& dns, const ip::Address& ip, std::string_view domain,
                       std::string_view sender, std::string_view helo,
                       const CheckOptions& options = {});

/// The MAIL FROM identity (§2.4): `mail_from` is the envelope sender; an empty one is the null
/// reverse path, checked as postmaster@<helo>. A sender without "@" is taken as a domain; a
/// sender without a local-part gets "postmaster" (§4.3).
CheckResult check_mail_from(const DnsView& dns, const ip::Address& ip, std::string_view mail_from,
                            std::string_view helo, const CheckOptions& options = {});

/// The HELO identity (§2.3): <domain> is the HELO name, <sender> postmaster@<helo>.
CheckResult check_helo(const DnsView& dns, const ip::Address& ip, std::string_view helo,
                       const CheckOptions& options = {});

/// The macro values of a message (§7.2): s, l and o of the sender (an address or a bare
/// domain; an empty local-part is postmaster), h of the HELO name, c, i and v of the client,
/// r and t of the options. d is the record's domain, set per record; p is "unknown" (it needs
/// the PTR look-ups of an evaluation).
MacroValues message_macros(const ip::Address& ip, std::string_view sender, std::string_view helo,
                           const CheckOptions& options);

}  // namespace relaycheck::spf
