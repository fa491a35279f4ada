#include "config/object_reader.hpp"

#include <algorithm>

#include "text/ascii.hpp"

namespace relaycheck {
namespace {

using json = nlohmann::json;

using text::to_lower;

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t cost = to_lower(a[i - 1]) == to_lower(b[j - 1]) ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + ("\"" + n + "\"");
  return out;
}

/// Shortens text quoted back to the user, so that a megabyte of garbage stays out of messages.
std::string excerpt(std::string_view text) {
  constexpr std::size_t kMax = 60;
  if (text.size() <= kMax) return std::string(text);
  return std::string(text.substr(0, kMax)) + "…";
}

}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 0;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(word, c);
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
        "the " + what_ + " must be an object, but it is " + std::string(json_type_name(value)) +
            ".",
        "Write the " + what_ + " as a JSON object: { ... }.");
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
      add("config.missing_field", Severity::error, path_of(key),
          "the " + what_ + " has no \"" + std::string(key) + "\", which it needs.",
          "Add \"" + std::string(key) + "\" to the " + what_ + ".");
    }
    return nullptr;
  }
  return &*it;
}

void ObjectReader::report_wrong_type(std::string_view key, std::string_view expected) {
  const json& value = (*object_)[std::string(key)];
  add("config.wrong_type", Severity::error, path_of(key),
      "\"" + std::string(key) + "\" of the " + what_ + " must be " + std::string(expected) +
          ", but it is " + std::string(json_type_name(value)) + ".",
      "Set \"" + std::string(key) + "\" to " + std::string(expected) + ".");
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
      "\"" + excerpt(text) + "\" is not a known value of \"" + std::string(key) + "\".", fix);
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
    add("config.out_of_range", Severity::error, path_of(key),
        "\"" + std::string(key) + "\" of the " + what_ + " must be a whole number, not " +
            value->dump() + ".",
        "Set \"" + std::string(key) + "\" to a whole number from " + range + ".");
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
    add("config.out_of_range", Severity::error, path_of(key),
        "\"" + std::string(key) + "\" of the " + what_ + " is " + value->dump() +
            ", outside the range " + range + ".",
        "Set \"" + std::string(key) + "\" to a whole number from " + range + ".");
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
    report_wrong_type(key, "a list of strings");
    return false;
  }
  out.clear();
  for (std::size_t i = 0; i < value->size(); ++i) {
    const json& item = (*value)[i];
    if (item.is_string()) {
      out.push_back(item.get<std::string>());
    } else {
      add("config.wrong_type", Severity::error, path_of(key) + "/" + std::to_string(i),
          "entry " + std::to_string(i) + " of \"" + std::string(key) +
              "\" must be a string, but it is " + std::string(json_type_name(item)) + ".",
          "Write the entry as a string in quotes, or remove it.");
    }
  }
  return true;
}

void ObjectReader::finish() {
  if (object_ == nullptr) return;
  for (const auto& [key, value] : object_->items()) {
    (void)value;
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::string close = closest_match(key, known_);
    std::string message =
        "\"" + excerpt(key) + "\" is not a field of the " + what_ + "; it is ignored.";
    std::string fix = close.empty() ? "Remove it; the known fields are " + quoted_list(known_) + "."
                                    : "Did you mean \"" + close + "\"?";
    add("config.unknown_field", Severity::warning, path_of(key), message, fix);
  }
}

}  // namespace relaycheck
