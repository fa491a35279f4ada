#pragma once
/// Private to ip/. Why the hot loops of the address engine are functions of their own that are
/// never inlined, called on blocks of kTierUpBlock items (the one place this is explained).
///
/// In the browser and in Node, V8 runs a wasm function in its baseline tier first and swaps in
/// the optimised code only when the function is entered again: it has no on-stack replacement
/// for wasm, so a loop that handles a whole million-line list in one call runs all of it in
/// baseline code. So the list reader reads 4,096 lines per call (prefix_set.cpp), the line
/// counter counts 4,096 8-byte words per call (line_count.cpp), the IPv4 radix pass scatters
/// 4,096 ranges per call and the IPv6 radix sort runs once per bucket (radix_sort.cpp), each in
/// a function marked `__attribute__((noinline))`: after the first block, the rest runs in
/// optimised code.

#include <cstddef>

namespace relaycheck::ip::detail {

/// The lines, words or ranges that one call of a hot loop handles.
constexpr std::size_t kTierUpBlock = 4096;

}  // namespace relaycheck::ip::detail
