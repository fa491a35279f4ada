#include "text/utf8.hpp"

namespace relaycheck::text {

std::size_t decode_utf8_at(std::string_view text, std::size_t at, char32_t& out) {
  const auto b0 = static_cast<unsigned char>(text[at]);
  if (b0 < 0x80) {
    out = b0;
    return 1;
  }
  std::size_t n = 0;
  char32_t c = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 1, c = b0 & 0x1Fu, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 2, c = b0 & 0x0Fu, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 3, c = b0 & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  if (at + n >= text.size()) return 0;
  for (std::size_t k = 1; k <= n; ++k) {
    const auto b = static_cast<unsigned char>(text[at + k]);
    if ((b & 0xC0u) != 0x80u) return 0;
    c = (c << 6) | (b & 0x3Fu);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  out = c;
  return n + 1;
}

}  // namespace relaycheck::text
