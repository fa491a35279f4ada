#pragma once
/// DMARC identifier alignment (RFC 9989 §3.2.10, §4.4, §4.10.2): does an authenticated
/// identifier (the SPF-authenticated MAIL FROM domain, or a DKIM signature's `d=`) align with
/// the Author Domain (the RFC5322.From domain)?
///
///  strict   the two names are identical: compared case-insensitively (RFC 4343), without a
///           trailing dot, as A-labels (RFC 9989 §5.3.1 converts U-labels). Strict never falls
///           back to the organizational domain: `mail.example.com` does not align with
///           `example.com`.
///  relaxed  the two names have the same organizational domain: `news.example.com` and
///           `foo.example.com` (siblings) align, and so do `example.com` and `bounce.example.com`.
///
/// Two decisions, with their reasons:
///  - Identical names align under relaxed too, even when they have no organizational domain
///    (`co.uk` with `co.uk`). Relaxed alignment exists to accept more than strict, never less;
///    RFC 9989 §4.10.2 skips the alignment check for identical names with a record, treating
///    the common name as the organizational domain; and a tree walk makes every name without a
///    record its own organizational domain, so both methods agree.
///  - Otherwise a public suffix has no organizational domain (the PSL method, RFC 7489 §3.2:
///    the public suffix plus one label), so it aligns with no other name: `co.uk` and
///    `example.co.uk` do not align, nor do `a.github.io` and `b.github.io` (github.io is a
///    suffix of the list's private section), which is the point of listing it. Were a public
///    suffix treated as its own organizational domain, every name under it would align with it.
/// Text that is not a domain name aligns with nothing.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orgdomain/psl.hpp"
#include "spf/dns_view.hpp"

namespace relaycheck::orgdomain {

enum class Mode : std::uint8_t { relaxed, strict };

std::string_view to_string(Mode mode);

enum class Verdict : std::uint8_t {
  aligned,
  not_aligned,
  unknown,  ///< a tree walk needs DNS data the view does not have yet, or met a DNS error
};

std::string_view to_string(Verdict verdict);

struct Alignment {
  Verdict verdict = Verdict::not_aligned;
  std::optional<std::string> identifier_org;  ///< A-labels; when the relaxed check looked it up
  std::optional<std::string> from_org;
  std::vector<std::string> needed;  ///< tree walk: names to query for TXT first
  std::string reason;               ///< a sentence
};

/// Alignment with organizational domains from the Public Suffix List.
Alignment check_alignment(std::string_view identifier_domain, std::string_view from_domain,
                          Mode mode, Sections sections = Sections::all);

/// Alignment with organizational domains from RFC 9989's DNS tree walk over `dns`.
Alignment check_alignment(std::string_view identifier_domain, std::string_view from_domain,
                          Mode mode, const spf::DnsView& dns);

/// True when the identifier aligns with the From domain (Public Suffix List method).
bool aligned(std::string_view identifier_domain, std::string_view from_domain, Mode mode);

}  // namespace relaycheck::orgdomain
