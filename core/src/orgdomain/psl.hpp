#pragma once
/// The organizational domain by the Public Suffix List (RFC 7489 §3.2; publicsuffix.org's
/// algorithm), over the list compiled into core at build time (orgdomain/psl_table.hpp, from
/// Debian's `publicsuffix` package): both of its sections, wildcard rules (`*.ck`), exception
/// rules (`!www.ck`) and internationalised rules, which are looked up as A-labels.
///
/// The algorithm, exactly as https://publicsuffix.org/list/ states it:
///  1. Every rule whose labels, right-aligned, match the name's (a `*` matches any one label).
///  2. None: the prevailing rule is the implicit `*`.
///  3. An exception rule among them prevails (the longest, should two match).
///  4. Otherwise the rule with the most labels prevails.
///  5. An exception rule's public suffix is the rule without its left-most label.
///  6. The public suffix: the name's labels that the prevailing rule matches.
///  7. The organizational (registrable) domain: the public suffix and one label more; a name
///     that is a public suffix itself has none (`com`, `co.uk`, `example` by the `*` rule).
///
/// Names are checked as host names (text/hostname.hpp) and compared case-insensitively; an
/// answer is lowercased and written in the form the name was given, label by label: a U-label
/// stays a U-label, an A-label stays an A-label (`www.食狮.中国` → `食狮.中国`,
/// `www.xn--85x722f.xn--fiqs8s` → `xn--85x722f.xn--fiqs8s`).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "text/hostname.hpp"

namespace relaycheck::orgdomain {

/// Which rules of the list count. DMARC receivers use the whole list (RFC 7489 §3.2 names the
/// list, not a section); the ICANN section alone is what some tools call "ICANN only".
enum class Sections : std::uint8_t { all, icann };

/// Where the prevailing rule came from.
enum class Section : std::uint8_t {
  implicit_rule,    ///< no rule matched: the implicit `*`
  icann,            ///< the list's ICANN section
  private_domains,  ///< the list's private section
};

std::string_view to_string(Section section);

struct PslAnswer {
  std::string name;           ///< the name, lowercased, in the form given, no trailing dot
  std::string name_ascii;     ///< the same in A-labels
  std::string public_suffix;  ///< in the form given
  std::string public_suffix_ascii;
  std::optional<std::string> organizational_domain;  ///< none when the name is a public suffix
  std::optional<std::string> organizational_domain_ascii;
  /// The prevailing rule as the list writes it, in A-labels: `*.ck`, `!www.ck`, `*`.
  std::string rule;
  Section section = Section::implicit_rule;
  std::size_t suffix_labels = 0;  ///< labels of the public suffix

  bool is_public_suffix() const { return !organizational_domain.has_value(); }
};

/// The whole answer, or why the name is not a domain name (empty, an empty label, a label or
/// name too long, characters host names do not allow, not UTF-8, ...).
Checked<PslAnswer> psl_lookup(std::string_view name, Sections sections = Sections::all);

/// The organizational domain of `name` by the list, in the form given; none for a public
/// suffix and for text that is not a domain name.
std::optional<std::string> organizational_domain(std::string_view name,
                                                 Sections sections = Sections::all);

/// True when `name` is a public suffix (by a rule of the list or by the implicit `*`); false
/// for a registrable name or below, and for text that is not a domain name.
bool is_public_suffix(std::string_view name, Sections sections = Sections::all);

/// SHA-256 (hex) of the list file this build compiled in.
std::string_view psl_list_sha256();

}  // namespace relaycheck::orgdomain
