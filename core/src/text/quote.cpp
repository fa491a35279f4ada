#include "text/quote.hpp"

namespace relaycheck::text {
namespace {

/// Where a text longer than kMaxQuotedBytes is cut: backed up over UTF-8 continuation bytes so
/// that no character is split.
std::size_t cut_at(std::string_view text) {
  std::size_t cut = kMaxQuotedBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}

/// `part` with each control byte (U+0000 to U+001F, U+007F) written as \u00XX, so that a NUL,
/// an ESC or a line break inside an entry shows in the message instead of acting on it.
std::string escaped(std::string_view part) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(part.size() + 2);
  for (const char c : part) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xFu];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string quote(std::string_view text, char mark) {
  if (text.size() <= kMaxQuotedBytes) return mark + escaped(text) + mark;
  return mark + escaped(text.substr(0, cut_at(text))) + "…" + mark + " (" +
         std::to_string(text.size()) + " bytes)";
}

std::string shorten(std::string_view text) {
  if (text.size() <= kMaxQuotedBytes) return std::string(text);
  return std::string(text.substr(0, cut_at(text))) + "…";
}

}  // namespace relaycheck::text
