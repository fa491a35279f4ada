// Reading a pasted whitelist (see paste.hpp for the model and its sources). One pass over the
// text: each line is split into entries once, and each entry is tried against a fixed sequence
// of readings (as written, Exim's doubled colons, a netmask, a range, a Sendmail partial
// address), each linear in the entry's length.
#include "ip/paste.hpp"

#include <algorithm>
#include <optional>
#include <unordered_set>

#include "ip/prefix_set.hpp"
#include "ip/range.hpp"
#include "text/ascii.hpp"
#include "text/quote.hpp"

namespace relaycheck::ip {
namespace {

using text::iequals;
using text::is_alpha;
using text::is_digit;

// ---------------------------------------------------------------------------------------------
// Characters
// ---------------------------------------------------------------------------------------------

bool has_bytes(std::string_view s, std::size_t i, std::string_view bytes) {
  return s.size() - i >= bytes.size() && s.compare(i, bytes.size(), bytes) == 0;
}

/// The length in bytes of a space at s[i]: ASCII blanks, and the Unicode spaces a web page or a
/// word processor puts in (no-break, en/em/thin spaces, zero width, ideographic, byte order
/// mark); 0 when there is none.
std::size_t space_at(std::string_view s, std::size_t i) {
  const char c = s[i];
  if (c == ' ' || c == '\t' || c == '\v' || c == '\f') return 1;
  if (has_bytes(s, i, "\xC2\xA0")) return 2;  // U+00A0
  if (s.size() - i >= 3 && s[i] == '\xE2' && s[i + 1] == '\x80') {
    const auto b = static_cast<unsigned char>(s[i + 2]);
    if (b <= 0x8B || b == 0xAF) return 3;  // U+2000..U+200B, U+202F
  }
  if (has_bytes(s, i, "\xE2\x81\x9F") || has_bytes(s, i, "\xE3\x80\x80") ||
      has_bytes(s, i, "\xEF\xBB\xBF")) {
    return 3;  // U+205F, U+3000, U+FEFF
  }
  return 0;
}

std::string_view trim(std::string_view s) {
  std::size_t begin = 0;
  while (begin < s.size()) {
    const std::size_t n = space_at(s, begin);
    if (n == 0) break;
    begin += n;
  }
  std::size_t end = s.size();
  while (end > begin) {
    if (space_at(s, end - 1) == 1) {
      --end;
    } else if (end - begin >= 2 && space_at(s, end - 2) == 2) {
      end -= 2;
    } else if (end - begin >= 3 && space_at(s, end - 3) == 3) {
      end -= 3;
    } else {
      break;
    }
  }
  return s.substr(begin, end - begin);
}

/// The length of a dash at s[i]: '-', U+2013 (en), U+2014 (em), U+2212 (minus); 0 otherwise.
std::size_t dash_at(std::string_view s, std::size_t i) {
  if (s[i] == '-') return 1;
  if (has_bytes(s, i, "\xE2\x80\x93") || has_bytes(s, i, "\xE2\x80\x94") ||
      has_bytes(s, i, "\xE2\x88\x92")) {
    return 3;
  }
  return 0;
}

bool is_dash(std::string_view token) { return !token.empty() && dash_at(token, 0) == token.size(); }

/// The length of a bullet at s[i] that needs no space after it: • ‣ ◦ ▪ ▫ ● ○ ■ □ ► ▸ ✓ ✔ ·
/// and the en and em dashes; 0 otherwise.
std::size_t bullet_at(std::string_view s, std::size_t i) {
  static constexpr std::string_view kBullets[] = {
      "\xE2\x80\xA2", "\xE2\x80\xA3", "\xE2\x97\xA6", "\xE2\x96\xAA",
      "\xE2\x96\xAB", "\xE2\x97\x8F", "\xE2\x97\x8B", "\xE2\x96\xA0",
      "\xE2\x96\xA1", "\xE2\x96\xBA", "\xE2\x96\xB8", "\xE2\x9C\x93",
      "\xE2\x9C\x94", "\xE2\x80\x93", "\xE2\x80\x94", "\xC2\xB7"};
  for (std::string_view b : kBullets) {
    if (has_bytes(s, i, b)) return b.size();
  }
  return 0;
}

/// The length of a bracket or quote at s[i] ([ ] ( ) { } < > " ' ` and the typographic quotes
/// “ ” ‘ ’ « »); 0 otherwise.
std::size_t wrapper_at(std::string_view s, std::size_t i) {
  switch (s[i]) {
    case '[':
    case ']':
    case '(':
    case ')':
    case '{':
    case '}':
    case '<':
    case '>':
    case '"':
    case '\'':
    case '`':
      return 1;
    default:
      break;
  }
  static constexpr std::string_view kQuotes[] = {"\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98",
                                                 "\xE2\x80\x99", "\xC2\xAB",     "\xC2\xBB"};
  for (std::string_view q : kQuotes) {
    if (has_bytes(s, i, q)) return q.size();
  }
  return 0;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// ---------------------------------------------------------------------------------------------
// Line structure
// ---------------------------------------------------------------------------------------------

/// A list marker at the start of a line: a bullet, or a number ("1." "2)" "(3)") before a space.
/// The rest of the line, or nullopt when there is none.
std::optional<std::string_view> after_marker(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (const std::size_t n = bullet_at(s, 0); n != 0) return trim(s.substr(n));
  std::size_t i = 0;
  const bool open = s[0] == '(';
  if (open) ++i;
  const std::size_t digits = i;
  while (i < s.size() && i - digits < 3 && is_digit(s[i])) ++i;
  std::size_t marker = 0;
  if (i > digits && i < s.size()) {
    if (open ? s[i] == ')' : (s[i] == '.' || s[i] == ')')) marker = i + 1;
  } else if (!open && (s[0] == '-' || s[0] == '*' || s[0] == '+' || s[0] == '>')) {
    marker = 1;
  }
  if (marker == 0 || marker >= s.size() || space_at(s, marker) == 0) return std::nullopt;
  return trim(s.substr(marker));
}

/// A setting name before '=' ("mynetworks =", "hostlist relay_from_hosts =", "dc_relay_nets=")
/// at the start of a line: the value after it, and whether it is an Exim host list.
std::optional<std::string_view> after_setting(std::string_view s, bool& hostlist) {
  std::size_t i = 0;
  hostlist = false;
  if (starts_with_ci(s, "hostlist") && s.size() > 8 && space_at(s, 8) != 0) {
    hostlist = true;
    i = 8;
    while (i < s.size() && space_at(s, i) != 0) i += space_at(s, i);
  }
  const std::size_t name = i;
  if (i >= s.size() || !(is_alpha(s[i]) || s[i] == '_')) return std::nullopt;
  while (i < s.size() &&
         (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '-')) {
    ++i;
  }
  if (i - name > 64) return std::nullopt;
  while (i < s.size() && space_at(s, i) != 0) i += space_at(s, i);
  if (i >= s.size() || s[i] != '=' || (i + 1 < s.size() && s[i + 1] == '=')) return std::nullopt;
  return trim(s.substr(i + 1));
}

/// A label before ": " at the start of a line ("IPv4: …", "US data centre: …"): the rest of the
/// line, or nullopt. An IPv6 address ends in colons too, so a label must hold a character that
/// no address does.
std::optional<std::string_view> after_label(std::string_view s) {
  const std::size_t limit = std::min<std::size_t>(s.size(), 64);
  for (std::size_t i = 0; i < limit; ++i) {
    if (s[i] == '/' || s[i] == '=') return std::nullopt;
    if (s[i] != ':') continue;
    if (i + 1 < s.size() && space_at(s, i + 1) == 0) continue;
    const std::string_view label = s.substr(0, i);
    const bool words = std::any_of(label.begin(), label.end(),
                                   [](char c) { return !is_hex(c) && c != ':' && c != '.'; });
    if (!words || label.empty()) return std::nullopt;
    return trim(s.substr(i + 1));
  }
  return std::nullopt;
}

/// What the value of an access-map line does with its key.
enum class Action { none, admit, refuse };

/// Sendmail's access database (RELAY, OK, REJECT, DISCARD, SKIP, ERROR:…, QUARANTINE:…) and
/// Postfix access(5) (OK, PERMIT, REJECT, DEFER, DUNNO, HOLD, a 4xx/5xx code, …).
Action action_of(std::string_view word) {
  for (std::string_view admit : {"RELAY", "OK", "PERMIT", "ACCEPT"}) {
    if (iequals(word, admit)) return Action::admit;
  }
  for (std::string_view refuse : {"REJECT", "DISCARD", "DEFER", "DEFER_IF_PERMIT",
                                  "DEFER_IF_REJECT", "HOLD", "SKIP", "DUNNO", "FILTER", "WARN"}) {
    if (iequals(word, refuse)) return Action::refuse;
  }
  if (starts_with_ci(word, "ERROR:") || starts_with_ci(word, "QUARANTINE:") ||
      starts_with_ci(word, "REDIRECT") || starts_with_ci(word, "PREPEND")) {
    return Action::refuse;
  }
  if (word.size() >= 3 && (word[0] == '4' || word[0] == '5') && is_digit(word[1]) &&
      is_digit(word[2]) && (word.size() == 3 || word[3] == '-' || word[3] == '.')) {
    return Action::refuse;
  }
  return Action::none;
}

/// The entries of a line (or of an Exim item): split at spaces, commas, semicolons and '|'.
std::vector<std::string_view> split_entries(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  std::size_t begin = 0;
  const auto flush = [&](std::size_t end) {
    if (end > begin) out.push_back(s.substr(begin, end - begin));
  };
  while (i < s.size()) {
    std::size_t n = space_at(s, i);
    if (n == 0 && (s[i] == ',' || s[i] == ';' || s[i] == '|')) n = 1;
    if (n == 0) {
      ++i;
      continue;
    }
    flush(i);
    i += n;
    begin = i;
  }
  flush(s.size());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Entries
// ---------------------------------------------------------------------------------------------

/// True when every run of colons in `s` has an even length (Exim's doubled colons).
bool even_colon_runs(std::string_view s) {
  std::size_t run = 0;
  for (const char c : s) {
    if (c == ':') {
      ++run;
    } else {
      if (run % 2 != 0) return false;
      run = 0;
    }
  }
  return run % 2 == 0;
}

/// `s` with each pair of colons written as one.
std::string undouble_colons(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    out += s[i];
    if (s[i] == ':' && i + 1 < s.size() && s[i + 1] == ':') ++i;
  }
  return out;
}

/// The prefix length of a contiguous IPv4 netmask ("255.255.255.0" → 24), or nullopt.
std::optional<unsigned> netmask_length(std::string_view mask) {
  const auto address = parse_address(mask);
  if (!address || address.value->family != Family::v4) return std::nullopt;
  const auto bits = static_cast<std::uint32_t>(address.value->lo);
  const std::uint32_t inverted = ~bits;
  if ((inverted & (inverted + 1u)) != 0) return std::nullopt;  // not ones then zeros
  unsigned length = 0;
  for (std::uint32_t b = bits; b != 0; b <<= 1) ++length;
  return length;
}

/// The fewest prefixes that cover first..last (inclusive) of one family.
template <class Range>
std::vector<Prefix> range_prefixes(const Address& first_in, const Address& last_in) {
  using T = detail::Traits<Range>;
  using U = typename T::U;
  const U max_value = static_cast<U>(~U{0});
  U first = T::from(*make_prefix(first_in, T::bits));
  const U last = T::from(*make_prefix(last_in, T::bits));
  std::vector<Prefix> out;
  if (first == 0 && last == max_value) return {T::to_prefix(0, 0)};
  while (true) {
    // The largest aligned block at `first` that ends at or before `last` (k < bits here).
    unsigned k = std::min(T::ctz(first), T::bits - 1);
    while (k > 0 && last - first < ((U{1} << k) - 1)) --k;
    out.push_back(T::to_prefix(first, T::bits - k));
    const U end = first + ((U{1} << k) - 1);
    if (end >= last) break;
    first = end + 1;
  }
  return out;
}

/// The most addresses a range of outbound IPs is written out as.
constexpr std::size_t kMaxRangeHosts = 256;

/// Every address of first..last as a host prefix, or none when there are more than
/// kMaxRangeHosts.
template <class Range>
std::vector<Prefix> range_hosts(const Address& first_in, const Address& last_in) {
  using T = detail::Traits<Range>;
  using U = typename T::U;
  const U first = T::from(*make_prefix(first_in, T::bits));
  const U last = T::from(*make_prefix(last_in, T::bits));
  if (last - first >= kMaxRangeHosts) return {};
  std::vector<Prefix> out;
  for (U a = first;; ++a) {
    out.push_back(T::to_prefix(a, T::bits));
    if (a == last) break;
  }
  return out;
}

/// The prefix of a Sendmail or Postfix partial address: 1 to 3 decimal octets ("192.0.2" is
/// 192.0.2.0/24), or with `v6` 1 to 7 groups without "::" ("2001:db8" is 2001:db8::/32).
std::optional<Parsed<Prefix>> partial_prefix(std::string_view s, bool v6) {
  if (s.empty()) return std::nullopt;
  const char separator = v6 ? ':' : '.';
  if (v6 && s.find("::") != std::string_view::npos) return std::nullopt;
  const std::size_t parts = static_cast<std::size_t>(std::count(s.begin(), s.end(), separator)) + 1;
  if (parts >= (v6 ? 8u : 4u)) return std::nullopt;
  for (const char c : s) {
    if (c != separator && !(v6 ? is_hex(c) : is_digit(c))) return std::nullopt;
  }
  std::string full(s);
  if (v6) {
    full += "::/" + std::to_string(16 * parts);
  } else {
    for (std::size_t k = parts; k < 4; ++k) full += ".0";
    full += "/" + std::to_string(8 * parts);
  }
  return parse_prefix(full);
}

/// True for a Postfix lookup table ("hash:/etc/postfix/network_table", "cidr:…", "inline:{…}"):
/// a type name with a letter no hexadecimal digit is, then a colon.
bool table_type(std::string_view s) {
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon < 2 || colon > 32) return false;
  const std::string_view type = s.substr(0, colon);
  return std::all_of(type.begin(), type.end(), [](char c) { return is_alpha(c) || c == '-'; }) &&
         std::any_of(type.begin(), type.end(), [](char c) { return is_alpha(c) && !is_hex(c); });
}

struct PrefixHash {
  std::size_t operator()(const Prefix& p) const {
    std::uint64_t h = p.hi * 0x9E3779B97F4A7C15ull;
    h ^= p.lo + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
    h ^= (static_cast<std::uint64_t>(p.length) << 1 | (p.family == Family::v6 ? 1u : 0u)) +
         0x94D049BB133111EBull + (h << 6) + (h >> 2);
    return static_cast<std::size_t>(h);
  }
};

/// What became of one entry.
enum class Outcome { read, unreadable, word };

class Reader {
 public:
  explicit Reader(PasteMode mode) : mode_(mode) {}

