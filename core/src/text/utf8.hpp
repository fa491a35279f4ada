#pragma once
/// UTF-8 as RFC 3629 defines it, the one reader of it in core: no overlong form, no surrogate
/// (U+D800–DFFF), nothing above U+10FFFF. Config text arrives valid (JSON text is UTF-8 and
/// nlohmann's parser refuses what is not), but attachments, DNS answers and the writers' safety
/// nets need the rule, and host names, the visible-text marks and the JSON writer read through it.

#include <cstddef>
#include <string_view>

namespace relaycheck::text {

/// The code point of the well-formed UTF-8 sequence that starts at byte `at` of `text`, written
/// to `out`, and the sequence's length (1 to 4); 0, with `out` untouched, when none starts there.
std::size_t decode_utf8_at(std::string_view text, std::size_t at, char32_t& out);

/// The length of the well-formed UTF-8 sequence at byte `at` of `text`, or 0.
inline std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
  char32_t ignored = 0;
  return decode_utf8_at(text, at, ignored);
}

}  // namespace relaycheck::text
