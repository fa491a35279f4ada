// The words of every finding the analysis writes, over every config in the vector files: each
// message and fix is a sentence (a capital first, a full stop last), names fields in the admin's
// words (never `account.bounceDomains` or a JSON key), and holds no command line: a fix that
// needs one of relaycheck's tools says so in its `action`, which the page and the CLI render.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "config/data.hpp"
#include "config/fields.hpp"
#include "relaycheck/facade.hpp"

namespace {

using nlohmann::json;

/// Every config a vector file's request holds, and the example.
std::vector<json> vector_configs() {
  std::vector<json> configs{json::parse(relaycheck::data::example_config)};
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(RELAYCHECK_TEST_DATA) + "/vectors")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file);
    const json document = json::parse(in);
    for (const json& c : document.value("cases", json::array())) {
      const json request = c.value("request", json());
      if (request.is_object() && request.contains("config") && request["config"].is_object()) {
        configs.push_back(request["config"]);
      }
    }
  }
  return configs;
}

/// The JSON keys of the config that are written in camel case (bounceDomains, dailyLimit, ...).
std::set<std::string> camel_case_keys() {
  std::set<std::string> keys;
  for (const auto& field : relaycheck::kFieldLabels) {
    const std::string pattern(field.pattern);
    const std::string key = pattern.substr(pattern.rfind('/') + 1);
    if (std::any_of(key.begin(), key.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
      keys.insert(key);
    }
  }
  return keys;
}

/// What is wrong with the words of one message or fix, or empty.
std::string wording_problem(const std::string& text, const std::set<std::string>& keys) {
  if (text.empty()) return {};
  if (text.front() >= 'a' && text.front() <= 'z') return "starts lower-case";
  std::size_t end = text.size();
  while (end > 0 && (text[end - 1] == '"' || text[end - 1] == ')')) --end;
  if (end == 0 || (text[end - 1] != '.' && text[end - 1] != '?' && text[end - 1] != '!')) {
    return "lacks its final full stop";
  }
  for (const char* internal : {"account.", "domains/", "relaycheck "}) {
    if (text.find(internal) != std::string::npos) return std::string("says ") + internal;
  }
  static const std::regex word("[A-Za-z]+");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), word); it != std::sregex_iterator();
       ++it) {
    if (keys.count(it->str()) != 0) return "names the config field " + it->str();
  }
  return {};
}

json analyze(const json& config, const char* format = "json") {
  const json response =
      json::parse(relaycheck::call("analyze", json{{"config", config}, {"format", format}}.dump()));
  return response.value("result", json::object());
}

}  // namespace

TEST_CASE("every finding of every vector config's analysis is a sentence in the admin's words",
          "[wording]") {
  const std::set<std::string> keys = camel_case_keys();
  REQUIRE(keys.count("bounceDomains") == 1);
  std::size_t checked = 0;
  std::set<std::string> reported;
  for (const json& config : vector_configs()) {
    for (const json& f : analyze(config).value("findings", json::array())) {
      const std::string code = f.value("code", "");
      for (const char* part : {"message", "fix"}) {
        const std::string text = f.value(part, "");
        const std::string problem = wording_problem(text, keys);
        ++checked;
        if (problem.empty() || !reported.insert(code + part + problem).second) continue;
        INFO(code << " " << part << ": " << text);
        CHECK(problem == "");
      }
    }
  }
  CHECK(checked > 500);
}

TEST_CASE("every finding the loader writes about a file full of mistakes is in the admin's words",
          "[wording]") {
  // Each of the loader's codes at least once: wrong types, missing and unknown fields, values
  // out of range, schema-1 fields in schema 2 and schema-2 fields in schema 1, bad names.
  const json mistakes = json::parse(R"({
    "account": {"dataCenter": "USA", "editionDailyLimit": -5, "crmRanges": "x",
                "bounceDomains": [1], "timeZon": "UTC", "crmDkim": true},
    "domains": [
      {"name": "zylker.com", "crmDkim": {"enabled": false, "domain": "localhost", "selector": "s_1"},
       "relays": [
         {"host": "smtp.zylker.com", "port": 587.5, "security": "ssl", "auth": "password",
          "password": "p", "dailyLimit": "10", "emailTypes": ["mass", "mass", "spam", 5],
          "signsDkim": true, "returnPathDomain": "bounces.zylker.com", "prot": 1, "zzzzzzzzzz": 1},
         "a relay",
         {"host": "b", "port": 25, "security": "none", "auth": "password", "emailTypes": "mass",
          "outageFromHour": 25}],
       "traffic": {"mass": {"daily": 10, "profile": "custom"},
                   "workflow": {"daily": 1, "profile": "custom", "weights": [1, 2]},
                   "individual": {"daily": 1, "profile": "custom",
                                  "weights": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                                              1, 1, 1, 1, 1, 1, -1]},
                   "spam": {}}},
      {"relays": {}},
      5],
    "dns": {"zylker.com": [{"type": "TXT", "data": ["v=spf1 -all"], "fetched": "yesterday",
                            "resolvr": "x"}]}})");
  json schema1 = json::parse(relaycheck::data::example_config);
  schema1["schema"] = 1;
  schema1["domains"][0]["relays"][0]["dkim"] = json{{"signs", true}};
  const std::string duplicate =
      R"({"schema": 2, "account": {"dataCenter": "US", "editionDailyLimit": 5,)"
      R"( "editionDailyLimit": 6}, "domains": "none", "dns": []})";
  const std::set<std::string> keys = camel_case_keys();
  std::set<std::string> codes;
  for (const json& config : {mistakes, schema1, json(duplicate)}) {
    for (const json& f : analyze(config).value("findings", json::array())) {
      const std::string code = f.value("code", "");
      if (code.rfind("config.", 0) != 0) continue;
      codes.insert(code);
      for (const char* part : {"message", "fix"}) {
        INFO(code << " " << part << ": " << f.value(part, ""));
        CHECK(wording_problem(f.value(part, ""), keys) == "");
      }
    }
  }
  CHECK(codes == std::set<std::string>{
                     "config.duplicate_key", "config.duplicate_value", "config.migrated",
                     "config.missing_field", "config.moved_field", "config.name_invalid",
                     "config.newer_field", "config.out_of_range", "config.password_not_stored",
                     "config.selector_invalid", "config.time_invalid", "config.unknown_field",
                     "config.unknown_value", "config.unused_field", "config.wrong_type"});
}