  void read(std::string_view text) {
    std::size_t i = 0;
    while (i <= text.size()) {
      std::size_t end = i;
      while (end < text.size() && text[end] != '\n' && text[end] != '\r') ++end;
      read_line(text.substr(i, end - i));
      if (end >= text.size()) break;
      i = end + (text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n' ? 2 : 1);
    }
  }

  Extracted take() {
    for (const std::size_t n : out_.kinds) out_.cleaned += n;
    return std::move(out_);
  }

 private:
  void count(Cleaning kind) { ++out_.kinds[static_cast<std::size_t>(kind)]; }

  void unreadable(std::string_view text, std::string reason) {
    ++out_.unreadable_count;
    if (out_.unreadable.size() < kMaxUnreadableListed)
      out_.unreadable.push_back({line_, text::quote(text), std::move(reason)});
  }

  void accept(const Prefix& p, std::string_view written) {
    if (mode_ == PasteMode::addresses && p.length < max_length(p.family)) {
      unreadable(written,
                 (p.family == Family::v4 ? "is a network of " + address_count(p) + " addresses"
                                         : "is a /" + std::to_string(p.length) + " network") +
                     ", not one address: list each address the relay sends from");
      return;
    }
    if (seen_.count(p) != 0) {
      ++out_.duplicates;
      return;
    }
    if (out_.entries.size() >= kMaxPastedEntries) {
      ++out_.over_limit;
      return;
    }
    seen_.insert(p);
    out_.entries.push_back(p);
  }

  void read_line(std::string_view raw) {
    ++line_;
    if (const std::size_t hash = raw.find('#'); hash != std::string_view::npos)
      raw = raw.substr(0, hash);
    std::string_view s = trim(raw);
    const bool continued = exim_continues_;
    char separator = continued ? exim_separator_ : 0;
    exim_continues_ = false;
    if (!s.empty() && s.back() == '\\') {
      s = trim(s.substr(0, s.size() - 1));
      exim_continues_ = true;
    }
    if (s.empty()) {
      exim_separator_ = exim_continues_ ? separator : 0;
      return;
    }
    ++out_.lines;
    if (!continued) {
      if (auto rest = after_marker(s)) {
        s = *rest;
        count(Cleaning::marker);
      }
      bool hostlist = false;
      if (auto value = after_setting(s, hostlist)) {
        s = *value;
        count(Cleaning::setting);
        if (hostlist) separator = ':';
      }
      if (s.size() >= 2 && s[0] == '<' && !is_alpha(s[1]) && !is_digit(s[1]) &&
          space_at(s, 1) == 0 && static_cast<unsigned char>(s[1]) < 0x80) {
        separator = s[1];
        s = trim(s.substr(2));
        count(Cleaning::exim_list);
      }
    }
    exim_separator_ = exim_continues_ ? separator : 0;
    if (separator != 0) {
      read_exim(s, separator);
    } else {
      read_plain(s);
    }
  }

  /// An Exim list (Exim specification, "List construction"): items separated by `separator`,
  /// which written twice stands for itself; blanks around an item do not count.
  void read_exim(std::string_view s, char separator) {
    std::string item;
    bool doubled = false;
    std::size_t i = 0;
    std::size_t item_begin = 0;
    const auto flush = [&]() {
      if (doubled) count(Cleaning::exim_list);
      read_entries(trim(item), false, separator == ':', doubled ? separator : 0,
                   doubled ? trim(s.substr(item_begin, i - item_begin)) : std::string_view());
      item.clear();
      doubled = false;
    };
    while (i < s.size()) {
      if (s[i] == separator) {
        if (i + 1 < s.size() && s[i + 1] == separator) {
          item += separator;
          doubled = true;
          i += 2;
          continue;
        }
        flush();
        ++i;
        while (i < s.size() && space_at(s, i) != 0) i += space_at(s, i);
        item_begin = i;
        continue;
      }
      item += s[i++];
    }
    flush();
  }

  void read_plain(std::string_view s) {
    bool access = false;
    if (starts_with_ci(s, "connect:")) {
      s = trim(s.substr(8));
      access = true;
    } else if (starts_with_ci(s, "from:") || starts_with_ci(s, "to:") ||
               starts_with_ci(s, "spam:")) {
      unreadable(s, "is an access-map rule about senders or recipients, not a network");
      return;
    } else if (auto rest = after_label(s)) {
      s = *rest;
      count(Cleaning::label);
    }
    const std::vector<std::string_view> entries = split_entries(s);
    // An access-map line: KEY ACTION [text]. Its key is the one entry.
    if (entries.size() >= 2) {
      const Action action = action_of(entries[1]);
      if (action != Action::none) {
        count(Cleaning::access_map);
        if (action == Action::refuse) {
          unreadable(entries[0], "is not admitted by its line (the action is " +
                                     text::quote(entries[1]) + "): not a network to add");
          return;
        }
        read_entries(entries[0], true, false, 0, {});
        return;
      }
    }
    if (access) count(Cleaning::access_map);
    read_entries(s, access, false, 0, {});
  }

  /// The entries of `s` (a line, or an item of an Exim list). `exim_colons`: the colons were
  /// undoubled already; `doubled`: the separator that was written twice in the item, if any,
  /// and `raw` the item as written then (quoted instead of the entry).
  void read_entries(std::string_view s, bool access, bool exim_colons, char doubled,
                    std::string_view raw) {
    const std::vector<std::string_view> entries = split_entries(s);
    // A run of words (no digits): one unreadable item, from the first word to the last.
    const char* words_begin = nullptr;
    const char* words_end = nullptr;
    const auto flush_words = [&]() {
      if (words_begin == nullptr) return;
      unreadable(std::string_view(words_begin, static_cast<std::size_t>(words_end - words_begin)),
                 "is text, not an address");
      words_begin = nullptr;
    };
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const std::string_view entry = entries[i];
      if (is_dash(entry)) {
        // A dash after an entry starts its description: "136.143.176.0/23 – US".
        if (i > 0) {
          count(Cleaning::label);
          break;
        }
        continue;
      }
      if (i + 2 < entries.size() && is_dash(entries[i + 1]) && read_range(entry, entries[i + 2])) {
        flush_words();
        i += 2;
        continue;
      }
      if (read_entry(raw.empty() ? entry : raw, entry, access, exim_colons, doubled) ==
          Outcome::word) {
        if (words_begin == nullptr) words_begin = entry.data();
        words_end = entry.data() + entry.size();
        continue;
      }
      flush_words();
    }
    flush_words();
  }

