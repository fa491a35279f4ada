#include "text/base64.hpp"

#include <cstdint>

namespace relaycheck::text {

namespace {

constexpr char kStandard[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The 6-bit value of a character of the base64 alphabet (not base64url), or -1.
constexpr int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

constexpr bool is_fws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::string base64_encode(const unsigned char* data, std::size_t size, Base64Form form) {
  const char* alphabet = form == Base64Form::standard ? kStandard : kUrl;
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    const std::uint32_t v = (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8) |
                            std::uint32_t{data[i + 2]};
    for (int s = 18; s >= 0; s -= 6) out += alphabet[(v >> s) & 0x3fu];
  }
  const std::size_t rest = size - i;
  if (rest > 0) {
    std::uint32_t v = std::uint32_t{data[i]} << 16;
    if (rest == 2) v |= std::uint32_t{data[i + 1]} << 8;
    out += alphabet[(v >> 18) & 0x3fu];
    out += alphabet[(v >> 12) & 0x3fu];
    if (rest == 2) out += alphabet[(v >> 6) & 0x3fu];
    if (form == Base64Form::standard) out.append(rest == 1 ? 2 : 1, '=');
  }
  return out;
}

Base64Decoded base64_decode(std::string_view text, bool skip_fws) {
  using Problem = Base64Decoded::Problem;
  Base64Decoded out;
  out.bytes.reserve(text.size() / 4 * 3 + 3);
  std::size_t padding = 0;
  std::uint32_t bits = 0;
  unsigned held = 0;
  const auto fail = [&](Problem problem, std::size_t at) {
    out.problem = problem;
    out.at = at;
    return out;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (skip_fws && is_fws(c)) continue;
    if (c == '=') {
      if (++padding > 2) return fail(Problem::too_much_padding, i);
      ++out.symbols;
      continue;
    }
    const int value = base64_value(c);
    if (value < 0) return fail(Problem::not_base64, i);
    if (padding > 0) return fail(Problem::after_padding, i);
    ++out.symbols;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    held += 6;
    if (held >= 8) {
      held -= 8;
      out.bytes.push_back(static_cast<char>((bits >> held) & 0xFFu));
    }
  }
  if (out.symbols % 4 != 0) return fail(Problem::partial_group, text.size());
  return out;
}

}  // namespace relaycheck::text
