#pragma once
/// IPv4 and IPv6 addresses and prefixes: strict parsing, canonical printing (RFC 5952), masking
/// and containment. Errors are values, never exceptions: a relay's whitelist and an SPF record
/// are untrusted text, and a bad entry must be reported with the reason, not abort the analysis.
///
/// IPv4 and IPv6 are separate families. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is an IPv6
/// address; callers that want IPv4 semantics for it (SPF does, RFC 7208 §5) call `unmap`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relaycheck::ip {

enum class Family : std::uint8_t { v4, v6 };

/// 32 for IPv4, 128 for IPv6.
constexpr unsigned max_length(Family family) { return family == Family::v4 ? 32u : 128u; }

/// An address. IPv6 keeps its 128 bits in `hi` (bits 127..64) and `lo` (bits 63..0);
/// IPv4 keeps its 32 bits in the low half of `lo` and has `hi` == 0.
struct Address {
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  Family family = Family::v4;

  static constexpr Address v4(std::uint32_t value) { return Address{0, value, Family::v4}; }
  static constexpr Address v6(std::uint64_t high, std::uint64_t low) {
    return Address{high, low, Family::v6};
  }
};

/// A network: an address with every bit after `length` zero (the parser and `make_prefix`
/// guarantee it). 24 bytes, so that large lists stay small.
struct Prefix {
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  Family family = Family::v4;
  std::uint8_t length = 0;

  /// The network address (the first address of the prefix).
  constexpr Address network() const { return Address{hi, lo, family}; }
};

bool operator==(const Address& a, const Address& b);
bool operator!=(const Address& a, const Address& b);
/// IPv4 before IPv6, then by value.
bool operator<(const Address& a, const Address& b);
bool operator==(const Prefix& a, const Prefix& b);
bool operator!=(const Prefix& a, const Prefix& b);
/// IPv4 before IPv6, then by network address, then shorter (wider) prefixes first.
bool operator<(const Prefix& a, const Prefix& b);

/// A parse result: a value, or an error message that says why the text was rejected.
template <class T>
struct Parsed {
  std::optional<T> value;
  std::string error;

  explicit operator bool() const { return value.has_value(); }
};

/// What to do with a prefix whose host bits are set (`10.0.0.1/24`).
enum class HostBits {
  reject,  ///< an error that names the network meant (`10.0.0.0/24`): the default
  mask,    ///< clear them (`--lenient`; SPF's `ip4:1.2.3.4/24`, which RFC 7208 allows)
};

/// Parses one address, strictly: dotted quad without leading zeros, or IPv6 text (RFC 4291 §2.2)
/// with at most 4 hex digits a group, one `::`, an optional trailing dotted quad. No zone ids,
/// brackets, spaces, signs or prefix lengths.
Parsed<Address> parse_address(std::string_view text);

/// Parses `ADDRESS` (a host route: /32 or /128) or `ADDRESS/LENGTH` (decimal, no sign, no
/// leading zero, no netmask notation).
Parsed<Prefix> parse_prefix(std::string_view text, HostBits mode = HostBits::reject);

/// Parses a bare prefix length for `family` (the digits after a slash): decimal, no sign,
/// no leading zero, at most 32 or 128. For SPF's `/24` and `//64` suffixes.
Parsed<unsigned> parse_length(std::string_view digits, Family family);

/// The prefix of `length` bits that contains `address` (host bits cleared); nullopt when
/// `length` exceeds the family's maximum.
std::optional<Prefix> make_prefix(const Address& address, unsigned length);

/// The last address of the prefix (all host bits set).
Address last_address(const Prefix& prefix);

/// True when `address` lies in `prefix` (same family only).
bool contains(const Prefix& prefix, const Address& address);
/// True when `inner` lies wholly in `outer` (same family only).
bool contains(const Prefix& outer, const Prefix& inner);

/// True for ::ffff:0:0/96 (an IPv4 address written as IPv6).
bool is_v4_mapped(const Address& address);
/// The IPv4 address inside an IPv4-mapped IPv6 address; any other address unchanged.
Address unmap(const Address& address);

/// Canonical text of an address: dotted quad, or RFC 5952 (lowercase, leading zeros dropped,
/// the longest run of two or more zero groups compressed, the first on a tie), with the mixed
/// form `::ffff:a.b.c.d` for IPv4-mapped addresses (RFC 5952 §5).
std::string to_string(const Address& address);
/// Canonical text of a prefix, always with its length: `1.2.3.4/32`, `2001:db8::/32`.
std::string to_string(const Prefix& prefix);
/// One canonical CIDR per line, every line ending in '\n', written into one string: the text
/// form of a long list (a string per prefix would cost an allocation each).
std::string to_text(const std::vector<Prefix>& prefixes);

}  // namespace relaycheck::ip