  /// "A - B": true when both are addresses (read as a range, or refused when they are of two
  /// families or in the wrong order), false when they are not a range at all.
  bool read_range(std::string_view a, std::string_view b) {
    const auto first = parse_address(a);
    const auto last = parse_address(b);
    if (!first || !last) return false;
    const std::string written = std::string(a) + " - " + std::string(b);
    if (first.value->family != last.value->family) {
      unreadable(written, "is not a range: it goes from an IPv4 to an IPv6 address");
      return true;
    }
    if (*last.value < *first.value) {
      unreadable(written, "is not a range: its first address comes after its last");
      return true;
    }
    count(Cleaning::range);
    const auto prefixes = first.value->family == Family::v4
                              ? range_prefixes<detail::Range4>(*first.value, *last.value)
                              : range_prefixes<detail::Range6>(*first.value, *last.value);
    if (mode_ == PasteMode::prefixes) {
      for (const auto& p : prefixes) accept(p, written);
      return true;
    }
    // Outbound IPs: a short range is its addresses, one by one.
    const auto hosts = first.value->family == Family::v4
                           ? range_hosts<detail::Range4>(*first.value, *last.value)
                           : range_hosts<detail::Range6>(*first.value, *last.value);
    if (hosts.empty()) {
      unreadable(written, "is a range of more than " + std::to_string(kMaxRangeHosts) +
                              " addresses: list each address the relay sends from");
    }
    for (const auto& p : hosts) accept(p, written);
    return true;
  }

