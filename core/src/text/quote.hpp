#pragma once
/// Quoting outside text (an entry of a list, a name, a record) in a message.

#include <string>
#include <string_view>

namespace relaycheck {

/// The longest part of a text that a message quotes, in bytes.
constexpr std::size_t kMaxQuotedBytes = 64;

/// `text` in single quotes; a longer text is cut at a character boundary and its length given
/// ("'1111…' (1048576 bytes)"), so that a megabyte entry makes a one-line message.
std::string quote(std::string_view text);

}  // namespace relaycheck
