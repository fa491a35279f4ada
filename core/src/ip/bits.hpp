#pragma once
/// Private to ip/: the network masks and hex digit values that the detailed parser (ip.cpp) and
/// the fast scanner (scan_fast.cpp) share.

#include <array>
#include <cstddef>
#include <cstdint>

#include "ip/ip.hpp"

namespace relaycheck::ip::detail {

/// The value of a hex digit (either case), or -1.
constexpr int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// hex_digit for every byte, as a table: the parsers' innermost loop.
struct HexTable {
  std::array<std::int8_t, 256> value{};
  constexpr HexTable() {
    for (int c = 0; c < 256; ++c) {
      value[static_cast<std::size_t>(c)] =
          static_cast<std::int8_t>(hex_digit(static_cast<char>(c)));
    }
  }
};
inline constexpr HexTable kHex;

inline int hex_value(char c) { return kHex.value[static_cast<unsigned char>(c)]; }

/// The mask of the first `length` bits of a 128-bit value split into two halves.
inline void mask_bits(unsigned length, std::uint64_t& hi, std::uint64_t& lo) {
  hi = length == 0 ? 0 : length >= 64 ? ~0ull : ~0ull << (64 - length);
  lo = length <= 64 ? 0 : length >= 128 ? ~0ull : ~0ull << (128 - length);
}

/// The network mask of a prefix of `length` bits in `family`, in Address layout.
inline void network_mask(Family family, unsigned length, std::uint64_t& hi, std::uint64_t& lo) {
  if (family == Family::v4) {
    hi = 0;
    lo = length == 0 ? 0 : (0xFFFFFFFFull << (32 - length)) & 0xFFFFFFFFull;
  } else {
    mask_bits(length, hi, lo);
  }
}

}  // namespace relaycheck::ip::detail