  /// One entry: `entry` as read, `written` as it is quoted.
  Outcome read_entry(std::string_view written, std::string_view entry, bool access,
                     bool exim_colons, char doubled) {
    if (entry.front() == '!') {
      unreadable(written,
                 "is excluded by '!': it removes addresses from a list, it does not "
                 "add them");
      return Outcome::unreadable;
    }
    // Brackets and quotes, anywhere (Postfix's [::1]/128, a JSON array, typographic quotes).
    std::string s;
    s.reserve(entry.size());
    bool wrapped = false;
    for (std::size_t i = 0; i < entry.size();) {
      if (const std::size_t n = wrapper_at(entry, i); n != 0) {
        wrapped = true;
        i += n;
        continue;
      }
      s += entry[i++];
    }
    if (wrapped) count(Cleaning::wrapper);
    if (!s.empty() && s.back() == '.' && s.find_first_not_of('.') != std::string::npos) {
      while (s.back() == '.') s.pop_back();
      count(Cleaning::punctuation);
    }
    bool v6_tag = false;
    if (starts_with_ci(s, "ipv6:")) {
      s.erase(0, 5);
      v6_tag = true;
      if (!access) count(Cleaning::access_map);  // an access-map line counts once
    }
    if (s.empty()) return Outcome::read;  // only brackets or quotes: nothing was written

    const auto parsed = parse_prefix(s);
    if (parsed) {
      accept(*parsed.value, written);
      return Outcome::read;
    }
    // Exim's doubled colons, in a list that was not read as an Exim list.
    if (!exim_colons && s.find("::") != std::string::npos && even_colon_runs(s)) {
      if (const auto undoubled = parse_prefix(undouble_colons(s))) {
        count(Cleaning::exim_list);
        accept(*undoubled.value, written);
        return Outcome::read;
      }
    }
    // A netmask after the slash: 192.0.2.0/255.255.255.0.
    if (const std::size_t slash = s.find('/'); slash != std::string::npos) {
      if (const auto length = netmask_length(std::string_view(s).substr(slash + 1))) {
        const auto masked = parse_prefix(s.substr(0, slash) + "/" + std::to_string(*length));
        if (masked) {
          count(Cleaning::netmask);
          accept(*masked.value, written);
          return Outcome::read;
        }
      }
    }
    // A range without spaces: 192.0.2.10-192.0.2.20.
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
      if (const std::size_t n = dash_at(s, i); n != 0) {
        if (read_range(std::string_view(s).substr(0, i), std::string_view(s).substr(i + n)))
          return Outcome::read;
        break;
      }
    }
    if (access || v6_tag) {
      if (auto partial = partial_prefix(s, v6_tag)) {
        if (*partial) {
          count(Cleaning::partial);
          accept(*partial->value, written);
          return Outcome::read;
        }
      }
    }
    return refuse(written, s, parsed.error, exim_colons, doubled);
  }

