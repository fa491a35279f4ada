#include "ip/ip.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <tuple>

#include "ip/bits.hpp"
#include "ip/scan_fast.hpp"
#include "text/quote.hpp"

namespace relaycheck::ip {
namespace {

using detail::hex_value;
using detail::network_mask;

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Names a non-ASCII character at the start of `text` as U+XXXX (or its first byte when the
/// bytes are not UTF-8), because full-width and Arabic-Indic digits look like ASCII digits.
std::string describe_non_ascii(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned lead = byte(0);
  std::size_t extra = lead >= 0xF0 && lead < 0xF8 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC2 ? 1 : 0;
  std::uint32_t code = lead & (0x3Fu >> extra);
  bool valid = extra > 0 && text.size() > extra;
  for (std::size_t i = 1; valid && i <= extra; ++i) {
    valid = (byte(i) & 0xC0u) == 0x80u;
    code = (code << 6) | (byte(i) & 0x3Fu);
  }
  char buffer[32];
  if (valid) {
    std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(code));
  } else {
    std::snprintf(buffer, sizeof buffer, "byte 0x%02X", lead);
  }
  return buffer;
}

/// The reason no address or prefix may contain a character of `text`, or empty when none is
/// out of place. These are the characters no digit-by-digit message would explain well.
std::string forbidden_character(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      return "contains the non-ASCII character " + describe_non_ascii(text.substr(i)) +
             "; only ASCII digits, hex letters, '.', ':' and '/' belong in an address";
    }
    if (c == ' ' || c == '\t') return "contains a space";
    if (c < 0x20 || c == 0x7F) {
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "contains the control character 0x%02X", c);
      return buffer;
    }
    if (c == '%') return "has a zone id ('%...'), which is only meaningful on one host";
    if (c == '[' || c == ']') return "is in brackets; write the bare address";
  }
  return {};
}

