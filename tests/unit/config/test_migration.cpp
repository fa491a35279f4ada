// Schema 2 of the config and the migration of schema-1 files: each migration rule, each new field
// (read, written back, wrong types, unknown members naming the closest, absent), and the built-in
// example in schema-1 form giving the same transport, whitelist and plan findings as in schema 2.
#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "api/report.hpp"
#include "api/request_error.hpp"
#include "config/config.hpp"
#include "config/data.hpp"
#include "plan/plan.hpp"

using nlohmann::json;
using namespace relaycheck;

namespace {

/// One domain with one relay, in schema 2, with none of the optional schema-2 fields.
json config_v2() {
  return json::parse(R"({"schema": 2,
    "account": {"dataCenter": "US", "editionDailyLimit": 5000},
    "domains": [{"name": "zylker.com", "returnPath": "crm",
      "relays": [{"host": "smtp.zylker.com", "port": 587, "security": "starttls",
        "certificateHost": "smtp.zylker.com", "auth": "password", "username": "crm@zylker.com",
        "dailyLimit": 2000, "emailTypes": ["mass", "workflow"]}],
      "traffic": {"mass": {"daily": 3000, "profile": "burst", "burstHour": 10}}}]})");
}

/// The same in schema 1.
json config_v1() {
  json config = config_v2();
  config["schema"] = 1;
  return config;
}

/// `config` with the value at each JSON Pointer replaced (or added).
json with(json config, std::initializer_list<std::pair<std::string, json>> changes) {
  for (const auto& [pointer, value] : changes) config[json::json_pointer(pointer)] = value;
  return config;
}

std::vector<std::string> codes(const LoadedConfig& loaded) {
  std::vector<std::string> out;
  for (const auto& f : loaded.findings) out.push_back(f.code + " " + f.path);
  std::sort(out.begin(), out.end());
  return out;
}

const Finding& only(const LoadedConfig& loaded, const std::string& code) {
  const Finding* found = nullptr;
  std::size_t count = 0;
  for (const auto& f : loaded.findings) {
    if (f.code == code) {
      found = &f;
      ++count;
    }
  }
  INFO(code << " in " << json(loaded.findings).dump());
  REQUIRE(count == 1);
  return *found;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

json read_fixture(const std::string& name) {
  std::ifstream in(std::string(RELAYCHECK_TEST_DATA) + "/config/" + name);
  REQUIRE(in.good());
  return json::parse(in);
}

/// A finding without its wording: what a comparison of two analyses compares.
std::vector<std::string> finding_keys(const json& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) {
    out.push_back(f["code"].get<std::string>() + " " + f["severity"].get<std::string>() + " " +
                  f["path"].get<std::string>() + " | " + f["message"].get<std::string>() + " | " +
                  f["fix"].get<std::string>());
  }
  return out;
}

}  // namespace

// --- the version ---

TEST_CASE("the config format is schema 2, and schema 1 is still read", "[config][schema2]") {
  CHECK(kConfigSchema == 2);
  CHECK(kOldestConfigSchema == 1);
  CHECK(load_config(config_v1()).config.source_schema == 1);
  CHECK(load_config(config_v2()).config.source_schema == 2);
}

TEST_CASE("a config without a schema version is read as schema 2, with a warning",
          "[config][schema2]") {
  json config = config_v2();
  config.erase("schema");
  const LoadedConfig loaded = load_config(config);
  CHECK(codes(loaded) == std::vector<std::string>{"config.missing_field /schema"});
  CHECK(contains(loaded.findings[0].message, "read as schema 2"));
  CHECK(loaded.config.source_schema == 2);
}

TEST_CASE("schema versions other than 1 and 2 are refused at /schema", "[config][schema2]") {
  for (const json& version : {json(0), json(3), json(-1), json(2.5), json("2"), json(nullptr)}) {
    INFO(version.dump());
    try {
      (void)load_config(with(config_v2(), {{"/schema", version}}));
      FAIL("loaded");
    } catch (const RequestError& e) {
      CHECK(e.code() == "config.unsupported_schema");
      CHECK(contains(e.what(), "this relaycheck reads schemas 1 and 2"));
    }
  }
}

