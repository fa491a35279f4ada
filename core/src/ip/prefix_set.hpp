#pragma once
/// Sets of addresses, kept per family as sorted, disjoint, non-adjacent ranges: union,
/// difference, intersection, containment, and the minimal list of CIDR blocks that covers a set.
/// Building a set from n prefixes costs one sort and one linear merge; every operation between
/// two sets is a linear merge; look-ups are binary searches.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ip/ip.hpp"

namespace relaycheck::ip {

namespace detail {
// Defined in ip/range.hpp, which only ip/ includes: IPv6 ranges hold 128-bit integers, a compiler
// extension that stays out of the headers other modules include.
struct Range4;
struct Range6;
}  // namespace detail

class PrefixSet {
 public:
  /// Collects prefixes in any order, then builds the set with one sort and one merge.
  class Builder {
   public:
    // The special members of both classes are defined in prefix_set.cpp, where the ranges are
    // complete types.
    Builder();
    Builder(const Builder& other);
    Builder(Builder&& other) noexcept;
    Builder& operator=(const Builder& other);
    Builder& operator=(Builder&& other) noexcept;
    ~Builder();

    /// Makes room for this many more prefixes of each family.
    void reserve(std::size_t v4_count, std::size_t v6_count);
    void add(const Prefix& prefix);
    /// The set of every address added so far; the builder is empty afterwards.
    PrefixSet build();

   private:
    std::vector<detail::Range4> v4_;
    std::vector<detail::Range6> v6_;
  };

  PrefixSet();
  PrefixSet(const PrefixSet& other);
  PrefixSet(PrefixSet&& other) noexcept;
  PrefixSet& operator=(const PrefixSet& other);
  PrefixSet& operator=(PrefixSet&& other) noexcept;
  ~PrefixSet();
  explicit PrefixSet(const std::vector<Prefix>& prefixes);

  bool empty() const;
  bool contains(const Address& address) const;
  /// True when every address of `prefix` is in the set.
  bool contains(const Prefix& prefix) const;
  /// True when `other` is a subset of this set.
  bool contains(const PrefixSet& other) const;

  /// The fewest CIDR blocks that cover exactly this set: IPv4 first, each family ascending.
  std::vector<Prefix> prefixes() const;
  /// The same addresses in blocks whose lengths are non-zero multiples of 8 bits for IPv4 (an
  /// octet) and 16 bits for IPv6 (a group): what Sendmail's access map can express
  /// (`Connect:10.1`).
  std::vector<Prefix> aligned_prefixes() const;

  /// The number of addresses of `family` in the set, in decimal (IPv6 counts reach 2^128).
  std::string address_count(Family family) const;
  /// The number of maximal contiguous ranges (the size of the set in memory, not in CIDRs).
  std::size_t range_count() const;

  friend PrefixSet unite(const PrefixSet& a, const PrefixSet& b);
  friend PrefixSet intersect(const PrefixSet& a, const PrefixSet& b);
  /// The addresses of `a` that are not in `b`.
  friend PrefixSet subtract(const PrefixSet& a, const PrefixSet& b);
  friend bool operator==(const PrefixSet& a, const PrefixSet& b);
  friend bool operator!=(const PrefixSet& a, const PrefixSet& b) { return !(a == b); }

 private:
  std::vector<detail::Range4> v4_;
  std::vector<detail::Range6> v6_;
};

/// The number of addresses of one prefix, in decimal.
std::string address_count(const Prefix& prefix);

/// Why one line of a list could not be read.
struct ListError {
  std::size_t line = 0;  ///< 1-based
  std::string text;      ///< the entry as written (without comment and surrounding blanks)
  std::string reason;
};

/// A list read from text: its prefixes in order, or the first bad line.
struct ParsedList {
  std::vector<Prefix> prefixes;
  std::optional<ListError> error;
};

/// Reads one prefix (or address) per line. Blank lines and `#` comments (whole lines, or after an
/// entry) are skipped, and blanks around an entry are trimmed (CRLF files work); everything in
/// an entry is as strict as `parse_prefix`.
ParsedList parse_list(std::string_view text, HostBits mode = HostBits::reject);

/// Calls `visit` for every entry of a list (read as `parse_list` reads it), in order, without
/// keeping the prefixes; stops at the first bad line and returns it.
std::optional<ListError> for_each_prefix(std::string_view text, HostBits mode,
                                         const std::function<void(const Prefix&)>& visit);

/// Reads a list straight into a set, without keeping the prefixes: for large lists.
/// Returns the first bad line, or nothing when the whole list was added to `builder`.
std::optional<ListError> parse_list_into(std::string_view text, HostBits mode,
                                         PrefixSet::Builder& builder);

}  // namespace relaycheck::ip
