#include "ip/scan_fast.hpp"

#include <algorithm>
#include <cstdint>

#include "ip/bits.hpp"

namespace relaycheck::ip::detail {
namespace {

// The fast path: valid text in its common forms, read in one pass without allocating. It reads
// a window of kWindow bytes from where the entry starts (the text itself when that much is left,
// a zero-padded copy otherwise: a zero byte ends an entry as the end of the text does), so that
// a group of digits is read whole, without a branch a character. Each scanner returns where it
// stopped, or nullptr when the text is not in the common form; the detailed parser (ip.cpp) then
// says what is wrong (or accepts an unusual valid form).

/// More than the fast path ever reads: 39 characters of IPv6, "/128" and a few looked ahead.
constexpr std::size_t kWindow = 64;

/// The value of a decimal digit, or 10 and more for any other character.
unsigned decimal_value(char c) {
  return static_cast<unsigned>(static_cast<unsigned char>(c)) - '0';
}

/// Reads the decimal number at `p`: returns its digits (1 to 3, the first not '0' unless it is
/// the only one, and no digit after them) and sets `value`; 0 when there is no such number.
unsigned scan_decimal(const char* p, unsigned& value) {
  const unsigned d0 = decimal_value(p[0]);
  const unsigned d1 = decimal_value(p[1]);
  const unsigned d2 = decimal_value(p[2]);
  const bool one = d0 < 10;
  const bool two = one & (d1 < 10);
  const bool three = two & (d2 < 10);
  // Masks rather than conditions: the number of digits is random from line to line.
  const unsigned v2 = d0 * 10 + d1;
  const unsigned v3 = v2 * 10 + d2;
  value = d0 ^ ((d0 ^ v2) & (0u - two)) ^ ((v2 ^ v3) & (0u - three));
  const bool leading_zero = two & (d0 == 0);
  const bool four = three & (decimal_value(p[3]) < 10);
  return leading_zero || four ? 0 : static_cast<unsigned>(one) + two + three;
}

/// Reads the hex digits at `p`: returns how many there are, up to 5 (a group has at most 4),
/// and sets `value` to the number when they are 1 to 4.
unsigned scan_hex(const char* p, unsigned& value) {
  const int h0 = hex_value(p[0]);
  const int h1 = hex_value(p[1]);
  const int h2 = hex_value(p[2]);
  const int h3 = hex_value(p[3]);
  const int h4 = hex_value(p[4]);
  const unsigned all =
      static_cast<unsigned>((h0 & 15) << 12 | (h1 & 15) << 8 | (h2 & 15) << 4 | (h3 & 15));
  // Four digits, the common group (15 in 16 random ones): a branch the processor predicts, so
  // that it reads on without waiting for the count.
  if ((h0 | h1 | h2 | h3) >= 0 && h4 < 0) {
    value = all;
    return 4;
  }
  // Not a digit is -1, so an OR of values is negative from the first non-digit on.
  const unsigned n = static_cast<unsigned>(h0 >= 0) + ((h0 | h1) >= 0) + ((h0 | h1 | h2) >= 0) +
                     ((h0 | h1 | h2 | h3) >= 0) + ((h0 | h1 | h2 | h3 | h4) >= 0);
  value = all >> (4 * ((4 - n) & 3));
  return n;
}

/// A dotted quad: four decimal octets of 1 to 3 digits, no leading zero, at most 255.
const char* scan_v4(const char* p, std::uint32_t& out) {
  std::uint32_t value = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (*p != '.') return nullptr;
      ++p;
    }
    unsigned n = 0;
    const unsigned digits = scan_decimal(p, n);
    if (digits == 0 || n > 255) return nullptr;
    p += digits;
    value = value << 8 | n;
  }
  out = value;
  return p;
}