/// Parses a dotted quad. `error` gets the reason on failure.
bool parse_v4(std::string_view s, std::uint32_t& out, std::string& error) {
  if (s.empty()) {
    error = "is empty";
    return false;
  }
  if (s.front() == '.' || s.back() == '.') {
    error = s.front() == '.' ? "starts with '.'" : "ends with '.'";
    return false;
  }
  std::array<std::string_view, 4> octets;
  std::size_t count = 0;
  bool letters = false;
  for (std::size_t start = 0;;) {
    const std::size_t dot = s.find('.', start);
    const std::string_view octet =
        s.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (octet.empty()) {
      error = "has an empty octet ('..')";
      return false;
    }
    for (char c : octet) letters = letters || (!is_digit(c) && c != '+' && c != '-');
    if (count < octets.size()) octets[count] = octet;
    ++count;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (count != 4) {
    error = letters ? "is not an IP address (expected a dotted quad such as 192.0.2.1, or IPv6)"
                    : "has " + std::to_string(count) + (count == 1 ? " octet" : " octets") +
                          "; an IPv4 address has 4";
    return false;
  }
  std::uint32_t value = 0;
  for (std::string_view octet : octets) {
    if (octet.size() >= 2 && octet[0] == '0' && (octet[1] == 'x' || octet[1] == 'X')) {
      error = "octet " + quote(octet) + " is hexadecimal; octets are decimal";
      return false;
    }
    if (octet[0] == '+' || octet[0] == '-') {
      error = "octet " + quote(octet) + " has a sign";
      return false;
    }
    for (char c : octet) {
      if (!is_digit(c)) {
        error = "octet " + quote(octet) + " is not a decimal number";
        return false;
      }
    }
    if (octet.size() > 1 && octet[0] == '0') {
      error =
          "octet " + quote(octet) + " has a leading zero, which is ambiguous (octal or decimal)";
      return false;
    }
    unsigned n = 0;
    for (char c : octet) n = n > 255 ? n : n * 10 + static_cast<unsigned>(c - '0');
    if (octet.size() > 3 || n > 255) {
      error = "octet " + quote(octet) + " is greater than 255";
      return false;
    }
    value = (value << 8) | n;
  }
  out = value;
  return true;
}

/// Parses the groups of one side of an IPv6 address (the text before or after `::`) into
/// `groups` from `at`. `last_side` allows a trailing dotted quad. Returns false with `error`.
bool parse_v6_groups(std::string_view s, bool last_side, std::array<std::uint16_t, 8>& groups,
                     std::size_t& at, std::string& error) {
  if (s.empty()) return true;
  for (std::size_t start = 0;;) {
    const std::size_t colon = s.find(':', start);
    const bool last = colon == std::string_view::npos;
    const std::string_view group = s.substr(start, last ? colon : colon - start);
    if (group.empty()) {
      error = "has an empty group";
      return false;
    }
    if (group.find('.') != std::string_view::npos) {
      if (!last || !last_side) {
        error = "has an embedded IPv4 address that is not at the end";
        return false;
      }
      std::uint32_t v4 = 0;
      std::string reason;
      if (!parse_v4(group, v4, reason)) {
        error = "has a bad embedded IPv4 address " + quote(group) + ": " + reason;
        return false;
      }
      if (at + 2 > groups.size()) {
        error = "has more than 8 groups";
        return false;
      }
      groups[at++] = static_cast<std::uint16_t>(v4 >> 16);
      groups[at++] = static_cast<std::uint16_t>(v4 & 0xFFFFu);
      return true;
    }
    if (group[0] == '+' || group[0] == '-') {
      error = "group " + quote(group) + " has a sign";
      return false;
    }
    unsigned value = 0;
    for (char c : group) {
      const int h = hex_value(c);
      if (h < 0) {
        error = "group " + quote(group) + " is not hexadecimal";
        return false;
      }
      value = (value << 4 | static_cast<unsigned>(h)) & 0xFFFFFu;
    }
    if (group.size() > 4) {
      error = "group " + quote(group) + " has more than 4 hex digits";
      return false;
    }
    if (at == groups.size()) {
      error = "has more than 8 groups";
      return false;
    }
    groups[at++] = static_cast<std::uint16_t>(value);
    if (last) return true;
    start = colon + 1;
  }
}

bool parse_v6(std::string_view s, std::uint64_t& hi, std::uint64_t& lo, std::string& error) {
  if (s.find(":::") != std::string_view::npos) {
    error = "contains ':::'";
    return false;
  }
  const std::size_t gap = s.find("::");
  if (gap != std::string_view::npos && s.find("::", gap + 1) != std::string_view::npos) {
    error = "has more than one '::'";
    return false;
  }
  if (s.front() == ':' && gap != 0) {
    error = "starts with a single ':'";
    return false;
  }
  if (s.back() == ':' && (gap == std::string_view::npos || gap + 2 != s.size())) {
    error = "ends with a single ':'";
    return false;
  }
  std::array<std::uint16_t, 8> head{};
  std::array<std::uint16_t, 8> tail{};
  std::size_t head_count = 0;
  std::size_t tail_count = 0;
  if (gap == std::string_view::npos) {
    if (!parse_v6_groups(s, true, head, head_count, error)) return false;
    if (head_count != 8) {
      error = "has " + std::to_string(head_count) +
              " groups; an IPv6 address has 8, or fewer with '::'";
      return false;
    }
  } else {
    if (!parse_v6_groups(s.substr(0, gap), false, head, head_count, error)) return false;
    if (!parse_v6_groups(s.substr(gap + 2), true, tail, tail_count, error)) return false;
    if (head_count + tail_count > 7) {
      error = "has " + std::to_string(head_count + tail_count) +
              " groups besides '::', which must stand for at least one zero group";
      return false;
    }
  }
  std::array<std::uint16_t, 8> groups{};
  for (std::size_t i = 0; i < head_count; ++i) groups[i] = head[i];
  for (std::size_t i = 0; i < tail_count; ++i) groups[8 - tail_count + i] = tail[i];
  hi = 0;
  lo = 0;
  for (std::size_t i = 0; i < 4; ++i) hi = hi << 16 | groups[i];
  for (std::size_t i = 4; i < 8; ++i) lo = lo << 16 | groups[i];
  return true;
}

/// Parses an address whose characters have already passed `forbidden_character`.
bool parse_address_checked(std::string_view s, Address& out, std::string& error) {
  if (s.empty()) {
    error = "is empty";
    return false;
  }
  if (s.find(':') != std::string_view::npos) {
    out.family = Family::v6;
    return parse_v6(s, out.hi, out.lo, error);
  }
  std::uint32_t v4 = 0;
  if (!parse_v4(s, v4, error)) return false;
  out = Address::v4(v4);
  return true;
}

/// Parses the digits of a prefix length; `error` explains a sign, a leading zero, a netmask.
bool parse_length_checked(std::string_view s, Family family, unsigned& out, std::string& error) {
  const unsigned max = max_length(family);
  if (s.empty()) {
    error = "has no prefix length after '/'";
    return false;
  }
  if (s[0] == '+' || s[0] == '-') {
    error = "prefix length " + quote(s) + " has a sign";
    return false;
  }
  if (s.find_first_of(".:") != std::string_view::npos) {
    Address mask;
    std::string ignored;
    if (parse_address_checked(s, mask, ignored) && mask.family == family) {
      // A contiguous netmask (255.255.255.0) or hostmask (0.0.0.255): say which length is meant.
      for (unsigned length = 0; length <= max; ++length) {
        std::uint64_t hi = 0;
        std::uint64_t lo = 0;
        network_mask(family, length, hi, lo);
        const std::uint64_t host_hi = family == Family::v4 ? 0 : ~hi;
        const std::uint64_t host_lo = family == Family::v4 ? ~lo & 0xFFFFFFFFull : ~lo;
        const bool netmask = mask.hi == hi && mask.lo == lo;
        if (netmask || (mask.hi == host_hi && mask.lo == host_lo)) {
          error = std::string(netmask ? "netmask" : "hostmask") + " notation '/" + std::string(s) +
                  "' is not allowed; write /" + std::to_string(length);
          return false;
        }
      }
    }
    error = "prefix length " + quote(s) + " is not a number (netmask notation is not allowed)";
    return false;
  }
  unsigned n = 0;
  for (char c : s) {
    if (!is_digit(c)) {
      error = "prefix length " + quote(s) + " is not a decimal number";
      return false;
    }
    n = n > 1000 ? n : n * 10 + static_cast<unsigned>(c - '0');
  }
  if (s.size() > 1 && s[0] == '0') {
    error = "prefix length " + quote(s) + " has a leading zero";
    return false;
  }
  if (n > max) {
    error = "prefix length " + std::string(s) + " is greater than " + std::to_string(max) +
            ", the longest for " + (family == Family::v4 ? "IPv4" : "IPv6");
    return false;
  }
  out = n;
  return true;
}

// Text is written with stores of a fixed size that may run up to kOverrun bytes past what they
// write, the end moving by what counts: fewer branches than a character at a time. Buffers have
// room for that.
constexpr std::size_t kOverrun = 40;

/// The decimal text of 0 to 255 (an octet, a prefix length) in 3 characters, and its length.
struct DecimalTable {
  std::array<std::array<char, 4>, 256> text{};  // the digits, then their number
  constexpr DecimalTable() {
    for (unsigned v = 0; v < 256; ++v) {
      auto& t = text[v];
      const char digits = static_cast<char>(v >= 100 ? 3 : v >= 10 ? 2 : 1);
      unsigned rest = v;
      for (int i = digits - 1; i >= 0; --i, rest /= 10)
        t[static_cast<std::size_t>(i)] = static_cast<char>('0' + rest % 10);
      t[3] = digits;
    }
  }
};
constexpr DecimalTable kDecimal;

char* write_decimal(char* o, unsigned value) {
  const auto& t = kDecimal.text[value];
  std::copy(t.begin(), t.end(), o);
  return o + t[3];
}

/// A group of IPv6 text: 1 to 4 lowercase hex digits, no leading zero.
char* write_hex(char* o, unsigned value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const auto digits = static_cast<unsigned>(35 - __builtin_clz(value | 1)) / 4;
  const unsigned aligned = value << (4 * (4 - digits));  // the first digit in bits 15..12
  o[0] = kDigits[aligned >> 12 & 0xFu];
  o[1] = kDigits[aligned >> 8 & 0xFu];
  o[2] = kDigits[aligned >> 4 & 0xFu];
  o[3] = kDigits[aligned & 0xFu];
  return o + digits;
}

char* write_v4(char* o, std::uint32_t value) {
  o = write_decimal(o, value >> 24);
  *o++ = '.';
  o = write_decimal(o, value >> 16 & 0xFFu);
  *o++ = '.';
  o = write_decimal(o, value >> 8 & 0xFFu);
  *o++ = '.';
  return write_decimal(o, value & 0xFFu);
}

/// For each set of zero groups (bit i for group i), the run RFC 5952 §4.2 compresses: the
/// longest of two or more zero groups, the first on a tie; {8, 8} when there is none.
struct ZeroRunTable {
  struct Run {
    std::uint8_t first;
    std::uint8_t end;
  };
  std::array<Run, 256> run{};
  constexpr ZeroRunTable() {
    for (unsigned zeros = 0; zeros < 256; ++zeros) {
      Run best{8, 8};
      for (unsigned i = 0; i < 8;) {
        unsigned j = i;
        while (j < 8 && (zeros >> j & 1u) != 0) ++j;
        if (j - i >= 2 && j - i > static_cast<unsigned>(best.end - best.first)) {
          best = Run{static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(j)};
        }
        i = j == i ? i + 1 : j;
      }
      run[zeros] = best;
    }
  }
};
constexpr ZeroRunTable kZeroRuns;

/// IPv6 text: every group with a ':' after it, then what the zero run leaves of that moved into
/// place with two fixed-size copies.
char* write_v6(char* o, std::uint64_t hi, std::uint64_t lo) {
  char text[2 * kOverrun] = {};
  std::array<std::uint8_t, 9> at{};  // where each group starts in `text`, and where all end
  char* t = text;
  unsigned zeros = 0;
  for (unsigned i = 0; i < 8; ++i) {
    const auto group = static_cast<unsigned>((i < 4 ? hi : lo) >> (48 - 16 * (i % 4)) & 0xFFFFu);
    zeros |= static_cast<unsigned>(group == 0) << i;
    at[i] = static_cast<std::uint8_t>(t - text);
    t = write_hex(t, group);
    *t++ = ':';
  }
  at[8] = static_cast<std::uint8_t>(t - text);
  const auto run = kZeroRuns.run[zeros];
  std::copy(text, text + kOverrun, o);
  if (run.first == 8) return o + at[8] - 1;
  o += at[run.first];
  o[0] = ':';
  o[1] = ':';
  o += run.first == 0 ? 2 : 1;
  std::copy(text + at[run.end], text + at[run.end] + kOverrun, o);
  return o + (run.end == 8 ? 0 : at[8] - 1 - at[run.end]);
}

/// Canonical text of an address (at most 39 characters), with the mixed form for IPv4-mapped.
char* write_address(char* o, const Address& address) {
  if (address.family == Family::v4) return write_v4(o, static_cast<std::uint32_t>(address.lo));
  if (is_v4_mapped(address)) {
    for (char c : std::string_view("::ffff:")) *o++ = c;
    return write_v4(o, static_cast<std::uint32_t>(address.lo));
  }
  return write_v6(o, address.hi, address.lo);
}

char* write_prefix(char* o, const Prefix& prefix) {
  o = write_address(o, prefix.network());
  *o++ = '/';
  return write_decimal(o, prefix.length);
}

/// Room for the longest canonical prefix (39 characters of IPv6 and "/128") and the overrun.
constexpr std::size_t kPrefixBuffer = 43 + kOverrun;

}  // namespace

