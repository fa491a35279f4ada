#pragma once
/// ASCII letters, digits and case folding: the one rule for words that compare without regard
/// to ASCII case and only ASCII case: DNS names (RFC 4343), the words of SPF (RFC 7208 §4.6.1,
/// §7.1), DKIM and DMARC tag names and keywords, config keys. Every other byte stays as it is,
/// whatever the locale (std::tolower and std::isalpha depend on it).

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

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

/// The edit distance (Levenshtein: insertions, deletions, substitutions) of `a` and `b` once
/// ASCII capitals are lowercased, or `limit` + 1 as soon as it is certain to exceed `limit`: the
/// one measure of "did you mean" suggestions (unknown config keys and values, time-zone names).
inline std::size_t iedit_distance(std::string_view a, std::string_view b,
                                  std::size_t limit = static_cast<std::size_t>(-2)) {
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return limit + 1;
  std::vector<std::size_t> previous(b.size() + 1);
  std::vector<std::size_t> current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    std::size_t row_min = current[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = to_lower(a[i - 1]) == to_lower(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      row_min = std::min(row_min, current[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace relaycheck::text
