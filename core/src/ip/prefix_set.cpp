#include "ip/prefix_set.hpp"

#include <algorithm>
#include <utility>

#include "ip/line_count.hpp"
#include "ip/radix_sort.hpp"
#include "ip/range.hpp"
#include "ip/scan_fast.hpp"
#include "ip/tier_up.hpp"

namespace relaycheck::ip {
namespace {

using detail::kMax;
using detail::Range4;
using detail::Range6;
using detail::Traits;
using detail::U;
using detail::uint128;

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

/// Sorts and merges in place: one sort, one linear pass.
template <class Range>
void normalize(std::vector<Range>& ranges) {
  if (ranges.size() < detail::kRadixFrom) {
    detail::sort_by_first(ranges);
  } else {
    detail::radix_sort(ranges);
  }
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

PrefixSet::Builder::Builder() = default;
PrefixSet::Builder::Builder(const Builder& other) = default;
PrefixSet::Builder::Builder(Builder&& other) noexcept = default;
PrefixSet::Builder& PrefixSet::Builder::operator=(const Builder& other) = default;
PrefixSet::Builder& PrefixSet::Builder::operator=(Builder&& other) noexcept = default;
PrefixSet::Builder::~Builder() = default;

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

PrefixSet::PrefixSet() = default;
PrefixSet::PrefixSet(const PrefixSet& other) = default;
PrefixSet::PrefixSet(PrefixSet&& other) noexcept = default;
PrefixSet& PrefixSet::operator=(const PrefixSet& other) = default;
PrefixSet& PrefixSet::operator=(PrefixSet&& other) noexcept = default;
PrefixSet::~PrefixSet() = default;

PrefixSet::PrefixSet(const std::vector<Prefix>& prefixes) {
  Builder builder;
  const auto v4 = static_cast<std::size_t>(std::count_if(
      prefixes.begin(), prefixes.end(), [](const Prefix& p) { return p.family == Family::v4; }));
  builder.reserve(v4, prefixes.size() - v4);
  for (const Prefix& p : prefixes) builder.add(p);
  *this = builder.build();
}

bool PrefixSet::empty() const { return v4_.empty() && v6_.empty(); }

std::size_t PrefixSet::range_count() const { return v4_.size() + v6_.size(); }

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
/// ends the line (LF or CRLF), read in one pass by the fast scanner and passed to `add`. Returns
/// how many it read; `start` is then where the first line it did not read starts. A function of
/// its own, called a block of lines at a time (tier_up.hpp).
template <class Add>
__attribute__((noinline)) std::size_t read_common_lines(std::string_view text, std::size_t& start,
                                                        HostBits mode, std::size_t limit,
                                                        Add& add) {
  std::size_t count = 0;
  for (; count < limit && start < text.size(); ++count) {
    Prefix fast;
    const std::size_t n = detail::scan_prefix(text.substr(start), mode, fast);
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
  std::size_t line = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t read = read_common_lines(text, start, mode, detail::kTierUpBlock, add);
    line += read;
    if (read == detail::kTierUpBlock || start >= text.size()) continue;
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
  const detail::LineCounts count = detail::count_lines(text);
  builder.reserve(count.lines - count.with_colon, count.with_colon);
  return for_each_entry(text, mode, [&](const Prefix& p) { builder.add(p); });
}

}  // namespace relaycheck::ip
