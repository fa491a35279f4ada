// The admin's label of every config field, and where a finding is in the admin's words.
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "config/data.hpp"
#include "config/fields.hpp"
#include "config/finding.hpp"
#include "config/names.hpp"

namespace {

using nlohmann::json;
using relaycheck::Config;
using relaycheck::field_label;
using relaycheck::field_location;
using relaycheck::field_pattern;
using relaycheck::Names;
using Segments = std::vector<std::string>;

/// A config with every optional member written: a custom return path, an IP-authenticated relay
/// with DKIM and a rewritten return path, a custom and a burst forecast, fetched DNS data.
Config full_config() {
  json document = json::parse(relaycheck::data::example_config);
  json& domain = document["domains"][0];
  domain["returnPath"] = "custom-address";
  domain["returnPathAddress"] = "bounce@zylker.com";
  domain["crmDkim"] = {{"enabled", true}, {"domain", "zylker.com"}, {"selector", "crm"}};
  json& relay = domain["relays"][0];
  relay["auth"] = "ip-whitelist";
  relay["allowedNetworks"] = json::array({"136.143.176.0/23"});
  relay["dkim"] = {{"signs", true}, {"domain", "zylker.com"}, {"selector", "s1"}};
  relay["rewritesReturnPath"] = true;
  relay["returnPathDomain"] = "bounces.zylker.com";
  relay["outageFromHour"] = 15;
  json weights = json::array();
  for (int h = 0; h < 24; ++h) weights.push_back(1);
  domain["traffic"]["workflow"] = {{"daily", 900}, {"profile", "custom"}, {"weights", weights}};
  document["account"]["crmRanges"] = json::array({"136.143.176.0/23"});
  document["account"]["bounceDomains"] = json::array({"bounces.zylker.com"});
  document["dns"]["zylker.com"][0]["fetched"] = "2026-12-02T09:30:00Z";
  document["dns"]["zylker.com"][0]["resolver"] = "cloudflare";
  return relaycheck::load_config(document).config;
}

/// Every pointer to a member (not an array item) of a document, below `base`.
void member_pointers(const json& node, const std::string& base, std::vector<std::string>& out) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      const std::string pointer = base + "/" + relaycheck::pointer_token(key);
      out.push_back(pointer);
      member_pointers(value, pointer, out);
    }
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      member_pointers(node[i], base + "/" + std::to_string(i), out);
    }
  }
}

Segments located(const std::string& pointer, const Config& config) {
  return field_location(pointer, config, Names(config));
}

}  // namespace

TEST_CASE("every member the config file can hold has the admin's label", "[fields]") {
  const Config config = full_config();
  std::vector<std::string> pointers;
  member_pointers(relaycheck::to_json(config), "", pointers);
  REQUIRE(pointers.size() > 40);
  for (const std::string& pointer : pointers) {
    const std::string pattern = field_pattern(pointer);
    // A domain's traffic type and a DNS owner name are items, named by the location itself.
    if (pattern == "/domains/*/traffic/*" || pattern == "/dns/*") continue;
    INFO(pointer << " as " << pattern);
    CHECK_FALSE(field_label(pattern).empty());
  }
}

TEST_CASE("a pointer's pattern stars each index, traffic type and DNS owner", "[fields]") {
  CHECK(field_pattern("/domains/0/relays/2/dailyLimit") == "/domains/*/relays/*/dailyLimit");
  CHECK(field_pattern("/domains/1/traffic/mass/daily") == "/domains/*/traffic/*/daily");
  CHECK(field_pattern("/dns/_dmarc.zylker.com/0/data") == "/dns/*/*/data");
  CHECK(field_pattern("/account/crmRanges/3") == "/account/crmRanges/*");
  CHECK(field_pattern("") == "");
  CHECK(field_label("/domains/*/relays/*/dailyLimit") == "Daily limit");
  CHECK(field_label("/domains/*/relays/*/nonsense").empty());
}

TEST_CASE("a relay's field is located by domain, relay and label", "[fields]") {
  const Config config = full_config();
  const Segments where = located("/domains/0/relays/0/dailyLimit", config);
  CHECK(where == Segments{"zylker.com", "smtp.zylker.com", "Daily limit"});
  CHECK(relaycheck::location_text(where) == "zylker.com \u203a smtp.zylker.com \u203a Daily limit");
  CHECK(located("/domains/0/relays/0/dkim/selector", config) ==
        Segments{"zylker.com", "smtp.zylker.com", "Relay's DKIM selector (s=)"});
  CHECK(located("/domains/0/relays/0/emailTypes/1", config) ==
        Segments{"zylker.com", "smtp.zylker.com", "Carries", "Entry 2"});
}

TEST_CASE("the account, the traffic, DNS records and the file are located in words", "[fields]") {
  const Config config = full_config();
  CHECK(located("", config) == Segments{"The whole setup"});
  CHECK(located("/account", config) == Segments{"Account"});
  CHECK(located("/account/bounceDomains/1", config) ==
        Segments{"Account", "CRM bounce domains", "Line 2"});
  CHECK(located("/domains/0/traffic/mass/daily", config) ==
        Segments{"zylker.com", "Mass emails", "Emails a day"});
  CHECK(located("/domains/0/traffic/workflow/weights/9", config) ==
        Segments{"zylker.com", "Workflow emails", "Hourly weights", "Hour 09:00"});
  CHECK(located("/domains/0/traffic", config) == Segments{"zylker.com", "Expected daily volume"});
  CHECK(located("/dns/zylker.com/0/fetched", config) ==
        Segments{"DNS records", "zylker.com", "Record 1", "Fetched at"});
  CHECK(located("/schema", config) == Segments{"Config file", "Schema version"});
  CHECK(located("/domains", config) == Segments{"Domains"});
}

TEST_CASE("an unnamed or missing domain or relay is located by its number", "[fields]") {
  Config config = full_config();
  config.domains[0].relays[0].host.clear();
  CHECK(located("/domains/0/relays/0/host", config) ==
        Segments{"zylker.com", "#1 of zylker.com", "Host"});
  CHECK(located("/domains/3/relays/1/port", config) == Segments{"Domain 4", "Relay #2", "Port"});
  config.domains[0].name.clear();
  CHECK(located("/domains/0/name", config) == Segments{"Domain 1", "Domain name"});
}

TEST_CASE("a member the table does not know is shown as written, quoted", "[fields]") {
  const Config config = full_config();
  CHECK(located("/account/timeZon", config) == Segments{"Account", "\"timeZon\""});
  CHECK(located("/domains/0/crmDkim/selektor", config) ==
        Segments{"zylker.com", "CRM's DKIM signature", "\"selektor\""});
  CHECK(located("/extra", config) == Segments{"Config file", "\"extra\""});
  // Escaped tokens are read back: a DNS owner with a slash, a member with a tilde.
  CHECK(located("/dns/a~1b/0", config) == Segments{"DNS records", "a/b", "Record 1"});
}

TEST_CASE("the form's field labels are the table, with hints where the editor shows one",
          "[fields]") {
  const json labels = relaycheck::field_labels_json();
  CHECK(labels.size() == relaycheck::kFieldLabels.size());
  CHECK(labels.at("/domains/*/relays/*/dailyLimit").at("label") == "Daily limit");
  CHECK_FALSE(labels.at("/domains/*/relays/*/dailyLimit").contains("hint"));
  CHECK(labels.at("/domains/*/relays/*/password").at("hint") ==
        "kept in this tab only, never saved");
}
