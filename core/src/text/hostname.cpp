#include "text/hostname.hpp"

#include <array>
#include <cstdint>
#include <vector>

#include "text/ascii.hpp"
#include "text/punycode.hpp"
#include "text/quote.hpp"
#include "text/utf8.hpp"
#include "text/visible.hpp"

namespace relaycheck::text {
namespace {

constexpr std::size_t kMaxLabel = 63;
constexpr std::size_t kMaxName = 253;

/// One run of Unicode's simple lowercase mapping: every `step`-th code point from `first` to
/// `last` maps to itself plus `delta`. Generated from UnicodeData.txt (Unicode 14).
struct LowerRun {
  char32_t first;
  char32_t last;
  std::int32_t delta;
  std::uint8_t step;
};

constexpr LowerRun kLowerRuns[] = {
    {0x0041, 0x005A, 32, 1},     {0x00C0, 0x00D6, 32, 1},     {0x00D8, 0x00DE, 32, 1},
    {0x0100, 0x012E, 1, 2},      {0x0132, 0x0136, 1, 2},      {0x0139, 0x0147, 1, 2},
    {0x014A, 0x0176, 1, 2},      {0x0178, 0x0178, -121, 1},   {0x0179, 0x017D, 1, 2},
    {0x0181, 0x0181, 210, 1},    {0x0182, 0x0184, 1, 2},      {0x0186, 0x0186, 206, 1},
    {0x0187, 0x0187, 1, 1},      {0x0189, 0x018A, 205, 1},    {0x018B, 0x018B, 1, 1},
    {0x018E, 0x018E, 79, 1},     {0x018F, 0x018F, 202, 1},    {0x0190, 0x0190, 203, 1},
    {0x0191, 0x0191, 1, 1},      {0x0193, 0x0193, 205, 1},    {0x0194, 0x0194, 207, 1},
    {0x0196, 0x0196, 211, 1},    {0x0197, 0x0197, 209, 1},    {0x0198, 0x0198, 1, 1},
    {0x019C, 0x019C, 211, 1},    {0x019D, 0x019D, 213, 1},    {0x019F, 0x019F, 214, 1},
    {0x01A0, 0x01A4, 1, 2},      {0x01A6, 0x01A6, 218, 1},    {0x01A7, 0x01A7, 1, 1},
    {0x01A9, 0x01A9, 218, 1},    {0x01AC, 0x01AC, 1, 1},      {0x01AE, 0x01AE, 218, 1},
    {0x01AF, 0x01AF, 1, 1},      {0x01B1, 0x01B2, 217, 1},    {0x01B3, 0x01B5, 1, 2},
    {0x01B7, 0x01B7, 219, 1},    {0x01B8, 0x01B8, 1, 1},      {0x01BC, 0x01BC, 1, 1},
    {0x01C4, 0x01C4, 2, 1},      {0x01C5, 0x01C5, 1, 1},      {0x01C7, 0x01C7, 2, 1},
    {0x01C8, 0x01C8, 1, 1},      {0x01CA, 0x01CA, 2, 1},      {0x01CB, 0x01DB, 1, 2},
    {0x01DE, 0x01EE, 1, 2},      {0x01F1, 0x01F1, 2, 1},      {0x01F2, 0x01F4, 1, 2},
    {0x01F6, 0x01F6, -97, 1},    {0x01F7, 0x01F7, -56, 1},    {0x01F8, 0x021E, 1, 2},
    {0x0220, 0x0220, -130, 1},   {0x0222, 0x0232, 1, 2},      {0x023A, 0x023A, 10795, 1},
    {0x023B, 0x023B, 1, 1},      {0x023D, 0x023D, -163, 1},   {0x023E, 0x023E, 10792, 1},
    {0x0241, 0x0241, 1, 1},      {0x0243, 0x0243, -195, 1},   {0x0244, 0x0244, 69, 1},
    {0x0245, 0x0245, 71, 1},     {0x0246, 0x024E, 1, 2},      {0x0370, 0x0372, 1, 2},
    {0x0376, 0x0376, 1, 1},      {0x037F, 0x037F, 116, 1},    {0x0386, 0x0386, 38, 1},
    {0x0388, 0x038A, 37, 1},     {0x038C, 0x038C, 64, 1},     {0x038E, 0x038F, 63, 1},
    {0x0391, 0x03A1, 32, 1},     {0x03A3, 0x03AB, 32, 1},     {0x03CF, 0x03CF, 8, 1},
    {0x03D8, 0x03EE, 1, 2},      {0x03F4, 0x03F4, -60, 1},    {0x03F7, 0x03F7, 1, 1},
    {0x03F9, 0x03F9, -7, 1},     {0x03FA, 0x03FA, 1, 1},      {0x03FD, 0x03FF, -130, 1},
    {0x0400, 0x040F, 80, 1},     {0x0410, 0x042F, 32, 1},     {0x0460, 0x0480, 1, 2},
    {0x048A, 0x04BE, 1, 2},      {0x04C0, 0x04C0, 15, 1},     {0x04C1, 0x04CD, 1, 2},
    {0x04D0, 0x052E, 1, 2},      {0x0531, 0x0556, 48, 1},     {0x10A0, 0x10C5, 7264, 1},
    {0x10C7, 0x10C7, 7264, 1},   {0x10CD, 0x10CD, 7264, 1},   {0x13A0, 0x13EF, 38864, 1},
    {0x13F0, 0x13F5, 8, 1},      {0x1C90, 0x1CBA, -3008, 1},  {0x1CBD, 0x1CBF, -3008, 1},
    {0x1E00, 0x1E94, 1, 2},      {0x1E9E, 0x1E9E, -7615, 1},  {0x1EA0, 0x1EFE, 1, 2},
    {0x1F08, 0x1F0F, -8, 1},     {0x1F18, 0x1F1D, -8, 1},     {0x1F28, 0x1F2F, -8, 1},
    {0x1F38, 0x1F3F, -8, 1},     {0x1F48, 0x1F4D, -8, 1},     {0x1F59, 0x1F5F, -8, 2},
    {0x1F68, 0x1F6F, -8, 1},     {0x1F88, 0x1F8F, -8, 1},     {0x1F98, 0x1F9F, -8, 1},
    {0x1FA8, 0x1FAF, -8, 1},     {0x1FB8, 0x1FB9, -8, 1},     {0x1FBA, 0x1FBB, -74, 1},
    {0x1FBC, 0x1FBC, -9, 1},     {0x1FC8, 0x1FCB, -86, 1},    {0x1FCC, 0x1FCC, -9, 1},
    {0x1FD8, 0x1FD9, -8, 1},     {0x1FDA, 0x1FDB, -100, 1},   {0x1FE8, 0x1FE9, -8, 1},
    {0x1FEA, 0x1FEB, -112, 1},   {0x1FEC, 0x1FEC, -7, 1},     {0x1FF8, 0x1FF9, -128, 1},
    {0x1FFA, 0x1FFB, -126, 1},   {0x1FFC, 0x1FFC, -9, 1},     {0x2126, 0x2126, -7517, 1},
    {0x212A, 0x212A, -8383, 1},  {0x212B, 0x212B, -8262, 1},  {0x2132, 0x2132, 28, 1},
    {0x2160, 0x216F, 16, 1},     {0x2183, 0x2183, 1, 1},      {0x24B6, 0x24CF, 26, 1},
    {0x2C00, 0x2C2F, 48, 1},     {0x2C60, 0x2C60, 1, 1},      {0x2C62, 0x2C62, -10743, 1},
    {0x2C63, 0x2C63, -3814, 1},  {0x2C64, 0x2C64, -10727, 1}, {0x2C67, 0x2C6B, 1, 2},
    {0x2C6D, 0x2C6D, -10780, 1}, {0x2C6E, 0x2C6E, -10749, 1}, {0x2C6F, 0x2C6F, -10783, 1},
    {0x2C70, 0x2C70, -10782, 1}, {0x2C72, 0x2C72, 1, 1},      {0x2C75, 0x2C75, 1, 1},
    {0x2C7E, 0x2C7F, -10815, 1}, {0x2C80, 0x2CE2, 1, 2},      {0x2CEB, 0x2CED, 1, 2},
    {0x2CF2, 0x2CF2, 1, 1},      {0xA640, 0xA66C, 1, 2},      {0xA680, 0xA69A, 1, 2},
    {0xA722, 0xA72E, 1, 2},      {0xA732, 0xA76E, 1, 2},      {0xA779, 0xA77B, 1, 2},
    {0xA77D, 0xA77D, -35332, 1}, {0xA77E, 0xA786, 1, 2},      {0xA78B, 0xA78B, 1, 1},
    {0xA78D, 0xA78D, -42280, 1}, {0xA790, 0xA792, 1, 2},      {0xA796, 0xA7A8, 1, 2},
    {0xA7AA, 0xA7AA, -42308, 1}, {0xA7AB, 0xA7AB, -42319, 1}, {0xA7AC, 0xA7AC, -42315, 1},
    {0xA7AD, 0xA7AD, -42305, 1}, {0xA7AE, 0xA7AE, -42308, 1}, {0xA7B0, 0xA7B0, -42258, 1},
    {0xA7B1, 0xA7B1, -42282, 1}, {0xA7B2, 0xA7B2, -42261, 1}, {0xA7B3, 0xA7B3, 928, 1},
    {0xA7B4, 0xA7C2, 1, 2},      {0xA7C4, 0xA7C4, -48, 1},    {0xA7C5, 0xA7C5, -42307, 1},
    {0xA7C6, 0xA7C6, -35384, 1}, {0xA7C7, 0xA7C9, 1, 2},      {0xA7D0, 0xA7D0, 1, 1},
    {0xA7D6, 0xA7D8, 1, 2},      {0xA7F5, 0xA7F5, 1, 1},      {0xFF21, 0xFF3A, 32, 1},
    {0x10400, 0x10427, 40, 1},   {0x104B0, 0x104D3, 40, 1},   {0x10570, 0x1057A, 39, 1},
    {0x1057C, 0x1058A, 39, 1},   {0x1058C, 0x10592, 39, 1},   {0x10594, 0x10595, 39, 1},
    {0x10C80, 0x10CB2, 64, 1},   {0x118A0, 0x118BF, 32, 1},   {0x16E40, 0x16E5F, 32, 1},
    {0x1E900, 0x1E921, 34, 1},
};

/// Strict UTF-8 (text/utf8.hpp), or nothing.
std::optional<std::u32string> decode_utf8(std::string_view text) {
  std::u32string out;
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = 0;
    const std::size_t n = decode_utf8_at(text, i, c);
    if (n == 0) return std::nullopt;
    out += c;
    i += n;
  }
  return out;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::string utf8(std::u32string_view text) {
  std::string out;
  for (char32_t c : text) append_utf8(out, c);
  return out;
}

/// The label as it is quoted back in a message, in double quotes: short, and with control
/// characters escaped (quote()), so that hostile input stays out of the message.
std::string shown(std::u32string_view label) { return quote(utf8(label), '"'); }

std::string hex(char32_t c) { return code_point_name(c); }

bool is_ldh(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

bool is_combining_mark(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
         (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
         (c >= 0xFE20 && c <= 0xFE2F);
}

/// Code points no host name may hold. Without the IDNA tables this covers what matters in
/// practice: every hidden character (controls, bidirectional and invisible formatting
/// characters, spaces other than U+0020: text/visible.hpp, the one list of them), punctuation
/// and symbol blocks, private use, noncharacters and emoji.
bool is_disallowed(char32_t c) {
  return classify(c) != Hidden::none || (c >= 0x7F && c <= 0xBF) || c == 0xD7 || c == 0xF7 ||
         (c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
         (c >= 0xE000 && c <= 0xF8FF) || (c >= 0xFDD0 && c <= 0xFDEF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFFF0 && c <= 0xFFFF) ||
         (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0xE0000) || (c & 0xFFFE) == 0xFFFE;
}

/// Why an ASCII character cannot be in a host name.
std::string ascii_reason(char32_t c) {
  if (c == ' ') return "contains a space";
  if (c == '_') return "contains an underscore, which host names do not allow (RFC 1123)";
  if (c == '@') return "contains \"@\": write the host name alone, not an email address";
  if (c == ':') return "contains \":\": write the host name without a port or a scheme";
  if (c == '/') return "contains \"/\": write the host name alone, not a URL";
  if (c < 0x20 || c == 0x7F) return "contains the control character " + hex(c);
  return "contains \"" + std::string(1, static_cast<char>(c)) +
         "\", which host names do not allow (letters, digits and hyphens only)";
}

/// Checks one lowercased label's code points and hyphens; empty when it is fine.
std::string label_problem(std::u32string_view label) {
  for (char32_t c : label) {
    if (c < 0x80 && !is_ldh(c)) return "the label " + shown(label) + " " + ascii_reason(c);
    if (c >= 0x80 && is_disallowed(c)) {
      const std::string what =
          classify(c) == Hidden::none ? hex(c) : hex(c) + " (" + describe(c) + ")";
      return "the label " + shown(label) + " contains " + what + ", which host names do not allow";
    }
  }
  if (label.front() == '-' || label.back() == '-') {
    return "the label " + shown(label) + " begins or ends with a hyphen (RFC 1123)";
  }
  if (is_combining_mark(label.front())) {
    return "the label " + shown(label) + " begins with a combining mark (RFC 5891 §4.2.3.2)";
  }
  return {};
}

struct Label {
  std::string ascii;
  std::string unicode;
};

/// Checks an `xn--` label: valid Punycode of a canonical, lowercase, non-ASCII U-label.
Checked<Label> check_a_label(const std::u32string& label) {
  const std::string ascii = utf8(label);
  const std::string body = ascii.substr(4);
  auto decoded = punycode::decode(body);
  if (!decoded || decoded->empty()) {
    return {std::nullopt, "the label " + shown(label) + " is not valid Punycode (RFC 3492)"};
  }
  // An A-label of plain ASCII ("xn--abc-") always ends in a hyphen, which the caller refused.
  for (char32_t c : *decoded) {
    if (simple_lowercase(c) != c) {
      return {std::nullopt,
              "the label " + shown(label) + " encodes capital letters; IDNA labels are lowercase"};
    }
  }
  if (!label_problem(*decoded).empty()) {
    return {std::nullopt,
            "the label " + shown(label) + " decodes to characters that host names do not allow"};
  }
  if (punycode::encode(*decoded) != body) {
    return {std::nullopt,
            "the label " + shown(label) + " is not the canonical Punycode of " + utf8(*decoded)};
  }
  return {Label{ascii, utf8(*decoded)}, {}};
}

Checked<Label> check_label(std::u32string label) {
  if (label.empty()) {
    return {std::nullopt, "it has an empty label (two dots in a row, or a leading dot)"};
  }
  bool ascii = true;
  for (char32_t& c : label) {
    c = simple_lowercase(c);
    ascii = ascii && c < 0x80;
  }
  if (std::string problem = label_problem(label); !problem.empty()) return {std::nullopt, problem};
  const bool reserved_hyphens = label.size() >= 4 && label[2] == '-' && label[3] == '-';
  if (ascii && reserved_hyphens && label.compare(0, 4, U"xn--") == 0) return check_a_label(label);
  if (reserved_hyphens) {
    return {std::nullopt, "the label " + shown(label) +
                              " has hyphens in its third and fourth places, which are reserved "
                              "for IDNA (RFC 5891 §4.2.3.1)"};
  }
  Label out;
  out.unicode = utf8(label);
  if (ascii) {
    out.ascii = out.unicode;
  } else {
    auto encoded = punycode::encode(label);
    if (!encoded) return {std::nullopt, "the label " + shown(label) + " cannot be encoded"};
    out.ascii = "xn--" + *encoded;
  }
  if (out.ascii.size() > kMaxLabel) {
    return {std::nullopt, "the label " + shown(label) + " is " + std::to_string(out.ascii.size()) +
                              " characters long in ASCII form; the limit is 63 (RFC 1035)"};
  }
  return {out, {}};
}

bool all_digits(std::string_view label) {
  for (char c : label) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

char32_t simple_lowercase(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 32 : c;
  if (c == 0x0130) return U'i';  // LATIN CAPITAL LETTER I WITH DOT ABOVE: simple mapping
  for (const LowerRun& run : kLowerRuns) {
    if (c < run.first) break;
    if (c <= run.last && (c - run.first) % run.step == 0) {
      return static_cast<char32_t>(static_cast<std::int64_t>(c) + run.delta);
    }
  }
  return c;
}

std::optional<HostName> parse_plain_host_name(std::string_view text) {
  if (text.size() > 1 && text.back() == '.') text.remove_suffix(1);
  if (text.empty() || text.size() > kMaxName) return std::nullopt;
  HostName out;
  out.ascii.reserve(text.size());
  std::size_t start = 0;  // of the current label
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '.') {
      const std::size_t length = i - start;
      if (length == 0 || length > kMaxLabel || text[start] == '-' || text[i - 1] == '-') {
        return std::nullopt;
      }
      if (length >= 4 && text[start + 2] == '-' && text[start + 3] == '-') return std::nullopt;
      ++out.labels;
      if (i < text.size()) out.ascii += '.';
      start = i + 1;
      continue;
    }
    char c = text[i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return std::nullopt;
    }
    out.ascii += c;
  }
  const std::size_t last_dot = out.ascii.rfind('.');
  if (all_digits(
          std::string_view(out.ascii).substr(last_dot == std::string::npos ? 0 : last_dot + 1))) {
    return std::nullopt;
  }
  out.unicode = out.ascii;
  return out;
}

Checked<HostName> parse_host_name(std::string_view text) {
  if (auto plain = parse_plain_host_name(text)) return {std::move(*plain), {}};
  return parse_host_name_idna(text);
}

Checked<HostName> parse_host_name_idna(std::string_view text) {
  if (text.empty()) return {std::nullopt, "it is empty"};
  // Far beyond any valid name; refuse before doing work on hostile input.
  if (text.size() > 4 * kMaxName) {
    return {std::nullopt, "it is " + std::to_string(text.size()) +
                              " bytes long; a host name has at most 253 characters"};
  }
  auto decoded = decode_utf8(text);
  if (!decoded) return {std::nullopt, "it is not valid UTF-8 text"};
  std::u32string name = std::move(*decoded);
  for (char32_t& c : name) {
    // IDNA's other full stops (RFC 3490 §3.1): ideographic, fullwidth, halfwidth.
    if (c == 0x3002 || c == 0xFF0E || c == 0xFF61) c = '.';
  }
  if (name.size() > 1 && name.back() == '.') name.pop_back();

  HostName out;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    auto label = check_label(name.substr(start, dot == std::u32string::npos ? dot : dot - start));
    if (!label) return {std::nullopt, label.error};
    if (out.labels > 0) {
      out.ascii += '.';
      out.unicode += '.';
    }
    out.ascii += label.value->ascii;
    out.unicode += label.value->unicode;
    ++out.labels;
    if (dot == std::u32string::npos) break;
    start = dot + 1;
  }
  if (out.ascii.size() > kMaxName) {
    return {std::nullopt, "it is " + std::to_string(out.ascii.size()) +
                              " characters long in ASCII form; the limit is 253 (RFC 1035)"};
  }
  const std::size_t last_dot = out.ascii.rfind('.');
  const std::string_view top =
      std::string_view(out.ascii).substr(last_dot == std::string::npos ? 0 : last_dot + 1);
  if (all_digits(top)) {
    return {std::nullopt, "its last label \"" + std::string(top) +
                              "\" is all digits, so it reads as an IP address, not a host name "
                              "(RFC 1123 §2.1)"};
  }
  return {out, {}};
}

bool is_same_or_subdomain(std::string_view name, std::string_view parent) {
  if (name.size() == parent.size()) return name == parent;
  return name.size() > parent.size() + 1 && name[name.size() - parent.size() - 1] == '.' &&
         name.substr(name.size() - parent.size()) == parent;
}

Checked<std::string> parse_certificate_name(std::string_view text) {
  const std::size_t dot = text.find('.');
  const std::string_view first = text.substr(0, dot);
  if (first != "*") {
    if (text.find('*') != std::string_view::npos) {
      return {std::nullopt,
              "a wildcard must be the whole left-most label (\"*.zylker.com\"), not part of a "
              "label or a label further right; certificate authorities issue no other form "
              "(RFC 9525 §6.3, CA/Browser Forum Baseline Requirements)"};
    }
    auto name = parse_host_name(text);
    if (!name) return {std::nullopt, name.error};
    return {name.value->ascii, {}};
  }
  if (dot == std::string_view::npos) {
    return {std::nullopt, "a wildcard needs a domain after it (\"*.zylker.com\")"};
  }
  if (text.find('*', dot) != std::string_view::npos) {
    return {std::nullopt,
            "a certificate name holds at most one wildcard, as its whole left-most label "
            "(RFC 9525 §6.3)"};
  }
  auto rest = parse_host_name(text.substr(dot + 1));
  if (!rest) return {std::nullopt, rest.error};
  if (rest.value->labels < 2) {
    return {std::nullopt, "a wildcard directly above a top-level domain (\"*." + rest.value->ascii +
                              "\") matches no certificate a CA may issue"};
  }
  return {"*." + rest.value->ascii, {}};
}

bool certificate_name_matches(std::string_view pattern, std::string_view host) {
  if (pattern.substr(0, 2) != "*.") return pattern == host;
  const std::size_t host_dot = host.find('.');
  return host_dot != std::string_view::npos && host_dot > 0 &&
         pattern.substr(1) == host.substr(host_dot);
}

}  // namespace relaycheck::text