// --- the migration of schema 1 ---

TEST_CASE("a schema-1 file is migrated with one info at /schema", "[config][schema2]") {
  const LoadedConfig loaded = load_config(config_v1());
  CHECK(codes(loaded) == std::vector<std::string>{"config.migrated /schema"});
  const Finding& f = loaded.findings[0];
  CHECK(f.severity == Severity::info);
  CHECK(contains(f.message, "schema 1"));
  CHECK(contains(f.message, "(on, schema 1's default)"));
  CHECK(contains(f.message, "of 1 domain,"));
  CHECK_FALSE(contains(f.message, "signsDkim"));
  CHECK(contains(f.fix, "Download"));
}

TEST_CASE(
    "schema 1's account crmDkim becomes every domain's crmDkim.enabled, signing with d= the domain",
    "[config][schema2]") {
  json config = with(config_v1(), {{"/account/crmDkim", false}});
  config["domains"].push_back(with(config["domains"][0], {{"/name", "zylker.net"}}));
  const LoadedConfig off = load_config(config);
  REQUIRE(off.config.domains.size() == 2);
  for (const Domain& d : off.config.domains) {
    CHECK_FALSE(d.crm_dkim.signs);
    CHECK(d.crm_dkim.domain.empty());
    CHECK(d.crm_dkim.selector.empty());
  }
  const Finding& f = only(off, "config.migrated");
  CHECK(contains(f.message,
                 "the account's \"CRM signs DKIM (schema 1)\" (off) is now \"CRM signs "
                 "DKIM\" of 2 domains"));

  const LoadedConfig on = load_config(with(config_v1(), {{"/account/crmDkim", true}}));
  CHECK(on.config.domains[0].crm_dkim.signs);
  CHECK(contains(only(on, "config.migrated").message, "(on)"));
  CHECK(load_config(config_v1()).config.domains[0].crm_dkim.signs);  // absent: on, as schema 1 said
}

TEST_CASE("schema 1's relay signsDkim becomes dkim.signs", "[config][schema2]") {
  const LoadedConfig signs =
      load_config(with(config_v1(), {{"/domains/0/relays/0/signsDkim", true}}));
  CHECK(codes(signs) == std::vector<std::string>{"config.migrated /schema"});
  CHECK(signs.config.domains[0].relays[0].dkim.signs);
  CHECK(signs.config.domains[0].relays[0].dkim.domain.empty());
  CHECK(contains(signs.findings[0].message,
                 "\"Signs DKIM itself (schema 1)\" of 1 relay is now \"Signs DKIM itself\""));
  const LoadedConfig not_signing =
      load_config(with(config_v1(), {{"/domains/0/relays/0/signsDkim", false}}));
  CHECK_FALSE(not_signing.config.domains[0].relays[0].dkim.signs);
  CHECK_FALSE(load_config(config_v1()).config.domains[0].relays[0].dkim.signs);
}

TEST_CASE(
    "a migrated file is written as schema 2 without schema 1's fields, and reads back without "
    "findings",
    "[config][schema2]") {
  const json v1 =
      with(config_v1(), {{"/account/crmDkim", false}, {"/domains/0/relays/0/signsDkim", true}});
  const json written = to_json(load_config(v1).config);
  CHECK(written["schema"] == 2);
  CHECK_FALSE(written["account"].contains("crmDkim"));
  CHECK(written["domains"][0]["crmDkim"] == json{{"enabled", false}});
  CHECK(written["domains"][0]["relays"][0]["dkim"] == json{{"signs", true}});
  CHECK_FALSE(written["domains"][0]["relays"][0].contains("signsDkim"));
  const LoadedConfig again = load_config(written);
  CHECK(again.findings.empty());
  CHECK(to_json(again.config) == written);
}