  /// Says why an entry is not an address, in the admin's terms where its form is known.
  Outcome refuse(std::string_view written, const std::string& s, const std::string& parse_error,
                 bool exim_colons, char doubled) {
    const bool digits = std::any_of(s.begin(), s.end(), [](char c) { return is_digit(c); });
    const bool letters = std::any_of(s.begin(), s.end(), [](char c) { return is_alpha(c); });
    const bool name_chars = std::all_of(s.begin(), s.end(), [](char c) {
      return is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == '_';
    });
    if (s == "*" || s == "0/0" || s == "all" || s == "ALL") {
      unreadable(written, "matches every host: a whitelist entry must name networks");
    } else if (s.front() == '/' || s.front() == '$' || table_type(s)) {
      unreadable(written,
                 "is a lookup table, a file or a setting, not an address: paste the "
                 "entries it holds");
    } else if (s.front() == '+' || s.front() == '@') {
      unreadable(written,
                 "refers to another list or to this host (Exim), not an address: "
                 "paste the addresses it stands for");
    } else if (doubled == ':') {
      unreadable(written,
                 "reads as " + text::quote(s) +
                     " in an Exim list separated by colons, where '::' "
                     "stands for one colon, and " +
                     parse_error +
                     ": write each colon of an IPv6 address twice (2001::db8::::/32), or start the "
                     "list with '<;' and separate it with semicolons");
    } else if (exim_colons && s.size() <= 4 &&
               std::all_of(s.begin(), s.end(), [](char c) { return is_hex(c); })) {
      unreadable(written,
                 "is one group of an IPv6 address cut at a colon: in an Exim list "
                 "separated by colons, write each colon of an address twice "
                 "(2001::db8::::/32), or start the list with '<;'");
    } else if (letters && name_chars && s.find('.') != std::string::npos &&
               !std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c) || c == '.'; })) {
      unreadable(written, "is a host name, not an address: paste the addresses it stands for");
    } else if (!digits && s.find(':') == std::string::npos) {
      return Outcome::word;
    } else {
      unreadable(written, parse_error);
    }
    return Outcome::unreadable;
  }

  PasteMode mode_;
  Extracted out_;
  std::unordered_set<Prefix, PrefixHash> seen_;
  std::size_t line_ = 0;
  bool exim_continues_ = false;
  char exim_separator_ = 0;
};

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string with_thousands(std::size_t n) {
  std::string digits = std::to_string(n);
  for (std::size_t k = digits.size(); k > 3; k -= 3) digits.insert(k - 3, ",");
  return digits;
}

