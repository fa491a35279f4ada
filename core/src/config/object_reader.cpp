#include "config/object_reader.hpp"

#include <algorithm>

#include "config/fields.hpp"
#include "text/ascii.hpp"
#include "text/quote.hpp"

namespace relaycheck {
namespace {

using json = nlohmann::json;

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + ("\"" + n + "\"");
  return out;
}

/// How a message names the field at `pointer` (whose member is `key`): its label in the admin's
/// words, in double quotes ("Daily limit"), or the member as written when the table has none.
std::string field_words(std::string_view pointer, std::string_view key) {
  const std::string_view label = field_label(field_pattern(pointer));
  return text::quote(label.empty() ? key : label, '"');
}

/// "The relay", "The relay's DKIM signing": how a sentence starts that is about the object.
std::string the(const std::string& what) { return "The " + what; }

}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 0;
  for (const auto& c : candidates) {
    std::size_t d = text::iedit_distance(word, c);
    if (best.empty() || d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  const std::size_t allowed = std::max<std::size_t>(2, word.size() / 3);
  return !best.empty() && best_distance <= allowed ? best : std::string();
}

std::string_view json_type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "an integer";
    case json::value_t::number_float:
      return "a number with a fraction";
    default:
      return "a value of another kind";
  }
}

ObjectReader::ObjectReader(const json& value, std::string path, std::string what,
                           std::vector<Finding>& findings)
    : path_(std::move(path)), what_(std::move(what)), findings_(findings) {
  if (value.is_object()) {
    object_ = &value;
  } else {
    add("config.wrong_type", Severity::error, path_,
        the(what_) + " is written as " + std::string(json_type_name(value)) +
            " instead of a group of settings, so none of its settings can be read and it is left "
            "out of the analysis.",
        "Write its settings between braces, { … }, as the example config does.");
  }
}

std::string ObjectReader::path_of(std::string_view key) const {
  return path_ + "/" + pointer_token(key);
}

void ObjectReader::add(std::string code, Severity severity, std::string path, std::string message,
                       std::string fix) {
  findings_.push_back(
      Finding{std::move(code), severity, std::move(path), std::move(message), std::move(fix)});
}

const json* ObjectReader::field(std::string_view key, Need need) {
  known_.emplace_back(key);
  if (object_ == nullptr) return nullptr;
  auto it = object_->find(key);
  if (it == object_->end()) {
    if (need == Need::required) {
      const std::string name = field_words(path_of(key), key);
      add("config.missing_field", Severity::error, path_of(key),
          the(what_) + " does not say its " + name +
              ", which it needs, so nothing that depends on it is checked.",
          "Enter " + name + ".");
    }
    return nullptr;
  }
  return &*it;
}

void ObjectReader::report_wrong_type(std::string_view key, std::string_view expected) {
  const json& value = (*object_)[std::string(key)];
  const std::string name = field_words(path_of(key), key);
  add("config.wrong_type", Severity::error, path_of(key),
      "The value of " + name + " must be " + std::string(expected) + ", but it is " +
          std::string(json_type_name(value)) +
          ", so it is not read and nothing that depends on it is checked.",
      "Make " + name + " " + std::string(expected) + ".");
}

void ObjectReader::report_unknown_value(std::string_view key, const std::string& text,
                                        const std::vector<std::string>& names,
                                        std::string_view hint) {
  std::string fix = "Use one of " + quoted_list(names) + ".";
  if (std::string close = closest_match(text, names); !close.empty()) {
    fix = "Did you mean \"" + close + "\"? " + fix;
  }
  if (!hint.empty()) fix += " " + std::string(hint);
  add("config.unknown_value", Severity::error, path_of(key),
      "The value " + text::quote(text, '"') + " is not one of the choices for " +
          field_words(path_of(key), key) +
          ", so it is not read and nothing that depends on it is checked.",
      fix);
}

bool ObjectReader::read_string(std::string_view key, std::string& out, Need need) {
  const json* value = field(key, need);
  if (value == nullptr) return false;
  if (!value->is_string()) {
    report_wrong_type(key, "a string");
    return false;
  }
  out = value->get<std::string>();
  return true;
}

