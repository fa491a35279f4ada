// The lookup plan and the merge of fetched answers (core/src/dns/lookup_plan.hpp): a config with
// only domains and relays asks for SPF, DMARC, DKIM and the relay checks; answers bring the next
// round's names; a complete dns section asks for nothing.
#include <algorithm>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "dns/lookup_plan.hpp"
#include "outcomes/outcomes.hpp"
#include "plan/plan.hpp"
#include "spf/dns_view.hpp"

#ifndef RELAYCHECK_EXAMPLE_CONFIG
#define RELAYCHECK_EXAMPLE_CONFIG RELAYCHECK_TEST_DATA "/../../core/data/example-zylker.json"
#endif

using nlohmann::json;
using namespace relaycheck;

namespace {

/// One domain sending with its own From address as return path, signed by the CRM with
/// selector crm1, through one relay with one outbound address; `dns` as given.
json config_with(const json& dns = json::object()) {
  json relay{{"host", "smtp.zylker.com"},
             {"port", 587},
             {"security", "starttls"},
             {"auth", "password"},
             {"username", "crm-relay@zylker.com"},
             {"dailyLimit", 2000},
             {"emailTypes", {"mass", "workflow"}},
             {"outboundIps", {"203.0.113.25"}}};
  json domain{{"name", "zylker.com"},
              {"returnPath", "from-address"},
              {"crmDkim", {{"enabled", true}, {"selector", "crm1"}}},
              {"relays", json::array({relay})},
              {"traffic", {{"mass", {{"daily", 3000}, {"profile", "office-hours"}}}}}};
  return {{"schema", 2},
          {"account",
           {{"dataCenter", "US"},
            {"crmRanges", json::array()},
            {"bounceDomains", json::array()},
            {"editionDailyLimit", 5000}}},
          {"domains", json::array({domain})},
          {"dns", dns}};
}

Config load(const json& document) {
  LoadedConfig loaded = load_config(document);
  for (const Finding& f : loaded.findings) {
    INFO(f.code << " " << f.path << " " << f.message);
    CHECK(f.severity != Severity::error);
  }
  return loaded.config;
}

std::vector<std::string> texts(const dns::LookupPlan& plan) {
  std::vector<std::string> out;
  for (const dns::Lookup& l : plan.lookups) out.push_back(l.name + " " + dns::type_name(l.type));
  return out;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

/// The records a complete answer set for the config gives.
json full_dns() {
  return json::parse(R"({
    "zylker.com": [{"type": "TXT", "data": ["v=spf1 ip4:203.0.113.25 include:_spf.zylker.net ~all"]}],
    "_spf.zylker.net": [{"type": "TXT", "data": ["v=spf1 ip4:198.51.100.0/24 -all"]}],
    "_dmarc.zylker.com": [{"type": "TXT", "data": ["v=DMARC1; p=quarantine"]}],
    "crm1._domainkey.zylker.com": [{"type": "TXT", "data": ["v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC7"]}],
    "smtp.zylker.com": [{"type": "A", "data": "203.0.113.10"}, {"type": "NODATA", "data": "AAAA"}],
    "25.113.0.203.in-addr.arpa": [{"type": "PTR", "data": "out1.zylker.com"}],
    "out1.zylker.com": [{"type": "A", "data": "203.0.113.25"}]
  })");
}

}  // namespace

TEST_CASE("A config with only domains and relays asks for SPF, DMARC, DKIM and relay lookups",
          "[dns][plan]") {
  const dns::LookupPlan plan = dns::plan_lookups(load(config_with()));
  const auto lookups = texts(plan);
  INFO(json(lookups).dump());
  CHECK_FALSE(plan.done());
  CHECK(plan.total == plan.lookups.size());
  // The From domain's record and the relay checks come first, whatever the SPF records reach.
  CHECK(lookups.at(0) == "zylker.com TXT");
  CHECK(lookups.at(1) == "smtp.zylker.com A");
  CHECK(has(lookups, "zylker.com TXT"));
  CHECK(has(lookups, "_dmarc.zylker.com TXT"));
  CHECK(has(lookups, "crm1._domainkey.zylker.com TXT"));
  CHECK(has(lookups, "smtp.zylker.com A"));
  CHECK(has(lookups, "smtp.zylker.com AAAA"));
  CHECK(has(lookups, "25.113.0.203.in-addr.arpa PTR"));
  // The forward lookup waits for the PTR name; the include waits for the record.
  CHECK_FALSE(has(lookups, "out1.zylker.com A"));
  CHECK_FALSE(has(lookups, "_spf.zylker.net TXT"));
  // Deduplicated.
  auto sorted = lookups;
  std::sort(sorted.begin(), sorted.end());
  CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
}

