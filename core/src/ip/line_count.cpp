#include "ip/line_count.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "ip/tier_up.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace relaycheck::ip::detail {
namespace {

/// The count so far.
struct LineCount {
  std::size_t lines = 0;       ///< newlines
  std::size_t with_colon = 0;  ///< newlines that end a line with a ':'
  std::uint64_t colon = 0;     ///< 1 when the line still open has a ':'
};

/// Bit 7 of every byte of `word` that is `c`, and no other bit.
std::uint64_t bytes_equal(std::uint64_t word, unsigned char c) {
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;
  const std::uint64_t x = word ^ (0x0101010101010101ull * c);
  return ~(((x & kLow7) + kLow7) | x) & ~kLow7;
}

/// The number of bytes whose bit 7 is set in a mask from `bytes_equal`.
std::size_t high_bit_count(std::uint64_t mask) {
  return static_cast<std::size_t>(((mask >> 7) * 0x0101010101010101ull) >> 56);
}

/// Adds to `count` the newlines among the bits of `newlines` (one a byte, in text order, so
/// that a carry runs from a byte to the next) and those that end a line with a ':': in a word
/// whose bits are all 1 but at newlines, adding the colons' bits makes each colon's carry run
/// up its line to the newline that ends it (the carry out of the word is the open line's).
template <class Count>
void add_lines(std::uint64_t newlines, std::uint64_t colons, LineCount& count, Count bits_set) {
  const std::uint64_t open = ~newlines;
  const std::uint64_t sum = open + colons;
  const std::uint64_t carried = sum + count.colon;
  count.colon = (sum < open) | (carried < sum);
  count.lines += bits_set(newlines);
  count.with_colon += bits_set(carried & newlines);
}

/// Adds the lines of `words` 8-byte words at `p` to `count`, without a branch a byte. A function
/// of its own, called a block at a time (tier_up.hpp).
__attribute__((noinline)) void count_words(const char* p, std::size_t words, LineCount& count) {
  std::size_t i = 0;
#if defined(__SSE2__)
  // 64 bytes at a time, a bit a byte: a quarter of the work of 8-byte words.
  const auto bits_set = [](std::uint64_t v) {  // without -mpopcnt, __builtin_popcountll is a call
    v -= v >> 1 & 0x5555555555555555ull;
    v = (v & 0x3333333333333333ull) + (v >> 2 & 0x3333333333333333ull);
    v = (v + (v >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return static_cast<std::size_t>((v * 0x0101010101010101ull) >> 56);
  };
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i colon = _mm_set1_epi8(':');
  for (; i + 8 <= words; i += 8) {
    std::uint64_t newlines = 0;
    std::uint64_t colons = 0;
    for (int k = 0; k < 4; ++k) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 8 * i + 16 * k));
      newlines |= static_cast<std::uint64_t>(
                      static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, newline))))
                  << (16 * k);
      colons |= static_cast<std::uint64_t>(
                    static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, colon))))
                << (16 * k);
    }
    add_lines(newlines, colons, count, bits_set);
  }
#endif
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "carries must run in text order");
  for (; i < words; ++i) {
    std::uint64_t word;
    std::memcpy(&word, p + 8 * i, 8);
    add_lines(bytes_equal(word, '\n'), bytes_equal(word, ':'), count, high_bit_count);
  }
}

}  // namespace

LineCounts count_lines(std::string_view text) {
  LineCount count;
  const std::size_t words = text.size() / 8;
  for (std::size_t w = 0; w < words; w += kTierUpBlock) {
    count_words(text.data() + 8 * w, std::min(kTierUpBlock, words - w), count);
  }
  char tail[8] = {};
  std::copy(text.begin() + 8 * words, text.end(), tail);
  count_words(tail, 1, count);
  if (!text.empty() && text.back() != '\n') {
    ++count.lines;
    count.with_colon += count.colon;
  }
  return LineCounts{count.lines, count.with_colon};
}

}  // namespace relaycheck::ip::detail
