#pragma once
/// Punycode (RFC 3492): the Bootstring encoding that turns a Unicode label into the ASCII part
/// of an IDNA A-label (`bücher` ↔ `bcher-kva`). Written in core so that the browser build needs
/// neither ICU nor libidn2. Errors are values: labels come from untrusted config text.

#include <optional>
#include <string>
#include <string_view>

namespace relaycheck::text::punycode {

/// Encodes code points (without the `xn--` prefix). Nullopt on arithmetic overflow or a value
/// that is not a Unicode scalar value (a surrogate or above U+10FFFF).
std::optional<std::string> encode(std::u32string_view input);

/// Decodes Punycode text (without the `xn--` prefix). Nullopt when the text is not valid:
/// a character outside the basic set, a bad digit, a truncated number, overflow, or a result
/// that is not a Unicode scalar value. Case of the digits is ignored, as RFC 3492 §5 allows.
std::optional<std::u32string> decode(std::string_view input);

}  // namespace relaycheck::text::punycode

namespace relaycheck {
// Callers outside text/ still say punycode:: for one transition (see quote.hpp).
namespace punycode = text::punycode;
}  // namespace relaycheck
