#pragma once
/// Host names (RFC 1123 §2.1, RFC 1035 §2.3.1) with internationalised labels (IDNA 2008,
/// RFC 5890/5891: U-labels ↔ A-labels through Punycode, lowercased in core), and certificate
/// name matching with wildcards (RFC 6125 §6.4). Full UTS-46 mapping is out of scope: names are
/// lowercased with Unicode's simple case mapping and the ideographic full stops become dots.
/// Errors are values with a reason a person understands.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace relaycheck {

/// A checked result: a value, or an error that says why the input was rejected. Core's common
/// result type (the organizational-domain engine returns it too), so it stays in relaycheck.
template <class T>
struct Checked {
  std::optional<T> value;
  std::string error;

  explicit operator bool() const { return value.has_value(); }
};

}  // namespace relaycheck

namespace relaycheck::text {

/// A valid host or domain name in both forms, lowercased, without a trailing dot.
struct HostName {
  std::string ascii;    ///< A-labels, what DNS and certificates carry: `xn--bcher-kva.example`
  std::string unicode;  ///< U-labels, what people read: `bücher.example`
  std::size_t labels = 0;
};

/// Checks a host name: 1–63 letters, digits and inner hyphens a label (or a valid U-label or
/// A-label), at most 253 characters in ASCII form, a top-level label that is not all digits
/// (RFC 1123 §2.1: that would be an IP address). One trailing dot is accepted and dropped.
/// A single label is valid here; callers decide whether they need a fully qualified name.
Checked<HostName> parse_host_name(std::string_view text);

/// The two paths of parse_host_name. A report parses every relay host and domain name several
/// times, and nearly all of them are plain ASCII, so that case skips the IDNA machinery:
/// parse_plain_host_name accepts only a name of ASCII letters, digits, hyphens and dots that is
/// valid as it stands and holds no label with hyphens in its third and fourth places (so no
/// A-label), and is empty for anything else; parse_host_name_idna is the general path, which
/// also words every error, and the reference a test holds the plain path to.
std::optional<HostName> parse_plain_host_name(std::string_view text);
Checked<HostName> parse_host_name_idna(std::string_view text);

/// Unicode's simple lowercase mapping of one code point (UnicodeData.txt, Unicode 14).
char32_t simple_lowercase(char32_t c);

/// True when `name` is `parent` or lies below it (`bounces.zylker.com` under `zylker.com`).
/// Both in the same form (compare ASCII forms), lowercased.
bool is_same_or_subdomain(std::string_view name, std::string_view parent);

/// Checks a DNS name presented in a certificate, in ASCII form lowercased: a host name, or `*.`
/// and a host name of at least two labels (`*.zylker.com`). RFC 9525 §6.3 (which obsoletes RFC
/// 6125's partial wildcards) and the CA/Browser Forum Baseline Requirements allow the wildcard
/// only as the whole left-most label, so `smtp*.zylker.com` is refused. A wildcard directly under
/// a public suffix (`*.co.uk`) needs the Public Suffix List; the relay rule checks that.
Checked<std::string> parse_certificate_name(std::string_view text);

/// True when the certificate name `pattern` (from parse_certificate_name) covers `host` (the
/// ASCII form of a host name): equal, or the wildcard stands for exactly one whole label.
bool certificate_name_matches(std::string_view pattern, std::string_view host);

}  // namespace relaycheck::text

namespace relaycheck {
// Transition, as in quote.hpp.
using text::certificate_name_matches;
using text::HostName;
using text::is_same_or_subdomain;
using text::parse_certificate_name;
using text::parse_host_name;
using text::simple_lowercase;
}  // namespace relaycheck