TEST_CASE("After the first answers the next round asks for the include and the PTR's name",
          "[dns][plan]") {
  json dns = full_dns();
  dns.erase("_spf.zylker.net");
  dns.erase("out1.zylker.com");
  const auto lookups = texts(dns::plan_lookups(load(config_with(dns))));
  INFO(json(lookups).dump());
  CHECK(has(lookups, "_spf.zylker.net TXT"));
  CHECK(has(lookups, "out1.zylker.com A"));
  CHECK_FALSE(has(lookups, "zylker.com TXT"));
  CHECK_FALSE(has(lookups, "smtp.zylker.com A"));
}

TEST_CASE("A complete dns section asks for nothing", "[dns][plan]") {
  const dns::LookupPlan plan = dns::plan_lookups(load(config_with(full_dns())));
  INFO(json(texts(plan)).dump());
  CHECK(plan.done());
  CHECK(plan.lookups.empty());
}

TEST_CASE("A temporary error is not asked for again", "[dns][plan]") {
  json dns = full_dns();
  dns["_dmarc.zylker.com"] = json::array({{{"type", "TIMEOUT"}}});
  CHECK(dns::plan_lookups(load(config_with(dns))).done());
}

TEST_CASE("Macros and exists are expanded for each path's client and envelope sender",
          "[dns][plan]") {
  json dns = full_dns();
  dns["zylker.com"] =
      json::array({{{"type", "TXT"}, {"data", {"v=spf1 exists:%{i}.%{l}._spf.%{d} a:%{o} -all"}}}});
  const auto lookups = texts(dns::plan_lookups(load(config_with(dns))));
  INFO(json(lookups).dump());
  CHECK(has(lookups, "203.0.113.25.postmaster._spf.zylker.com A"));
  // The CRM's ranges (the overflow route's clients) are expanded address by address, as far as
  // the SPF range engine goes: hundreds of lookups, over several rounds of at most 200.
  const dns::LookupPlan plan = dns::plan_lookups(load(config_with(dns)));
  CHECK(plan.total > dns::kMaxLookupsPerRound);
  CHECK(plan.lookups.size() == dns::kMaxLookupsPerRound);
}

TEST_CASE("A name no query can carry is not asked for", "[dns][plan]") {
  json dns = full_dns();
  const std::string label64(64, 'x');
  dns["zylker.com"] = json::array(
      {{{"type", "TXT"},
        {"data", {"v=spf1 ip4:203.0.113.25 include:" + label64 + ".zylker.net -all"}}}});
  const auto lookups = texts(dns::plan_lookups(load(config_with(dns))));
  INFO(json(lookups).dump());
  CHECK(std::none_of(lookups.begin(), lookups.end(),
                     [&](const std::string& l) { return l.find(label64) != std::string::npos; }));
}

TEST_CASE("A CNAME in the data is followed and its target asked for", "[dns][plan]") {
  json dns = full_dns();
  dns["crm1._domainkey.zylker.com"] =
      json::array({{{"type", "CNAME"}, {"data", "crm1.dkim.crm.example"}}});
  const dns::LookupPlan plan = dns::plan_lookups(load(config_with(dns)));
  // The name asked is the alias: a resolver follows the chain and answers with the target's.
  CHECK(texts(plan) == std::vector<std::string>{"crm1._domainkey.zylker.com TXT"});
  dns["crm1.dkim.crm.example"] = json::array({{{"type", "TXT"}, {"data", {"v=DKIM1; p=abc"}}}});
  CHECK(dns::plan_lookups(load(config_with(dns))).done());
}

TEST_CASE("A failed lookup of one type leaves the name's other types to be asked", "[dns][plan]") {
  json dns = full_dns();
  dns["smtp.zylker.com"] = json::array({{{"type", "TIMEOUT"}, {"data", "AAAA"}}});
  const auto lookups = texts(dns::plan_lookups(load(config_with(dns))));
  CHECK(lookups == std::vector<std::string>{"smtp.zylker.com A"});
}

