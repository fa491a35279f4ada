#pragma once
/// Characters that a screen does not show as what they are: the one home for which code points
/// they are, and for how core shows them ("‹U+202E›"). Every place that shows outside text to a
/// person (a quoted value in a message, the config loader's report of such characters, the
/// exported report) asks this header, so that a right-to-left override cannot reorder a
/// finding's words or a report's table, and a zero-width space cannot hide in a user name.
///
/// The model: a code point is `hidden` when a reader cannot tell from the screen that it is
/// there or what it does. Four kinds, from the Unicode Standard and UTS #39 / UTR #36:
///   - control: C0 (U+0000–001F), DEL (U+007F) and C1 (U+0080–009F) controls: a terminal acts
///     on them, a page shows nothing or a box;
///   - bidi: the bidirectional formatting characters of UAX #9 §2 (U+061C, U+200E, U+200F,
///     U+202A–202E, U+2066–2069): they reorder the text around them (the "Trojan Source"
///     trick, CVE-2021-42574);
///   - format: characters with no glyph (zero-width space, joiners, word joiner, invisible
///     operators, byte-order mark, soft hyphen, Mongolian vowel separator, Hangul fillers,
///     variation selectors, tag characters U+E0000–E007F, interlinear annotation);
///   - space: spaces that look like U+0020 but are other characters (no-break space, the
///     U+2000 block, line and paragraph separators, ideographic space).
/// Text that is not valid UTF-8 is passed through byte for byte: deciding about it is the
/// caller's (quote() leaves it to the terminal writer, JSON text cannot hold it).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace relaycheck::text {

enum class Hidden { none, control, bidi, format, space };

/// The kind of `c`; Hidden::none for every code point a screen shows as itself.
Hidden classify(char32_t c);

/// "U+202E": four to six hexadecimal digits, capitals.
std::string code_point_name(char32_t c);

/// How a hidden code point is shown: "‹U+202E›".
std::string marked(char32_t c);

/// One hidden code point of a text, where it starts (in bytes).
struct HiddenChar {
  char32_t code_point = 0;
  Hidden kind = Hidden::none;
  std::size_t offset = 0;
};

/// Every hidden code point of `utf8`, in order.
std::vector<HiddenChar> hidden_in(std::string_view utf8);

/// What the reader is told about `c` (hidden): its name, "a right-to-left override", or its
/// kind, "an invisible formatting character".
std::string describe(char32_t c);

/// What `c` (hidden) does to the text it is in, as a clause that completes "it …":
/// "makes the text after it display reversed", "takes no room on screen".
std::string effect(char32_t c);

/// How visible() writes what it finds.
struct ShowOptions {
  /// Line feed and tab stay as they are (preformatted text); otherwise they are marked too.
  bool keep_line_breaks = false;
  /// Control characters are written as \u00XX, the form quote() has always used for them (the
  /// CLI and the test vectors read it); otherwise as ‹U+001B› like every other hidden character.
  bool escape_controls = false;
};

/// `utf8` with each hidden code point replaced by its mark ("crm‹U+202E›relay").
std::string visible(std::string_view utf8, ShowOptions options = {});

}  // namespace relaycheck::text
