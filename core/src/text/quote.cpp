#include "text/quote.hpp"

#include "text/visible.hpp"

namespace relaycheck::text {
namespace {

/// Where a text longer than kMaxQuotedBytes is cut: backed up over UTF-8 continuation bytes so
/// that no character is split.
std::size_t cut_at(std::string_view text) {
  std::size_t cut = kMaxQuotedBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}

/// `part` as a message shows it: controls as \u00XX (a NUL, an ESC or a line break shows instead
/// of acting on the terminal), bidirectional and invisible characters as ‹U+202E› (they cannot
/// reorder or hide the message's words). text/visible.hpp decides which characters those are.
std::string escaped(std::string_view part) { return visible(part, ShowOptions{false, true}); }

}  // namespace

std::string quote(std::string_view text, char mark) {
  if (text.size() <= kMaxQuotedBytes) return mark + escaped(text) + mark;
  return mark + escaped(text.substr(0, cut_at(text))) + "…" + mark + " (" +
         std::to_string(text.size()) + " bytes)";
}

std::string shorten(std::string_view text) {
  if (text.size() <= kMaxQuotedBytes) return escaped(text);
  return escaped(text.substr(0, cut_at(text))) + "…";
}

}  // namespace relaycheck::text