/// IPv6 text of hex groups with at most one `::` (no embedded IPv4: that takes the detailed path).
const char* scan_v6(const char* p, std::uint64_t& hi, std::uint64_t& lo) {
  // The groups read since the start or since '::', as one number, and those before '::'.
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  std::uint64_t head_high = 0;
  std::uint64_t head_low = 0;
  constexpr unsigned kNoGap = 9;  // more than 8 groups, which never stand before a gap
  unsigned count = 0;
  unsigned gap = kNoGap;  // the number of groups before '::'
  if (p[0] == ':' && p[1] == ':') {
    gap = 0;
    p += 2;
  }
  for (;;) {
    unsigned value = 0;
    const unsigned digits = scan_hex(p, value);
    if (digits == 0) break;
    if (digits > 4 || count == 8 || p[digits] == '.') return nullptr;
    p += digits;
    high = high << 16 | low >> 48;
    low = low << 16 | value;
    ++count;
    if (*p != ':') break;
    ++p;
    if (*p == ':') {
      if (gap != kNoGap) return nullptr;
      gap = count;
      head_high = high;
      head_low = low;
      high = 0;
      low = 0;
      ++p;
    } else if (hex_value(*p) < 0) {
      return nullptr;  // a single ':' at the end
    }
  }
  if (gap == kNoGap ? count != 8 : count > 7) return nullptr;
  if (gap != kNoGap && gap != 0) {
    // The head goes above the zeros that '::' stands for and the groups after it.
    const unsigned shift = 16 * (8 - gap);
    if (shift >= 64) {
      head_high = head_low << (shift - 64);
      head_low = 0;
    } else {
      head_high = head_high << shift | head_low >> (64 - shift);
      head_low <<= shift;
    }
    high |= head_high;
    low |= head_low;
  }
  hi = high;
  lo = low;
  return p;
}

/// An address: IPv4 when a decimal number and '.' start it, IPv6 otherwise.
const char* scan_address_window(const char* p, Address& out) {
  unsigned octet = 0;
  const unsigned digits = scan_decimal(p, octet);
  if (digits != 0 && p[digits] == '.') {
    std::uint32_t v4 = 0;
    p = scan_v4(p, v4);
    out = Address::v4(v4);
    return p;
  }
  out.family = Family::v6;
  return scan_v6(p, out.hi, out.lo);
}

/// A prefix or an address at the start of a window.
const char* scan_prefix_window(const char* p, HostBits mode, Prefix& out) {
  Address address;
  p = scan_address_window(p, address);
  if (p == nullptr) return nullptr;
  unsigned length = max_length(address.family);
  if (*p == '/') {
    ++p;
    unsigned n = 0;
    const unsigned digits = scan_decimal(p, n);
    if (digits == 0 || n > length) return nullptr;
    p += digits;
    length = n;
  }
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  network_mask(address.family, length, hi, lo);
  const Prefix prefix{address.hi & hi, address.lo & lo, address.family,
                      static_cast<std::uint8_t>(length)};
  if (mode == HostBits::reject && (prefix.hi != address.hi || prefix.lo != address.lo))
    return nullptr;
  out = prefix;
  return p;
}

/// Runs `scan` on a window at the start of `text`; returns the characters it read, or 0.
template <class Scan>
std::size_t scan_window(std::string_view text, Scan scan) {
  if (text.size() >= kWindow) {
    const char* end = scan(text.data());
    return end == nullptr ? 0 : static_cast<std::size_t>(end - text.data());
  }
  char window[kWindow] = {};
  std::copy(text.begin(), text.end(), window);
  const char* end = scan(static_cast<const char*>(window));
  return end == nullptr ? 0 : static_cast<std::size_t>(end - window);
}

}  // namespace

std::size_t scan_address(std::string_view text, Address& out) {
  return scan_window(text, [&](const char* p) { return scan_address_window(p, out); });
}

std::size_t scan_prefix(std::string_view text, HostBits mode, Prefix& out) {
  return scan_window(text, [&](const char* p) { return scan_prefix_window(p, mode, out); });
}

}  // namespace relaycheck::ip::detail
