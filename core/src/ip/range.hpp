#pragma once
/// Private to ip/ (other modules include prefix_set.hpp, which only names these types): the
/// ranges a PrefixSet keeps, the 128-bit integer that IPv6 ranges need, what the range
/// algorithms need to know about each family, and the plain sort of ranges, which short lists
/// take and which the radix sorts (radix_sort.hpp) are tested against.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "ip/ip.hpp"

namespace relaycheck::ip::detail {

__extension__ typedef unsigned __int128 uint128;

/// An inclusive range of IPv4 addresses (inclusive, so that 255.255.255.255 needs no 33rd bit).
struct Range4 {
  std::uint32_t first;
  std::uint32_t last;
};

/// An inclusive range of IPv6 addresses.
struct Range6 {
  uint128 first;
  uint128 last;
};

/// What the range algorithms need to know about one family's integer type.
template <class Range>
struct Traits;

template <>
struct Traits<Range4> {
  using U = std::uint32_t;
  static constexpr unsigned bits = 32;
  static constexpr unsigned aligned_step = 8;
  static U from(const Prefix& p) { return static_cast<U>(p.lo); }
  static Prefix to_prefix(U value, unsigned length) {
    return Prefix{0, value, Family::v4, static_cast<std::uint8_t>(length)};
  }
  static unsigned ctz(U v) { return v == 0 ? bits : static_cast<unsigned>(__builtin_ctz(v)); }
  static unsigned clz(U v) { return v == 0 ? bits : static_cast<unsigned>(__builtin_clz(v)); }
};

template <>
struct Traits<Range6> {
  using U = uint128;
  static constexpr unsigned bits = 128;
  static constexpr unsigned aligned_step = 16;
  static U from(const Prefix& p) { return static_cast<U>(p.hi) << 64 | p.lo; }
  static Prefix to_prefix(U value, unsigned length) {
    return Prefix{static_cast<std::uint64_t>(value >> 64), static_cast<std::uint64_t>(value),
                  Family::v6, static_cast<std::uint8_t>(length)};
  }
  static unsigned ctz(U v) {
    const auto low = static_cast<std::uint64_t>(v);
    const auto high = static_cast<std::uint64_t>(v >> 64);
    if (low != 0) return static_cast<unsigned>(__builtin_ctzll(low));
    return high == 0 ? bits : 64 + static_cast<unsigned>(__builtin_ctzll(high));
  }
  static unsigned clz(U v) {
    const auto low = static_cast<std::uint64_t>(v);
    const auto high = static_cast<std::uint64_t>(v >> 64);
    if (high != 0) return static_cast<unsigned>(__builtin_clzll(high));
    return low == 0 ? bits : 64 + static_cast<unsigned>(__builtin_clzll(low));
  }
};

template <class Range>
using U = typename Traits<Range>::U;

template <class Range>
inline constexpr U<Range> kMax = static_cast<U<Range>>(~U<Range>{0});

/// Sorts ranges by first address with std::sort: the reference sort.
template <class Range>
void sort_by_first(std::vector<Range>& ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const Range& a, const Range& b) { return a.first < b.first; });
}

}  // namespace relaycheck::ip::detail