TEST_CASE("A round asks for at most its limit and says how many are needed", "[dns][plan]") {
  const dns::LookupPlan plan = dns::plan_lookups(load(config_with()), 2);
  CHECK(plan.lookups.size() == 2);
  CHECK(plan.total > 2);
  CHECK(plan.limit == 2);
  // The same order every time.
  CHECK(texts(dns::plan_lookups(load(config_with()), 2)) == texts(plan));
}

TEST_CASE("A relay host given as an address and an outbound range ask for no relay lookups",
          "[dns][plan]") {
  json doc = config_with(full_dns());
  doc["domains"][0]["relays"][0]["host"] = "203.0.113.10";
  doc["domains"][0]["relays"][0]["outboundIps"] = {"203.0.113.0/28"};
  const auto lookups = texts(dns::plan_lookups(load(doc)));
  INFO(json(lookups).dump());
  CHECK(std::none_of(lookups.begin(), lookups.end(), [](const std::string& l) {
    return l.find("in-addr.arpa") != std::string::npos || l.rfind("203.0.113.10", 0) == 0;
  }));
}

TEST_CASE("Merged answers carry where and when they were fetched", "[dns][merge]") {
  const std::vector<dns::Answer> answers{
      {"zylker.com", dns::type::TXT,
       json::parse(R"({"zylker.com": [{"type": "TXT", "data": ["v=spf1 -all"]}]})")}};
  auto merged = dns::merge_answers(json::object(), answers, "127.0.0.1:53", "2026-12-02T10:00:00Z");
  REQUIRE(merged);
  CHECK(merged.value->dns == json::parse(R"({"zylker.com": [{"type": "TXT", "data": ["v=spf1 -all"],
    "fetched": "2026-12-02T10:00:00Z", "resolver": "127.0.0.1:53"}]})"));
  REQUIRE(merged.value->changes.size() == 1);
  CHECK(merged.value->changes[0].change == "added");
  // The config loader keeps the source fields without a finding.
  json doc = config_with(merged.value->dns);
  LoadedConfig loaded = load_config(doc);
  CHECK(loaded.config.dns == merged.value->dns);
  CHECK(std::none_of(loaded.findings.begin(), loaded.findings.end(),
                     [](const Finding& f) { return f.path.rfind("/dns", 0) == 0; }));
}

TEST_CASE("Merging replaces the answered type and keeps the others", "[dns][merge]") {
  const json before = json::parse(R"({
    "Zylker.com": [{"type": "TXT", "data": ["v=spf1 ip4:192.0.2.1 -all"]},
                   {"type": "MX", "data": [10, "mx.zylker.com"]}],
    "smtp.zylker.com": [{"type": "NODATA", "data": ["A", "AAAA"]}],
    "old.zylker.com": [{"type": "NXDOMAIN"}]
  })");
  const std::vector<dns::Answer> answers{
      {"zylker.com", dns::type::TXT,
       json::parse(R"({"zylker.com": [{"type": "TXT", "data": ["v=spf1 ip4:192.0.2.9 -all"]}]})")},
      {"smtp.zylker.com", dns::type::A,
       json::parse(R"({"smtp.zylker.com": [{"type": "A", "data": "203.0.113.10"}]})")},
      {"old.zylker.com", dns::type::TXT,
       json::parse(R"({"old.zylker.com": [{"type": "NXDOMAIN"}]})")},
      {"_dmarc.zylker.com", dns::type::TXT,
       json::parse(R"({"_dmarc.zylker.com": [{"type": "TIMEOUT"}]})")}};
  auto merged = dns::merge_answers(before, answers, "", "");
  REQUIRE(merged);
  const json& out = merged.value->dns;
  CHECK(out["Zylker.com"] == json::parse(R"([{"type": "MX", "data": [10, "mx.zylker.com"]},
                                             {"type": "TXT", "data": ["v=spf1 ip4:192.0.2.9 -all"]}])"));
  CHECK(out["smtp.zylker.com"] == json::parse(R"([{"type": "NODATA", "data": ["AAAA"]},
                                                  {"type": "A", "data": "203.0.113.10"}])"));
  CHECK_FALSE(out.contains("zylker.com"));
  const auto& changes = merged.value->changes;
  REQUIRE(changes.size() == 4);
  CHECK(changes[0].change == "changed");
  CHECK(changes[0].before ==
        json::parse(R"([{"type": "TXT", "data": ["v=spf1 ip4:192.0.2.1 -all"]}])"));
  CHECK(changes[1].change == "changed");
  CHECK(changes[2].change == "unchanged");
  CHECK(changes[3].change == "added");
}

