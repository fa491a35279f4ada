#pragma once
/// Base64 (RFC 4648 §4: the alphabet of RFC 2045 §6.8, '=' padding) and base64url (§5), the one
/// home of the alphabet and of the decoder's rules. DNS messages use it strictly (dns/message.cpp:
/// a DoH answer, RFC 8484), DKIM keys with the folding white space RFC 6376 §3.6.1's base64string
/// allows between characters (dkim/key_record.cpp); each words the problems in its own terms.
///
/// The decoder does not check that the last character's unused bits are zero: common decoders
/// ignore them too, and a key or message that differs there reads the same.

#include <cstddef>
#include <string>
#include <string_view>

namespace relaycheck::text {

/// `size` bytes at `data` as base64 with '=' padding, or as base64url without padding.
enum class Base64Form { standard, url_unpadded };
std::string base64_encode(const unsigned char* data, std::size_t size, Base64Form form);

/// What decoding found: the bytes, or the first problem, where it is.
struct Base64Decoded {
  enum class Problem {
    none,
    not_base64,        ///< `at` is a character outside the alphabet (and not skipped space)
    after_padding,     ///< `at` is a base64 character after '='
    too_much_padding,  ///< `at` is a third '='
    partial_group,     ///< the characters are not a whole number of 4-character groups
  };
  Problem problem = Problem::none;
  std::size_t at = 0;       ///< offset in the text of the character at fault (the size: partial)
  std::size_t symbols = 0;  ///< base64 characters and '=' before `at` (all of them: partial)
  std::string bytes;        ///< the bytes (none is meaningful after a problem)
};

/// Decodes `text`; with `skip_fws`, space, tab, CR and LF are passed over wherever they stand.
Base64Decoded base64_decode(std::string_view text, bool skip_fws);

}  // namespace relaycheck::text
