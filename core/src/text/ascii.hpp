#pragma once
/// ASCII letters, digits and case folding: the one rule for words that compare without regard
/// to ASCII case and only ASCII case: DNS names (RFC 4343), the words of SPF (RFC 7208 §4.6.1,
/// §7.1), DKIM and DMARC tag names and keywords, config keys. Every other byte stays as it is,
/// whatever the locale (std::tolower and std::isalpha depend on it).

#include <cstddef>
#include <string>
#include <string_view>

namespace relaycheck::text {

constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// An ASCII capital lowercased, any other byte as it is.
constexpr char to_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// `text` with its ASCII capitals lowercased.
inline std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = to_lower(c);
  return out;
}

/// True when `a` and `b` are equal once ASCII capitals are lowercased.
constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

}  // namespace relaycheck::text
