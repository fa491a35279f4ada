#pragma once
/// The account's time zone checked against the IANA time-zone names: every Zone and Link of
/// tzdata, compiled into core from core/data/timezones.txt (scripts/gen-timezones writes it
/// from Debian's tzdata). The day plan reads every hour of its traffic (office hours, bursts, a
/// relay's outage) in this zone; a name that is not one makes those hours name no real time.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/finding.hpp"

namespace relaycheck::timezone {

/// True when `name` is an IANA time-zone name exactly as written (a Link such as "US/Eastern"
/// or "UTC" is one).
bool known(std::string_view name);

/// The IANA name that `name` most likely means, when it is not one: the same name in another
/// case or with spaces for underscores ("america/new_york", "America/New York"), the one zone
/// of that city ("Berlin" → "Europe/Berlin"), or a name one or two letters away
/// ("Europe/Berln"). Nothing for a short text (an abbreviation such as "PST" is no zone, and
/// "EST" one letter away means another), nor a guessed Etc/GMT±N (POSIX signs are inverted:
/// Etc/GMT+1 is UTC−1).
std::optional<std::string> suggestion(std::string_view name);

/// The tzdata version the list was built from ("2025b"), and how many names it holds.
std::string version();
std::size_t name_count();

}  // namespace relaycheck::timezone

namespace relaycheck::rules {

/// account.timezone.unknown: the account's time zone is not an IANA time-zone name.
void check_time_zone(const Config& config, std::vector<Finding>& out);

}  // namespace relaycheck::rules
