#include "orgdomain/name_forms.hpp"

namespace relaycheck::orgdomain {
namespace {

std::vector<std::string> split_dots(const std::string& name) {
  std::vector<std::string> labels;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    labels.push_back(
        name.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return labels;
    start = dot + 1;
  }
}

/// The length of the label separator at `i` in UTF-8 text: "." or one of IDNA's other full
/// stops (U+3002, U+FF0E, U+FF61), which parse_host_name reads as dots too; 0 for none.
std::size_t separator_at(std::string_view text, std::size_t i) {
  if (text[i] == '.') return 1;
  if (i + 3 > text.size()) return 0;
  const std::string_view three = text.substr(i, 3);
  return three == "\xE3\x80\x82" || three == "\xEF\xBC\x8E" || three == "\xEF\xBD\xA1" ? 3 : 0;
}

/// Per label of the text as given: true when it is all ASCII. Called only on text that
/// parse_host_name accepted, so the labels line up with its own, but a trailing separator.
std::vector<bool> ascii_labels(std::string_view text) {
  std::vector<bool> out;
  bool ascii = true;
  bool empty = true;
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t sep = separator_at(text, i); sep != 0) {
      out.push_back(ascii);
      ascii = true;
      empty = true;
      i += sep;
      continue;
    }
    ascii = ascii && static_cast<unsigned char>(text[i]) < 0x80;
    empty = false;
    ++i;
  }
  if (!empty || out.empty()) out.push_back(ascii);
  return out;
}

std::string join_suffix(const std::vector<std::string>& labels, std::size_t count) {
  std::string out;
  for (std::size_t i = labels.size() - count; i < labels.size(); ++i) {
    if (!out.empty()) out += '.';
    out += labels[i];
  }
  return out;
}

}  // namespace

std::string NameForms::ascii_suffix(std::size_t count) const { return join_suffix(ascii, count); }
std::string NameForms::given_suffix(std::size_t count) const { return join_suffix(given, count); }

Checked<NameForms> split_name(std::string_view text) {
  auto parsed = parse_host_name(text);
  if (!parsed) return {std::nullopt, parsed.error};
  NameForms out;
  out.ascii = split_dots(parsed.value->ascii);
  const std::vector<std::string> unicode = split_dots(parsed.value->unicode);
  const std::vector<bool> given_ascii = ascii_labels(text);
  if (unicode.size() != out.ascii.size() || given_ascii.size() != out.ascii.size()) {
    // Cannot happen for a name parse_host_name accepted; answer in A-labels rather than guess.
    out.given = out.ascii;
    return {std::move(out), {}};
  }
  out.given.reserve(out.ascii.size());
  for (std::size_t i = 0; i < out.ascii.size(); ++i) {
    out.given.push_back(given_ascii[i] ? out.ascii[i] : unicode[i]);
  }
  return {std::move(out), {}};
}

}  // namespace relaycheck::orgdomain
