#include "ip/radix_sort.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>

#include "ip/tier_up.hpp"

namespace relaycheck::ip::detail {
namespace {

/// The bits of `value` from bit `shift` up that `mask` keeps, in 64-bit halves (WebAssembly has
/// no 128-bit shift but a call to a library function).
std::size_t digit_at(uint128 value, unsigned shift, std::uint32_t mask) {
  const auto high = static_cast<std::uint64_t>(value >> 64);
  const auto low = static_cast<std::uint64_t>(value);
  const std::uint64_t bits = shift >= 64  ? high >> (shift - 64)
                             : shift == 0 ? low
                                          : low >> shift | high << (64 - shift);
  return static_cast<std::size_t>(bits & mask);
}

void insertion_sort(Range6* ranges, std::size_t n) {
  for (std::size_t i = 1; i < n; ++i) {
    const Range6 r = ranges[i];
    std::size_t j = i;
    for (; j > 0 && r.first < ranges[j - 1].first; --j) ranges[j] = ranges[j - 1];
    ranges[j] = r;
  }
}

/// How many bits, from the highest in which the first addresses of `n` ranges differ down, vary
/// (0 when all are alike).
unsigned varying_bits(const Range6* ranges, std::size_t n) {
  uint128 any = 0;
  uint128 all = kMax<Range6>;
  for (std::size_t i = 0; i < n; ++i) {
    any |= ranges[i].first;
    all &= ranges[i].first;
  }
  return Traits<Range6>::bits - Traits<Range6>::clz(any ^ all);
}

/// Sorts the `n` ranges at `ranges` by first address, with a radix pass on the highest bits in
/// which they differ through `scratch` (room for `n`), then each bucket that holds more than a
/// few the same way, then one insertion sort of the whole, which only has the ranges of small
/// buckets to move, and only within their bucket. A function of its own, called once a bucket
/// (tier_up.hpp).
__attribute__((noinline)) void radix_sort_via_scratch(Range6* ranges, Range6* scratch,
                                                      std::size_t n) {
  const unsigned varying = varying_bits(ranges, n);
  if (varying == 0) return;  // all alike: any order is sorted
  // As many bits as leave about one range a bucket, when few enough to stay in cache.
  constexpr unsigned kMaxWidth = 11;
  const unsigned width =
      std::min({varying, kMaxWidth, static_cast<unsigned>(64 - __builtin_clzll(n))});
  const unsigned shift = varying - width;
  const std::uint32_t mask = (1u << width) - 1;
  std::uint32_t next[1 << kMaxWidth];
  std::fill_n(next, mask + 1, 0);
  for (std::size_t i = 0; i < n; ++i) ++next[digit_at(ranges[i].first, shift, mask)];
  std::uint32_t sum = 0;
  for (std::uint32_t b = 0; b <= mask; ++b) sum += std::exchange(next[b], sum);
  for (std::size_t i = 0; i < n; ++i)
    scratch[next[digit_at(ranges[i].first, shift, mask)]++] = ranges[i];
  std::copy(scratch, scratch + n, ranges);
  // next[b] is now where bucket b ends.
  constexpr std::size_t kInsertionMax = 16;
  std::size_t begin = 0;
  for (std::uint32_t b = 0; b <= mask; ++b) {
    if (next[b] - begin > kInsertionMax) {
      radix_sort_via_scratch(ranges + begin, scratch + begin, next[b] - begin);
    }
    begin = next[b];
  }
  insertion_sort(ranges, n);
}

/// Moves the ranges that are not yet in place in bucket `b` (from `next[b]` to `end[b]`) to
/// theirs, following each cycle of moves back to `b`. A function of its own, called once a
/// bucket (tier_up.hpp).
__attribute__((noinline)) void place_bucket(Range6* ranges, std::uint32_t b, unsigned shift,
                                            std::uint32_t mask, std::size_t* next,
                                            const std::size_t* end) {
  while (next[b] < end[b]) {
    Range6 r = ranges[next[b]];
    for (std::size_t d = digit_at(r.first, shift, mask); d != b;
         d = digit_at(r.first, shift, mask)) {
      std::swap(r, ranges[next[d]++]);
    }
    ranges[next[b]++] = r;
  }
}

/// Sorts the `n` ranges at `ranges` in place: a radix pass on their 8 highest differing bits
/// that moves every range into its bucket by following cycles (American flag sort), then each
/// bucket, through `scratch` (room for `room` ranges) when it fits there. The scratch stays in
/// cache from bucket to bucket, where one as large as the list would cost a second copy of it.
void radix_sort_in_place(Range6* ranges, std::size_t n, Range6* scratch, std::size_t room) {
  const unsigned varying = varying_bits(ranges, n);
  if (varying == 0) return;
  const unsigned width = std::min(varying, 8u);
  const unsigned shift = varying - width;
  const std::uint32_t mask = (1u << width) - 1;
  std::size_t next[256] = {};
  std::size_t end[256];
  for (std::size_t i = 0; i < n; ++i) ++next[digit_at(ranges[i].first, shift, mask)];
  std::size_t sum = 0;
  for (std::uint32_t b = 0; b <= mask; ++b) {
    sum += std::exchange(next[b], sum);
    end[b] = sum;
  }
  for (std::uint32_t b = 0; b <= mask; ++b) place_bucket(ranges, b, shift, mask, next, end);
  std::size_t begin = 0;
  for (std::uint32_t b = 0; b <= mask; ++b) {
    const std::size_t size = end[b] - begin;
    if (size > room) {
      radix_sort_in_place(ranges + begin, size, scratch, room);
    } else if (size > 1) {
      radix_sort_via_scratch(ranges + begin, scratch, size);
    }
    begin = end[b];
  }
}

/// One least-significant-digit pass: moves `n` ranges from `from` to `to` in the order of the
/// 11 bits of their first address from `shift` up, keeping the order of equal digits. `next`
/// holds where each digit's ranges start and is advanced. A function of its own, called a block
/// at a time (tier_up.hpp).
__attribute__((noinline)) void scatter_by_digit(const Range4* from, std::size_t n, Range4* to,
                                                unsigned shift, std::uint32_t* next) {
  for (std::size_t i = 0; i < n; ++i) to[next[from[i].first >> shift & 0x7FFu]++] = from[i];
}

}  // namespace

/// IPv4 ranges: least-significant-digit radix passes on 11, 11 and 10 bits through a scratch
/// copy, counted in one pass; a digit that every range shares takes no pass.
void radix_sort(std::vector<Range4>& ranges) {
  const std::size_t n = ranges.size();
  if (n < 2) return;
  if (n > UINT32_MAX) {  // counts are 32 bits
    sort_by_first(ranges);
    return;
  }
  constexpr unsigned kWidth = 11;
  constexpr unsigned kPasses = 3;
  std::uint32_t next[kPasses][1u << kWidth] = {};
  for (const Range4& r : ranges) {
    for (unsigned pass = 0; pass < kPasses; ++pass)
      ++next[pass][r.first >> (kWidth * pass) & 0x7FFu];
  }
  const std::unique_ptr<Range4[]> scratch(new Range4[n]);
  Range4* from = ranges.data();
  Range4* to = scratch.get();
  for (unsigned pass = 0; pass < kPasses; ++pass) {
    const unsigned shift = kWidth * pass;
    std::uint32_t* counts = next[pass];
    if (counts[from[0].first >> shift & 0x7FFu] == n) continue;
    std::uint32_t sum = 0;
    for (std::uint32_t d = 0; d < (1u << kWidth); ++d) sum += std::exchange(counts[d], sum);
    for (std::size_t i = 0; i < n; i += kTierUpBlock) {
      scatter_by_digit(from + i, std::min(kTierUpBlock, n - i), to, shift, counts);
    }
    std::swap(from, to);
  }
  if (from != ranges.data()) std::copy(from, from + n, ranges.data());
}

/// IPv6 ranges: an in-place radix pass, then radix sorts of each bucket through a small scratch.
void radix_sort(std::vector<Range6>& ranges) {
  if (ranges.size() < 2) return;
  constexpr std::size_t kScratch = std::size_t{1} << 15;
  const std::size_t room = std::min(ranges.size(), kScratch);
  const std::unique_ptr<Range6[]> scratch(new Range6[room]);
  radix_sort_in_place(ranges.data(), ranges.size(), scratch.get(), room);
}

}  // namespace relaycheck::ip::detail