bool operator==(const Address& a, const Address& b) {
  return a.family == b.family && a.hi == b.hi && a.lo == b.lo;
}
bool operator!=(const Address& a, const Address& b) { return !(a == b); }
bool operator<(const Address& a, const Address& b) {
  return std::tie(a.family, a.hi, a.lo) < std::tie(b.family, b.hi, b.lo);
}
bool operator==(const Prefix& a, const Prefix& b) {
  return a.family == b.family && a.hi == b.hi && a.lo == b.lo && a.length == b.length;
}
bool operator!=(const Prefix& a, const Prefix& b) { return !(a == b); }
bool operator<(const Prefix& a, const Prefix& b) {
  return std::tie(a.family, a.hi, a.lo, a.length) < std::tie(b.family, b.hi, b.lo, b.length);
}

namespace {

/// Why text that the fast path refused is no address at all (empty, or a character no address
/// has); empty when the detailed parser must look closer.
std::string first_rejection(std::string_view text) {
  return text.empty() ? std::string("is empty") : forbidden_character(text);
}

}  // namespace

Parsed<Address> parse_address(std::string_view text) {
  Address fast;
  if (!text.empty() && detail::scan_address(text, fast) == text.size()) {
    Parsed<Address> result;
    result.value = fast;
    return result;
  }
  return detail::parse_address_detailed(text);
}

