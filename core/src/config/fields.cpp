#include "config/fields.hpp"

#include <nlohmann/json.hpp>

#include "text/quote.hpp"

namespace relaycheck {
namespace {

/// The reference tokens of a JSON Pointer, unescaped (RFC 6901: `~1` → `/`, `~0` → `~`).
std::vector<std::string> pointer_tokens(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  std::size_t pos = pointer.front() == '/' ? 1 : 0;
  while (true) {
    const std::size_t end = pointer.find('/', pos);
    const std::string_view raw =
        pointer.substr(pos, end == std::string_view::npos ? end : end - pos);
    std::string token;
    token.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token += raw[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        token += raw[i];
      }
    }
    tokens.push_back(std::move(token));
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return tokens;
}

/// The index a token names, when it is a plain decimal number of at most six digits.
bool read_index(const std::string& token, std::size_t& index) {
  if (token.empty() || token.size() > 6 ||
      token.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  index = static_cast<std::size_t>(std::stoul(token));
  return true;
}

/// Whether token `i` of a pointer names an item (an index, a traffic type, a DNS owner) rather
/// than a member: it becomes `*` in the pattern.
bool is_item(const std::vector<std::string>& tokens, std::size_t i) {
  if (i == 0) return false;
  const std::string& before = tokens[i - 1];
  std::size_t index = 0;
  if (i == 1) return before == "domains" || before == "dns";
  if (tokens[0] == "dns" && i == 2) return true;
  if (tokens[0] == "domains" && i == 3 && (before == "relays" || before == "traffic")) return true;
  return read_index(tokens[i], index);
}

std::string pattern_of(const std::vector<std::string>& tokens, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count && i < tokens.size(); ++i) {
    out += '/';
    out += is_item(tokens, i) ? std::string("*") : pointer_token(tokens[i]);
  }
  return out;
}

const FieldLabel* find_field(std::string_view pattern) {
  for (const FieldLabel& field : kFieldLabels) {
    if (field.pattern == pattern) return &field;
  }
  return nullptr;
}

std::string email_type_words(const std::string& token) {
  if (token == "workflow") return "Workflow emails";
  if (token == "mass") return "Mass emails";
  if (token == "individual") return "Individual emails";
  return "Emails of type " + text::quote(token, '"');
}

std::string hour_text(std::size_t hour) {
  return "Hour " + std::string(hour < 10 ? "0" : "") + std::to_string(hour) + ":00";
}

}  // namespace

std::string_view field_label(std::string_view pattern) {
  const FieldLabel* field = find_field(pattern);
  return field == nullptr ? std::string_view() : field->label;
}

std::string field_pattern(std::string_view pointer) {
  const std::vector<std::string> tokens = pointer_tokens(pointer);
  return pattern_of(tokens, tokens.size());
}

std::vector<std::string> field_location(std::string_view pointer, const Config& config,
                                        const Names& names) {
  const std::vector<std::string> tokens = pointer_tokens(pointer);
  std::vector<std::string> out;
  if (tokens.empty()) return {"The whole setup"};
  // The place: the account, a domain and its relay or traffic type, a DNS record, or the file.
  std::size_t placed = 1;  // tokens named by the place
  std::size_t d = 0;
  const std::string& top = tokens[0];
  if (top == "account") {
    out.emplace_back("Account");
  } else if (top == "dns") {
    out.emplace_back("DNS records");
    if (tokens.size() > 1) {
      out.push_back(text::shorten(tokens[1]));
      placed = 2;
    }
    std::size_t record = 0;
    if (tokens.size() > 2 && read_index(tokens[2], record)) {
      out.push_back("Record " + std::to_string(record + 1));
      placed = 3;
    }
  } else if (top == "domains" && tokens.size() > 1 && read_index(tokens[1], d)) {
    // An unnamed domain leads its location as "Domain N" (messages say "domain N" mid-sentence).
    out.push_back(d < config.domains.size() && !config.domains[d].name.empty()
                      ? names.domain(d)
                      : "Domain " + std::to_string(d + 1));
    placed = 2;
    std::size_t r = 0;
    if (tokens.size() > 3 && tokens[2] == "relays" && read_index(tokens[3], r)) {
      out.push_back(d < config.domains.size() && r < config.domains[d].relays.size()
                        ? names.relay(d, r)
                        : "Relay #" + std::to_string(r + 1));
      placed = 4;
    } else if (tokens.size() > 3 && tokens[2] == "traffic") {
      out.push_back(email_type_words(tokens[3]));
      placed = 4;
    }
  } else if (top == "domains") {
    out.emplace_back("Domains");
  } else {
    out.emplace_back("Config file");
    placed = 0;  // the member itself is the field (/schema), or one the table does not know
  }
  if (tokens.size() <= placed) return out;
  // The field: the longest labelled pattern below the place, then what the table does not name
  // (an item of a list, a misspelt member) in words.
  std::size_t labelled = placed;
  const FieldLabel* field = nullptr;
  for (std::size_t n = tokens.size(); n > placed; --n) {
    if (const FieldLabel* found = find_field(pattern_of(tokens, n))) {
      field = found;
      labelled = n;
      break;
    }
  }
  if (field != nullptr) out.emplace_back(field->label);
  for (std::size_t i = labelled; i < tokens.size(); ++i) {
    std::size_t index = 0;
    const bool item = read_index(tokens[i], index);
    if (item && field != nullptr && i == labelled && field->items == ItemWord::hour) {
      out.push_back(hour_text(index));
    } else if (item && field != nullptr && i == labelled && field->items == ItemWord::line) {
      out.push_back("Line " + std::to_string(index + 1));
    } else if (item) {
      out.push_back("Entry " + std::to_string(index + 1));
    } else {
      out.push_back(text::quote(tokens[i], '"'));
    }
  }
  return out;
}

std::string location_text(const std::vector<std::string>& location) {
  std::string out;
  for (const std::string& segment : location) {
    if (!out.empty())
      out += " \xE2\x80\xBA ";  // U+203A, single right-pointing angle quotation mark
    out += segment;
  }
  return out;
}

std::string account_field(std::string_view pattern) {
  return "Account \xE2\x80\xBA " + std::string(field_label(pattern));
}

nlohmann::json field_labels_json() {
  nlohmann::json out = nlohmann::json::object();
  for (const FieldLabel& field : kFieldLabels) {
    nlohmann::json entry{{"label", field.label}};
    if (!field.hint.empty()) entry["hint"] = field.hint;
    out[std::string(field.pattern)] = std::move(entry);
  }
  return out;
}

}  // namespace relaycheck
