#pragma once
/// Quoting outside text (an entry of a list, a name, a record) in a message: the one rule for how
/// much of a text a message shows.

#include <cstddef>
#include <string>
#include <string_view>

namespace relaycheck::text {

/// The longest part of a text that a message quotes, in bytes.
constexpr std::size_t kMaxQuotedBytes = 64;

/// `text` between `mark`s; a longer text is cut at a character boundary and its length given
/// ("'1111…' (1048576 bytes)"), so that a megabyte entry makes a one-line message. A control
/// character (NUL, ESC, a line break, a C1 control) is shown as \u0000, \u001B, \u000A; a
/// bidirectional or invisible character (text/visible.hpp) as ‹U+202E›, so that a hostile value
/// can neither act on a terminal nor reorder or hide the words of the message around it.
std::string quote(std::string_view text, char mark = '\'');

/// `text` cut as quote() cuts it, with "…" where it was cut, without marks or length: for a
/// name that a message uses as a label. Hidden characters are shown as quote() shows them.
std::string shorten(std::string_view text);

}  // namespace relaycheck::text

namespace relaycheck {
// Transition: code outside text/ still names these without text:: (other work in progress uses
// them so); new code writes text::quote. Remove once every caller is qualified.
using text::kMaxQuotedBytes;
using text::quote;
using text::shorten;
}  // namespace relaycheck
