#include "text/json_writer.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "text/utf8.hpp"

namespace relaycheck::text {

void JsonWriter::separate() {
  if (comma_) out_ += ',';
  comma_ = true;
}

JsonWriter& JsonWriter::object() {
  separate();
  out_ += '{';
  closers_ += '}';
  comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::array() {
  separate();
  out_ += '[';
  closers_ += ']';
  comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::end() {
  out_ += closers_.back();
  closers_.pop_back();
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  string_text(name);
  out_ += ':';
  comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  separate();
  string_text(text);
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  separate();
  out_ += flag ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::value(std::nullptr_t) {
  separate();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::value(double number) {
  // Rare in a report; nlohmann writes the shortest text that reads back as the same double.
  return value(nlohmann::json(number));
}

JsonWriter& JsonWriter::value(const nlohmann::json& tree) {
  separate();
  out_ += json_text(tree);
  return *this;
}

JsonWriter& JsonWriter::signed_value(long long number) {
  separate();
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, number);
  out_.append(digits, result.ptr);
  return *this;
}

JsonWriter& JsonWriter::unsigned_value(unsigned long long number) {
  separate();
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, number);
  out_.append(digits, result.ptr);
  return *this;
}

std::string json_text(const nlohmann::json& tree) {
  return tree.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

void JsonWriter::escape_unit(unsigned unit) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char escaped[] = {'\\',
                          'u',
                          kHex[(unit >> 12) & 0xF],
                          kHex[(unit >> 8) & 0xF],
                          kHex[(unit >> 4) & 0xF],
                          kHex[unit & 0xF]};
  out_.append(escaped, sizeof escaped);
}

void JsonWriter::escape_code_point(char32_t code_point) {
  if (code_point < 0x10000) {
    escape_unit(static_cast<unsigned>(code_point));
    return;
  }
  // Above the Basic Multilingual Plane: a UTF-16 surrogate pair (RFC 8259 §7).
  const auto offset = static_cast<unsigned>(code_point) - 0x10000U;
  escape_unit(0xD800U + (offset >> 10));
  escape_unit(0xDC00U + (offset & 0x3FFU));
}

void JsonWriter::string_text(std::string_view text) {
  out_ += '"';
  std::size_t run = 0;  // start of the bytes not yet copied that need no escape
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7F) {
      ++i;
      continue;
    }
    out_.append(text.data() + run, i - run);
    if (c >= 0x80) {
      char32_t code_point = 0;
      const std::size_t length = decode_utf8_at(text, i, code_point);
      // A byte that is not well-formed UTF-8 stands for U+FFFD.
      escape_code_point(length > 0 ? code_point : U'\uFFFD');
      i += length > 0 ? length : 1;
      run = i;
      continue;
    }
    switch (c) {
      case '"':
        out_ += "\\\"";
        break;
      case '\\':
        out_ += "\\\\";
        break;
      case '\b':
        out_ += "\\b";
        break;
      case '\f':
        out_ += "\\f";
        break;
      case '\n':
        out_ += "\\n";
        break;
      case '\r':
        out_ += "\\r";
        break;
      case '\t':
        out_ += "\\t";
        break;
      default:
        escape_code_point(c);  // a C0 control or DEL
    }
    run = ++i;
  }
  out_.append(text.data() + run, n - run);
  out_ += '"';
}

}  // namespace relaycheck::text
