#pragma once
/// Email addresses as SMTP carries them in MAIL FROM (RFC 5321 §4.1.2): a local part that is a
/// dot-string or a quoted string, "@", and a fully qualified domain name (internationalised
/// names allowed, see hostname.hpp). For the return path a domain sets; the input is untrusted,
/// so every rejection is a value with a reason, never an exception.

#include <string>
#include <string_view>

#include "text/hostname.hpp"

namespace relaycheck::text {

struct EmailAddress {
  /// The local part as written: a dot-string (`bounce`) or a quoted string (`"bounce desk"`).
  std::string local;
  HostName domain;
};

/// Parses a bare address (`bounce@zylker.com`). Rejects display names and angle brackets,
/// surrounding spaces, address literals (`user@[192.0.2.1]`), non-ASCII local parts (they need
/// SMTPUTF8), local parts over 64 octets and addresses over 254 (RFC 5321 §4.5.3.1).
Checked<EmailAddress> parse_email_address(std::string_view text);

}  // namespace relaycheck::text

namespace relaycheck {
// Transition, as in quote.hpp.
using text::EmailAddress;
using text::parse_email_address;
}  // namespace relaycheck