Parsed<Prefix> parse_prefix(std::string_view text, HostBits mode) {
  // The fast path takes valid text only; everything else, host bits included, goes the detailed
  // way, which says what is wrong.
  Prefix fast;
  if (!text.empty() && detail::scan_prefix(text, mode, fast) == text.size()) {
    Parsed<Prefix> result;
    result.value = fast;
    return result;
  }
  return detail::parse_prefix_detailed(text, mode);
}

Parsed<Address> detail::parse_address_detailed(std::string_view text) {
  Parsed<Address> result;
  result.error = first_rejection(text);
  if (!result.error.empty()) return result;
  if (text.find('/') != std::string_view::npos) {
    result.error = "is a prefix ('/'), not a single address";
    return result;
  }
  Address address;
  if (parse_address_checked(text, address, result.error)) result.value = address;
  return result;
}

Parsed<Prefix> detail::parse_prefix_detailed(std::string_view text, HostBits mode) {
  Parsed<Prefix> result;
  result.error = first_rejection(text);
  if (!result.error.empty()) return result;
  const std::size_t slash = text.find('/');
  if (slash != std::string_view::npos && text.find('/', slash + 1) != std::string_view::npos) {
    result.error = "has more than one '/'";
    return result;
  }
  if (slash == 0) {
    result.error = "has no address before '/'";
    return result;
  }
  Address address;
  if (!parse_address_checked(text.substr(0, slash), address, result.error)) return result;
  unsigned length = max_length(address.family);
  if (slash != std::string_view::npos &&
      !parse_length_checked(text.substr(slash + 1), address.family, length, result.error)) {
    return result;
  }
  Prefix prefix = *make_prefix(address, length);
  if (mode == HostBits::reject && prefix.network() != address) {
    result.error = "has host bits set after the first " + std::to_string(length) +
                   " bits: the network is " + to_string(prefix);
    return result;
  }
  result.error.clear();
  result.value = prefix;
  return result;
}