TEST_CASE("schema 1 still requires a number as the daily forecast", "[config][schema2]") {
  json config = config_v1();
  config["domains"][0]["traffic"]["mass"].erase("daily");
  CHECK(codes(load_config(config)) ==
        std::vector<std::string>{"config.migrated /schema",
                                 "config.missing_field /domains/0/traffic/mass/daily"});
  CHECK(codes(load_config(with(config_v1(), {{"/domains/0/traffic/mass/daily", nullptr}}))) ==
        std::vector<std::string>{"config.migrated /schema",
                                 "config.wrong_type /domains/0/traffic/mass/daily"});
}

TEST_CASE("a schema-2 field in a schema-1 file is read, with a warning to say schema 2",
          "[config][schema2]") {
  const json config =
      with(config_v1(), {{"/account/crmDkim", true},
                         {"/domains/0/crmDkim", {{"enabled", false}}},
                         {"/domains/0/relays/0/dkim", {{"signs", true}}},
                         {"/domains/0/relays/0/rewritesReturnPath", true},
                         {"/domains/0/relays/0/returnPathDomain", "bounces.zylker.com"}});
  const LoadedConfig loaded = load_config(config);
  CHECK(codes(loaded) ==
        std::vector<std::string>{"config.migrated /schema", "config.newer_field /domains/0/crmDkim",
                                 "config.newer_field /domains/0/relays/0/dkim",
                                 "config.newer_field /domains/0/relays/0/returnPathDomain"});
  const Domain& d = loaded.config.domains[0];
  CHECK_FALSE(d.crm_dkim.signs);  // the domain's own setting wins over the account's
  CHECK(d.relays[0].dkim.signs);
  CHECK(d.relays[0].return_path_domain == "bounces.zylker.com");
  CHECK(contains(only(loaded, "config.migrated").message, "of 0 domains"));
  for (const auto& f : loaded.findings) {
    if (f.code == "config.newer_field") CHECK(contains(f.fix, "save it in schema 2"));
  }
}

// --- schema-1 fields in a schema-2 file ---

TEST_CASE(
    "schema 2 with the account's crmDkim: a warning, and its value for domains that do not say it",
    "[config][schema2]") {
  json config = with(config_v2(), {{"/account/crmDkim", false}});
  config["domains"].push_back(
      with(config["domains"][0], {{"/name", "zylker.net"}, {"/crmDkim", {{"enabled", true}}}}));
  const LoadedConfig loaded = load_config(config);
  CHECK(codes(loaded) == std::vector<std::string>{"config.moved_field /account/crmDkim"});
  const Finding& f = loaded.findings[0];
  CHECK(f.severity == Severity::warning);
  CHECK(
      contains(f.message, "Its value (off) is used for the 1 domain that does not say it itself."));
  CHECK(contains(f.fix, "Turn off \"CRM signs DKIM\" in each domain that does not say it"));
  CHECK_FALSE(loaded.config.domains[0].crm_dkim.signs);
  CHECK(loaded.config.domains[1].crm_dkim.signs);

  const LoadedConfig ignored = load_config(with(
      config_v2(), {{"/account/crmDkim", false}, {"/domains/0/crmDkim", {{"enabled", true}}}}));
  CHECK(contains(only(ignored, "config.moved_field").message, "this value is ignored"));
  CHECK(ignored.config.domains[0].crm_dkim.signs);
  CHECK_FALSE(to_json(ignored.config)["account"].contains("crmDkim"));
}

