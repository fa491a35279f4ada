#pragma once
/// JSON text from outside (a request, a config, a zone) read into a document, with the limits
/// that keep every later step safe. nlohmann's parser is iterative, but the document it builds is
/// a tree: copying, comparing, dumping or walking a tree nested thousands deep recurses that deep
/// and overflows the stack (natively a SIGSEGV, in wasm V8's stack). So the nesting is bounded
/// before a tree exists: a text nested deeper than kMaxJsonDepth is refused with the line and
/// column of the first bracket too deep. Every error names its line and column (RFC 8259 text is
/// UTF-8; columns count bytes, as the config's messages always have).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace relaycheck {

/// The deepest nesting of arrays and objects any JSON text may have. A real config nests 6
/// deep inside a request; 64 leaves room for any honest document and none for a stack attack.
constexpr std::size_t kMaxJsonDepth = 64;

/// Why a text is not a JSON document relaycheck reads.
struct JsonTextError {
  enum class Kind {
    syntax,    ///< not JSON (RFC 8259)
    too_deep,  ///< arrays and objects nested deeper than kMaxJsonDepth
    range,     ///< a number too large for a double (1e999)
  };
  Kind kind = Kind::syntax;
  std::size_t line = 1;    ///< 1-based
  std::size_t column = 1;  ///< 1-based, in bytes
  std::string reason;      ///< without the position

  /// "line 3, column 14: not valid JSON (<reason>)", or what else it is.
  std::string describe() const;
};

struct ParsedJson {
  nlohmann::json document;
  std::optional<JsonTextError> error;
  /// With ParseOptions::find_duplicate_keys: the JSON Pointer of each member given more than once
  /// in its object (the document keeps the last value, as nlohmann does), in text order.
  std::vector<std::string> duplicate_keys;
};

struct ParseOptions {
  bool find_duplicate_keys = false;
};

/// Reads `text` as one JSON document within the limits above.
ParsedJson parse_json_text(std::string_view text, ParseOptions options = {});

/// The error codes of one kind of JSON text (a request, a config, a zone), written out so that
/// core/rules.md and its test find each of them.
struct JsonErrorCodes {
  const char* not_json;      ///< a syntax error
  const char* too_deep;      ///< nested deeper than kMaxJsonDepth
  const char* out_of_range;  ///< a number too large for a double
};

/// The same, or a RequestError with the matching code, the message "[`subject`: ]line L, column
/// C: not valid JSON (reason)" (or "nested more than 64 deep", "number out of range (...)") and
/// `path`.
nlohmann::json parse_json_or_throw(std::string_view text, const JsonErrorCodes& codes,
                                   std::string_view subject, const std::string& path);

/// The line and column (both 1-based) of byte `offset` of `text`.
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset);

}  // namespace relaycheck