Parsed<unsigned> parse_length(std::string_view digits, Family family) {
  Parsed<unsigned> result;
  result.error = forbidden_character(digits);
  unsigned length = 0;
  if (result.error.empty() && parse_length_checked(digits, family, length, result.error)) {
    result.value = length;
  }
  return result;
}

std::optional<Prefix> make_prefix(const Address& address, unsigned length) {
  if (length > max_length(address.family)) return std::nullopt;
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  network_mask(address.family, length, hi, lo);
  return Prefix{address.hi & hi, address.lo & lo, address.family,
                static_cast<std::uint8_t>(length)};
}

Address last_address(const Prefix& prefix) {
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  network_mask(prefix.family, prefix.length, hi, lo);
  if (prefix.family == Family::v4)
    return Address::v4(static_cast<std::uint32_t>(prefix.lo | (~lo & 0xFFFFFFFFull)));
  return Address::v6(prefix.hi | ~hi, prefix.lo | ~lo);
}

bool contains(const Prefix& prefix, const Address& address) {
  if (prefix.family != address.family) return false;
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  network_mask(prefix.family, prefix.length, hi, lo);
  return (address.hi & hi) == prefix.hi && (address.lo & lo) == prefix.lo;
}

bool contains(const Prefix& outer, const Prefix& inner) {
  return inner.length >= outer.length && contains(outer, inner.network());
}

bool is_v4_mapped(const Address& address) {
  return address.family == Family::v6 && address.hi == 0 && address.lo >> 32 == 0xFFFFu;
}

Address unmap(const Address& address) {
  return is_v4_mapped(address) ? Address::v4(static_cast<std::uint32_t>(address.lo & 0xFFFFFFFFull))
                               : address;
}

std::string to_string(const Address& address) {
  char buffer[kPrefixBuffer];
  return std::string(buffer, write_address(buffer, address));
}

std::string to_string(const Prefix& prefix) {
  char buffer[kPrefixBuffer];
  return std::string(buffer, write_prefix(buffer, prefix));
}

std::string to_text(const std::vector<Prefix>& prefixes) {
  // Written in place into a string as long as the longest text these prefixes can have, then
  // cut to what was written. An IPv6 address has at most (length + 15) / 16 groups that are not
  // zero, and the zeros after them are compressed, or number one: 5 characters a group and
  // 2 more at most, then "/128\n".
  std::size_t bound = kOverrun;
  for (const Prefix& p : prefixes)
    bound += p.family == Family::v4 ? 19 : 5 * ((p.length + 15u) / 16) + 7;
  std::string out(bound, '\0');
  char* const begin = &out[0];
  char* o = begin;
  for (const Prefix& p : prefixes) {
    o = write_prefix(o, p);
    *o++ = '\n';
  }
  out.resize(static_cast<std::size_t>(o - begin));
  return out;
}

}  // namespace relaycheck::ip