TEST_CASE("schema 2 with a relay's signsDkim: a warning, and its value when dkim is absent",
          "[config][schema2]") {
  const LoadedConfig used =
      load_config(with(config_v2(), {{"/domains/0/relays/0/signsDkim", true}}));
  CHECK(codes(used) ==
        std::vector<std::string>{"config.moved_field /domains/0/relays/0/signsDkim"});
  CHECK(used.config.domains[0].relays[0].dkim.signs);
  CHECK(contains(used.findings[0].fix, "Turn on \"Signs DKIM itself\""));
  const LoadedConfig ignored =
      load_config(with(config_v2(), {{"/domains/0/relays/0/signsDkim", true},
                                     {"/domains/0/relays/0/dkim", {{"signs", false}}}}));
  CHECK(contains(only(ignored, "config.moved_field").message, "this value is ignored"));
  CHECK_FALSE(ignored.config.domains[0].relays[0].dkim.signs);
}

TEST_CASE("a config without a schema version still honours schema 1's fields, with warnings",
          "[config][schema2]") {
  json config =
      with(config_v1(), {{"/account/crmDkim", false}, {"/domains/0/relays/0/signsDkim", true}});
  config.erase("schema");
  const LoadedConfig loaded = load_config(config);
  CHECK(codes(loaded) == std::vector<std::string>{
                             "config.missing_field /schema", "config.moved_field /account/crmDkim",
                             "config.moved_field /domains/0/relays/0/signsDkim"});
  CHECK_FALSE(loaded.config.domains[0].crm_dkim.signs);
  CHECK(loaded.config.domains[0].relays[0].dkim.signs);
}

// --- the new fields ---

TEST_CASE("without the optional schema-2 fields a config loads with today's defaults",
          "[config][schema2]") {
  const LoadedConfig loaded = load_config(config_v2());
  CHECK(loaded.findings.empty());
  const Domain& d = loaded.config.domains[0];
  CHECK(d.crm_dkim.signs);
  CHECK(d.crm_dkim.domain.empty());
  CHECK_FALSE(d.relays[0].dkim.signs);
  CHECK(d.relays[0].return_path_domain.empty());
  CHECK(d.traffic[0].daily == std::optional<std::int64_t>(3000));
  const json written = to_json(loaded.config);
  CHECK(written["domains"][0]["crmDkim"] == json{{"enabled", true}});
  CHECK(written["domains"][0]["relays"][0]["dkim"] == json{{"signs", false}});
  CHECK_FALSE(written["domains"][0]["relays"][0].contains("returnPathDomain"));
}

TEST_CASE("the CRM's DKIM per domain: whether, with which d= and selector", "[config][schema2]") {
  const LoadedConfig loaded = load_config(with(
      config_v2(), {{"/domains/0/crmDkim",
                     {{"enabled", true}, {"domain", "crm.example.net"}, {"selector", "zcrm"}}}}));
  CHECK(loaded.findings.empty());
  const DkimSigner& crm = loaded.config.domains[0].crm_dkim;
  CHECK(crm.signs);
  CHECK(crm.domain == "crm.example.net");
  CHECK(crm.selector == "zcrm");
  CHECK(to_json(loaded.config)["domains"][0]["crmDkim"] ==
        json{{"enabled", true}, {"domain", "crm.example.net"}, {"selector", "zcrm"}});
  // An empty d= is the domain itself, like an absent one.
  const LoadedConfig itself =
      load_config(with(config_v2(), {{"/domains/0/crmDkim", {{"enabled", true}, {"domain", ""}}}}));
  CHECK(itself.findings.empty());
  CHECK(itself.config.domains[0].crm_dkim.domain.empty());
}

TEST_CASE("a relay's DKIM: whether, with which d= and selector", "[config][schema2]") {
  const LoadedConfig loaded = load_config(
      with(config_v2(), {{"/domains/0/relays/0/dkim",
                          {{"signs", true}, {"domain", "zylker.com"}, {"selector", "20230601"}}}}));
  CHECK(loaded.findings.empty());
  const DkimSigner& dkim = loaded.config.domains[0].relays[0].dkim;
  CHECK(dkim.signs);
  CHECK(dkim.domain == "zylker.com");
  CHECK(dkim.selector == "20230601");
  CHECK(to_json(loaded.config)["domains"][0]["relays"][0]["dkim"] ==
        json{{"signs", true}, {"domain", "zylker.com"}, {"selector", "20230601"}});
}

