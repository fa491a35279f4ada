#include "config/object_reader.hpp"

#include <algorithm>

#include "config/fields.hpp"
#include "text/ascii.hpp"
#include "text/quote.hpp"
#include "text/visible.hpp"

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

/// Fields whose values another check refuses with an error that names the hidden character
/// (parse_host_name, the address, network and certificate-name parsers, the selector and
/// time-zone checks, RFC 3339 times): report_hidden leaves them to it. Not the relay's outbound
/// IPs: nothing refuses one that does not read, so its hidden character is this warning. A test
/// analyses a value with U+202E in each and finds exactly one finding there.
constexpr std::string_view kCheckedElsewhere[] = {
    "/account/crmRanges/*",
    "/account/bounceDomains/*",
    "/account/timeZone",
    "/domains/*/name",
    "/domains/*/returnPathAddress",
    "/domains/*/crmDkim/domain",
    "/domains/*/crmDkim/selector",
    "/domains/*/relays/*/host",
    "/domains/*/relays/*/certificateHost",
    "/domains/*/relays/*/allowedNetworks/*",
    "/domains/*/relays/*/dkim/domain",
    "/domains/*/relays/*/dkim/selector",
    "/domains/*/relays/*/returnPathDomain",
    "/dns/*/*/fetched",
};

/// `value` quoted so that its first hidden character (at `offset`) is inside the quote: a long
/// value is quoted from a little before it, after "…".
std::string quoted_around(std::string_view value, std::size_t offset) {
  constexpr std::size_t kBefore = 16;
  if (offset + 8 <= text::kMaxQuotedBytes || offset < kBefore) return text::quote(value, '"');
  std::size_t start = offset - kBefore;
  while (start > 0 && (static_cast<unsigned char>(value[start]) & 0xC0) == 0x80) --start;
  const std::string rest = text::quote(value.substr(start), '"');
  return "\"…" + rest.substr(1);
}

}  // namespace

void report_hidden(const std::string& path, std::string_view value, std::vector<Finding>& findings,
                   std::string_view sent, std::string_view label, bool checked) {
  const std::vector<text::HiddenChar> hidden = text::hidden_in(value);
  if (hidden.empty()) return;
  const std::string pattern = field_pattern(path);
  for (const std::string_view elsewhere : kCheckedElsewhere) {
    if (checked && pattern == elsewhere) return;
  }
  // An entry of a list is named by the list's label.
  if (label.empty()) label = field_label(pattern);
  if (label.empty() && pattern.size() > 2 && pattern.compare(pattern.size() - 2, 2, "/*") == 0)
    label = field_label(std::string_view(pattern).substr(0, pattern.size() - 2));
  const std::string name = label.empty() ? std::string("this field") : text::quote(label, '"');
  const text::HiddenChar& first = hidden.front();
  // The character as the message's quote shows it: ‹U+202E›, or \u001B for a control.
  std::size_t length = 1;
  while (first.offset + length < value.size() &&
         (static_cast<unsigned char>(value[first.offset + length]) & 0xC0) == 0x80)
    ++length;
  const std::string shown =
      text::visible(value.substr(first.offset, length), text::ShowOptions{false, true});
  std::string what =
      text::code_point_name(first.code_point) + ", " + text::describe(first.code_point);
  if (hidden.size() > 1) {
    what += " (and " + std::to_string(hidden.size() - 1) + " more hidden character" +
            (hidden.size() > 2 ? "s" : "") + ")";
  }
  findings.push_back(Finding{
      "config.text.invisible", Severity::warning, path,
      "The value " + quoted_around(value, first.offset) + " of " + name + " holds " + what +
          ", which " + text::effect(first.code_point) + ": what you see is not what " +
          std::string(sent) + ".",
      "Retype the value of " + name + " by hand, without " + shown +
          (hidden.size() > 1 ? " and the other marked characters" : "") +
          "; text copied from a web page, a chat or a document often carries such characters."});
}

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
  if (!read_text(key, out, need)) return false;
  report_hidden(path_of(key), out, findings_);
  return true;
}

bool ObjectReader::read_text(std::string_view key, std::string& out, Need need) {
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
      report_hidden(path_of(key) + "/" + std::to_string(i), out.back(), findings_);
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
