#pragma once
/// JSON text written as it goes, into one string.
///
/// Why: the analysis report of a large config is most of a megabyte. Built as a nlohmann tree
/// first (a std::map and its nodes per object, an allocation per string) and then dumped, the
/// tree and its writer took over half of `analyze` for 30 domains × 3 relays (perf, 2026-12-02).
/// A JsonWriter appends each value straight to the answer.
///
/// The text is what nlohmann's `dump(-1, ' ', true, error_handler_t::replace)` writes for the
/// same values (RFC 8259): no white space; `"`, `\`, the C0 controls and DEL escaped (`\b \f \n \r
/// \t`, the others as `\u00XX`), and the text is ASCII: every other character is `\uXXXX`, a
/// surrogate pair above U+FFFF (§7). Each byte that is not part of well-formed UTF-8 (RFC 3629)
/// becomes `\ufffd`, one per byte as the façade cleans an attachment (core's strings come from
/// parsed JSON and are valid; this is the safety net).
///
/// Why ASCII: the page reads a 14 MB answer for 500 domains. Its 14,000 `›` made Chromium's
/// TextDecoder and JSON.parse build two-byte strings: decoding took 166-298 ms and parsing
/// 56-156 ms, against 35-49 and 35-83 ms for the same answer escaped (2026-12-03, Chromium 156,
/// load about 1.5).
///
/// Members come in the order they are written (a nlohmann object sorts its keys); a reader of
/// JSON does not depend on it.
///
/// Use: `w.object().member("a", 1).key("b").array().value("x").end().end();`. The writer keeps
/// one flag, whether the next key or element needs a comma, so it cannot check the structure;
/// `depth()` is 0 again when every object and array has been closed, which tests assert.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include <nlohmann/json.hpp>

namespace relaycheck::text {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& object();
  JsonWriter& array();
  /// Closes the innermost object or array.
  JsonWriter& end();
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(bool flag);
  JsonWriter& value(std::nullptr_t);
  JsonWriter& value(double number);
  template <
      class Integer,
      std::enable_if_t<std::is_integral_v<Integer> && !std::is_same_v<Integer, bool>, int> = 0>
  JsonWriter& value(Integer number) {
    if constexpr (std::is_signed_v<Integer>) {
      return signed_value(number);
    } else {
      return unsigned_value(number);
    }
  }
  /// A tree from elsewhere (a small or rarely written part), written in place.
  JsonWriter& value(const nlohmann::json& tree);
  template <class T>
  JsonWriter& value(const std::optional<T>& maybe) {
    return maybe ? value(*maybe) : value(nullptr);
  }

  template <class T>
  JsonWriter& member(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  /// Open objects and arrays.
  std::size_t depth() const { return closers_.size(); }

 private:
  void separate();
  void string_text(std::string_view text);
  void escape_code_point(char32_t code_point);
  void escape_unit(unsigned unit);
  JsonWriter& signed_value(long long number);
  JsonWriter& unsigned_value(unsigned long long number);

  std::string& out_;
  std::string closers_;  ///< the closing bracket of each open object and array, innermost last
  bool comma_ = false;   ///< the next key or element follows a value: it needs a comma
};

/// `tree` as JSON text written the way a JsonWriter writes (ASCII, above): the one way core's
/// answers write a nlohmann tree, so that every answer keeps the same rule.
std::string json_text(const nlohmann::json& tree);

/// The tree of what `write(w)` writes: a type whose writer is the one home of its members has a
/// to_json that reads the text back (for tests and the small methods; the report writes text).
template <class Write>
nlohmann::json written_tree(Write&& write) {
  std::string text;
  JsonWriter w(text);
  write(w);
  return nlohmann::json::parse(text);
}

}  // namespace relaycheck::text