TEST_CASE("the wording check catches each kind of slip", "[wording]") {
  const std::set<std::string> keys = camel_case_keys();
  CHECK(wording_problem("the relay has no host.", keys) == "starts lower-case");
  CHECK(wording_problem("The relay has no host", keys) == "lacks its final full stop");
  CHECK(wording_problem("Enter them under account.bounceDomains.", keys) == "says account.");
  CHECK(wording_problem("Turn on rewritesReturnPath.", keys) ==
        "names the config field rewritesReturnPath");
  CHECK(wording_problem("Run relaycheck whitelist --dc US.", keys) == "says relaycheck ");
  CHECK(wording_problem("Did you mean \"smtp.zylker.com\"?", keys) == "");
  CHECK(wording_problem("Enter a domain (such as zylker.com).", keys) == "");
}

TEST_CASE("every finding says where it is in the admin's words", "[wording]") {
  const json report = analyze(json::parse(relaycheck::data::example_config));
  REQUIRE_FALSE(report.at("findings").empty());
  for (const json& f : report.at("findings")) {
    INFO(f.dump());
    REQUIRE(f.at("location").is_array());
    CHECK_FALSE(f.at("location").empty());
    std::vector<std::string> segments = f.at("location").get<std::vector<std::string>>();
    CHECK(f.at("locationText") == relaycheck::location_text(segments));
    CHECK(f.at("locationText").get<std::string>().find('/') == std::string::npos);
  }
  const auto cap =
      std::find_if(report.at("findings").begin(), report.at("findings").end(),
                   [](const json& f) { return f.at("code") == "plan.relay.cap_reached"; });
  REQUIRE(cap != report.at("findings").end());
  CHECK(cap->at("location") == json::array({"zylker.com", "smtp.zylker.com", "Daily limit"}));
}

TEST_CASE("a fix that needs a whitelist snippet names it as an action, not a command line",
          "[wording]") {
  const json config = json::parse(relaycheck::data::example_config);
  const json report = analyze(config);
  const auto it =
      std::find_if(report.at("findings").begin(), report.at("findings").end(),
                   [](const json& f) { return f.at("code") == "relay.whitelist.recommended"; });
  REQUIRE(it != report.at("findings").end());
  CHECK(it->at("action") ==
        json({{"kind", "whitelist"}, {"dataCenter", "US"}, {"snippetKind", "allow-connection"}}));
  CHECK(it->at("fix").get<std::string>().find("--") == std::string::npos);
  // A finding without a tool to point at has no action.
  for (const json& f : report.at("findings")) {
    if (f.at("code") != "relay.whitelist.recommended") CHECK_FALSE(f.contains("action"));
  }
  // The CLI's text report renders the action as the command line.
  const std::string text = analyze(config, "text").at("text");
  CHECK(text.find("run: relaycheck whitelist --dc US --kind allow-connection") !=
        std::string::npos);
  CHECK(text.find("at zylker.com \u203a smtp.zylker.com \u203a Daily limit") != std::string::npos);
}

TEST_CASE("an IP-authenticated relay on port 587 points at the Postfix relay snippet",
          "[wording]") {
  json config = json::parse(relaycheck::data::example_config);
  json& relay = config["domains"][0]["relays"][0];
  relay["auth"] = "ip-whitelist";
  relay["allowedNetworks"] = json::array({"136.143.176.0/23"});
  config["account"]["crmRanges"] = json::array({"136.143.176.0/23"});
  const json report = analyze(config);
  const auto it =
      std::find_if(report.at("findings").begin(), report.at("findings").end(),
                   [](const json& f) { return f.at("code") == "relay.whitelist.submission_port"; });
  REQUIRE(it != report.at("findings").end());
  CHECK(it->at("action") == json({{"kind", "whitelist"},
                                  {"dataCenter", "US"},
                                  {"snippetKind", "grant-relay"},
                                  {"snippetFormat", "postfix"},
                                  {"ranges", "config"}}));
  const std::string text = analyze(config, "text").at("text");
  CHECK(text.find("run: relaycheck whitelist --ranges FILE --kind grant-relay --format postfix") !=
        std::string::npos);
}

TEST_CASE("the form offers IP-based relay permission, never an open relay, for an IP relay",
          "[wording]") {
  const json form = json::parse(relaycheck::call("form", "{}")).at("result");
  const json& auth = form.at("choices").at("auth");
  const auto ip = std::find_if(auth.begin(), auth.end(),
                               [](const json& c) { return c.at("value") == "ip-whitelist"; });
  REQUIRE(ip != auth.end());
  CHECK(ip->at("label") == "IP-based relay permission (no password)");
  CHECK(form.at("fields").at("/domains/*/relays/*/dailyLimit").at("label") == "Daily limit");
}