TEST_CASE("wrong types and missing flags of the DKIM settings are errors at the field",
          "[config][schema2]") {
  const LoadedConfig loaded = load_config(with(
      config_v2(), {{"/domains/0/crmDkim", true}, {"/domains/0/relays/0/dkim", {{"domain", 5}}}}));
  CHECK(codes(loaded) ==
        std::vector<std::string>{"config.missing_field /domains/0/relays/0/dkim/signs",
                                 "config.wrong_type /domains/0/crmDkim",
                                 "config.wrong_type /domains/0/relays/0/dkim/domain"});
  CHECK(contains(only(loaded, "config.missing_field").message,
                 "The relay's DKIM signing does not say its \"Signs DKIM itself\""));
  CHECK(
      loaded.config.domains[0].crm_dkim.signs);  // the default stands in for what could not be read
  const LoadedConfig flag =
      load_config(with(config_v2(), {{"/domains/0/crmDkim", {{"enabled", "yes"}}}}));
  CHECK(codes(flag) == std::vector<std::string>{"config.wrong_type /domains/0/crmDkim/enabled"});
}

TEST_CASE("an unknown member of a DKIM setting names the closest known one", "[config][schema2]") {
  const LoadedConfig loaded = load_config(
      with(config_v2(), {{"/domains/0/crmDkim", {{"enabled", true}, {"selektor", "s1"}}},
                         {"/domains/0/relays/0/dkim", {{"sings", true}}}}));
  CHECK(codes(loaded) ==
        std::vector<std::string>{"config.missing_field /domains/0/relays/0/dkim/signs",
                                 "config.unknown_field /domains/0/crmDkim/selektor",
                                 "config.unknown_field /domains/0/relays/0/dkim/sings"});
  for (const auto& f : loaded.findings) {
    if (f.path == "/domains/0/crmDkim/selektor") {
      CHECK(f.fix ==
            "Did you mean \"CRM's DKIM selector (s=)\"? Correct the spelling of the "
            "name, or remove it.");
    }
    if (f.path == "/domains/0/relays/0/dkim/sings") {
      CHECK(f.fix ==
            "Did you mean \"Signs DKIM itself\"? Correct the spelling of the name, or remove it.");
    }
  }
  const LoadedConfig typo =
      load_config(with(config_v2(), {{"/domains/0/crmDkm", {{"enabled", true}}}}));
  CHECK(only(typo, "config.unknown_field").fix ==
        "Did you mean \"CRM's DKIM signature\"? Correct the spelling of the name, or remove it.");
}

TEST_CASE("a signing domain must be a fully qualified domain name", "[config][schema2]") {
  for (const char* bad : {"zylker com", "localhost", "-zylker.com", "zylker..com", "1.2.3.4"}) {
    INFO(bad);
    const LoadedConfig loaded = load_config(
        with(config_v2(), {{"/domains/0/crmDkim", {{"enabled", true}, {"domain", bad}}}}));
    CHECK(codes(loaded) ==
          std::vector<std::string>{"config.name_invalid /domains/0/crmDkim/domain"});
    CHECK(only(loaded, "config.name_invalid").severity == Severity::error);
  }
  for (const char* good : {"zylker.com", "ZYLKER.com.", "bücher.example", "xn--bcher-kva.example",
                           "mail.zylker.co.uk"}) {
    INFO(good);
    CHECK(load_config(with(config_v2(),
                           {{"/domains/0/relays/0/dkim", {{"signs", true}, {"domain", good}}}}))
              .findings.empty());
  }
}

