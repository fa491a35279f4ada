// libFuzzer target for the address engine (core/src/ip/): prefixes and prefix-set operations.
// The bytes are used twice:
//  - as list text (one entry a line, as `relaycheck cidr aggregate` reads a file): parse_list,
//    for_each_prefix and parse_list_into must agree on every prefix and on the first bad line,
//    in both host-bit modes; every prefix read prints canonically and reads back as itself;
//  - as a recipe of prefixes inside two small universes, 10.0.0.0/24 and 2001:db8::/120 (256
//    addresses each): sets built from them are checked address by address against a plain
//    reference (a bit per address), for aggregation (the fewest CIDR blocks, which are unique),
//    missing (subtract), union, intersection, containment, equality, counts and the
//    octet-aligned form. A recipe also takes whole-range prefixes, on which the set algebra must
//    hold (a - b and a & b partition a, aggregation is idempotent).
// Built with ASan + UBSan; a crash, a leak, undefined behaviour or a broken invariant aborts.
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ip/ip.hpp"
#include "ip/prefix_set.hpp"

namespace {

using namespace relaycheck;
using namespace relaycheck::ip;

void require(bool condition) {
  if (!condition) std::abort();
}

// ---------------------------------------------------------------------------------------------
// The list text
// ---------------------------------------------------------------------------------------------

void check_round_trip(const Prefix& p) {
  const std::string text = to_string(p);
  const auto again = parse_prefix(text);
  require(again && *again.value == p);
  require(p.length <= max_length(p.family));
  // The network of a prefix has no host bits: masking it changes nothing.
  const auto remade = make_prefix(p.network(), p.length);
  require(remade && *remade == p);
  require(contains(p, p.network()) && contains(p, last_address(p)));
}

void check_list(std::string_view text, HostBits mode) {
  const ParsedList list = parse_list(text, mode);
  std::vector<Prefix> visited;
  const auto visit_error =
      for_each_prefix(text, mode, [&](const Prefix& p) { visited.push_back(p); });
  require(visit_error.has_value() == list.error.has_value());
  if (list.error) {
    require(visit_error->line == list.error->line && visit_error->reason == list.error->reason);
    require(list.error->line >= 1 && !list.error->reason.empty());
  } else {
    require(visited == list.prefixes);
  }
  PrefixSet::Builder builder;
  const auto into_error = parse_list_into(text, mode, builder);
  require(into_error.has_value() == list.error.has_value());
  if (list.error) return;
  for (const auto& p : list.prefixes) check_round_trip(p);
  std::string joined;
  for (const auto& p : list.prefixes) joined += to_string(p) + "\n";
  require(to_text(list.prefixes) == joined);
  const PrefixSet from_list(list.prefixes);
  require(builder.build() == from_list);
  // Aggregation is idempotent, and its text reads back as the same set.
  const std::vector<Prefix> minimal = from_list.prefixes();
  require(PrefixSet(minimal).prefixes() == minimal);
  const ParsedList reread = parse_list(to_text(minimal));
  require(!reread.error && reread.prefixes == minimal);
  // A strict read accepts a subset of what a lenient read accepts, with the same prefixes.
  if (mode == HostBits::reject) {
    const ParsedList lenient = parse_list(text, HostBits::mask);
    require(!lenient.error && lenient.prefixes == list.prefixes);
  }
}

// ---------------------------------------------------------------------------------------------
// The small universes and their reference
// ---------------------------------------------------------------------------------------------

constexpr unsigned kUniverseBits = 8;  // 256 addresses per family: fast enough to check each
constexpr std::uint32_t kV4Base = 0x0A000000u;            // 10.0.0.0/24
constexpr std::uint64_t kV6High = 0x20010DB800000000ull;  // 2001:db8::/120
using Bits = std::bitset<2u << kUniverseBits>;            // IPv4 universe, then IPv6

Address universe_address(Family family, std::uint32_t offset) {
  return family == Family::v4 ? Address::v4(kV4Base + offset) : Address::v6(kV6High, offset);
}

/// The index in Bits of an address of a universe, or nothing when it lies outside both.
std::optional<std::size_t> universe_index(const Address& a) {
  if (a.family == Family::v4 && a.lo >= kV4Base && a.lo < kV4Base + (1u << kUniverseBits))
    return static_cast<std::size_t>(a.lo - kV4Base);
  if (a.family == Family::v6 && a.hi == kV6High && a.lo < (1u << kUniverseBits))
    return (std::size_t{1} << kUniverseBits) + static_cast<std::size_t>(a.lo);
  return std::nullopt;
}

/// A prefix inside one universe from 3 bytes: family, length (at least 128 - 8 or 32 - 8), and
/// an address whose host bits are cleared.
Prefix universe_prefix(const std::uint8_t* b) {
  const Family family = (b[0] & 0x80u) != 0 ? Family::v6 : Family::v4;
  const unsigned host_bits = (b[0] & 0x7Fu) % (kUniverseBits + 1);
  const std::uint32_t offset =
      (static_cast<std::uint32_t>(b[1]) << 8 | b[2]) & ((1u << kUniverseBits) - 1);
  const auto p = make_prefix(universe_address(family, offset), max_length(family) - host_bits);
  require(p.has_value());
  return *p;
}

void mark(Bits& bits, const Prefix& p) {
  const auto first = universe_index(p.network());
  const auto last = universe_index(last_address(p));
  require(first && last && *first <= *last);
  for (std::size_t k = *first; k <= *last; ++k) bits.set(k);
}

/// The fewest CIDR blocks covering exactly `bits`, by the plain rule: a block of the universe
/// is one CIDR when it is full, else its two halves are looked at (no recursion: a stack).
std::vector<Prefix> reference_blocks(const Bits& bits) {
  std::vector<Prefix> out;
  for (const Family family : {Family::v4, Family::v6}) {
    const std::size_t base = family == Family::v4 ? 0 : std::size_t{1} << kUniverseBits;
    struct Block {
      std::uint32_t first;
      unsigned size_bits;
    };
    std::vector<Block> stack{{0, kUniverseBits}};
    while (!stack.empty()) {
      const Block b = stack.back();
      stack.pop_back();
      const std::size_t size = std::size_t{1} << b.size_bits;
      std::size_t set = 0;
      for (std::size_t k = 0; k < size; ++k) set += bits.test(base + b.first + k) ? 1 : 0;
      if (set == 0) continue;
      if (set == size) {
        out.push_back(
            *make_prefix(universe_address(family, b.first), max_length(family) - b.size_bits));
        continue;
      }
      // The upper half first, so that the lower one is taken first: ascending order.
      stack.push_back({b.first + static_cast<std::uint32_t>(size / 2), b.size_bits - 1});
      stack.push_back({b.first, b.size_bits - 1});
    }
  }
  return out;
}

Bits bits_of(const PrefixSet& set) {
  Bits bits;
  for (const auto& p : set.prefixes()) mark(bits, p);
  return bits;
}

void check_against_reference(const std::vector<Prefix>& a_list, const std::vector<Prefix>& b_list) {
  Bits a_bits;
  Bits b_bits;
  for (const auto& p : a_list) mark(a_bits, p);
  for (const auto& p : b_list) mark(b_bits, p);
  const PrefixSet a(a_list);
  const PrefixSet b(b_list);

  // aggregate: exactly the reference's blocks, in order; `relaycheck cidr missing`: a - b.
  require(a.prefixes() == reference_blocks(a_bits));
  require(subtract(a, b).prefixes() == reference_blocks(a_bits & ~b_bits));
  require(unite(a, b).prefixes() == reference_blocks(a_bits | b_bits));
  require(intersect(a, b).prefixes() == reference_blocks(a_bits & b_bits));
  require(a.contains(b) == ((b_bits & ~a_bits).none()));
  require((a == b) == (a_bits == b_bits));
  require(a.empty() == a_bits.none());

  // Counts per family.
  std::size_t v4 = 0;
  for (std::size_t k = 0; k < (std::size_t{1} << kUniverseBits); ++k) v4 += a_bits.test(k) ? 1 : 0;
  require(a.address_count(Family::v4) == std::to_string(v4));
  require(a.address_count(Family::v6) == std::to_string(a_bits.count() - v4));

  // Containment of every prefix of b, and of the first and last address of each.
  for (const auto& p : b_list) {
    Bits one;
    mark(one, p);
    require(a.contains(p) == (one & ~a_bits).none());
    require(a.contains(p.network()) == a_bits.test(*universe_index(p.network())));
    require(a.contains(last_address(p)) == a_bits.test(*universe_index(last_address(p))));
  }

  // The octet-aligned form covers the same addresses with lengths Sendmail can express.
  const std::vector<Prefix> aligned = a.aligned_prefixes();
  Bits aligned_bits;
  for (const auto& p : aligned) {
    const unsigned step = p.family == Family::v4 ? 8 : 16;
    require(p.length % step == 0 && p.length > 0);
    mark(aligned_bits, p);
  }
  require(aligned_bits == a_bits);
  require(bits_of(PrefixSet(aligned)) == a_bits);
}

/// Whole-range prefixes from 18 bytes: the set algebra on values the universes never reach.
Prefix wide_prefix(const std::uint8_t* b) {
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  for (int k = 0; k < 8; ++k) hi = hi << 8 | b[1 + k];
  for (int k = 0; k < 8; ++k) lo = lo << 8 | b[9 + k];
  const bool v6 = (b[0] & 1u) != 0;
  const Address address = v6 ? Address::v6(hi, lo) : Address::v4(static_cast<std::uint32_t>(lo));
  const unsigned length = b[17] % (max_length(address.family) + 1);
  return *make_prefix(address, length);
}

void check_algebra(const std::vector<Prefix>& a_list, const std::vector<Prefix>& b_list) {
  const PrefixSet a(a_list);
  const PrefixSet b(b_list);
  const PrefixSet a_minus_b = subtract(a, b);
  const PrefixSet a_and_b = intersect(a, b);
  require(intersect(a_minus_b, b).empty());
  require(unite(a_minus_b, a_and_b) == a);
  require(a.contains(a_and_b) && b.contains(a_and_b));
  require(unite(a, b) == unite(b, a) && intersect(a, b) == intersect(b, a));
  require(PrefixSet(a.prefixes()) == a);
  // (The octet-aligned form is checked in the universes only: a wide IPv6 prefix of length 1
  // is 32,768 blocks of /16, too slow for every input.)
  for (const auto& p : a_list) {
    // Every address of a is either left in a - b or in b, never both.
    require(a.contains(p));
    require(a_minus_b.contains(p.network()) != b.contains(p.network()));
  }
  const std::vector<Prefix> minimal = a.prefixes();
  for (std::size_t k = 1; k < minimal.size(); ++k) {
    require(minimal[k - 1] < minimal[k]);
    require(!contains(minimal[k - 1], minimal[k].network()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_list(text, HostBits::reject);
  check_list(text, HostBits::mask);
  // Single entries as `relaycheck cidr parse` reads them.
  for (const auto mode : {HostBits::reject, HostBits::mask}) {
    const auto p = parse_prefix(text, mode);
    if (p) check_round_trip(*p.value);
    require(p.value.has_value() == p.error.empty());
  }
  const auto address = parse_address(text);
  if (address) {
    require(parse_address(to_string(*address.value)).value == address.value);
    require(unmap(*address.value).family == Family::v4 || !is_v4_mapped(*address.value));
  }

  // The recipe: the first half of the bytes makes set a, the second half set b.
  const std::size_t half = size / 2;
  std::vector<Prefix> a_small;
  std::vector<Prefix> b_small;
  for (std::size_t k = 0; k + 3 <= half && a_small.size() < 64; k += 3)
    a_small.push_back(universe_prefix(data + k));
  for (std::size_t k = half; k + 3 <= size && b_small.size() < 64; k += 3)
    b_small.push_back(universe_prefix(data + k));
  check_against_reference(a_small, b_small);

  std::vector<Prefix> a_wide;
  std::vector<Prefix> b_wide;
  for (std::size_t k = 0; k + 18 <= half && a_wide.size() < 32; k += 18)
    a_wide.push_back(wide_prefix(data + k));
  for (std::size_t k = half; k + 18 <= size && b_wide.size() < 32; k += 18)
    b_wide.push_back(wide_prefix(data + k));
  check_algebra(a_wide, b_wide);
  return 0;
}
