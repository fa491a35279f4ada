// The account's time zone against the IANA names (see timezone.hpp). The list is ~600 names in
// ~9 KB of text, compiled in; each look-up scans it once (no table is built: core keeps no
// globals), which costs microseconds and happens once per analysis.
#include "rules/timezone.hpp"

#include <algorithm>

#include "config/data.hpp"
#include "text/ascii.hpp"
#include "text/quote.hpp"

namespace relaycheck::timezone {
namespace {

/// Calls `visit(name)` for every name of the list, in order, until it returns true; returns
/// that name, or nothing.
template <class Visit>
std::optional<std::string_view> find_name(Visit visit) {
  const std::string_view list = data::timezones;
  std::size_t i = 0;
  while (i < list.size()) {
    std::size_t end = list.find('\n', i);
    if (end == std::string_view::npos) end = list.size();
    const std::string_view line = list.substr(i, end - i);
    i = end + 1;
    if (line.empty() || line.front() == '#') continue;
    if (visit(line)) return line;
  }
  return std::nullopt;
}

/// Etc/GMT+1 and the like: POSIX signs, the opposite of what "GMT+1" means to most people.
bool inverted_offset(std::string_view name) {
  return name.size() > 7 && name.compare(0, 7, "Etc/GMT") == 0 &&
         (name[7] == '+' || name[7] == '-');
}

std::string_view last_part(std::string_view name) {
  const std::size_t slash = name.rfind('/');
  return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

/// Longer texts get no suggestion: no IANA name is this long (the longest has 32 characters).
constexpr std::size_t kMaxSuggestLength = 64;

}  // namespace

bool known(std::string_view name) {
  if (name.empty() || name.size() > kMaxSuggestLength) return false;
  return find_name([&](std::string_view n) { return n == name; }).has_value();
}

std::optional<std::string> suggestion(std::string_view name) {
  // Blanks around, and spaces for underscores ("America/New York").
  while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  if (name.empty() || name.size() > kMaxSuggestLength) return std::nullopt;
  std::string wanted(name);
  std::replace(wanted.begin(), wanted.end(), ' ', '_');

  if (auto same = find_name([&](std::string_view n) { return text::iequals(n, wanted); }))
    return std::string(*same);
  // A city alone: "Berlin", "new_york", "Kolkata".
  if (wanted.find('/') == std::string::npos && wanted.size() >= 4) {
    auto city = find_name([&](std::string_view n) {
      return n.find('/') != std::string_view::npos && !inverted_offset(n) &&
             text::iequals(last_part(n), wanted);
    });
    if (city) return std::string(*city);
  }
  // A slip of one or two letters; short texts are left alone (PST is not EST).
  if (wanted.size() < 6) return std::nullopt;
  const std::size_t limit = wanted.size() >= 10 ? 2 : 1;
  std::optional<std::string_view> best;
  std::size_t best_distance = limit + 1;
  find_name([&](std::string_view n) {
    if (inverted_offset(n)) return false;
    const std::size_t d = text::iedit_distance(wanted, n, limit);
    if (d < best_distance) {
      best_distance = d;
      best = n;
    }
    return false;
  });
  if (best) return std::string(*best);
  return std::nullopt;
}

std::string version() {
  // The header's first line: "# IANA time-zone names: every Zone and Link of tzdata 2025b (…".
  const std::string_view list = data::timezones;
  const std::string_view marker = "of tzdata ";
  const std::size_t at = list.find(marker);
  if (at == std::string_view::npos) return "unknown";
  const std::size_t begin = at + marker.size();
  const std::size_t end = list.find(' ', begin);
  return std::string(list.substr(begin, end == std::string_view::npos ? 0 : end - begin));
}

std::size_t name_count() {
  std::size_t count = 0;
  find_name([&](std::string_view) {
    ++count;
    return false;
  });
  return count;
}

}  // namespace relaycheck::timezone

namespace relaycheck::rules {

void check_time_zone(const Config& config, std::vector<Finding>& out) {
  const std::string& name = config.account.time_zone;
  if (timezone::known(name)) return;
  const std::string effect =
      "the day plan's hours (office hours, bursts, a relay's outage) are hours of the account's "
      "time zone";
  std::string message;
  if (name.empty()) {
    message = "No time zone is given: " + effect + ", so they name no real time of day.";
  } else {
    message = "The time zone " + text::quote(name, '"') +
              " is not an IANA time-zone name: " + effect +
              ", so with this one they name no real time of day.";
  }
  std::string fix;
  const auto meant = timezone::suggestion(name);
  const bool offset = name.size() > 3 &&
                      (name.compare(0, 3, "UTC") == 0 || name.compare(0, 3, "GMT") == 0) &&
                      (name[3] == '+' || name[3] == '-');
  if (meant) {
    fix = "Write \"" + *meant + "\", the IANA name this seems to mean.";
  } else if (offset) {
    fix =
        "Write the IANA name of the place whose clock the account keeps, such as "
        "\"Europe/Berlin\": an offset such as " +
        text::quote(name, '"') + " is not one, and it does not follow summer time.";
  } else {
    fix =
        "Write the IANA name of the account's time zone, such as \"Europe/Berlin\", "
        "\"America/New_York\" or \"UTC\".";
  }
  out.push_back({"account.timezone.unknown", Severity::error, "/account/timeZone",
                 std::move(message), std::move(fix)});
}

}  // namespace relaycheck::rules
