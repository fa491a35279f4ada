#include <functional>
#include <random>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "api/request_error.hpp"
#include "config/config.hpp"
#include "config/data.hpp"
#include "config/object_reader.hpp"

using nlohmann::json;
using namespace relaycheck;

namespace {

json minimal_config() {
  return json::parse(R"({"schema": 2,
    "account": {"dataCenter": "EU", "editionDailyLimit": 1000},
    "domains": [{"name": "a.example", "relays": [{"host": "smtp.a.example", "port": 465,
      "security": "implicit-tls", "auth": "ip-whitelist", "allowedNetworks": ["185.20.209.0/24"],
      "dailyLimit": 300, "emailTypes": ["workflow", "individual"]}]}]})");
}

std::vector<std::string> codes(const LoadedConfig& loaded) {
  std::vector<std::string> out;
  for (const auto& f : loaded.findings) out.push_back(f.code + " " + f.path);
  return out;
}

}  // namespace

TEST_CASE("the built-in example loads without a single finding", "[config]") {
  LoadedConfig loaded = load_config_text(data::example_config);
  CHECK(loaded.findings.empty());
  REQUIRE(loaded.config.domains.size() == 1);
  CHECK(loaded.config.domains[0].name == "zylker.com");
  CHECK(loaded.config.account.edition_daily_limit == 5000);
  REQUIRE(loaded.config.domains[0].relays.size() == 1);
  CHECK(loaded.config.domains[0].relays[0].daily_limit == 2000);
  CHECK(loaded.config.domains[0].traffic.size() == 3);
}

TEST_CASE("a config survives writing and reading back unchanged", "[config]") {
  for (const json& original : {json::parse(data::example_config), minimal_config()}) {
    LoadedConfig first = load_config(original);
    json written = to_json(first.config);
    LoadedConfig second = load_config(written);
    CHECK(second.findings.empty());
    CHECK(to_json(second.config) == written);
  }
}

TEST_CASE("the fields of a minimal config are read into the model", "[config]") {
  LoadedConfig loaded = load_config(minimal_config());
  CHECK(loaded.findings.empty());
  const Relay& relay = loaded.config.domains.at(0).relays.at(0);
  CHECK(loaded.config.account.data_center == DataCenter::eu);
  CHECK(relay.port == 465);
  CHECK(relay.security == Security::implicit_tls);
  CHECK(relay.auth == AuthMethod::ip_whitelist);
  CHECK(relay.allowed_networks == std::vector<std::string>{"185.20.209.0/24"});
  CHECK(relay.email_types == std::vector<EmailType>{EmailType::workflow, EmailType::individual});
}

TEST_CASE("a password is dropped on load and never written", "[config]") {
  json config = minimal_config();
  config["domains"][0]["relays"][0]["password"] = "hunter2";
  LoadedConfig loaded = load_config(config);
  CHECK(codes(loaded) ==
        std::vector<std::string>{"config.password_not_stored /domains/0/relays/0/password"});
  CHECK(to_json(loaded.config).dump().find("hunter2") == std::string::npos);
  CHECK(to_json(loaded.config).dump().find("password\":") == std::string::npos);
}

TEST_CASE("input that cannot be a config at all is refused", "[config]") {
  auto refused_with = [](std::string_view text) {
    try {
      (void)load_config_text(text);
    } catch (const RequestError& e) {
      return e.code();
    }
    return std::string("loaded");
  };
  CHECK(refused_with("") == "config.not_json");
  CHECK(refused_with("{\"schema\": 1,}") == "config.not_json");
  CHECK(refused_with("\"a string\"") == "config.not_object");
  CHECK(refused_with("null") == "config.not_object");
  CHECK(refused_with("{\"schema\": 3}") == "config.unsupported_schema");
  CHECK(refused_with("{\"schema\": 0}") == "config.unsupported_schema");
  CHECK(refused_with("{\"schema\": -1}") == "config.unsupported_schema");
  CHECK(refused_with("{\"schema\": 2.0}") == "config.unsupported_schema");
  CHECK(refused_with("{\"schema\": 18446744073709551615}") == "config.unsupported_schema");
  CHECK(refused_with("{\"schema\": \"1\"}") == "config.unsupported_schema");
  CHECK(refused_with("{\"schema\": null}") == "config.unsupported_schema");
  CHECK(refused_with(std::string(kMaxConfigBytes + 1, ' ')) == "config.too_large");
  CHECK(refused_with("{\"a\": \"\xff\xfe\"}") == "config.not_json");
}

TEST_CASE("a syntax error is reported with its line and column", "[config]") {
  try {
    (void)load_config_text("{\n  \"schema\": 1,\n  \"account\": {,\n}");
    FAIL("loaded");
  } catch (const RequestError& e) {
    CHECK(std::string(e.what()).rfind("line 3, column 15:", 0) == 0);
  }
}

