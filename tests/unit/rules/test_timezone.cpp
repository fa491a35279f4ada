// The account's time zone against the IANA names (core/src/rules/timezone.cpp), and the
// compiled-in list against the installed tzdata (Debian's /usr/share/zoneinfo/tzdata.zi).
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "rules/timezone.hpp"

using namespace relaycheck;

#ifndef RELAYCHECK_TZDATA_FILE
#define RELAYCHECK_TZDATA_FILE "/usr/share/zoneinfo/tzdata.zi"
#endif

namespace {

std::vector<Finding> findings_for(const std::string& zone) {
  Config config;
  config.account.time_zone = zone;
  std::vector<Finding> out;
  rules::check_time_zone(config, out);
  return out;
}

}  // namespace

TEST_CASE("IANA zone names are known exactly as written") {
  CHECK(timezone::known("America/New_York"));
  CHECK(timezone::known("Europe/Berlin"));
  CHECK(timezone::known("Asia/Kolkata"));
  CHECK(timezone::known("America/Argentina/Buenos_Aires"));
  CHECK_FALSE(timezone::known("america/new_york"));
  CHECK_FALSE(timezone::known("Mars/Olympus"));
  CHECK_FALSE(timezone::known(""));
  CHECK_FALSE(timezone::known("Europe/Berlin "));
}

TEST_CASE("Links such as US/Eastern and UTC are valid names") {
  CHECK(timezone::known("US/Eastern"));
  CHECK(timezone::known("UTC"));
  CHECK(timezone::known("Asia/Calcutta"));
  CHECK(timezone::known("Etc/UTC"));
}

TEST_CASE("A name in another case or with spaces suggests the IANA spelling") {
  CHECK(timezone::suggestion("america/new_york") == std::optional<std::string>("America/New_York"));
  CHECK(timezone::suggestion("America/New York") == std::optional<std::string>("America/New_York"));
  CHECK(timezone::suggestion(" EUROPE/BERLIN ") == std::optional<std::string>("Europe/Berlin"));
  CHECK(timezone::suggestion("utc") == std::optional<std::string>("UTC"));
  CHECK(timezone::suggestion("us/eastern") == std::optional<std::string>("US/Eastern"));
}

TEST_CASE("A city alone suggests its zone") {
  CHECK(timezone::suggestion("Berlin") == std::optional<std::string>("Europe/Berlin"));
  CHECK(timezone::suggestion("kolkata") == std::optional<std::string>("Asia/Kolkata"));
  CHECK(timezone::suggestion("New York") == std::optional<std::string>("America/New_York"));
}

TEST_CASE("A slip of a letter or two suggests the nearest name") {
  CHECK(timezone::suggestion("Europe/Berln") == std::optional<std::string>("Europe/Berlin"));
  CHECK(timezone::suggestion("America/New_Yrok") == std::optional<std::string>("America/New_York"));
}

TEST_CASE("Nothing is suggested for an unknown place, an abbreviation or an offset") {
  CHECK_FALSE(timezone::suggestion("Mars/Olympus"));
  CHECK_FALSE(timezone::suggestion("PST"));
  CHECK_FALSE(timezone::suggestion("GMT+1"));
  CHECK_FALSE(timezone::suggestion(""));
  CHECK_FALSE(timezone::suggestion(std::string(100000, 'x')));
}

TEST_CASE("An unknown time zone is an error that names the suggestion") {
  const auto out = findings_for("america/new_york");
  REQUIRE(out.size() == 1);
  CHECK(out[0].code == "account.timezone.unknown");
  CHECK(out[0].severity == Severity::error);
  CHECK(out[0].path == "/account/timeZone");
  CHECK(out[0].message ==
        "The time zone \"america/new_york\" is not an IANA time-zone name: the day plan's hours "
        "(office "
        "hours, bursts, a relay's outage) are hours of the account's time zone, so with this one "
        "they name no real time of day.");
  CHECK(out[0].fix == "Write \"America/New_York\", the IANA name this seems to mean.");
}

TEST_CASE("An unknown time zone without a near name asks for an IANA name") {
  const auto mars = findings_for("Mars/Olympus");
  REQUIRE(mars.size() == 1);
  CHECK(mars[0].fix.find("\"Europe/Berlin\"") != std::string::npos);
  const auto offset = findings_for("UTC+1");
  REQUIRE(offset.size() == 1);
  CHECK(offset[0].fix.find("summer time") != std::string::npos);
  const auto empty = findings_for("");
  REQUIRE(empty.size() == 1);
  CHECK(empty[0].message.rfind("No time zone is given", 0) == 0);
}

TEST_CASE("A known time zone or a Link gives no finding") {
  CHECK(findings_for("UTC").empty());
  CHECK(findings_for("Europe/Berlin").empty());
  CHECK(findings_for("US/Eastern").empty());
}

TEST_CASE("The compiled-in list is every Zone and Link of the installed tzdata") {
  std::ifstream in(RELAYCHECK_TZDATA_FILE);
  INFO("reading " RELAYCHECK_TZDATA_FILE " (apt-get install tzdata)");
  REQUIRE(in.good());
  std::set<std::string> names;
  std::string version;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string kind, first, second;
    fields >> kind >> first >> second;
    if (kind == "#" && first == "version") version = second;
    if (kind == "Z" && !first.empty()) names.insert(first);
    if (kind == "L" && !second.empty()) names.insert(second);
  }
  INFO("tzdata " << version << " is installed, the list is of tzdata " << timezone::version()
                 << ": run scripts/gen-timezones and commit core/data/timezones.txt");
  CHECK(timezone::version() == version);
  CHECK(timezone::name_count() == names.size());
  for (const auto& name : names) {
    INFO(name);
    CHECK(timezone::known(name));
  }
}