TEST_CASE("a DKIM selector is letters, digits and inner hyphens in dot-separated labels",
          "[config][schema2]") {
  for (const char* bad : {"s 1", "_s1", "s1.", ".s1", "-s1", "s1-", "s_1", "sélecteur", "s1..x"}) {
    INFO(bad);
    const LoadedConfig loaded = load_config(
        with(config_v2(), {{"/domains/0/relays/0/dkim", {{"signs", true}, {"selector", bad}}}}));
    CHECK(codes(loaded) ==
          std::vector<std::string>{"config.selector_invalid /domains/0/relays/0/dkim/selector"});
  }
  for (const std::string& good :
       {std::string("s1"), std::string("20230601"), std::string("zcrm"), std::string("k1.eu"),
        std::string("sel-2024"), std::string(63, 'a')}) {
    INFO(good);
    CHECK(load_config(
              with(config_v2(), {{"/domains/0/crmDkim", {{"enabled", true}, {"selector", good}}}}))
              .findings.empty());
  }
  CHECK(codes(load_config(with(
            config_v2(),
            {{"/domains/0/crmDkim", {{"enabled", true}, {"selector", std::string(64, 'a')}}}}))) ==
        std::vector<std::string>{"config.selector_invalid /domains/0/crmDkim/selector"});
}

TEST_CASE("a signing domain or selector without signing is a warning that it is unused",
          "[config][schema2]") {
  const LoadedConfig loaded = load_config(with(
      config_v2(), {{"/domains/0/crmDkim", {{"enabled", false}, {"domain", "crm.example.net"}}},
                    {"/domains/0/relays/0/dkim", {{"signs", false}, {"selector", "s1"}}}}));
  CHECK(codes(loaded) ==
        std::vector<std::string>{"config.unused_field /domains/0/crmDkim/domain",
                                 "config.unused_field /domains/0/relays/0/dkim/selector"});
  CHECK_FALSE(has_errors(loaded.findings));
}

TEST_CASE("the domain a rewriting relay points the return path to", "[config][schema2]") {
  const LoadedConfig loaded = load_config(
      with(config_v2(), {{"/domains/0/relays/0/rewritesReturnPath", true},
                         {"/domains/0/relays/0/returnPathDomain", "bounces.zylker.com"}}));
  CHECK(loaded.findings.empty());
  CHECK(loaded.config.domains[0].relays[0].rewrites_return_path);
  CHECK(loaded.config.domains[0].relays[0].return_path_domain == "bounces.zylker.com");
  CHECK(to_json(loaded.config)["domains"][0]["relays"][0]["returnPathDomain"] ==
        "bounces.zylker.com");

  const LoadedConfig unused = load_config(
      with(config_v2(), {{"/domains/0/relays/0/returnPathDomain", "bounces.zylker.com"}}));
  CHECK(codes(unused) ==
        std::vector<std::string>{"config.unused_field /domains/0/relays/0/returnPathDomain"});
  CHECK(contains(unused.findings[0].message, "does not rewrite the return path"));

  CHECK(codes(load_config(
            with(config_v2(), {{"/domains/0/relays/0/rewritesReturnPath", true},
                               {"/domains/0/relays/0/returnPathDomain", "bounces"}}))) ==
        std::vector<std::string>{"config.name_invalid /domains/0/relays/0/returnPathDomain"});
  CHECK(codes(load_config(with(config_v2(), {{"/domains/0/relays/0/returnPathDomain", true}}))) ==
        std::vector<std::string>{"config.wrong_type /domains/0/relays/0/returnPathDomain"});
  CHECK(codes(load_config(
            with(config_v2(), {{"/domains/0/relays/0/returnPathDomian", "x.example"}}))) ==
        std::vector<std::string>{"config.unknown_field /domains/0/relays/0/returnPathDomian"});
}