TEST_CASE("A CNAME or NXDOMAIN replaces every entry of its name, and records replace them",
          "[dns][merge]") {
  const json before = json::parse(R"({"www.zylker.com": [{"type": "A", "data": "192.0.2.1"}]})");
  auto merged = dns::merge_answers(
      before,
      {{"www.zylker.com", dns::type::TXT,
        json::parse(R"({"www.zylker.com": [{"type": "CNAME", "data": "zylker.com"}],
                        "zylker.com": [{"type": "TXT", "data": ["v=spf1 -all"]}]})")}},
      "", "");
  REQUIRE(merged);
  CHECK(merged.value->dns["www.zylker.com"] ==
        json::parse(R"([{"type": "CNAME", "data": "zylker.com"}])"));
  auto again = dns::merge_answers(
      merged.value->dns,
      {{"www.zylker.com", dns::type::A,
        json::parse(R"({"www.zylker.com": [{"type": "A", "data": "192.0.2.7"}]})")}},
      "", "");
  REQUIRE(again);
  CHECK(again.value->dns["www.zylker.com"] ==
        json::parse(R"([{"type": "A", "data": "192.0.2.7"}])"));
}

TEST_CASE("A temporary error of one type is replaced by its answer and keeps the others",
          "[dns][merge]") {
  const json before = json::parse(R"({"smtp.zylker.com": [
    {"type": "TIMEOUT", "data": ["A", "AAAA"]}, {"type": "TIMEOUT", "data": "MX"}]})");
  auto merged = dns::merge_answers(
      before,
      {{"smtp.zylker.com", dns::type::A,
        json::parse(R"({"smtp.zylker.com": [{"type": "A", "data": "198.51.100.10"}]})")},
       {"smtp.zylker.com", dns::type::TXT,
        json::parse(R"({"smtp.zylker.com": [{"type": "TIMEOUT", "data": "TXT"}]})")}},
      "", "");
  REQUIRE(merged);
  CHECK(merged.value->dns["smtp.zylker.com"] == json::parse(R"([
    {"type": "TIMEOUT", "data": ["AAAA"]}, {"type": "TIMEOUT", "data": "MX"},
    {"type": "A", "data": "198.51.100.10"}, {"type": "TIMEOUT", "data": "TXT"}])"));
  auto zone = spf::ZoneView::load(merged.value->dns, spf::MissingName::unknown);
  REQUIRE(zone);
  CHECK(zone.zone->query("smtp.zylker.com", spf::RrType::a).status == spf::DnsStatus::records);
  CHECK(zone.zone->query("smtp.zylker.com", spf::RrType::aaaa).status ==
        spf::DnsStatus::temp_error);
  CHECK(zone.zone->query("smtp.zylker.com", spf::RrType::ptr).status == spf::DnsStatus::unknown);
}

TEST_CASE("A TIMEOUT without types still fails every type at its name", "[dns][merge]") {
  auto zone = spf::ZoneView::load(json::parse(R"({"a.example": [{"type": "TXT", "data": ["x"]},
                                                               {"type": "TIMEOUT"}]})"),
                                  spf::MissingName::unknown);
  REQUIRE(zone);
  CHECK(zone.zone->query("a.example", spf::RrType::txt).status == spf::DnsStatus::records);
  CHECK(zone.zone->query("a.example", spf::RrType::a).status == spf::DnsStatus::temp_error);
  CHECK_FALSE(
      spf::ZoneView::load(json::parse(R"({"a.example": [{"type": "TIMEOUT", "data": "NS"}]})"),
                          spf::MissingName::unknown));
}

TEST_CASE("Merging refuses what is not a zone fragment", "[dns][merge]") {
  CHECK_FALSE(dns::merge_answers(json::array(), {}, "", ""));
  CHECK_FALSE(
      dns::merge_answers(json::object(), {{"a.example", dns::type::A, json::array()}}, "", ""));
  CHECK_FALSE(dns::merge_answers(
      json::object(), {{"a.example", dns::type::A, json::parse(R"({"a.example": [{"data": 1}]})")}},
      "", ""));
}