bool ObjectReader::read_bool(std::string_view key, bool& out, Need need) {
  const json* value = field(key, need);
  if (value == nullptr) return false;
  if (!value->is_boolean()) {
    report_wrong_type(key, "true or false");
    return false;
  }
  out = value->get<bool>();
  return true;
}

bool ObjectReader::read_integer(std::string_view key, std::int64_t& out, std::int64_t min,
                                std::int64_t max, Need need) {
  const json* value = field(key, need);
  if (value == nullptr) return false;
  const std::string range = std::to_string(min) + " to " + std::to_string(max);
  if (value->is_number_float()) {
    const std::string name = field_words(path_of(key), key);
    add("config.out_of_range", Severity::error, path_of(key),
        "The value of " + name + " must be a whole number, not " + value->dump() +
            ", so it is not read and nothing that depends on it is checked.",
        "Enter a whole number from " + range + " for " + name + ".");
    return false;
  }
  if (!value->is_number_integer()) {
    report_wrong_type(key, "a whole number");
    return false;
  }
  const bool too_big =
      value->is_number_unsigned() && value->get<std::uint64_t>() > static_cast<std::uint64_t>(max);
  const std::int64_t number = too_big ? max : value->get<std::int64_t>();
  if (too_big || number < min || number > max) {
    const std::string name = field_words(path_of(key), key);
    add("config.out_of_range", Severity::error, path_of(key),
        "The value of " + name + " is " + value->dump() + ", outside the range " + range +
            ", so it is not read and nothing that depends on it is checked.",
        "Enter a whole number from " + range + " for " + name + ".");
    return false;
  }
  out = number;
  return true;
}

bool ObjectReader::read_int(std::string_view key, int& out, int min, int max, Need need) {
  std::int64_t wide = 0;
  if (!read_integer(key, wide, min, max, need)) return false;
  out = static_cast<int>(wide);
  return true;
}

bool ObjectReader::read_optional_int(std::string_view key, std::optional<int>& out, int min,
                                     int max) {
  if (object_ != nullptr && object_->contains(key) && (*object_)[std::string(key)].is_null()) {
    known_.emplace_back(key);
    out.reset();
    return true;
  }
  int value = 0;
  if (!read_int(key, value, min, max)) return false;
  out = value;
  return true;
}

bool ObjectReader::read_string_list(std::string_view key, std::vector<std::string>& out,
                                    Need need) {
  const json* value = field(key, need);
  if (value == nullptr) return false;
  if (!value->is_array()) {
    report_wrong_type(key, "a list of entries in quotes");
    return false;
  }
  out.clear();
  for (std::size_t i = 0; i < value->size(); ++i) {
    const json& item = (*value)[i];
    if (item.is_string()) {
      out.push_back(item.get<std::string>());
    } else {
      add("config.wrong_type", Severity::error, path_of(key) + "/" + std::to_string(i),
          "Entry " + std::to_string(i + 1) + " of " + field_words(path_of(key), key) + " is " +
              std::string(json_type_name(item)) + ", not an entry in quotes, so it is left out.",
          "Write the entry in quotes, or remove it.");
    }
  }
  return true;
}

void ObjectReader::finish() {
  if (object_ == nullptr) return;
  for (const auto& [key, value] : object_->items()) {
    (void)value;
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    const std::string close = closest_match(key, known_);
    const std::string message =
        the(what_) + " has no setting called " + text::quote(key, '"') + ", so it is ignored.";
    std::string fix;
    if (close.empty()) {
      std::vector<std::string> labels;
      for (const std::string& k : known_) {
        const std::string words = field_words(path_of(k), k);
        if (std::find(labels.begin(), labels.end(), words) == labels.end()) labels.push_back(words);
      }
      fix = "Remove it; the settings here are ";
      for (std::size_t i = 0; i < labels.size(); ++i) {
        fix += (i == 0 ? "" : i + 1 == labels.size() ? " and " : ", ") + labels[i];
      }
      fix += ".";
    } else {
      fix = "Did you mean " + field_words(path_of(close), close) +
            "? Correct the spelling of the name, or remove it.";
    }
    add("config.unknown_field", Severity::warning, path_of(key), message, fix);
  }
}

}  // namespace relaycheck
