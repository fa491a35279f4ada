#include "dmarc/record.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>

#include "spf/dns_view.hpp"
#include "text/ascii.hpp"
#include "text/hostname.hpp"
#include "text/json_writer.hpp"
#include "text/quote.hpp"

namespace relaycheck::dmarc {
namespace {

using json = nlohmann::json;

/// Findings of one code listed one by one; beyond this, one finding counts the rest.
constexpr std::size_t kMaxFindingsPerCode = 8;
/// Distinct external report domains whose authorisation record is looked up.
constexpr std::size_t kMaxAuthorizationChecks = 16;
/// The longest domain name DNS carries, in its text form without the trailing dot.
constexpr std::size_t kMaxNameLength = 253;

bool is_wsp(char c) { return c == ' ' || c == '\t'; }
using text::iequals;
using text::is_alpha;
using text::is_digit;
using text::to_lower;

bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

std::string_view trim(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && is_wsp(text[begin])) ++begin;
  while (end > begin && is_wsp(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

std::string at(std::size_t offset) { return "at offset " + std::to_string(offset); }

std::string hex_byte(unsigned char c) {
  constexpr char kDigits[] = "0123456789ABCDEF";
  return std::string("0x") + kDigits[c >> 4] + kDigits[c & 0x0F];
}

/// Findings of one parse: at most kMaxFindingsPerCode of each code, then one that counts the rest.
class Collector {
 public:
  void add(std::string_view code, Severity severity, std::string path, std::string message,
           std::string fix) {
    if (!take(code, severity)) return;
    out_.push_back(
        Finding{std::string(code), severity, std::move(path), std::move(message), std::move(fix)});
  }

  /// The same for findings that many tags or URIs can raise: `make` builds the Finding's path,
  /// message and fix only when it is listed, so that 10,000 of them cost a count each.
  template <class Make>
  void add_lazy(std::string_view code, Severity severity, Make&& make) {
    if (!take(code, severity)) return;
    Finding f = make();
    f.code = std::string(code);
    f.severity = severity;
    out_.push_back(std::move(f));
  }

  std::vector<Finding> finish() {
    for (const auto& [code, count] : counts_) {
      if (count.seen <= kMaxFindingsPerCode) continue;
      out_.push_back(Finding{code, count.severity, "",
                             std::to_string(count.seen - kMaxFindingsPerCode) +
                                 " more findings like the " + std::to_string(kMaxFindingsPerCode) +
                                 " above are not listed (" + std::to_string(count.seen) +
                                 " in all).",
                             ""});
    }
    sort_findings(out_);
    return std::move(out_);
  }

 private:
  struct Count {
    std::size_t seen = 0;
    Severity severity = Severity::info;
  };

  /// Counts one finding of `code`; true when it is to be listed.
  bool take(std::string_view code, Severity severity) {
    auto it = counts_.find(code);
    if (it == counts_.end()) it = counts_.emplace(std::string(code), Count{0, severity}).first;
    return ++it->second.seen <= kMaxFindingsPerCode;
  }

  std::map<std::string, Count, std::less<>> counts_;
  std::vector<Finding> out_;
};

// ---------------------------------------------------------------------------------------------
// The version tag.

struct VersionCheck {
  bool ok = false;
  std::size_t end = 0;  ///< the offset of the ';' after DMARC1, or the end of the text
  std::size_t offset = 0;
  std::string reason;
};

VersionCheck check_version(std::string_view text) {
  VersionCheck check;
  const std::size_t n = text.size();
  if (n == 0) {
    check.reason = "the record is empty";
    return check;
  }
  if (is_wsp(text[0])) {
    check.reason =
        "it starts with white space, and v=DMARC1 must be its very first characters (RFC 9989 "
        "§4.8)";
    return check;
  }
  std::size_t i = 0;
  while (i < n && is_alpha(text[i])) ++i;
  std::size_t eq = i;
  while (eq < n && is_wsp(text[eq])) ++eq;
  if (i != 1 || (text[0] != 'v' && text[0] != 'V') || eq >= n || text[eq] != '=') {
    check.reason = "it starts with " + quote(text.substr(0, 16)) +
                   ", and v=DMARC1 must be its first tag (RFC 9989 §4.7)";
    return check;
  }
  std::size_t value = eq + 1;
  while (value < n && is_wsp(text[value])) ++value;
  check.offset = value;
  std::size_t word = value;
  while (word < n && text[word] != ';' && !is_wsp(text[word])) ++word;
  const std::string_view version = text.substr(value, word - value);
  if (version != "DMARC1") {
    if (version.empty()) {
      check.reason = "the tag v " + at(0) + " has no value, and it must be DMARC1";
    } else if (iequals(version, "DMARC1")) {
      check.reason = "the version " + quote(version) + " " + at(value) +
                     " is not DMARC1, and the value is case-sensitive (RFC 9989 §4.7)";
    } else {
      check.reason = "the version " + quote(version) + " " + at(value) +
                     " is not DMARC1, the only version there is";
    }
    return check;
  }
  std::size_t end = word;
  while (end < n && is_wsp(text[end])) ++end;
  if (end < n && text[end] != ';') {
    check.offset = end;
    check.reason = "v=DMARC1 is followed by " + quote(text.substr(end, 16)) + " " + at(end) +
                   " without a ';' between them, so the version is not DMARC1 alone";
    return check;
  }
  check.ok = true;
  check.end = end;
  return check;
}

// ---------------------------------------------------------------------------------------------
// Tags.

enum Known : std::size_t {
  kV,
  kP,
  kSp,
  kNp,
  kAdkim,
  kAspf,
  kPsd,
  kT,
  kFo,
  kRua,
  kRuf,
  kPct,
  kRf,
  kRi,
  kKnownCount
};

constexpr std::array<std::string_view, kKnownCount> kKnownNames{
    "v", "p", "sp", "np", "adkim", "aspf", "psd", "t", "fo", "rua", "ruf", "pct", "rf", "ri"};

std::optional<std::size_t> known_index(std::string_view lower_name) {
  for (std::size_t k = 0; k < kKnownCount; ++k) {
    if (kKnownNames[k] == lower_name) return k;
  }
  return std::nullopt;
}

std::optional<Policy> parse_policy(std::string_view value) {
  if (iequals(value, "none")) return Policy::none;
  if (iequals(value, "quarantine")) return Policy::quarantine;
  if (iequals(value, "reject")) return Policy::reject;
  return std::nullopt;
}

/// One of p, sp, np as written.
struct PolicyTag {
  bool written = false;
  bool valid = false;
  Policy policy = Policy::none;
  std::string value;  ///< as written, for messages
  std::size_t offset = 0;
};

struct Fo {
  std::string normalized;
  std::string error;
};

/// RFC 9989 §4.8 dmarc-fo: 0, 1, d, s separated by ':', each at most once, 0 and 1 not both.
Fo parse_fo(std::string_view value) {
  Fo fo;
  bool seen[4] = {false, false, false, false};
  std::size_t start = 0;
  while (true) {
    const std::size_t colon = value.find(':', start);
    const std::string_view item = trim(value.substr(
        start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    const char c = item.size() == 1 ? to_lower(item[0]) : '\0';
    const int index = c == '0' ? 0 : c == '1' ? 1 : c == 'd' ? 2 : c == 's' ? 3 : -1;
    if (index < 0) {
      fo.error = item.empty() ? "an option is empty" : quote(item) + " is not one of 0, 1, d, s";
      return fo;
    }
    if (seen[index]) {
      fo.error = std::string("the option ") + c + " is given twice";
      return fo;
    }
    seen[index] = true;
    if (!fo.normalized.empty()) fo.normalized += ':';
    fo.normalized += c;
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  if (seen[0] && seen[1]) {
    fo.error = "0 and 1 are mutually exclusive in RFC 9989 (RFC 7489 allowed both)";
  }
  return fo;
}

/// An unsigned decimal of at most `max`, or nullopt.
std::optional<std::uint64_t> parse_unsigned(std::string_view digits, std::uint64_t max) {
  if (digits.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : digits) {
    if (!is_digit(c)) return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (value > (max - d) / 10) return std::nullopt;
    value = value * 10 + d;
  }
  return value;
}

/// RFC 5321 Keyword (RFC 7489 rf=): letters, digits, inner hyphens.
bool is_keyword(std::string_view word) {
  if (word.empty() || word.front() == '-' || word.back() == '-') return false;
  return std::all_of(word.begin(), word.end(),
                     [](char c) { return is_alpha(c) || is_digit(c) || c == '-'; });
}

// ---------------------------------------------------------------------------------------------
// Report URIs (RFC 9989 §4.6, §4.8; RFC 3986; RFC 6068 for mailto:).

bool is_uri_char(char c) {
  if (is_alpha(c) || is_digit(c)) return true;
  switch (c) {
    case '-':
    case '.':
    case '_':
    case '~':  // unreserved
    case ':':
    case '/':
    case '?':
    case '#':
    case '[':
    case ']':
    case '@':  // gen-delims
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':  // sub-delims, without
    case ';':
    case '=':  // ',' and '!' (encoded)
      return true;
    default:
      return false;
  }
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && is_hex(text[i + 1]) && is_hex(text[i + 2])) {
      auto nibble = [](char h) {
        return static_cast<unsigned>(is_digit(h) ? h - '0' : to_lower(h) - 'a' + 10);
      };
      out += static_cast<char>((nibble(text[i + 1]) << 4) | nibble(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

/// Reads the obsolete size suffix `!digits[unit]` of `u` (starting at `bang` in `item`); false
/// with u.error set when it is not one.
bool read_size_suffix(ReportUri& u, std::string_view item, std::size_t bang, std::size_t offset) {
  const std::string_view suffix = item.substr(bang + 1);
  std::size_t digits = 0;
  while (digits < suffix.size() && is_digit(suffix[digits])) ++digits;
  const std::string_view unit = suffix.substr(digits);
  const bool unit_ok =
      unit.empty() ||
      (unit.size() == 1 && std::string_view("kmgtKMGT").find(unit[0]) != std::string_view::npos);
  const auto size =
      parse_unsigned(suffix.substr(0, digits), std::numeric_limits<std::uint64_t>::max());
  if (digits == 0 || !unit_ok) {
    u.error =
        "the text after '!' " + at(offset + bang) +
        " is not a size limit (digits and k, m, g or t); a '!' inside a URI must be written %21";
    return false;
  }
  if (!size) {
    u.error = "the size limit " + at(offset + bang) + " does not fit in 64 bits";
    return false;
  }
  u.size = size;
  u.size_unit = unit.empty() ? '\0' : to_lower(unit[0]);
  return true;
}

/// Why the part after the scheme (which starts at `offset` in the record) holds a character a
/// URI cannot hold, or "" when it holds none (RFC 3986).
std::string uri_char_error(std::string_view rest, std::size_t offset) {
  for (std::size_t k = 0; k < rest.size(); ++k) {
    const char c = rest[k];
    if (c == '%') {
      if (k + 2 >= rest.size() || !is_hex(rest[k + 1]) || !is_hex(rest[k + 2])) {
        return "'%' " + at(offset + k) + " is not followed by two hexadecimal digits";
      }
      k += 2;
      continue;
    }
    if (!is_uri_char(c)) {
      return (c == ' ' || c == '\t') ? "it contains white space " + at(offset + k)
                                     : quote(std::string(1, c)) + " " + at(offset + k) +
                                           " is not allowed in a URI (RFC 3986); write it "
                                           "percent-encoded";
    }
  }
  return "";
}

/// The domain of a mailto: URI's address (`rest` is what follows "mailto:") into u.domain; false
/// with u.error set when there is no address or its domain is not a domain name. An address
/// literal leaves u.domain empty.
bool read_mailto_domain(ReportUri& u, std::string_view rest) {
  const std::string address = percent_decode(rest.substr(0, rest.find('?')));
  const std::size_t sign = address.rfind('@');
  if (sign == std::string::npos || sign == 0 || sign + 1 == address.size()) {
    u.error = "the mailto: URI does not hold an address name@domain";
    return false;
  }
  const std::string domain = address.substr(sign + 1);
  if (domain.front() != '[') {
    const auto host = parse_host_name(domain);
    if (!host) {
      u.error = "the address's domain " + quote(domain) + " is not a domain name: " + host.error;
      return false;
    }
    u.domain = host.value->ascii;
  }
  return true;
}

/// The host of an http: or https: URI (`rest` is what follows the scheme's ':') into u.domain;
/// false with u.error set when there is none or it is not a domain name.
bool read_http_host(ReportUri& u, std::string_view rest) {
  if (rest.substr(0, 2) != "//") {
    u.error = "an " + u.scheme + ": URI has a host after '//'";
    return false;
  }
  std::string_view authority = rest.substr(2, rest.find_first_of("/?#", 2) == std::string_view::npos
                                                  ? std::string_view::npos
                                                  : rest.find_first_of("/?#", 2) - 2);
  if (const std::size_t user = authority.rfind('@'); user != std::string_view::npos)
    authority = authority.substr(user + 1);
  if (!authority.empty() && authority.front() != '[') {
    const std::string_view host_text = authority.substr(0, authority.find(':'));
    const auto host = parse_host_name(percent_decode(host_text));
    if (!host) {
      u.error = "the host " + quote(host_text) + " is not a domain name: " + host.error;
      return false;
    }
    u.domain = host.value->ascii;
  } else if (authority.empty()) {
    u.error = "the URI has no host";
    return false;
  }
  return true;
}

ReportUri parse_uri(std::string_view item, std::size_t offset) {
  ReportUri u;
  u.text = std::string(item);
  u.offset = offset;
  if (item.empty()) {
    u.error = "the URI is empty (two commas in a row, or a comma at the end)";
    return u;
  }
  std::string_view core = item;
  const std::size_t bang = item.find('!');
  if (bang != std::string_view::npos) {
    core = item.substr(0, bang);
    if (!read_size_suffix(u, item, bang, offset)) return u;
  }
  std::size_t i = 0;
  if (core.empty() || !is_alpha(core[0])) {
    u.error =
        "it does not start with a URI scheme such as mailto: (a report address is written "
        "mailto:name@domain)";
    return u;
  }
  while (i < core.size() && (is_alpha(core[i]) || is_digit(core[i]) || core[i] == '+' ||
                             core[i] == '-' || core[i] == '.'))
    ++i;
  if (i >= core.size() || core[i] != ':') {
    u.error = "it has no URI scheme (a report address is written mailto:name@domain)";
    return u;
  }
  u.scheme = to_lower(core.substr(0, i));
  const std::string_view rest = core.substr(i + 1);
  if (rest.empty()) {
    u.error = "nothing follows " + quote(core.substr(0, i + 1));
    return u;
  }
  u.error = uri_char_error(rest, offset + i + 1);
  if (!u.error.empty()) return u;
  if (u.scheme == "mailto") {
    if (!read_mailto_domain(u, rest)) return u;
  } else if (u.scheme == "http" || u.scheme == "https") {
    if (!read_http_host(u, rest)) return u;
  }
  u.uri = std::string(core);
  u.valid = true;
  return u;
}

std::vector<ReportUri> parse_uri_list(std::string_view value, std::size_t value_offset) {
  std::vector<ReportUri> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = value.find(',', start);
    const std::string_view raw = value.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    std::size_t lead = 0;
    while (lead < raw.size() && is_wsp(raw[lead])) ++lead;
    out.push_back(parse_uri(trim(raw), value_offset + start + lead));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

/// True when the two ASCII names belong to one organization.
bool same_organization(const std::string& a, const std::string& b, const OrgDomainFn& org) {
  if (a == b) return true;
  if (org) {
    const auto oa = org(a);
    const auto ob = org(b);
    return oa && ob && *oa == *ob;
  }
  return is_same_or_subdomain(a, b) || is_same_or_subdomain(b, a);
}

std::string policy_tag(std::string_view tag, Policy policy) {
  return std::string(tag) + "=" + std::string(to_string(policy));
}

std::string size_text(const ReportUri& u) {
  std::string out = std::to_string(*u.size);
  if (u.size_unit != '\0') out += u.size_unit;
  return out;
}

/// What one parse carries from the tags to the checks after them.
struct State {
  PolicyTag policies[3];  // p, sp, np
  bool rua_written = false;
  bool ruf_written = false;
  bool fo_written = false;
  std::string pct_text;  ///< the pct value as written, when written
  bool pct_written = false;
};

struct Duplicate {
  std::string name;
  std::size_t first = 0;
  std::size_t second = 0;
  std::size_t count = 0;
};

void add_error(Record& record, Collector& findings, const std::string& code,
               const std::string& message, std::size_t offset, const std::string& tag,
               const std::string& fix) {
  if (record.errors.size() < kMaxFindingsPerCode * 2)
    record.errors.push_back(RecordError{code, message, offset, tag});
  findings.add(code, Severity::error, tag.empty() ? "" : "/" + pointer_token(tag), message, fix);
}

/// Per tag: syntax, scheme, obsolete size, count.
void check_uri_list(const std::vector<ReportUri>& list, const std::string& tag,
                    Collector& findings) {
  std::size_t valid = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const ReportUri& u = list[i];
    const std::string path = "/" + tag + "/" + std::to_string(i);
    if (!u.valid) {
      findings.add_lazy("dmarc.uri.invalid", Severity::warning, [&] {
        return Finding{"", Severity::info, path,
                       "The " + tag + " URI " + quote(u.text) + " " + at(u.offset) +
                           " is not a valid URI (" + u.error + "), so receivers ignore it.",
                       "Write the address as mailto:name@domain (with ',' and '!' "
                       "percent-encoded inside it)."};
      });
      continue;
    }
    ++valid;
    if (u.scheme != "mailto") {
      findings.add_lazy("dmarc.uri.scheme", Severity::warning, [&] {
        return Finding{"", Severity::info, path,
                       "The " + tag + " URI " + quote(u.uri) + " uses " + u.scheme +
                           ":, but receivers need to support only mailto: and ignore schemes "
                           "they do not support "
                           "(RFC 9989 §4.7), so reports may never arrive there.",
                       "Use a mailto: address."};
      });
    }
    if (u.size) {
      findings.add_lazy("dmarc.uri.size", Severity::info, [&] {
        return Finding{
            "", Severity::info, path,
            "The size limit !" + size_text(u) + " on " + quote(u.uri) +
                " is obsolete syntax in RFC 9989: receivers that follow it ignore the limit, and "
                "receivers "
                "that follow RFC 7489 do not send reports larger than it.",
            "Remove !" + size_text(u) + " unless the mailbox really refuses larger reports."};
      });
    }
  }
  if (valid > 2) {
    findings.add("dmarc.report.many", Severity::info, "/" + tag,
                 tag + " lists " + std::to_string(valid) +
                     " addresses: receivers must send to at least two but may ignore the rest "
                     "(RFC 7489 §6.2).",
                 "Keep the two addresses that matter most first.");
  }
}

/// Looks up the authorisation record `name` (RFC 9990 §4): a TXT record that opens with
/// v=DMARC1. An unknown name is added to the record's `needed`.
Authorization look_up_authorization(Record& r, const std::string& name, const spf::DnsView& dns) {
  const spf::DnsAnswer& answer = dns.query(name, spf::RrType::txt);
  Authorization result = Authorization::unauthorized;
  if (answer.status == spf::DnsStatus::unknown) {
    result = Authorization::unknown;
    r.needed.push_back(Lookup{name});
  } else if (answer.status == spf::DnsStatus::temp_error) {
    result = Authorization::temp_error;
  } else if (answer.status == spf::DnsStatus::records) {
    for (const auto& record : answer.txt) {
      std::string joined;
      for (const auto& part : record) joined += part;
      if (is_dmarc_record(joined)) result = Authorization::authorized;
    }
  }
  return result;
}

/// Sets the authorisation of the external URI `u` (its authorization_name set), looking each
/// domain up once in `checked`; returns what the finding says after its common part.
std::string authorize(Record& r, ReportUri& u, const ParseOptions& options,
                      std::map<std::string, Authorization>& checked, const std::string& kind) {
  if (u.authorization_name.size() > kMaxNameLength) {
    u.authorization = Authorization::unauthorized;
    return ", and that name is longer than DNS allows, so no receiver sends reports there.";
  }
  if (options.dns == nullptr) {
    u.authorization = Authorization::not_checked;
    return "; no DNS data was given to check it.";
  }
  auto found = checked.find(u.domain);
  if (found == checked.end() && checked.size() >= kMaxAuthorizationChecks) {
    u.authorization = Authorization::not_checked;
    return "; not checked: more than " + std::to_string(kMaxAuthorizationChecks) +
           " external report domains.";
  }
  if (found == checked.end()) {
    found = checked.emplace(u.domain, look_up_authorization(r, u.authorization_name, *options.dns))
                .first;
  }
  u.authorization = found->second;
  switch (u.authorization) {
    case Authorization::authorized:
      return ", and it does.";
    case Authorization::unauthorized:
      return "; it does not, so receivers ignore this address and send no " + kind +
             " reports there.";
    case Authorization::unknown:
      return "; that record was not fetched yet.";
    case Authorization::temp_error:
      return "; looking it up failed with a temporary error.";
    case Authorization::not_needed:
    case Authorization::not_checked:
      break;
  }
  return "";
}

/// The finding on an external report address: authorised or not, and how to authorise it.
void report_external(Collector& findings, const ReportUri& u, const std::string& tag,
                     std::size_t index, const std::string& kind, const std::string& record_domain,
                     const std::string& tail) {
  const bool unauthorized = u.authorization == Authorization::unauthorized;
  findings.add_lazy(
      unauthorized ? "dmarc.report.unauthorized" : "dmarc.report.external",
      unauthorized ? Severity::warning : Severity::info, [&] {
        const bool too_long = u.authorization_name.size() > kMaxNameLength;
        return Finding{
            "", Severity::info, "/" + tag + "/" + std::to_string(index),
            "The " + tag + " address " + quote(u.uri) + " is outside " + record_domain +
                ": receivers send " + kind + " reports there only if " + u.domain +
                " publishes the TXT record \"v=DMARC1\" at " +
                (too_long ? quote(u.authorization_name) : u.authorization_name) + " (RFC 9990 §4)" +
                tail,
            u.authorization == Authorization::authorized ? std::string()
            : too_long
                ? "Use an address in " + record_domain + " or in a domain with a shorter name."
                : "Have the operator of " + u.domain + " publish " + u.authorization_name +
                      " TXT \"v=DMARC1\", or use an address in " + record_domain + "."};
      });
}

void check_reports(Record& r, Collector& findings, const ParseOptions& options) {
  check_uri_list(r.rua, "rua", findings);
  check_uri_list(r.ruf, "ruf", findings);

  // External destinations (RFC 9990 §4, RFC 9991 §5).
  if (options.domain.empty()) return;
  const auto record_host = parse_host_name(options.domain);
  if (!record_host) return;
  const std::string& record_domain = record_host.value->ascii;
  std::map<std::string, Authorization> checked;
  for (int which = 0; which < 2; ++which) {
    std::vector<ReportUri>& list = which == 0 ? r.rua : r.ruf;
    const std::string tag = which == 0 ? "rua" : "ruf";
    const std::string kind = which == 0 ? "aggregate" : "failure";
    for (std::size_t i = 0; i < list.size(); ++i) {
      ReportUri& u = list[i];
      if (!u.valid || u.domain.empty()) continue;
      if (same_organization(record_domain, u.domain, options.organizational_domain)) continue;
      u.external = true;
      u.authorization_name = record_domain + "._report._dmarc." + u.domain;
      const std::string tail = authorize(r, u, options, checked, kind);
      report_external(findings, u, tag, i, kind, record_domain, tail);
    }
  }
}

void check_policy(Record& r, Collector& findings, const State& s) {
  const PolicyTag& p = s.policies[0];
  const PolicyTag& sp = s.policies[1];
  const PolicyTag& np = s.policies[2];
  const bool rua_valid =
      std::any_of(r.rua.begin(), r.rua.end(), [](const ReportUri& u) { return u.valid; });

  struct Cause {
    std::string tag;
    std::string code;
    std::string text;
    std::size_t offset;
  };
  std::vector<Cause> causes;
  if (!p.written) {
    causes.push_back({"p", "dmarc.p.missing", "the record has no p tag", 0});
  } else if (!p.valid) {
    causes.push_back(
        {"p", "dmarc.p.invalid",
         "p=" + quote(p.value) + " " + at(p.offset) + " is not none, quarantine or reject",
         p.offset});
  }
  if (sp.written && !sp.valid) {
    causes.push_back(
        {"sp", "dmarc.sp.invalid",
         "sp=" + quote(sp.value) + " " + at(sp.offset) + " is not none, quarantine or reject",
         sp.offset});
  }
  if (np.written && !np.valid) {
    causes.push_back(
        {"np", "dmarc.np.invalid",
         "np=" + quote(np.value) + " " + at(np.offset) + " is not none, quarantine or reject",
         np.offset});
  }

  if (causes.empty()) {
    r.p = p.policy;
    r.sp = sp.written ? sp.policy : r.p;
    r.np = np.written ? np.policy : r.sp;
    r.written.push_back("p");
    if (sp.written) r.written.push_back("sp");
    if (np.written) r.written.push_back("np");
    r.valid = true;
  } else if (rua_valid) {
    r.p = r.sp = r.np = Policy::none;
    r.policy_fallback = true;
    r.valid = true;
    for (const auto& c : causes) {
      findings.add(c.code, Severity::warning, "/" + c.tag,
                   "Because " + c.text +
                       ", receivers read the record as p=none (RFC 9989 §4.10.1: its rua tag has a "
                       "valid URI): "
                       "monitoring only, for the domain and its subdomains alike; failing mail is "
                       "delivered.",
                   c.tag == "p" ? "Write p=none, p=quarantine or p=reject right after v=DMARC1."
                                : "Write " + c.tag + "=none, " + c.tag + "=quarantine or " + c.tag +
                                      "=reject, or remove it.");
    }
    return;
  } else {
    std::string text;
    for (std::size_t i = 0; i < causes.size(); ++i) {
      text += (i == 0 ? "" : i + 1 == causes.size() ? " and " : ", ") + causes[i].text;
    }
    add_error(r, findings, "dmarc.policy.unusable",
              "No policy applies: " + text +
                  ", and no rua tag holds a valid URI, so receivers apply no DMARC processing to "
                  "mail from this domain "
                  "(RFC 9989 §4.10.1): no policy, no reports.",
              causes.front().offset, causes.front().tag,
              "Write p=none, p=quarantine or p=reject (and sp/np with one of those values, or not "
              "at all).");
    return;
  }

  if (r.p == Policy::none) {
    findings.add("dmarc.p.none", Severity::warning, "/p",
                 "p=none is monitoring only: mail that fails DMARC is still delivered (receivers "
                 "only report it), so the "
                 "policy does not stop anyone from sending as this domain.",
                 "Once the aggregate reports show all legitimate mail passing, move to "
                 "p=quarantine, then p=reject.");
  }
  if (sp.written && r.sp < r.p) {
    findings.add(
        "dmarc.sp.weaker", Severity::warning, "/sp",
        policy_tag("sp", r.sp) + " is weaker than " + policy_tag("p", r.p) +
            ": failing mail from existing subdomains" +
            (np.written ? "" : " (and, with no np tag, from subdomains that do not exist)") +
            " gets " + std::string(to_string(r.sp)) + " instead of " + std::string(to_string(r.p)) +
            ".",
        "Write " + policy_tag("sp", r.p) + ", or remove sp so that subdomains get p's policy.");
  }
  if (np.written && r.np < r.p) {
    findings.add(
        "dmarc.np.weaker", Severity::warning, "/np",
        policy_tag("np", r.np) + " is weaker than " + policy_tag("p", r.p) +
            ": failing mail from subdomains that do not exist, a favourite of spoofers, gets " +
            std::string(to_string(r.np)) + " instead of " + std::string(to_string(r.p)) + ".",
        "Write " + policy_tag("np", r.p) + ", or remove np.");
  }
}

void check_other(Record& r, Collector& findings, const State& s) {
  const bool enforcing = r.p != Policy::none || r.sp != Policy::none || r.np != Policy::none;
  if (r.testing && enforcing) {
    const Policy shown = r.p != Policy::none ? r.p : r.sp != Policy::none ? r.sp : r.np;
    const std::string tag = r.p != Policy::none ? "p" : r.sp != Policy::none ? "sp" : "np";
    findings.add("dmarc.t.testing", Severity::warning, "/t",
                 "t=y asks receivers to apply one level less than the policy (reject as "
                 "quarantine, quarantine as none; "
                 "RFC 9989 §4.7): " +
                     policy_tag(tag, shown) + " is applied as " +
                     std::string(to_string(weaker(shown))) + ".",
                 "Remove t=y once the reports show that legitimate mail passes.");
  }
  if (r.psd == Psd::yes) {
    findings.add("dmarc.psd.yes", Severity::info, "/psd",
                 "psd=y declares a public suffix domain: its policy applies to registered domains "
                 "below it that "
                 "publish no DMARC record, and it stops the DNS tree walk (RFC 9989 §4.10).",
                 "Remove psd=y unless this domain is operated as a public suffix.");
  }
  const bool rua_valid =
      std::any_of(r.rua.begin(), r.rua.end(), [](const ReportUri& u) { return u.valid; });
  if (!rua_valid) {
    findings.add("dmarc.rua.missing", Severity::info, "/rua",
                 std::string(s.rua_written ? "None of the rua URIs is usable"
                                           : "The record has no rua tag") +
                     ": receivers send no aggregate reports, so nobody sees which servers send "
                     "mail as this domain "
                     "and whether it passes.",
                 "Add rua=mailto:<a mailbox that reads the reports>.");
  }
  if (s.fo_written && r.ruf.empty()) {
    findings.add("dmarc.fo.ignored", Severity::info, "/fo",
                 "fo has no effect without a ruf tag: receivers ignore it (RFC 9989 §4.7).",
                 "Remove fo, or add ruf.");
  }
  if (s.pct_written) {
    if (r.pct && *r.pct < 100 && enforcing) {
      const Policy shown = r.p != Policy::none ? r.p : r.sp != Policy::none ? r.sp : r.np;
      const std::string tag = r.p != Policy::none ? "p" : r.sp != Policy::none ? "sp" : "np";
      findings.add("dmarc.pct.partial", Severity::warning, "/pct",
                   "pct=" + std::to_string(*r.pct) +
                       ": a receiver that still follows RFC 7489 applies " +
                       policy_tag(tag, shown) + " to only " + std::to_string(*r.pct) +
                       "% of failing mail and the next weaker policy (" +
                       std::string(to_string(weaker(shown))) +
                       ") to the rest (RFC 7489 §6.6.4); RFC 9989 removed pct, so "
                       "a receiver that follows it applies " +
                       std::string(to_string(shown)) + " to all failing mail.",
                   "Remove pct; to test a policy, write t=y instead (RFC 9989 Appendix A.6).");
    } else {
      findings.add(
          "dmarc.tag.removed", Severity::info, "/pct",
          r.pct ? "pct=" + std::to_string(*r.pct) +
                      " was removed in RFC 9989 and has no effect here" +
                      std::string(*r.pct < 100 ? " (no policy stronger than none to sample)" : "") +
                      "."
                : "pct=" + quote(s.pct_text) +
                      " is not 0 to 100, so receivers that follow RFC 7489 ignore it "
                      "too; RFC 9989 removed pct.",
          "Remove pct.");
    }
  }
  if (r.rf) {
    findings.add("dmarc.tag.removed", Severity::info, "/rf",
                 "rf (the failure report format) was removed in RFC 9989; receivers that follow it "
                 "ignore the tag.",
                 "Remove rf.");
  }
  if (r.ri) {
    findings.add("dmarc.tag.removed", Severity::info, "/ri",
                 "ri=" + std::to_string(*r.ri) +
                     " (the aggregate report interval) was removed in RFC 9989; receivers "
                     "that follow it send reports at least daily whatever it says.",
                 "Remove ri.");
  }
}

// ---------------------------------------------------------------------------------------------
// The tag list, one part at a time.

/// One `name=value` part of the tag list, with the offsets messages give.
struct TagValue {
  Known known = kV;
  std::string_view name;  ///< as written
  std::string lname;      ///< lowercased
  std::string_view value;
  std::size_t offset = 0;        ///< where the part starts
  std::size_t value_offset = 0;  ///< where the value starts
  std::string path;              ///< "/" + lname
};

/// What the tag list holds, gathered part by part: the values carried to the checks, and how
/// often each name was written (for the duplicate check).
struct TagScan {
  State s;
  std::array<std::size_t, kKnownCount> count{};
  std::array<std::size_t, kKnownCount> first{};
  std::array<std::size_t, kKnownCount> second{};
  std::vector<std::pair<std::string_view, std::size_t>> unknown;  // names as written, offsets
};

/// The trimmed part of text[start, end), and where it starts; empty for ";;" or a trailing ';'.
std::pair<std::string_view, std::size_t> trimmed_part(std::string_view text, std::size_t start,
                                                      std::size_t end) {
  std::size_t lead = start;
  while (lead < end && is_wsp(text[lead])) ++lead;
  std::size_t tail = end;
  while (tail > lead && is_wsp(text[tail - 1])) --tail;
  return {text.substr(lead, tail - lead), lead};
}

void report_part_syntax(Collector& findings, std::string_view part, std::size_t offset) {
  findings.add_lazy("dmarc.tag.syntax", Severity::warning, [&] {
    const std::size_t eq = part.find('=');
    const std::string why =
        eq == std::string_view::npos
            ? std::string("it has no '='")
            : "the tag name " + quote(trim(part.substr(0, eq))) + " is not letters only";
    return Finding{"", Severity::info, "",
                   "The part " + quote(part) + " " + at(offset) + " is not tag=value (" + why +
                       "), so receivers ignore it.",
                   "Write each tag as name=value, separated by ';'."};
  });
}

/// Why a value is not printable ASCII (RFC 9989 §4.8), or "" when it is.
std::string unprintable(std::string_view value, std::size_t value_offset) {
  if (value.empty()) return "it has no value";
  for (std::size_t b = 0; b < value.size(); ++b) {
    const auto c = static_cast<unsigned char>(value[b]);
    if (c != '\t' && (c < 0x20 || c > 0x7E)) {
      return "the byte " + hex_byte(c) + " " + at(value_offset + b) + " is not printable ASCII";
    }
  }
  return "";
}

/// A known tag whose value is outside its grammar: receivers use the default.
void report_invalid(Collector& findings, const TagValue& t, const std::string& why,
                    const std::string& default_text, const std::string& fix) {
  findings.add_lazy("dmarc.tag.invalid", Severity::warning, [&] {
    return Finding{"", Severity::info, t.path,
                   t.lname + "=" + quote(t.value) + " " + at(t.value_offset) + " is not valid (" +
                       why + "), so receivers use " + default_text + ".",
                   fix};
  });
}

void read_policy(State& s, const TagValue& t) {
  PolicyTag& tag = s.policies[t.known - kP];
  tag.written = true;
  tag.value = std::string(t.value);
  tag.offset = t.value_offset;
  if (auto policy = parse_policy(t.value)) {
    tag.valid = true;
    tag.policy = *policy;
  }
}

void read_alignment(Record& r, Collector& findings, const TagValue& t) {
  Alignment& mode = t.known == kAdkim ? r.adkim : r.aspf;
  if (iequals(t.value, "r") || iequals(t.value, "s")) {
    mode = to_lower(t.value[0]) == 's' ? Alignment::strict : Alignment::relaxed;
    r.written.push_back(t.lname);
  } else {
    report_invalid(findings, t, "it is r or s", "the default, r (relaxed)",
                   "Write " + t.lname + "=r or " + t.lname + "=s.");
  }
}

void read_psd(Record& r, Collector& findings, const TagValue& t) {
  if (iequals(t.value, "y") || iequals(t.value, "n") || iequals(t.value, "u")) {
    const char c = to_lower(t.value[0]);
    r.psd = c == 'y' ? Psd::yes : c == 'n' ? Psd::no : Psd::unknown;
    r.written.push_back(t.lname);
  } else {
    report_invalid(findings, t, "it is y, n or u", "the default, u",
                   "Write psd=n for an organizational domain, or remove psd.");
  }
}

void read_testing(Record& r, Collector& findings, const TagValue& t) {
  if (iequals(t.value, "y") || iequals(t.value, "n")) {
    r.testing = to_lower(t.value[0]) == 'y';
    r.written.push_back(t.lname);
  } else {
    report_invalid(findings, t, "it is y or n", "the default, n (the policy applies as written)",
                   "Write t=y or t=n, or remove t.");
  }
}

void read_fo(Record& r, Collector& findings, State& s, const TagValue& t) {
  s.fo_written = true;
  Fo fo = parse_fo(t.value);
  if (fo.error.empty()) {
    r.fo = fo.normalized;
    r.written.push_back(t.lname);
  } else {
    report_invalid(findings, t, fo.error, "the default, 0",
                   "Write fo=0, fo=1, fo=d, fo=s, or a combination such as fo=1:d:s.");
  }
}

void read_report_uris(Record& r, State& s, const TagValue& t) {
  (t.known == kRua ? s.rua_written : s.ruf_written) = true;
  (t.known == kRua ? r.rua : r.ruf) = parse_uri_list(t.value, t.value_offset);
  r.written.push_back(t.lname);
}

void read_pct(Record& r, State& s, const TagValue& t) {
  s.pct_written = true;
  s.pct_text = std::string(t.value);
  if (t.value.size() <= 3) {
    if (auto pct = parse_unsigned(t.value, 100)) r.pct = static_cast<unsigned>(*pct);
  }
}

void read_rf(Record& r, Collector& findings, const TagValue& t) {
  const std::string_view value = t.value;
  bool ok = true;
  std::size_t start_word = 0;
  while (true) {
    const std::size_t colon = value.find(':', start_word);
    if (!is_keyword(trim(value.substr(
            start_word, colon == std::string_view::npos ? colon : colon - start_word))))
      ok = false;
    if (colon == std::string_view::npos) break;
    start_word = colon + 1;
  }
  if (ok) {
    r.rf = to_lower(value);
  } else {
    findings.add("dmarc.tag.removed", Severity::info, t.path,
                 "rf=" + quote(value) +
                     " is not a list of format names, and rf was removed in RFC 9989 anyway.",
                 "Remove rf.");
  }
}

void read_ri(Record& r, Collector& findings, const TagValue& t) {
  if (auto ri = parse_unsigned(t.value, std::numeric_limits<std::uint32_t>::max())) {
    r.ri = static_cast<std::uint32_t>(*ri);
  } else {
    findings.add("dmarc.tag.removed", Severity::info, t.path,
                 "ri=" + quote(t.value) +
                     " is not a number of seconds, and ri was removed in RFC 9989 anyway.",
                 "Remove ri.");
  }
}

/// The value of a known tag, written once and in printable ASCII: one reader a tag.
void read_value(Record& r, Collector& findings, State& s, const TagValue& t) {
  switch (t.known) {
    case kP:
    case kSp:
    case kNp:
      read_policy(s, t);
      break;
    case kAdkim:
    case kAspf:
      read_alignment(r, findings, t);
      break;
    case kPsd:
      read_psd(r, findings, t);
      break;
    case kT:
      read_testing(r, findings, t);
      break;
    case kFo:
      read_fo(r, findings, s, t);
      break;
    case kRua:
    case kRuf:
      read_report_uris(r, s, t);
      break;
    case kPct:
      read_pct(r, s, t);
      break;
    case kRf:
      read_rf(r, findings, t);
      break;
    case kRi:
      read_ri(r, findings, t);
      break;
    default:
      break;
  }
}

/// A known tag whose value is empty or not printable ASCII: a policy keeps it (check_policy
/// says why it is unusable), any other tag is ignored.
void read_unprintable(Collector& findings, State& s, const TagValue& t, const std::string& bad) {
  if (t.known == kP || t.known == kSp || t.known == kNp) {
    PolicyTag& tag = s.policies[t.known - kP];
    tag.written = true;
    tag.value = std::string(t.value);
    tag.offset = t.value_offset;
  } else {
    findings.add_lazy("dmarc.tag.syntax", Severity::warning, [&] {
      return Finding{"", Severity::info, t.path,
                     "The tag " + t.lname + " " + at(t.offset) + " is not valid (" + bad +
                         "), so receivers ignore it" +
                         (t.known <= kRuf ? " and use its default." : "."),
                     "Write " + t.lname + "= with a value in printable ASCII."};
    });
  }
  if (t.known == kRua) s.rua_written = true;
  if (t.known == kRuf) s.ruf_written = true;
}

/// Reads one non-empty part of the tag list (after v=DMARC1) that starts at `offset`.
void read_part(Record& r, Collector& findings, TagScan& scan, std::string_view part,
               std::size_t offset) {
  std::size_t i = 0;
  while (i < part.size() && is_alpha(part[i])) ++i;
  const std::string_view name = part.substr(0, i);
  std::size_t j = i;
  while (j < part.size() && is_wsp(part[j])) ++j;
  if (name.empty() || j >= part.size() || part[j] != '=') {
    report_part_syntax(findings, part, offset);
    return;
  }
  ++j;
  while (j < part.size() && is_wsp(part[j])) ++j;
  TagValue t;
  t.name = name;
  t.lname = to_lower(name);
  t.value = part.substr(j);
  t.offset = offset;
  t.value_offset = offset + j;
  const auto k = known_index(t.lname);
  if (!k) {
    scan.unknown.emplace_back(name, offset);
    ++r.unknown_tags;
    findings.add_lazy("dmarc.tag.unknown", Severity::info, [&] {
      return Finding{"", Severity::info, "/" + pointer_token(t.lname),
                     "The tag " + quote(name) + " " + at(offset) +
                         " is not a DMARC tag, so receivers ignore it.",
                     "Remove it, or correct its name."};
    });
    return;
  }
  t.known = static_cast<Known>(*k);
  if (scan.count[*k]++ > 0) {
    if (scan.count[*k] == 2) scan.second[*k] = offset;
    return;
  }
  scan.first[*k] = offset;
  if (t.lname != name) {
    findings.add_lazy("dmarc.tag.case", Severity::warning, [&] {
      return Finding{"", Severity::info, "/" + t.lname,
                     "The tag " + quote(name) + " " + at(offset) +
                         " is not lowercase: RFC 9989's grammar accepts it, but "
                         "parsers that read tag names case-sensitively, as DKIM's tag-value "
                         "syntax does (RFC 6376 §3.2), "
                         "ignore it.",
                     "Write " + t.lname + "."};
    });
  }
  const std::string bad = unprintable(t.value, t.value_offset);
  t.path = "/" + t.lname;
  if (!bad.empty()) {
    read_unprintable(findings, scan.s, t, bad);
    return;
  }
  read_value(r, findings, scan.s, t);
}

/// The tag names written more than once, known and unknown (compared in any case), by the offset
/// of their first occurrence.
std::vector<Duplicate> find_duplicates(TagScan& scan) {
  std::vector<Duplicate> duplicates;
  for (std::size_t k = 0; k < kKnownCount; ++k) {
    if (scan.count[k] > 1)
      duplicates.push_back(
          {std::string(kKnownNames[k]), scan.first[k], scan.second[k], scan.count[k]});
  }
  auto& unknown = scan.unknown;
  if (!unknown.empty()) {
    // Names compared in any case, as the known ones are; ties in the order written.
    auto less = [](const std::pair<std::string_view, std::size_t>& a,
                   const std::pair<std::string_view, std::size_t>& b) {
      const std::size_t common = std::min(a.first.size(), b.first.size());
      for (std::size_t c = 0; c < common; ++c) {
        if (to_lower(a.first[c]) != to_lower(b.first[c]))
          return to_lower(a.first[c]) < to_lower(b.first[c]);
      }
      return a.first.size() != b.first.size() ? a.first.size() < b.first.size()
                                              : a.second < b.second;
    };
    std::sort(unknown.begin(), unknown.end(), less);
    for (std::size_t i = 0; i + 1 < unknown.size();) {
      std::size_t run = i + 1;
      while (run < unknown.size() && iequals(unknown[run].first, unknown[i].first)) ++run;
      if (run - i > 1) {
        duplicates.push_back(
            {to_lower(unknown[i].first), unknown[i].second, unknown[i + 1].second, run - i});
      }
      i = run;
    }
  }
  std::sort(duplicates.begin(), duplicates.end(),
            [](const Duplicate& a, const Duplicate& b) { return a.first < b.first; });
  return duplicates;
}

/// A repeated tag name makes the tag list, and so the record, invalid (RFC 6376 §3.2): the
/// record's errors and findings say so and nothing else.
void reject_duplicates(Record& r, const std::vector<Duplicate>& duplicates) {
  Collector errors;
  r.written.clear();
  for (const auto& d : duplicates) {
    add_error(r, errors, "dmarc.tag.duplicate",
              "The tag " + quote(d.name) + " appears " +
                  (d.count == 2 ? std::string("twice") : std::to_string(d.count) + " times") +
                  " (" + at(d.first) + " and " + std::to_string(d.second) +
                  "): a tag list with a repeated tag is invalid as a whole (RFC 6376 §3.2, whose "
                  "tag-value syntax "
                  "DMARC uses), so receivers ignore this record.",
              d.first, d.name, "Keep one " + d.name + "= tag.");
  }
  r.findings = errors.finish();
}

void write_uri(text::JsonWriter& w, const ReportUri& u, const char* tag, std::size_t index) {
  w.object()
      .member("tag", tag)
      .member("index", index)
      .member("text", u.text)
      .member("uri", u.uri)
      .member("valid", u.valid)
      .member("scheme", u.scheme)
      .member("domain", u.domain)
      .member("offset", u.offset)
      .member("external", u.external)
      .member("authorization", to_string(u.authorization));
  if (!u.valid) w.member("error", u.error);
  if (u.size) w.member("size", size_text(u));
  if (!u.authorization_name.empty()) w.member("authorizationName", u.authorization_name);
  w.end();
}

/// The URIs of `rua` or `ruf` that are valid, as the `tags` member lists them.
void write_valid_uris(text::JsonWriter& w, const std::vector<ReportUri>& uris) {
  w.array();
  for (const ReportUri& u : uris) {
    if (u.valid) w.value(u.uri);
  }
  w.end();
}

void write_errors(text::JsonWriter& w, const std::vector<RecordError>& errors) {
  w.array();
  for (const RecordError& e : errors) {
    w.object()
        .member("code", e.code)
        .member("message", e.message)
        .member("offset", e.offset)
        .member("tag", e.tag)
        .end();
  }
  w.end();
}

}  // namespace

std::string_view to_string(Policy policy) {
  switch (policy) {
    case Policy::none:
      return "none";
    case Policy::quarantine:
      return "quarantine";
    case Policy::reject:
      return "reject";
  }
  return "none";
}

std::string_view to_string(Alignment alignment) {
  return alignment == Alignment::strict ? "s" : "r";
}

std::string_view to_string(Psd psd) {
  switch (psd) {
    case Psd::yes:
      return "y";
    case Psd::no:
      return "n";
    case Psd::unknown:
      return "u";
  }
  return "u";
}

std::string_view to_string(Authorization authorization) {
  switch (authorization) {
    case Authorization::not_needed:
      return "not_needed";
    case Authorization::not_checked:
      return "not_checked";
    case Authorization::authorized:
      return "authorized";
    case Authorization::unauthorized:
      return "unauthorized";
    case Authorization::unknown:
      return "unknown";
    case Authorization::temp_error:
      return "temp_error";
  }
  return "not_checked";
}

Policy weaker(Policy policy) {
  return policy == Policy::reject ? Policy::quarantine : Policy::none;
}

bool is_dmarc_record(std::string_view text) { return check_version(text).ok; }

Record parse_record(std::string_view text, const ParseOptions& options) {
  Record r;
  Collector findings;
  const VersionCheck version = check_version(text);
  if (!version.ok) {
    add_error(r, findings, "dmarc.record.not_dmarc",
              "This is not a DMARC record: " + version.reason +
                  ". Receivers ignore it, as if there were no record.",
              version.offset, "",
              "Publish a record that starts exactly with v=DMARC1; (then p=...).");
    r.findings = findings.finish();
    return r;
  }
  r.dmarc = true;
  if (text[0] == 'V') {
    findings.add("dmarc.tag.case", Severity::warning, "/v",
                 "The version tag is written V: RFC 9989's grammar accepts it, but parsers that "
                 "read tag names "
                 "case-sensitively, as DKIM's tag-value syntax does (RFC 6376 §3.2), do not see a "
                 "DMARC record.",
                 "Write v=DMARC1 with a lowercase v.");
  }

  TagScan scan;
  scan.count[kV] = 1;
  const std::size_t n = text.size();
  std::size_t pos = version.end;
  while (pos < n) {
    const std::size_t start = pos + 1;
    std::size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = n;
    pos = end;
    const auto [part, offset] = trimmed_part(text, start, end);
    if (!part.empty()) read_part(r, findings, scan, part, offset);  // else ";;" or a trailing ';'
  }

  const std::vector<Duplicate> duplicates = find_duplicates(scan);
  if (!duplicates.empty()) {
    reject_duplicates(r, duplicates);
    return r;
  }

  check_policy(r, findings, scan.s);
  check_reports(r, findings, options);
  if (r.valid) check_other(r, findings, scan.s);
  r.findings = findings.finish();
  return r;
}

void write_lookups(text::JsonWriter& w, const std::vector<Lookup>& needed) {
  w.array();
  for (const Lookup& l : needed) w.object().member("name", l.name).member("type", "TXT").end();
  w.end();
}

namespace {

/// The members of a valid record: its effective tags and what was defaulted or removed.
void write_policy(text::JsonWriter& w, const Record& r) {
  w.key("tags")
      .object()
      .member("v", "DMARC1")
      .member("p", to_string(r.p))
      .member("sp", to_string(r.sp))
      .member("np", to_string(r.np))
      .member("adkim", to_string(r.adkim))
      .member("aspf", to_string(r.aspf))
      .member("psd", to_string(r.psd))
      .member("t", r.testing ? "y" : "n")
      .member("fo", r.fo)
      .key("rua");
  write_valid_uris(w, r.rua);
  w.key("ruf");
  write_valid_uris(w, r.ruf);
  w.end().key("defaulted").array();
  for (std::string_view name : {"p", "sp", "np", "adkim", "aspf", "psd", "t", "fo", "rua", "ruf"}) {
    if (std::find(r.written.begin(), r.written.end(), name) == r.written.end()) w.value(name);
  }
  w.end().member("policyFallback", r.policy_fallback).key("removed").object();
  if (r.pct) w.member("pct", *r.pct);
  if (r.rf) w.member("rf", *r.rf);
  if (r.ri) w.member("ri", *r.ri);
  w.end().member("unknownTags", r.unknown_tags).key("reportUris").array();
  for (std::size_t i = 0; i < r.rua.size(); ++i) write_uri(w, r.rua[i], "rua", i);
  for (std::size_t i = 0; i < r.ruf.size(); ++i) write_uri(w, r.ruf[i], "ruf", i);
  w.end();
}

}  // namespace

void write_json(text::JsonWriter& w, const Record& r) {
  // A valid record opens with v=DMARC1 (`dmarc` is then true as well).
  w.object().member("valid", r.valid).member("dmarc", r.valid || r.dmarc);
  if (r.valid) write_policy(w, r);
  w.key("errors");
  write_errors(w, r.errors);
  w.key("findings");
  write_json(w, r.findings);
  w.key("needed");
  write_lookups(w, r.needed);
  w.end();
}

void to_json(nlohmann::json& out, const Record& record) {
  out = text::written_tree([&](text::JsonWriter& w) { write_json(w, record); });
}

}  // namespace relaycheck::dmarc
