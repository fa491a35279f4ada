#pragma once
/// Private to ip/. The fast path of the address parser: an address or prefix in its common,
/// valid form, read from a 64-byte window in one pass, a group of digits at a time and without a
/// branch a character, allocating nothing. Anything else (an error, whose reason must be given,
/// or an unusual valid form such as an embedded IPv4 in IPv6) is left to the detailed parser of
/// ip.cpp, which is the reference: the fast path accepts nothing that the reference rejects or
/// reads differently (tests/unit/ip/test_fast_paths.cpp).
///
/// Measured 2026-12-02 natively (g++-12 -O3, x86-64; CPU time, best of 15, on a 2-core machine
/// shared at load 6 to 8), fast path and reference on the same input in one run: the list of
/// bench/cidr_bench.py's generator cut to 200,000 random IPv4 and IPv6 prefixes (seed 2024).
/// Reading the list with parse_list takes 23 ms, against 59 ms line by line through the
/// detailed parser: 2.6 times faster. One entry alone: about 40 ns against 115 ns (3 times).

#include <cstddef>
#include <string_view>

#include "ip/ip.hpp"

namespace relaycheck::ip::detail {

/// Reads an address at the start of `text` and stops at the first character that cannot
/// continue it. Returns the number of characters read, or 0 when the text there is not an
/// address in the common form.
std::size_t scan_address(std::string_view text, Address& out);

/// Reads a prefix (or an address, as a /32 or /128) at the start of `text`, as scan_address
/// does. A prefix with host bits set is read only with HostBits::mask.
std::size_t scan_prefix(std::string_view text, HostBits mode, Prefix& out);

/// The reference: parse_address and parse_prefix without the fast path.
Parsed<Address> parse_address_detailed(std::string_view text);
Parsed<Prefix> parse_prefix_detailed(std::string_view text, HostBits mode);

}  // namespace relaycheck::ip::detail
