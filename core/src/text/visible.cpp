#include "text/visible.hpp"

#include "text/utf8.hpp"

namespace relaycheck::text {
namespace {

bool in(char32_t c, char32_t first, char32_t last) { return c >= first && c <= last; }

}  // namespace

Hidden classify(char32_t c) {
  if (c < 0x20 || in(c, 0x7F, 0x9F)) return Hidden::control;
  if (c < 0xA0) return Hidden::none;
  if (c == 0x061C || c == 0x200E || c == 0x200F || in(c, 0x202A, 0x202E) || in(c, 0x2066, 0x2069))
    return Hidden::bidi;
  if (c == 0x00AD || c == 0x034F || c == 0x115F || c == 0x1160 || in(c, 0x17B4, 0x17B5) ||
      in(c, 0x180B, 0x180F) || in(c, 0x200B, 0x200D) || in(c, 0x2060, 0x2064) ||
      in(c, 0x206A, 0x206F) || c == 0x3164 || in(c, 0xFE00, 0xFE0F) || c == 0xFEFF || c == 0xFFA0 ||
      in(c, 0xFFF9, 0xFFFB) || in(c, 0x1D173, 0x1D17A) || in(c, 0xE0000, 0xE007F) ||
      in(c, 0xE0100, 0xE01EF))
    return Hidden::format;
  if (c == 0x00A0 || c == 0x1680 || in(c, 0x2000, 0x200A) || c == 0x2028 || c == 0x2029 ||
      c == 0x202F || c == 0x205F || c == 0x3000)
    return Hidden::space;
  return Hidden::none;
}

std::string code_point_name(char32_t c) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out = "U+";
  const int top = c > 0xFFFFF ? 20 : c > 0xFFFF ? 16 : 12;
  for (int shift = top; shift >= 0; shift -= 4) out += kDigits[(c >> shift) & 0xFu];
  return out;
}

std::string marked(char32_t c) { return "‹" + code_point_name(c) + "›"; }

std::vector<HiddenChar> hidden_in(std::string_view utf8) {
  std::vector<HiddenChar> out;
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t c = 0;
    const std::size_t n = decode_utf8_at(utf8, i, c);
    if (n == 0) {
      ++i;
      continue;
    }
    if (const Hidden kind = classify(c); kind != Hidden::none) out.push_back({c, kind, i});
    i += n;
  }
  return out;
}

std::string describe(char32_t c) {
  switch (c) {
    case 0x202E:
      return "a right-to-left override";
    case 0x202D:
      return "a left-to-right override";
    case 0x202A:
      return "a left-to-right embedding";
    case 0x202B:
      return "a right-to-left embedding";
    case 0x202C:
      return "a pop directional formatting";
    case 0x2066:
      return "a left-to-right isolate";
    case 0x2067:
      return "a right-to-left isolate";
    case 0x2068:
      return "a first strong isolate";
    case 0x2069:
      return "a pop directional isolate";
    case 0x200E:
      return "a left-to-right mark";
    case 0x200F:
      return "a right-to-left mark";
    case 0x061C:
      return "an Arabic letter mark";
    case 0x200B:
      return "a zero-width space";
    case 0x200C:
      return "a zero-width non-joiner";
    case 0x200D:
      return "a zero-width joiner";
    case 0x2060:
      return "a word joiner";
    case 0xFEFF:
      return "a zero-width no-break space (byte order mark)";
    case 0x00AD:
      return "a soft hyphen";
    case 0x00A0:
      return "a no-break space";
    default:
      break;
  }
  switch (classify(c)) {
    case Hidden::control:
      return "a control character";
    case Hidden::bidi:
      return "a bidirectional formatting character";
    case Hidden::format:
      return "an invisible formatting character";
    case Hidden::space:
      return "a space that is not a plain space";
    case Hidden::none:
      break;
  }
  return "a character";
}

std::string effect(char32_t c) {
  if (c == 0x202E || c == 0x202B || c == 0x2067) return "makes the text after it display reversed";
  switch (classify(c)) {
    case Hidden::bidi:
      return "changes the order in which the text around it is displayed";
    case Hidden::control:
      return "is not shown on screen";
    case Hidden::space:
      return "looks like a plain space but is another character";
    case Hidden::format:
    case Hidden::none:
      break;
  }
  return "takes no room on screen";
}

std::string visible(std::string_view utf8, ShowOptions options) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t c = 0;
    const std::size_t n = decode_utf8_at(utf8, i, c);
    if (n == 0) {
      out += utf8[i++];
      continue;
    }
    const Hidden kind = classify(c);
    if (kind == Hidden::none || (options.keep_line_breaks && (c == '\n' || c == '\t'))) {
      out.append(utf8.substr(i, n));
    } else if (kind == Hidden::control && options.escape_controls) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xFu];
    } else {
      out += marked(c);
    }
    i += n;
  }
  return out;
}

}  // namespace relaycheck::text
