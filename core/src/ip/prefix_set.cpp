#include "ip/prefix_set.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace relaycheck::ip {
namespace {

using detail::Range4;
using detail::Range6;
using detail::uint128;

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
constexpr U<Range> kMax = static_cast<U<Range>>(~U<Range>{0});

/// 2^k - 1 (the host part of a block of 2^k addresses), for k up to the family's width.
template <class Range>
U<Range> low_ones(unsigned k);

template <>
std::uint32_t low_ones<Range4>(unsigned k) {
  return k >= 32 ? ~std::uint32_t{0} : (std::uint32_t{1} << k) - 1;
}

/// 2^k - 1 for k up to 64, without a branch.
std::uint64_t low_ones64(unsigned k) {
  return ((1ull << (k & 63)) - 1) | (0 - std::uint64_t{k >> 6});
}

/// In 64-bit halves: WebAssembly has no 128-bit shift but a call to a library function.
template <>
uint128 low_ones<Range6>(unsigned k) {
  return static_cast<uint128>(low_ones64(std::max(k, 64u) - 64)) << 64 |
         low_ones64(std::min(k, 64u));
}

template <class Range>
Range to_range(const Prefix& p) {
  const U<Range> first = Traits<Range>::from(p);
  return Range{first, first | low_ones<Range>(Traits<Range>::bits - p.length)};
}

/// Appends `r` to sorted `out`, merging it with the last range when they overlap or touch.
template <class Range>
void append(std::vector<Range>& out, const Range& r) {
  if (!out.empty()) {
    Range& back = out.back();
    if (back.last == kMax<Range> || r.first <= back.last + 1) {
      back.last = std::max(back.last, r.last);
      return;
    }
  }
  out.push_back(r);
}

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
/// buckets to move, and only within their bucket. A function of its own, called once a bucket,
/// so that V8 optimises it early.
__attribute__((noinline)) void radix_sort(Range6* ranges, Range6* scratch, std::size_t n) {
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
    if (next[b] - begin > kInsertionMax)
      radix_sort(ranges + begin, scratch + begin, next[b] - begin);
    begin = next[b];
  }
  insertion_sort(ranges, n);
}

/// Moves the ranges that are not yet in place in bucket `b` (from `next[b]` to `end[b]`) to
/// theirs, following each cycle of moves back to `b`. Called once a bucket, so that V8
/// optimises it early.
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
      radix_sort(ranges + begin, scratch, size);
    }
    begin = end[b];
  }
}

/// Lists this long sort by radix passes (linear time, where std::sort of a million ranges takes
/// tens of milliseconds); shorter ones take std::sort.
constexpr std::size_t kRadixFrom = 4096;

template <class Range>
void sort_by_first(std::vector<Range>& ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const Range& a, const Range& b) { return a.first < b.first; });
}

/// One least-significant-digit pass: moves `n` ranges from `from` to `to` in the order of the
/// 11 bits of their first address from `shift` up, keeping the order of equal digits. `next`
/// holds where each digit's ranges start and is advanced. Called a chunk at a time, so that V8
/// optimises it early.
__attribute__((noinline)) void scatter_by_digit(const Range4* from, std::size_t n, Range4* to,
                                                unsigned shift, std::uint32_t* next) {
  for (std::size_t i = 0; i < n; ++i) to[next[from[i].first >> shift & 0x7FFu]++] = from[i];
}

/// IPv4 ranges: least-significant-digit radix passes on 11, 11 and 10 bits through a scratch
/// copy, counted in one pass; a digit that every range shares takes no pass.
void sort_ranges(std::vector<Range4>& ranges) {
  const std::size_t n = ranges.size();
  if (n < kRadixFrom || n > UINT32_MAX) {  // counts are 32 bits
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
    constexpr std::size_t kChunk = 4096;
    for (std::size_t i = 0; i < n; i += kChunk)
      scatter_by_digit(from + i, std::min(kChunk, n - i), to, shift, counts);
    std::swap(from, to);
  }
  if (from != ranges.data()) std::copy(from, from + n, ranges.data());
}

/// IPv6 ranges: an in-place radix pass, then radix sorts of each bucket through a small scratch.
void sort_ranges(std::vector<Range6>& ranges) {
  if (ranges.size() < kRadixFrom) {
    sort_by_first(ranges);
    return;
  }
  constexpr std::size_t kScratch = std::size_t{1} << 15;
  const std::size_t room = std::min(ranges.size(), kScratch);
  const std::unique_ptr<Range6[]> scratch(new Range6[room]);
  radix_sort_in_place(ranges.data(), ranges.size(), scratch.get(), room);
}

