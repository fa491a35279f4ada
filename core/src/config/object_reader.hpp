#pragma once
/// Reads one JSON object of a document into a model, field by field, turning every problem into
/// a finding with a JSON Pointer: wrong types, missing required fields, out-of-range numbers,
/// unknown values and unknown fields (named with the closest known field, so typos never pass).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/finding.hpp"

namespace relaycheck {

/// The closest of `candidates` to `word` by edit distance (case-insensitive), when close enough
/// to be a plausible typo; empty otherwise.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

/// One accepted spelling of an enumerated value.
template <class E>
struct Choice {
  std::string_view name;
  E value;
};

/// The spelling of `value` in `choices` (each value appears once).
template <class E, std::size_t N>
constexpr std::string_view name_of(const std::array<Choice<E>, N>& choices, E value) {
  for (const auto& c : choices) {
    if (c.value == value) return c.name;
  }
  return {};
}

class ObjectReader {
 public:
  enum class Need { optional, required };

  /// `what` names the object in messages ("relay", "domain"); `path` is its JSON Pointer.
  ObjectReader(const nlohmann::json& value, std::string path, std::string what,
               std::vector<Finding>& findings);

  /// False when the value was not an object (already reported); every read then does nothing.
  bool is_object() const { return object_ != nullptr; }
  const std::string& path() const { return path_; }
  /// What the object is called in messages ("relay", "domain").
  const std::string& what() const { return what_; }
  std::string path_of(std::string_view key) const;

  /// Reads a string; one that holds hidden characters (text/visible.hpp) is reported as
  /// `config.text.invisible` unless report_hidden() leaves its field to another check.
  bool read_string(std::string_view key, std::string& out, Need need = Need::optional);
  bool read_bool(std::string_view key, bool& out, Need need = Need::optional);
  bool read_integer(std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max,
                    Need need = Need::optional);
  bool read_int(std::string_view key, int& out, int min, int max, Need need = Need::optional);
  bool read_optional_int(std::string_view key, std::optional<int>& out, int min, int max);
  bool read_string_list(std::string_view key, std::vector<std::string>& out,
                        Need need = Need::optional);

  /// Reads a string that must be one of `choices`; `hint` is added to the message when not.
  template <class E, std::size_t N>
  bool read_choice(std::string_view key, E& out, const std::array<Choice<E>, N>& choices,
                   Need need = Need::optional, std::string_view hint = {}) {
    std::string text;
    // An unknown choice is an error that quotes the value as core shows it: no second finding.
    if (!read_text(key, text, need)) return false;
    std::vector<std::string> names;
    for (const auto& c : choices) {
      if (c.name == text) {
        out = c.value;
        return true;
      }
      names.emplace_back(c.name);
    }
    report_unknown_value(key, text, names, hint);
    return false;
  }

  /// Marks `key` as known and returns its value, or nullptr when absent.
  const nlohmann::json* field(std::string_view key, Need need = Need::optional);

  /// Marks `key` as known without reading it (a field read elsewhere, or deliberately dropped).
  void accept(std::string_view key) { known_.emplace_back(key); }

  /// Reports every field that no read asked for, naming the closest known field.
  void finish();

  void add(std::string code, Severity severity, std::string path, std::string message,
           std::string fix);

 private:
  bool read_text(std::string_view key, std::string& out, Need need);
  void report_wrong_type(std::string_view key, std::string_view expected);
  void report_unknown_value(std::string_view key, const std::string& text,
                            const std::vector<std::string>& names, std::string_view hint);

  const nlohmann::json* object_ = nullptr;
  std::string path_;
  std::string what_;
  std::vector<Finding>& findings_;
  std::vector<std::string> known_;
};

/// Reports `value` (of the field at `path`) when it holds hidden characters (text/visible.hpp):
/// a warning, `config.text.invisible`, that quotes the value as core shows it ("crm‹U+202E›
/// relay"), says what the first such character does and how to fix it. Fields whose values a
/// check rejects with an error anyway (host and domain names, addresses, networks, selectors,
/// time zones, choices) are left to that error, which quotes the value the same way, so that
/// nothing is reported twice. `sent` says who reads the value ("the CRM sends"); `label` names
/// the field when the table of fields has no label for it. `checked` false: the caller knows
/// that no other check reads this value (a setting beside it turns that check off).
void report_hidden(const std::string& path, std::string_view value, std::vector<Finding>& findings,
                   std::string_view sent = "the CRM sends", std::string_view label = {},
                   bool checked = true);

/// The JSON type of a value, as a person would say it ("a string", "an array").
std::string_view json_type_name(const nlohmann::json& value);

}  // namespace relaycheck
