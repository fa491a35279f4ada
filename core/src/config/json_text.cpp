#include "config/json_text.hpp"

#include <unordered_set>

#include "api/request_error.hpp"
#include "config/finding.hpp"

namespace relaycheck {
namespace {

using json = nlohmann::json;

/// The offset of the first `[` or `{` (outside strings) that opens a level deeper than `limit`,
/// or npos. One pass over the bytes, before any tree is built; a text that is not JSON is left
/// to the parser, which names its own error.
std::size_t too_deep_at(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

/// nlohmann's DOM builder behind a SAX interface of our own: it records where the parser failed
/// (the DOM builder alone would throw without a position for a number out of range) and, when
/// asked, the members that an object gives twice.
class Reader {
 public:
  Reader(json& root, bool find_duplicates, ParsedJson& out)
      : dom_(root, false), duplicates_(find_duplicates), out_(out) {}

  bool null() { return value() && dom_.null(); }
  bool boolean(bool v) { return value() && dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return value() && dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return value() && dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const std::string& s) {
    return value() && dom_.number_float(v, s);
  }
  bool string(std::string& v) { return value() && dom_.string(v); }
  bool binary(json::binary_t& v) { return value() && dom_.binary(v); }
  bool start_object(std::size_t n) { return open(false) && dom_.start_object(n); }
  bool start_array(std::size_t n) { return open(true) && dom_.start_array(n); }
  bool end_object() { return close() && dom_.end_object(); }
  bool end_array() { return close() && dom_.end_array(); }
  bool key(std::string& k) {
    if (duplicates_) {
      Frame& top = frames_.back();
      top.key = k;
      if (!top.keys.insert(k).second) out_.duplicate_keys.push_back(pointer());
    }
    return dom_.key(k);
  }

  template <class Exception>
  bool parse_error(std::size_t position, const std::string& /*last_token*/, const Exception& ex) {
    const std::string_view id = ex.id == 406 ? "out_of_range" : "";
    error_kind_ = id.empty() ? JsonTextError::Kind::syntax : JsonTextError::Kind::range;
    error_offset_ = position == 0 ? 0 : position - 1;
    std::string what = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..." → the
    // reason alone; the position is ours.
    if (auto bracket = what.find("] "); bracket != std::string::npos) what.erase(0, bracket + 2);
    if (auto colon = what.find(": ");
        colon != std::string::npos && what.rfind("parse error", 0) == 0)
      what.erase(0, colon + 2);
    error_reason_ = what;
    failed_ = true;
    return false;
  }

  bool failed() const { return failed_; }
  JsonTextError::Kind error_kind() const { return error_kind_; }
  std::size_t error_offset() const { return error_offset_; }
  const std::string& error_reason() const { return error_reason_; }

 private:
  struct Frame {
    bool array = false;
    std::size_t count = 0;  ///< values seen so far in an array
    std::string key;        ///< the member being read in an object
    std::unordered_set<std::string> keys;
  };

  /// Every value event: in an array, the value takes the next index.
  bool value() {
    if (duplicates_ && !frames_.empty() && frames_.back().array) ++frames_.back().count;
    return true;
  }
  bool open(bool array) {
    value();
    if (duplicates_) frames_.push_back(Frame{array, 0, {}, {}});
    return true;
  }
  bool close() {
    if (duplicates_ && !frames_.empty()) frames_.pop_back();
    return true;
  }
  /// The JSON Pointer of the member being read.
  std::string pointer() const {
    std::string out;
    for (const Frame& f : frames_) {
      out += '/';
      out += f.array ? std::to_string(f.count - 1) : pointer_token(f.key);
    }
    return out;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  bool duplicates_;
  ParsedJson& out_;
  std::vector<Frame> frames_;
  bool failed_ = false;
  JsonTextError::Kind error_kind_ = JsonTextError::Kind::syntax;
  std::size_t error_offset_ = 0;
  std::string error_reason_;
};

JsonTextError error_at(std::string_view text, JsonTextError::Kind kind, std::size_t offset,
                       std::string reason) {
  const auto [line, column] = line_and_column(text, offset);
  return JsonTextError{kind, line, column, std::move(reason)};
}

}  // namespace

std::string JsonTextError::describe() const {
  const std::string where =
      "line " + std::to_string(line) + ", column " + std::to_string(column) + ": ";
  switch (kind) {
    case Kind::too_deep:
      return where + reason;
    case Kind::range:
      return where + "number out of range (" + reason + ")";
    case Kind::syntax:
      break;
  }
  return where + "not valid JSON (" + reason + ")";
}

std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  const std::size_t end = std::min(offset, text.size());
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

ParsedJson parse_json_text(std::string_view text, ParseOptions options) {
  ParsedJson out;
  // nlohmann's lexer reads a NUL byte as the end of the input: `{...}\0{...}` would be one
  // document and the rest silently dropped. RFC 8259 allows no NUL outside a string, and inside
  // one only as \u0000, so any NUL byte is refused where it stands.
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    out.error = error_at(text, JsonTextError::Kind::syntax, nul,
                         "a NUL byte; inside a string write it as \\u0000");
    return out;
  }
  if (const std::size_t deep = too_deep_at(text, kMaxJsonDepth); deep != std::string_view::npos) {
    out.error =
        error_at(text, JsonTextError::Kind::too_deep, deep,
                 "arrays and objects nested more than " + std::to_string(kMaxJsonDepth) + " deep");
    return out;
  }
  Reader reader(out.document, options.find_duplicate_keys, out);
  json::sax_parse(text.begin(), text.end(), &reader);
  if (reader.failed()) {
    out.error = error_at(text, reader.error_kind(), reader.error_offset(), reader.error_reason());
    out.document = json();
    out.duplicate_keys.clear();
  }
  return out;
}

json parse_json_or_throw(std::string_view text, const JsonErrorCodes& codes,
                         std::string_view subject, const std::string& path) {
  ParsedJson parsed = parse_json_text(text);
  if (!parsed.error) return std::move(parsed.document);
  const JsonTextError& e = *parsed.error;
  const char* code = e.kind == JsonTextError::Kind::too_deep ? codes.too_deep
                     : e.kind == JsonTextError::Kind::range  ? codes.out_of_range
                                                             : codes.not_json;
  throw RequestError(code, (subject.empty() ? "" : std::string(subject) + ", ") + e.describe(),
                     path);
}

}  // namespace relaycheck