TEST_CASE("an unknown daily forecast stays unknown in schema 2", "[config][schema2]") {
  const LoadedConfig null_daily =
      load_config(with(config_v2(), {{"/domains/0/traffic/mass/daily", nullptr}}));
  CHECK(null_daily.findings.empty());
  CHECK_FALSE(null_daily.config.domains[0].traffic[0].daily.has_value());
  CHECK(to_json(null_daily.config)["domains"][0]["traffic"]["mass"]["daily"].is_null());

  json absent = config_v2();
  absent["domains"][0]["traffic"]["mass"].erase("daily");
  const LoadedConfig no_daily = load_config(absent);
  CHECK(no_daily.findings.empty());
  CHECK_FALSE(no_daily.config.domains[0].traffic[0].daily.has_value());
  CHECK(to_json(no_daily.config) == to_json(null_daily.config));

  const LoadedConfig zero = load_config(with(config_v2(), {{"/domains/0/traffic/mass/daily", 0}}));
  CHECK(zero.config.domains[0].traffic[0].daily == std::optional<std::int64_t>(0));
  CHECK(codes(load_config(with(config_v2(), {{"/domains/0/traffic/mass/daily", "3000"}}))) ==
        std::vector<std::string>{"config.wrong_type /domains/0/traffic/mass/daily"});
  CHECK(codes(load_config(with(config_v2(), {{"/domains/0/traffic/mass/daily", -1}}))) ==
        std::vector<std::string>{"config.out_of_range /domains/0/traffic/mass/daily"});
}

TEST_CASE("the day plan counts an unknown forecast as 0 emails, for now", "[config][schema2]") {
  const plan::Plan unknown = plan::make_plan(
      load_config(with(config_v2(), {{"/domains/0/traffic/mass/daily", nullptr}})).config);
  const plan::Plan zero = plan::make_plan(
      load_config(with(config_v2(), {{"/domains/0/traffic/mass/daily", 0}})).config);
  CHECK(unknown.totals.forecast == 0);
  CHECK(unknown.paths.empty());
  CHECK(plan::to_json(unknown, load_config(config_v2()).config) ==
        plan::to_json(zero, load_config(config_v2()).config));
}

// --- where DNS answers came from ---

TEST_CASE("a DNS record may say when it was fetched and from which resolver", "[config][schema2]") {
  json config = config_v2();
  config["dns"] = json::parse(R"({
    "zylker.com": [
      {"type": "TXT", "data": ["v=spf1 -all"], "fetched": "2024-05-01T09:30:00Z", "resolver": "https://dns.example/dns-query"},
      {"type": "NODATA", "data": "MX", "fetched": "2024-05-01T11:30:00.250+02:00", "resolver": "192.0.2.53:53"}],
    "_dmarc.zylker.com": [{"type": "TXT", "data": ["v=DMARC1; p=none"]}],
    "gone.zylker.com": [{"type": "NXDOMAIN", "fetched": "2024-02-29t23:59:60z"}]})");
  const LoadedConfig loaded = load_config(config);
  CHECK(loaded.findings.empty());
  CHECK(loaded.config.dns == config["dns"]);
  CHECK(to_json(loaded.config)["dns"] == config["dns"]);
}

TEST_CASE("a fetch time that is not an RFC 3339 time is a warning at the field",
          "[config][schema2]") {
  for (const char* bad :
       {"yesterday", "2024-05-01 09:30:00Z", "2024-05-01T09:30:00", "2024-02-30T00:00:00Z",
        "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2024-13-01T00:00:00Z",
        "2024-05-01T24:00:00Z", "2024-05-01T09:60:00Z", "2024-05-01T09:30:61Z",
        "2024-05-01T09:30:00.Z", "2024-05-01T09:30:00+2:00", "2024-05-01T09:30:00+24:00",
        "2024-05-01T09:30:00Z ", "24-05-01T09:30:00Z", ""}) {
    INFO(bad);
    json config = config_v2();
    config["dns"] = {
        {"zylker.com", {{{"type", "TXT"}, {"data", {"v=spf1 -all"}}, {"fetched", bad}}}}};
    const LoadedConfig loaded = load_config(config);
    CHECK(codes(loaded) ==
          std::vector<std::string>{"config.time_invalid /dns/zylker.com/0/fetched"});
    CHECK(only(loaded, "config.time_invalid").severity == Severity::warning);
  }
  for (const char* good :
       {"2000-02-29T00:00:00Z", "2024-12-31T23:59:59-05:00", "2024-05-01T09:30:00.123456789Z"}) {
    INFO(good);
    json config = config_v2();
    config["dns"] = {
        {"zylker.com", {{{"type", "TXT"}, {"data", {"v=spf1 -all"}}, {"fetched", good}}}}};
    CHECK(load_config(config).findings.empty());
  }
}

