#pragma once
/// Text put together with `<<`, as with an ostringstream, without the iostream library.
///
/// Why: the two text reports (`format_plan_text`, `format_report_text`) were the only users of
/// <sstream> in core, and it brought about 70 KB of locale, stream-buffer and number-formatting
/// code into the wasm module (scripts/wasm-size, 2026-12-02), which every visitor of the page
/// downloads (issue 16's first-load budget). The reports only ever join text, so this takes text
/// only: a number must be formatted first (format_count, std::to_string), and passing one is a
/// compile error rather than a silent conversion to a character.
#include <string>
#include <string_view>
#include <utility>

namespace relaycheck::text {

class TextBuilder {
 public:
  TextBuilder& operator<<(std::string_view part) {
    text_ += part;
    return *this;
  }
  /// The text so far.
  const std::string& str() const& { return text_; }
  std::string str() && { return std::move(text_); }

 private:
  std::string text_;
};

}  // namespace relaycheck::text