/// "a", "a and b", "a, b and c".
std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (k > 0) out += k + 1 == parts.size() ? " and " : ", ";
    out += parts[k];
  }
  return out;
}

}  // namespace

std::string_view to_string(Cleaning kind) {
  switch (kind) {
    case Cleaning::marker:
      return "marker";
    case Cleaning::setting:
      return "setting";
    case Cleaning::label:
      return "label";
    case Cleaning::wrapper:
      return "wrapper";
    case Cleaning::punctuation:
      return "punctuation";
    case Cleaning::access_map:
      return "accessMap";
    case Cleaning::exim_list:
      return "eximList";
    case Cleaning::partial:
      return "partial";
    case Cleaning::netmask:
      return "netmask";
    case Cleaning::range:
      return "range";
    case Cleaning::count_:
      break;
  }
  return "";
}

Extracted extract_entries(std::string_view text, PasteMode mode) {
  Reader reader(mode);
  reader.read(text);
  return reader.take();
}

std::string entry_text(const Prefix& entry, PasteMode mode) {
  if (mode == PasteMode::addresses && entry.length == max_length(entry.family))
    return to_string(entry.network());
  return to_string(entry);
}

std::string summary(const Extracted& e, PasteMode mode) {
  const auto kind = [&](Cleaning k) { return e.kinds[static_cast<std::size_t>(k)]; };
  std::vector<std::string> clauses;
  const std::string noun_one = mode == PasteMode::addresses ? "address" : "entry";
  const std::string noun_many = mode == PasteMode::addresses ? "addresses" : "entries";
  if (e.entries.empty()) {
    clauses.push_back(e.lines == 0 ? "The pasted text holds no entry (it is blank or only "
                                     "comments)"
                                   : "Found no " + noun_one + " in the pasted text");
  } else {
    clauses.push_back("Read " + plural(e.entries.size(), noun_one, noun_many) + " from " +
                      plural(e.lines, "line", "lines"));
  }
  std::vector<std::string> cleaning;
  if (kind(Cleaning::marker) != 0)
    cleaning.push_back("removed " +
                       plural(kind(Cleaning::marker), "bullet or number", "bullets or numbers"));
  if (kind(Cleaning::setting) != 0)
    cleaning.push_back("removed " +
                       plural(kind(Cleaning::setting), "setting name", "setting names"));
  if (kind(Cleaning::label) != 0)
    cleaning.push_back("dropped " + plural(kind(Cleaning::label), "label or description",
                                           "labels or descriptions"));
  if (kind(Cleaning::wrapper) != 0)
    cleaning.push_back("removed brackets or quotes from " +
                       plural(kind(Cleaning::wrapper), "entry", "entries"));
  if (kind(Cleaning::punctuation) != 0)
    cleaning.push_back("removed " + plural(kind(Cleaning::punctuation), "trailing full stop",
                                           "trailing full stops"));
  if (kind(Cleaning::access_map) != 0)
    cleaning.push_back("read " +
                       plural(kind(Cleaning::access_map), "access-map line", "access-map lines") +
                       " (such as 'Connect:192.0.2 RELAY')");
  if (kind(Cleaning::exim_list) != 0)
    cleaning.push_back("undid Exim's list syntax in " +
                       plural(kind(Cleaning::exim_list), "place", "places"));
  if (kind(Cleaning::partial) != 0)
    cleaning.push_back("widened " +
                       plural(kind(Cleaning::partial), "partial address", "partial addresses") +
                       " to whole octets or groups (192.0.2 is 192.0.2.0/24)");
  if (kind(Cleaning::netmask) != 0)
    cleaning.push_back("wrote " + plural(kind(Cleaning::netmask), "netmask", "netmasks") +
                       " as a prefix length");
  if (kind(Cleaning::range) != 0)
    cleaning.push_back("wrote " + plural(kind(Cleaning::range), "address range", "address ranges") +
                       (mode == PasteMode::addresses ? " as addresses" : " as prefixes"));
  if (!cleaning.empty()) clauses.push_back(joined(cleaning));
  if (e.duplicates != 0)
    clauses.push_back("left out " + plural(e.duplicates, "duplicate", "duplicates"));
  if (e.over_limit != 0) {
    clauses.push_back("left out " + plural(e.over_limit, noun_one, noun_many) +
                      " beyond the limit of " + with_thousands(kMaxPastedEntries));
  }
  if (e.unreadable_count != 0) {
    std::vector<std::string> lines;
    std::size_t last = 0;
    for (const auto& u : e.unreadable) {
      if (u.line == last) continue;
      last = u.line;
      if (lines.size() == 5) {
        lines.push_back("more");
        break;
      }
      lines.push_back(std::to_string(u.line));
    }
    clauses.push_back("could not read " + plural(e.unreadable_count, "item", "items") + " (" +
                      (lines.size() == 1 ? "line " : "lines ") + joined(lines) + ")");
  }
  std::string sentence;
  for (std::size_t k = 0; k < clauses.size(); ++k) sentence += (k == 0 ? "" : "; ") + clauses[k];
  return sentence + ".";
}

}  // namespace relaycheck::ip