TEST_CASE("Fetching, merging and planning again reaches a complete section", "[dns][plan]") {
  // A resolver that knows full_dns(): each round answers what the plan asks.
  const json world = full_dns();
  json dns = json::object();
  int rounds = 0;
  for (; rounds < 10; ++rounds) {
    const dns::LookupPlan plan = dns::plan_lookups(load(config_with(dns)));
    if (plan.done()) break;
    std::vector<dns::Answer> answers;
    for (const dns::Lookup& l : plan.lookups) {
      json entries = json::array();
      const std::string t = dns::type_name(l.type);
      if (world.contains(l.name)) {
        for (const json& e : world[l.name]) {
          if (e["type"] == t || (e["type"] == "NODATA" && e["data"] == t)) entries.push_back(e);
        }
      }
      if (entries.empty()) entries.push_back({{"type", "NODATA"}, {"data", t}});
      answers.push_back({l.name, l.type, {{l.name, entries}}});
    }
    auto merged = dns::merge_answers(dns, answers, "192.0.2.53", "2026-12-02T10:00:00Z");
    REQUIRE(merged);
    dns = merged.value->dns;
  }
  CHECK(rounds == 2);
  CHECK(dns::plan_lookups(load(config_with(dns))).done());
}

namespace {

/// Answers every lookup from `world`, NXDOMAIN for names it does not list, and merges: rounds
/// until the plan is done (at most `max_rounds`); returns the rounds taken.
int fetch_all(json& document, const json& world, int max_rounds = 10) {
  for (int round = 0; round < max_rounds; ++round) {
    const dns::LookupPlan plan = dns::plan_lookups(load(document));
    if (plan.done()) return round;
    std::vector<dns::Answer> answers;
    for (const dns::Lookup& l : plan.lookups) {
      const std::string t = dns::type_name(l.type);
      json entries = json::array();
      if (!world.contains(l.name)) {
        entries.push_back({{"type", "NXDOMAIN"}});
      } else {
        for (const json& e : world[l.name]) {
          if (e["type"] == t) entries.push_back(e);
        }
        if (entries.empty()) entries.push_back({{"type", "NODATA"}, {"data", t}});
      }
      answers.push_back({l.name, l.type, {{l.name, entries}}});
    }
    auto merged =
        dns::merge_answers(document["dns"], answers, "192.0.2.53", "2026-12-02T10:00:00Z");
    REQUIRE(merged);
    document["dns"] = merged.value->dns;
  }
  return max_rounds;
}

/// The codes of the analysis of a document (the report's outcomes part).
std::vector<std::string> outcome_codes(const json& document) {
  const Config config = load(document);
  const auto result = outcomes::derive(config, plan::make_plan(config));
  std::vector<std::string> out;
  for (const Finding& f : result.findings) out.push_back(f.code);
  return out;
}

}  // namespace

TEST_CASE("Once the plan is done the outcomes assume no record", "[dns][plan]") {
  json document = config_with();
  const json world = full_dns();
  CHECK(has(outcome_codes(document), "outcome.dns.missing"));
  CHECK(fetch_all(document, world) == 2);
  CHECK_FALSE(has(outcome_codes(document), "outcome.dns.missing"));
}

TEST_CASE("The built-in example without its dns section is complete after fetching",
          "[dns][plan]") {
  std::ifstream in(RELAYCHECK_EXAMPLE_CONFIG);
  REQUIRE(in.good());
  json document = json::parse(in);
  const json pasted = document["dns"];
  document["dns"] = json::object();
  // A world with the example's records and the CRM's include, where nothing else exists.
  json world = pasted;
  world["zohomail.com"] =
      json::array({{{"type", "TXT"}, {"data", {"v=spf1 ip4:136.143.188.0/24 ~all"}}}});
  const int rounds = fetch_all(document, world);
  CHECK(rounds <= 3);
  CHECK(dns::plan_lookups(load(document)).done());
  CHECK_FALSE(has(outcome_codes(document), "outcome.dns.missing"));
  for (const auto& [name, entries] : pasted.items()) {
    INFO(name);
    REQUIRE(document["dns"].contains(name));
    CHECK(document["dns"][name][0]["data"] == entries[0]["data"]);
    CHECK(document["dns"][name][0]["resolver"] == "192.0.2.53");
  }
}