TEST_CASE("everything else loads and becomes findings that point at the field", "[config]") {
  json config = minimal_config();
  auto& relay = config["domains"][0]["relays"][0];
  relay["prot"] = 25;
  relay["port"] = "465";
  relay["dailyLimit"] = -1;
  relay["security"] = "ssl";
  relay["emailTypes"] = {"mass", "mas", 3, "mass"};
  config["account"].erase("editionDailyLimit");
  config["domains"][0]["traffic"] = {{"mass", {{"daily", 2.5}}}, {"newsletters", {{"daily", 1}}}};
  LoadedConfig loaded = load_config(config);
  CHECK_THAT(codes(loaded), Catch::Matchers::UnorderedEquals(std::vector<std::string>{
                                "config.missing_field /account/editionDailyLimit",
                                "config.wrong_type /domains/0/relays/0/port",
                                "config.out_of_range /domains/0/relays/0/dailyLimit",
                                "config.unknown_value /domains/0/relays/0/security",
                                "config.unknown_value /domains/0/relays/0/emailTypes/1",
                                "config.unknown_value /domains/0/relays/0/emailTypes/2",
                                "config.duplicate_value /domains/0/relays/0/emailTypes/3",
                                "config.unknown_field /domains/0/relays/0/prot",
                                "config.out_of_range /domains/0/traffic/mass/daily",
                                "config.unknown_field /domains/0/traffic/newsletters",
                            }));
}

TEST_CASE("numbers beyond JavaScript's safe integers are out of range", "[config]") {
  json config = minimal_config();
  config["account"]["editionDailyLimit"] = 9007199254740992ULL;
  config["domains"][0]["relays"][0]["dailyLimit"] = 18446744073709551615ULL;
  LoadedConfig loaded = load_config(config);
  CHECK(codes(loaded) ==
        std::vector<std::string>{"config.out_of_range /account/editionDailyLimit",
                                 "config.out_of_range /domains/0/relays/0/dailyLimit"});
}

TEST_CASE("field names with pointer characters are escaped in paths", "[config]") {
  json config = minimal_config();
  config["account"]["a/b~c"] = 1;
  LoadedConfig loaded = load_config(config);
  CHECK(codes(loaded) == std::vector<std::string>{"config.unknown_field /account/a~1b~0c"});
}

TEST_CASE("the closest known field is suggested only when it is a plausible typo", "[config]") {
  const std::vector<std::string> known{"port", "host", "security", "dailyLimit"};
  CHECK(closest_match("prot", known) == "port");
  CHECK(closest_match("dailylimit", known) == "dailyLimit");
  CHECK(closest_match("secruity", known) == "security");
  CHECK(closest_match("color", known).empty());
  CHECK(closest_match("", known).empty());
}

TEST_CASE("random documents never escape the loader as anything but findings or RequestError",
          "[config][hostile]") {
  std::mt19937 rng(20261126);
  const std::vector<json> atoms{nullptr,
                                true,
                                0,
                                -1,
                                1.5,
                                "",
                                "x",
                                json::array(),
                                json::object(),
                                9007199254740993ULL,
                                "implicit-tls",
                                "mass",
                                587};
  const std::vector<std::string> keys{
      "schema",  "account",  "domains",   "relays",          "host",
      "port",    "security", "auth",      "dailyLimit",      "emailTypes",
      "traffic", "weights",  "mass",      "daily",           "profile",
      "name",    "dns",      "zz",        "crmDkim",         "dkim",
      "enabled", "signs",    "signsDkim", "domain",          "selector",
      "fetched", "resolver", "type",      "returnPathDomain"};
  std::function<json(int)> random_value = [&](int depth) -> json {
    std::uniform_int_distribution<int> kind(0, depth > 4 ? 0 : 2);
    switch (kind(rng)) {
      case 0:
        return atoms[rng() % atoms.size()];
      case 1: {
        json a = json::array();
        for (auto i = rng() % 4; i > 0; --i) a.push_back(random_value(depth + 1));
        return a;
      }
      default: {
        json o = json::object();
        for (auto i = rng() % 6; i > 0; --i) o[keys[rng() % keys.size()]] = random_value(depth + 1);
        return o;
      }
    }
  };
  int loaded_count = 0;
  for (int i = 0; i < 3000; ++i) {
    json doc = random_value(0);
    if (doc.is_object() && rng() % 2 == 0) doc["schema"] = static_cast<int>(1 + rng() % 2);
    try {
      LoadedConfig loaded = load_config(doc);
      (void)to_json(loaded.config);
      ++loaded_count;
    } catch (const RequestError&) {
    }
  }
  CHECK(loaded_count > 500);
}

TEST_CASE("findings about a value the loader could not read give way to the loader's error",
          "[config]") {
  const std::vector<Finding> loader{
      {"config.out_of_range", Severity::error, "/domains/0/relays/0", "m", "f"},
      {"config.unknown_field", Severity::warning, "/account", "m", "f"}};
  const std::vector<Finding> derived{
      {"a", Severity::error, "/domains/0/relays/0", "m", "f"},         // the same field: dropped
      {"b", Severity::warning, "/domains/0/relays/0/port", "m", "f"},  // below it: dropped
      {"c", Severity::info, "/domains/0/relays/01", "m", "f"},         // a sibling: kept
      {"d", Severity::info, "/account/timeZone", "m", "f"}};           // below a warning: kept
  std::vector<Finding> findings = loader;
  add_derived(findings, derived, loader);
  std::vector<std::string> codes_out;
  for (const auto& f : findings) codes_out.push_back(f.code);
  CHECK(codes_out ==
        std::vector<std::string>{"config.out_of_range", "config.unknown_field", "c", "d"});
  const nlohmann::json counts = severity_counts(findings);
  CHECK(counts == nlohmann::json{{"errors", 1}, {"warnings", 1}, {"infos", 2}});
}