TEST_CASE("a DNS record's members are checked in schema 2, and left alone in schema 1",
          "[config][schema2]") {
  json config = config_v2();
  config["dns"] = {
      {"a/b.zylker.com",
       {{{"type", "TXT"}, {"data", {"x"}}, {"fetchd", "2024-05-01T09:30:00Z"}, {"resolver", 53}}}}};
  const LoadedConfig loaded = load_config(config);
  CHECK(codes(loaded) ==
        std::vector<std::string>{"config.unknown_field /dns/a~1b.zylker.com/0/fetchd",
                                 "config.wrong_type /dns/a~1b.zylker.com/0/resolver"});
  CHECK(only(loaded, "config.unknown_field").fix ==
        "Did you mean \"Fetched at\"? Correct the spelling of the name, or remove it.");
  config["schema"] = 1;
  CHECK(codes(load_config(config)) == std::vector<std::string>{"config.migrated /schema"});
  // What is not a record list is the DNS view's to judge, not the loader's.
  config["schema"] = 2;
  config["dns"] = {{"zylker.com", "v=spf1 -all"}, {"x.zylker.com", {1, "a"}}};
  CHECK(load_config(config).findings.empty());
}

// --- the built-in example, in schema 1 and schema 2 ---

TEST_CASE(
    "the built-in example in schema 1 loads, migrates and gives the same analysis as in schema 2",
    "[config][schema2]") {
  const json v1 = read_fixture("example-zylker-schema1.json");
  REQUIRE(v1["schema"] == 1);
  const LoadedConfig old_form = load_config(v1);
  const LoadedConfig new_form = load_config_text(data::example_config);
  CHECK(codes(old_form) == std::vector<std::string>{"config.migrated /schema"});
  CHECK(new_form.findings.empty());
  CHECK(to_json(old_form.config) == to_json(new_form.config));

  json old_report = analyze_config(old_form);
  const json new_report = analyze_config(new_form);
  // The one difference: the info that says the file was migrated.
  json& findings = old_report["findings"];
  const auto migrated = std::find_if(findings.begin(), findings.end(),
                                     [](const json& f) { return f["code"] == "config.migrated"; });
  REQUIRE(migrated != findings.end());
  findings.erase(migrated);
  old_report["summary"]["infos"] = old_report["summary"]["infos"].get<int>() - 1;
  CHECK(finding_keys(old_report["findings"]) == finding_keys(new_report["findings"]));
  CHECK(old_report["summary"] == new_report["summary"]);
  CHECK(old_report["plan"] == new_report["plan"]);
  CHECK(old_report["whitelist"] == new_report["whitelist"]);
  CHECK(old_report["config"] == new_report["config"]);
  CHECK(old_report == new_report);

  // The transport, whitelist and plan findings the example has always had.
  std::vector<std::string> example_codes;
  for (const auto& f : new_report["findings"]) example_codes.push_back(f["code"]);
  std::sort(example_codes.begin(), example_codes.end());
  CHECK(example_codes == std::vector<std::string>{"domain.return_path.crm_envelope",
                                                  "outcome.spf.relay_hop", "plan.relay.cap_reached",
                                                  "plan.type.no_relay",
                                                  "relay.whitelist.recommended"});
}
