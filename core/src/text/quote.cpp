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

}  // namespace

std::string quote(std::string_view text, char mark) {
  if (text.size() <= kMaxQuotedBytes) return mark + std::string(text) + mark;
  return mark + std::string(text.substr(0, cut_at(text))) + "…" + mark + " (" +
         std::to_string(text.size()) + " bytes)";
}

std::string shorten(std::string_view text) {
  if (text.size() <= kMaxQuotedBytes) return std::string(text);
  return std::string(text.substr(0, cut_at(text))) + "…";
}

}  // namespace relaycheck::text