/// Sorts and merges in place: one sort, one linear pass.
template <class Range>
void normalize(std::vector<Range>& ranges) {
  sort_ranges(ranges);
  std::size_t out = 0;
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    const Range& r = ranges[i];
    if (out > 0) {
      Range& back = ranges[out - 1];
      if (back.last == kMax<Range> || r.first <= back.last + 1) {
        back.last = std::max(back.last, r.last);
        continue;
      }
    }
    ranges[out++] = r;
  }
  ranges.resize(out);
  ranges.shrink_to_fit();
}

template <class Range>
std::vector<Range> unite_ranges(const std::vector<Range>& a, const std::vector<Range>& b) {
  std::vector<Range> out;
  out.reserve(a.size() + b.size());
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].first <= b[j].first)) {
      append(out, a[i++]);
    } else {
      append(out, b[j++]);
    }
  }
  out.shrink_to_fit();
  return out;
}

template <class Range>
std::vector<Range> intersect_ranges(const std::vector<Range>& a, const std::vector<Range>& b) {
  std::vector<Range> out;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const auto first = std::max(a[i].first, b[j].first);
    const auto last = std::min(a[i].last, b[j].last);
    if (first <= last) out.push_back(Range{first, last});
    if (a[i].last < b[j].last) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

template <class Range>
std::vector<Range> subtract_ranges(const std::vector<Range>& a, const std::vector<Range>& b) {
  std::vector<Range> out;
  std::size_t j = 0;
  for (const Range& r : a) {
    while (j < b.size() && b[j].last < r.first) ++j;
    auto first = r.first;
    bool consumed = false;
    std::size_t k = j;
    for (; k < b.size() && b[k].first <= r.last; ++k) {
      if (b[k].first > first) out.push_back(Range{first, b[k].first - 1});
      if (b[k].last >= r.last) {
        consumed = true;
        break;
      }
      first = b[k].last + 1;
    }
    if (!consumed) out.push_back(Range{first, r.last});
    j = k;
  }
  return out;
}

/// The range that could hold `value` (the last one starting at or before it), by a binary
/// search whose steps are conditional moves rather than branches (look-ups of random addresses
/// would mispredict half of the branches), prefetching the next step's two candidates.
template <class Range>
const Range* find_range(const std::vector<Range>& ranges, U<Range> value) {
  if (ranges.empty() || value < ranges.front().first) return nullptr;
  const Range* base = ranges.data();
  std::size_t n = ranges.size();
  while (n > 1) {
    const std::size_t half = n / 2;
    // Fetch both candidates of the next step while this one's comparison waits for memory.
    __builtin_prefetch(base + half / 2);
    __builtin_prefetch(base + half + half / 2);
    base = base[half].first <= value ? base + half : base;
    n -= half;
  }
  return value <= base->last ? base : nullptr;
}

/// Splits one range into the fewest aligned blocks, each at most `max_length` bits long and of
/// a length that is a multiple of `step`: step 1 gives the minimal CIDR cover.
template <class Range>
void append_blocks(std::vector<Prefix>& out, const Range& r, unsigned step) {
  constexpr unsigned bits = Traits<Range>::bits;
  auto first = r.first;
  for (;;) {
    // The largest block that starts at `first` (alignment) and ends by `r.last` (size).
    const auto span = r.last - first;  // addresses - 1
    const unsigned fits = span == kMax<Range> ? bits : bits - 1 - Traits<Range>::clz(span + 1);
    unsigned k = std::min(Traits<Range>::ctz(first), fits);
    // Octet alignment: a host part of k bits must leave a length that is a non-zero multiple
    // of step (Sendmail cannot write /0 either).
    k -= (bits - k) % step == 0 ? 0 : step - (bits - k) % step;
    if (step > 1) k = std::min(k, bits - step);
    out.push_back(Traits<Range>::to_prefix(first, bits - k));
    const auto end = first + low_ones<Range>(k);
    if (end == r.last) return;
    first = end + 1;
  }
}

template <class Range>
void append_prefixes(std::vector<Prefix>& out, const std::vector<Range>& ranges, unsigned step) {
  for (const Range& r : ranges) append_blocks(out, r, step);
}

/// Decimal text of `count_minus_one + 1`, so that 2^128 needs no 129th bit.
std::string decimal_plus_one(uint128 count_minus_one) {
  std::string digits;
  do {
    digits += static_cast<char>('0' + static_cast<int>(count_minus_one % 10));
    count_minus_one /= 10;
  } while (count_minus_one != 0);
  // Add one to the reversed digits, carrying.
  std::size_t i = 0;
  for (; i < digits.size() && digits[i] == '9'; ++i) digits[i] = '0';
  if (i == digits.size()) {
    digits += '1';
  } else {
    ++digits[i];
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

/// The sum of the sizes of `ranges`, as count - 1; nullopt when the set is empty.
template <class Range>
std::optional<uint128> size_minus_one(const std::vector<Range>& ranges) {
  if (ranges.empty()) return std::nullopt;
  uint128 total = 0;
  for (const Range& r : ranges) total += static_cast<uint128>(r.last - r.first) + 1;
  return total - 1;  // wraps to 2^128 - 1 for the whole IPv6 space, which is what we want
}

}  // namespace

void PrefixSet::Builder::reserve(std::size_t v4_count, std::size_t v6_count) {
  v4_.reserve(v4_.size() + v4_count);
  v6_.reserve(v6_.size() + v6_count);
}

void PrefixSet::Builder::add(const Prefix& prefix) {
  if (prefix.family == Family::v4) {
    v4_.push_back(to_range<Range4>(prefix));
  } else {
    v6_.push_back(to_range<Range6>(prefix));
  }
}

PrefixSet PrefixSet::Builder::build() {
  PrefixSet set;
  normalize(v4_);
  normalize(v6_);
  set.v4_ = std::move(v4_);
  set.v6_ = std::move(v6_);
  v4_.clear();
  v6_.clear();
  return set;
}

PrefixSet::PrefixSet(const std::vector<Prefix>& prefixes) {
  Builder builder;
  const auto v4 = static_cast<std::size_t>(std::count_if(
      prefixes.begin(), prefixes.end(), [](const Prefix& p) { return p.family == Family::v4; }));
  builder.reserve(v4, prefixes.size() - v4);
  for (const Prefix& p : prefixes) builder.add(p);
  *this = builder.build();
}

bool PrefixSet::contains(const Address& address) const {
  if (address.family == Family::v4) {
    return find_range(v4_, static_cast<std::uint32_t>(address.lo)) != nullptr;
  }
  return find_range(v6_, static_cast<uint128>(address.hi) << 64 | address.lo) != nullptr;
}

bool PrefixSet::contains(const Prefix& prefix) const {
  if (prefix.family == Family::v4) {
    const Range4 r = to_range<Range4>(prefix);
    const Range4* found = find_range(v4_, r.first);
    return found != nullptr && r.last <= found->last;
  }
  const Range6 r = to_range<Range6>(prefix);
  const Range6* found = find_range(v6_, r.first);
  return found != nullptr && r.last <= found->last;
}

bool PrefixSet::contains(const PrefixSet& other) const { return subtract(other, *this).empty(); }

std::vector<Prefix> PrefixSet::prefixes() const {
  std::vector<Prefix> out;
  out.reserve(range_count());
  append_prefixes(out, v4_, 1);
  append_prefixes(out, v6_, 1);
  return out;
}

std::vector<Prefix> PrefixSet::aligned_prefixes() const {
  std::vector<Prefix> out;
  append_prefixes(out, v4_, Traits<Range4>::aligned_step);
  append_prefixes(out, v6_, Traits<Range6>::aligned_step);
  return out;
}

std::string PrefixSet::address_count(Family family) const {
  const auto n = family == Family::v4 ? size_minus_one(v4_) : size_minus_one(v6_);
  return n ? decimal_plus_one(*n) : "0";
}

PrefixSet unite(const PrefixSet& a, const PrefixSet& b) {
  PrefixSet out;
  out.v4_ = unite_ranges(a.v4_, b.v4_);
  out.v6_ = unite_ranges(a.v6_, b.v6_);
  return out;
}

PrefixSet intersect(const PrefixSet& a, const PrefixSet& b) {
  PrefixSet out;
  out.v4_ = intersect_ranges(a.v4_, b.v4_);
  out.v6_ = intersect_ranges(a.v6_, b.v6_);
  return out;
}

PrefixSet subtract(const PrefixSet& a, const PrefixSet& b) {
  PrefixSet out;
  out.v4_ = subtract_ranges(a.v4_, b.v4_);
  out.v6_ = subtract_ranges(a.v6_, b.v6_);
  return out;
}

bool operator==(const PrefixSet& a, const PrefixSet& b) {
  const auto same4 = [](const Range4& x, const Range4& y) {
    return x.first == y.first && x.last == y.last;
  };
  const auto same6 = [](const Range6& x, const Range6& y) {
    return x.first == y.first && x.last == y.last;
  };
  return std::equal(a.v4_.begin(), a.v4_.end(), b.v4_.begin(), b.v4_.end(), same4) &&
         std::equal(a.v6_.begin(), a.v6_.end(), b.v6_.begin(), b.v6_.end(), same6);
}

std::string address_count(const Prefix& prefix) {
  const unsigned host_bits = max_length(prefix.family) - prefix.length;
  return decimal_plus_one(host_bits >= 128 ? ~uint128{0} : (uint128{1} << host_bits) - 1);
}

namespace {

/// Reads lines in the common form from `start` on, at most `limit` of them: a valid entry that
/// ends the line (LF or CRLF), read in one pass and passed to `add`. Returns how many it read;
/// `start` is then where the first line it did not read starts. A function of its own, called
/// a block of lines at a time, so that V8 optimises the loop early.
template <class Add>
__attribute__((noinline)) std::size_t read_common_lines(std::string_view text, std::size_t& start,
                                                        HostBits mode, std::size_t limit,
                                                        Add& add) {
  std::size_t count = 0;
  for (; count < limit && start < text.size(); ++count) {
    Prefix fast;
    const std::size_t n = scan_prefix(text.substr(start), mode, fast);
    if (n == 0) break;
    std::size_t end = start + n;
    if (end < text.size() && text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n')
      ++end;
    if (end != text.size() && text[end] != '\n') break;
    add(fast);
    start = end + 1;
  }
  return count;
}

/// Calls `add(prefix)` for every entry of a list; returns the first bad line.
template <class Add>
std::optional<ListError> for_each_entry(std::string_view text, HostBits mode, Add add) {
  constexpr std::size_t kLinesPerCall = 4096;
  std::size_t line = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t read = read_common_lines(text, start, mode, kLinesPerCall, add);
    line += read;
    if (read == kLinesPerCall || start >= text.size()) continue;
    // Anything else: blanks, a comment, an unusual form, or an error that needs its reason.
    ++line;
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view entry = text.substr(start, end - start);
    start = end + 1;
    if (const std::size_t hash = entry.find('#'); hash != std::string_view::npos) {
      entry = entry.substr(0, hash);
    }
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!entry.empty() && blank(entry.front())) entry.remove_prefix(1);
    while (!entry.empty() && blank(entry.back())) entry.remove_suffix(1);
    if (entry.empty()) continue;
    auto parsed = parse_prefix(entry, mode);
    if (!parsed) return ListError{line, std::string(entry), std::move(parsed.error)};
    add(*parsed.value);
  }
  return std::nullopt;
}

/// Lines counted eight bytes at a time.
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

/// Adds the lines of `words` 8-byte words at `p` to `count`, without a branch a byte. Called a
/// chunk at a time, so that V8 optimises it early.
__attribute__((noinline)) void count_lines(const char* p, std::size_t words, LineCount& count) {
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

std::optional<ListError> for_each_prefix(std::string_view text, HostBits mode,
                                         const std::function<void(const Prefix&)>& visit) {
  return for_each_entry(text, mode, visit);
}

ParsedList parse_list(std::string_view text, HostBits mode) {
  ParsedList list;
  list.error = for_each_entry(text, mode, [&](const Prefix& p) { list.prefixes.push_back(p); });
  if (list.error) list.prefixes.clear();
  return list;
}

std::optional<ListError> parse_list_into(std::string_view text, HostBits mode,
                                         PrefixSet::Builder& builder) {
  // Count the lines of each family first (a line with ':' is IPv6, or a comment), so that the
  // builder allocates once: large lists then cost no regrowth copies.
  LineCount count;
  const std::size_t words = text.size() / 8;
  constexpr std::size_t kWordsPerCall = 4096;
  for (std::size_t w = 0; w < words; w += kWordsPerCall) {
    count_lines(text.data() + 8 * w, std::min(kWordsPerCall, words - w), count);
  }
  char tail[8] = {};
  std::copy(text.begin() + 8 * words, text.end(), tail);
  count_lines(tail, 1, count);
  if (!text.empty() && text.back() != '\n') {
    ++count.lines;
    count.with_colon += count.colon;
  }
  builder.reserve(count.lines - count.with_colon, count.with_colon);
  return for_each_entry(text, mode, [&](const Prefix& p) { builder.add(p); });
}

}  // namespace relaycheck::ip
