// The quota planner (issue 5): hourly split, routes, findings, suggested allocation and the
// `plan` method. Its shared vectors (tests/data/vectors/plan.json) run in test_vectors.cpp.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numeric>
#include <random>
#include <regex>
#include <set>
#include <utility>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "config/names.hpp"
#include "plan/plan.hpp"
#include "relaycheck/facade.hpp"
#include "rules/rules.hpp"

using nlohmann::json;
using namespace relaycheck;
using namespace relaycheck::plan;

namespace {

/// A config of one account and the given domains, loaded; the loader must find no error.
Config load(std::int64_t edition, const json& domains) {
  json doc{{"schema", 2},
           {"account",
            {{"dataCenter", "US"}, {"editionDailyLimit", edition}, {"timeZone", "Europe/Berlin"}}},
           {"domains", domains}};
  LoadedConfig loaded = load_config(doc);
  for (const auto& f : loaded.findings) INFO(f.code + " " + f.path + " " + f.message);
  REQUIRE_FALSE(has_errors(loaded.findings));
  return loaded.config;
}

json relay(const std::string& host, std::int64_t limit, const std::vector<std::string>& types) {
  return json{{"host", host},       {"port", 587},         {"security", "starttls"},
              {"auth", "password"}, {"dailyLimit", limit}, {"emailTypes", types}};
}

json domain(const std::string& name, const json& relays, const json& traffic) {
  return json{{"name", name}, {"relays", relays}, {"traffic", traffic}};
}

json flat(std::int64_t daily) { return json{{"daily", daily}, {"profile", "flat"}}; }
json burst(std::int64_t daily, int hour) {
  return json{{"daily", daily}, {"profile", "burst"}, {"burstHour", hour}};
}

const Finding* find(const Plan& plan, const std::string& code) {
  for (const auto& f : plan.findings) {
    if (f.code == code) return &f;
  }
  return nullptr;
}

const MessagePath* path_of(const Plan& plan, std::size_t domain, EmailType type,
                           RouteReason reason) {
  for (const auto& p : plan.paths) {
    if (p.domain == domain && p.type == type && p.reason == reason) return &p;
  }
  return nullptr;
}

std::int64_t sum(const Hourly& h) { return std::accumulate(h.begin(), h.end(), std::int64_t{0}); }

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("hourly counts add up to the daily volume by largest remainder, earlier hour first",
          "[plan]") {
  std::array<std::int64_t, kHours> office{};
  for (int h = 9; h < 17; ++h) office[static_cast<std::size_t>(h)] = 1;
  const Hourly counts = hourly_counts(900, office);
  CHECK(sum(counts) == 900);
  // 900 / 8 = 112.5: the four earliest office hours get the extra email.
  CHECK(counts[9] == 113);
  CHECK(counts[12] == 113);
  CHECK(counts[13] == 112);
  CHECK(counts[16] == 112);
  CHECK(counts[8] == 0);
  CHECK(counts[17] == 0);

  std::array<std::int64_t, kHours> w{};
  w[1] = 1;
  w[2] = 2;
  w[3] = 3;
  const Hourly thirds = hourly_counts(10, w);  // 1.67, 3.33, 5: remainders 4, 2, 0 (of 6)
  CHECK(thirds[1] == 2);
  CHECK(thirds[2] == 3);
  CHECK(thirds[3] == 5);
  CHECK(sum(hourly_counts(0, w)) == 0);
}

TEST_CASE("hourly counts are exact at the largest counts and never give mail to a weight of 0",
          "[plan]") {
  std::array<std::int64_t, kHours> w{};
  w[0] = kMaxCount;
  w[5] = kMaxCount - 1;
  w[23] = 7;
  const Hourly counts = hourly_counts(kMaxCount, w);
  CHECK(sum(counts) == kMaxCount);
  CHECK(counts[1] == 0);
  CHECK(counts[22] == 0);
  CHECK(counts[0] >= counts[5]);

  std::array<std::int64_t, kHours> zero{};
  const Hourly spread = hourly_counts(48, zero);  // weights of 0 spread the volume flat
  CHECK(std::all_of(spread.begin(), spread.end(), [](std::int64_t n) { return n == 2; }));

  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::array<std::int64_t, kHours> r{};
    for (auto& x : r)
      x = rng() % 3 == 0 ? 0
                         : static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(kMaxCount));
    const auto daily = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(kMaxCount));
    const Hourly c = hourly_counts(daily, r);
    REQUIRE(sum(c) == daily);
    for (std::size_t h = 0; h < r.size(); ++h) {
      if (r[h] == 0 && std::any_of(r.begin(), r.end(), [](std::int64_t x) { return x > 0; }))
        REQUIRE(c[h] == 0);
    }
  }
}

TEST_CASE("the profiles: office hours 09-17, a burst in one hour, flat, custom weights", "[plan]") {
  Traffic t;
  t.profile = TrafficProfile::office_hours;
  auto w = profile_weights(t);
  CHECK(std::accumulate(w.begin(), w.end(), std::int64_t{0}) == 8);
  CHECK(w[9] == 1);
  CHECK(w[16] == 1);
  CHECK(w[17] == 0);
  t.profile = TrafficProfile::burst;
  t.burst_hour = 23;
  w = profile_weights(t);
  CHECK(w[23] == 1);
  CHECK(std::accumulate(w.begin(), w.end(), std::int64_t{0}) == 1);
  t.profile = TrafficProfile::flat;
  w = profile_weights(t);
  CHECK(std::all_of(w.begin(), w.end(), [](std::int64_t x) { return x == 1; }));
  t.profile = TrafficProfile::custom;
  t.weights.assign(24, 0);
  t.weights[3] = 5;
  w = profile_weights(t);
  CHECK(w[3] == 5);
}

TEST_CASE(
    "the source's worked example: 5,000 a day, 2,000 set aside for the relay, 3,000 from the CRM",
    "[plan]") {
  const Config config = load(
      5000,
      json::array({domain("zylker.com", json::array({relay("smtp1.zylker.com", 2000, {"mass"})}),
                          {{"mass", burst(5000, 10)}})}));
  const Plan plan = make_plan(config);
  CHECK(plan.totals.forecast == 5000);
  CHECK(plan.totals.relay == 2000);
  CHECK(plan.totals.crm == 3000);
  CHECK(plan.totals.not_sent == 0);
  REQUIRE(plan.relays.size() == 1);
  CHECK(plan.relays[0].cap_reached_hour == 10);
  CHECK(plan.edition_reached_hour == 10);
  const Finding* f = find(plan, "plan.relay.cap_reached");
  REQUIRE(f != nullptr);
  CHECK(f->severity == Severity::warning);
  CHECK(f->path == "/domains/0/relays/0/dailyLimit");
  CHECK(f->message ==
        "Relay smtp1.zylker.com reaches its 2,000 cap at 10:00; 3,000 mass emails after that go "
        "out through the "
        "CRM's servers.");
  CHECK(contains(f->fix, "Raise its daily limit to 5,000"));
  CHECK(find(plan, "plan.edition.exceeded") == nullptr);
}

TEST_CASE("the built-in example shows an overflow at once", "[plan]") {
  const json response = json::parse(call("example", "{}"));
  const LoadedConfig loaded = load_config(response["result"]["config"]);
  REQUIRE_FALSE(has_errors(loaded.findings));
  const Plan plan = make_plan(loaded.config);
  const Finding* f = find(plan, "plan.relay.cap_reached");
  REQUIRE(f != nullptr);
  CHECK(f->message ==
        "Relay smtp.zylker.com reaches its 2,000 cap at 10:00; 674 workflow and 1,226 mass emails "
        "after that go "
        "out through the CRM's servers.");
  CHECK(plan.totals.relay == 2000);
  CHECK(plan.totals.crm == 2300);
  const MessagePath* individual = path_of(plan, 0, EmailType::individual, RouteReason::no_relay);
  REQUIRE(individual != nullptr);
  CHECK(individual->total == 400);
  CHECK(individual->kind == RouteKind::crm);
  CHECK_FALSE(individual->relay.has_value());
  const Finding* info = find(plan, "plan.type.no_relay");
  REQUIRE(info != nullptr);
  CHECK(info->severity == Severity::info);
  CHECK(info->path == "/domains/0/traffic/individual");
  CHECK(plan.allocation.relayed_suggested == 3900);
  CHECK(plan.allocation.unassigned == 1100);
}

TEST_CASE(
    "mail beyond the edition's limit is not sent today, and the finding says the source is silent",
    "[plan]") {
  const Config config =
      load(5000, json::array({domain("zylker.com", json::array({relay("smtp1", 2000, {"mass"})}),
                                     {{"mass", burst(5800, 9)}})}));
  const Plan plan = make_plan(config);
  CHECK(plan.totals.not_sent == 800);
  CHECK(plan.totals.relay + plan.totals.crm == 5000);
  const MessagePath* held = path_of(plan, 0, EmailType::mass, RouteReason::edition_limit);
  REQUIRE(held != nullptr);
  CHECK(held->kind == RouteKind::not_sent);
  CHECK(held->hourly[9] == 800);
  const Finding* f = find(plan, "plan.edition.exceeded");
  REQUIRE(f != nullptr);
  CHECK(f->severity == Severity::error);
  CHECK(f->path == "/account/editionDailyLimit");
  CHECK(contains(f->message, "exceeds the edition's daily limit of 5,000 by 800"));
  CHECK(contains(f->message, "from 09:00 on, 800 mass emails are not sent today"));
  CHECK(contains(f->message, "the domain source does not say"));
}

TEST_CASE(
    "within an hour individual mail goes first, then workflow, then mass; domains in config order",
    "[plan]") {
  const json traffic{
      {"mass", burst(10, 8)}, {"workflow", burst(10, 8)}, {"individual", burst(10, 8)}};
  const Config config = load(25, json::array({domain("a.example", json::array(), traffic),
                                              domain("b.example", json::array(), traffic)}));
  const Plan plan = make_plan(config);
  // 25 slots: individual of a and b (20), then workflow of a (5 of 10); b's workflow and all mass
  // wait.
  CHECK(plan.totals.not_sent == 35);
  const MessagePath* wa = path_of(plan, 0, EmailType::workflow, RouteReason::edition_limit);
  const MessagePath* wb = path_of(plan, 1, EmailType::workflow, RouteReason::edition_limit);
  REQUIRE(wa != nullptr);
  REQUIRE(wb != nullptr);
  CHECK(wa->total == 5);
  CHECK(wb->total == 10);
  CHECK(path_of(plan, 1, EmailType::individual, RouteReason::edition_limit) == nullptr);
  CHECK(path_of(plan, 0, EmailType::mass, RouteReason::edition_limit)->total == 10);
}

TEST_CASE("a relay that is down from hour 0 sends everything of its types through the CRM",
          "[plan]") {
  json r = relay("smtp1", 2000, {"mass", "workflow"});
  r["outageFromHour"] = 0;
  r["dkim"] = {{"signs", true}};
  const Config config =
      load(5000, json::array({domain("zylker.com", json::array({r}), {{"mass", flat(240)}})}));
  const Plan plan = make_plan(config);
  CHECK(plan.totals.relay == 0);
  CHECK(plan.totals.crm == 240);
  CHECK(plan.relays[0].during_outage == 240);
  CHECK_FALSE(plan.relays[0].cap_reached_hour.has_value());
  const MessagePath* p = path_of(plan, 0, EmailType::mass, RouteReason::relay_outage);
  REQUIRE(p != nullptr);
  CHECK(p->relay == std::optional<std::size_t>(0));
  const Finding* f = find(plan, "plan.relay.outage");
  REQUIRE(f != nullptr);
  CHECK(f->path == "/domains/0/relays/0/outageFromHour");
  CHECK(contains(f->message, "is down from 00:00"));
  CHECK(contains(f->message, "240 mass emails from then on go out through the CRM's servers"));
  CHECK(contains(f->message, "without the relay's DKIM signature"));
  CHECK(plan.allocation.relayed_suggested == 0);  // the relay is never up, so no limit helps
}

TEST_CASE("an outage in the afternoon moves only the later hours", "[plan]") {
  json r = relay("smtp1", 10000, {"workflow"});
  r["outageFromHour"] = 14;
  const Config config = load(
      100000, json::array({domain("zylker.com", json::array({r}),
                                  {{"workflow", {{"daily", 800}, {"profile", "office-hours"}}}})}));
  const Plan plan = make_plan(config);
  CHECK(plan.relays[0].carried == 500);
  CHECK(plan.relays[0].during_outage == 300);
  CHECK(path_of(plan, 0, EmailType::workflow, RouteReason::relay_outage)->hourly[14] == 100);
  CHECK(path_of(plan, 0, EmailType::workflow, RouteReason::relay_outage)->hourly[13] == 0);
}

TEST_CASE("a relay with a daily limit of 0 carries nothing and says so", "[plan]") {
  const Config config =
      load(5000, json::array({domain("zylker.com", json::array({relay("smtp1", 0, {"mass"})}),
                                     {{"mass", burst(1, 3)}})}));
  const Plan plan = make_plan(config);
  CHECK(plan.totals.crm == 1);
  CHECK(plan.relays[0].cap_reached_hour == 3);
  const Finding* f = find(plan, "plan.relay.cap_reached");
  REQUIRE(f != nullptr);
  CHECK(f->message ==
        "Relay smtp1 has a daily limit of 0, so 1 mass email goes out through the CRM's servers "
        "instead.");
}

TEST_CASE("zero volumes plan an empty day without findings", "[plan]") {
  const Config config =
      load(0, json::array({domain("zylker.com", json::array({relay("smtp1", 0, {"mass"})}),
                                  {{"mass", flat(0)}, {"workflow", burst(0, 0)}})}));
  const Plan plan = make_plan(config);
  CHECK(plan.paths.empty());
  CHECK(plan.findings.empty());
  CHECK(plan.totals.forecast == 0);
  CHECK_FALSE(plan.edition_reached_hour.has_value());
  CHECK_FALSE(plan.relays[0].cap_reached_hour.has_value());
  CHECK(plan.allocation.unassigned == 0);
}

TEST_CASE("all the day's traffic in one hour is served in that hour", "[plan]") {
  const Config config =
      load(1000, json::array({domain("zylker.com", json::array({relay("smtp1", 300, {"mass"})}),
                                     {{"mass", burst(1500, 23)}})}));
  const Plan plan = make_plan(config);
  CHECK(plan.hourly_relay[23] == 300);
  CHECK(plan.hourly_crm[23] == 700);
  CHECK(plan.hourly_not_sent[23] == 500);
  CHECK(sum(plan.hourly_relay) == 300);
  CHECK(plan.edition_reached_hour == 23);
}

TEST_CASE("a relay planned for more than it carries is told to give its share to a full one",
          "[plan]") {
  const Config config = load(
      5000, json::array({domain(
                "zylker.com",
                json::array({relay("smtp1", 500, {"mass"}), relay("smtp2", 500, {"workflow"})}),
                {{"mass", burst(3000, 10)}, {"workflow", burst(40, 11)}})}));
  const Plan plan = make_plan(config);
  const Finding* f = find(plan, "plan.relay.underused");
  REQUIRE(f != nullptr);
  CHECK(f->path == "/domains/0/relays/1/dailyLimit");
  CHECK(contains(f->message, "Relay smtp2 is planned for 500 but will carry 40"));
  CHECK(f->fix == "Lower its daily limit to 40 and give the 460 to relay smtp1.");
  REQUIRE(plan.allocation.relays.size() == 2);
  CHECK(plan.allocation.relays[0].suggested == 3000);
  CHECK(plan.allocation.relays[1].suggested == 40);
  CHECK(plan.allocation.relayed_now == 540);
  CHECK(plan.allocation.relayed_suggested == 3040);
  CHECK(plan.allocation.unassigned == 1960);
}

TEST_CASE("an underused relay is told to give its share to a full relay of its own domain first",
          "[plan]") {
  const Config config = load(
      100000, json::array({
                  domain("a.example", json::array({relay("a1", 100, {"mass"})}),
                         {{"mass", burst(5000, 9)}}),
                  domain("b.example",
                         json::array({relay("b1", 100, {"mass"}), relay("b2", 500, {"workflow"})}),
                         {{"mass", burst(150, 9)}, {"workflow", burst(10, 9)}}),
              }));
  const Plan plan = make_plan(config);
  const Finding* f = find(plan, "plan.relay.underused");
  REQUIRE(f != nullptr);
  CHECK(f->path == "/domains/1/relays/1/dailyLimit");
  CHECK(f->fix == "Lower its daily limit to 10 and give the 490 to relay b1.");
}

TEST_CASE("once the overflow is covered, no further relay is told to give", "[plan]") {
  // a1 sends 400 mass emails to the CRM's servers once full; b1, c1 and d1 have 490 spare each.
  const Config config = load(
      100000,
      json::array({
          domain("a.example", json::array({relay("a1", 100, {"mass"})}), {{"mass", burst(500, 9)}}),
          domain("b.example", json::array({relay("b1", 500, {"mass"})}), {{"mass", burst(10, 9)}}),
          domain("c.example", json::array({relay("c1", 500, {"mass"})}), {{"mass", burst(10, 9)}}),
          domain("d.example", json::array({relay("d1", 500, {"mass"})}), {{"mass", burst(10, 9)}}),
      }));
  const Plan plan = make_plan(config);
  std::vector<std::string> paths;
  for (const auto& f : plan.findings) {
    if (f.code == "plan.relay.underused") paths.push_back(f.path);
  }
  CHECK(paths == std::vector<std::string>{"/domains/1/relays/0/dailyLimit"});
}

TEST_CASE("each relay with spare gives to the relay that still needs the most", "[plan]") {
  // a1 needs 400 more and e1 300 more; b1 and c1 have 250 spare each, d1 490.
  const Config config = load(
      100000,
      json::array({
          domain("a.example", json::array({relay("a1", 100, {"mass"})}), {{"mass", burst(500, 9)}}),
          domain("b.example", json::array({relay("b1", 260, {"mass"})}), {{"mass", burst(10, 9)}}),
          domain("c.example", json::array({relay("c1", 260, {"mass"})}), {{"mass", burst(10, 9)}}),
          domain("d.example", json::array({relay("d1", 500, {"mass"})}), {{"mass", burst(10, 9)}}),
          domain("e.example", json::array({relay("e1", 100, {"mass"})}), {{"mass", burst(400, 9)}}),
      }));
  const Plan plan = make_plan(config);
  std::vector<std::string> fixes;
  for (const auto& f : plan.findings) {
    if (f.code == "plan.relay.underused") fixes.push_back(f.path + ": " + f.fix);
  }
  // b1 → a1 (400 → 150 left); c1 → e1 (300 → 50); d1 → a1 (150 → 0). e1's 50 are covered by no one
  // left.
  CHECK(fixes == std::vector<std::string>{"/domains/1/relays/0/dailyLimit: Lower its daily limit "
                                          "to 10 and give the 250 to relay a1.",
                                          "/domains/2/relays/0/dailyLimit: Lower its daily limit "
                                          "to 10 and give the 250 to relay e1.",
                                          "/domains/3/relays/0/dailyLimit: Lower its daily limit "
                                          "to 10 and give the 490 to relay a1."});
}

TEST_CASE("overflow findings say what overflow mail lacks and leave its verdict to the outcomes",
          "[plan]") {
  json r = relay("smtp1", 100, {"mass"});
  r["dkim"] = {{"signs", true}};
  r["rewritesReturnPath"] = true;
  r["modifiesMessages"] = true;
  json doc{{"schema", 2},
           {"account", {{"dataCenter", "US"}, {"editionDailyLimit", 1000}}},
           {"domains",
            json::array({domain("zylker.com", json::array({r}), {{"mass", burst(300, 9)}})})}};
  doc["domains"][0]["crmDkim"] = {{"enabled", false}};
  const Plan plan = make_plan(load_config(doc).config);
  const Finding* f = find(plan, "plan.relay.cap_reached");
  REQUIRE(f != nullptr);
  CHECK(contains(f->message,
                 "without the relay's DKIM signature, with the CRM's return path, not "
                 "the relay's and without the relay's changes (disclaimers, footers)"));
  CHECK(contains(f->message, "the outcomes show its SPF, DKIM and DMARC per route"));
  // The plan states no DMARC verdict of its own (issue 12: "rests on SPF alone" was wrong).
  CHECK_FALSE(contains(f->message, "DMARC rests"));
}

TEST_CASE("overflow findings add nothing when overflow mail differs in nothing", "[plan]") {
  json doc{
      {"schema", 2},
      {"account", {{"dataCenter", "US"}, {"editionDailyLimit", 1000}}},
      {"domains", json::array({domain("zylker.com", json::array({relay("smtp1", 100, {"mass"})}),
                                      {{"mass", burst(300, 9)}})})}};
  const Plan plan = make_plan(load_config(doc).config);
  const Finding* f = find(plan, "plan.relay.cap_reached");
  REQUIRE(f != nullptr);
  CHECK_FALSE(contains(f->message, "the outcomes show"));
}

TEST_CASE("a second relay listing the same type carries none of it", "[plan]") {
  const Config config = load(
      5000,
      json::array({domain(
          "zylker.com", json::array({relay("smtp1", 100, {"mass"}), relay("smtp2", 100, {"mass"})}),
          {{"mass", burst(300, 9)}})}));
  const Plan plan = make_plan(config);
  CHECK(plan.relays[0].carried == 100);
  CHECK(plan.relays[1].carried == 0);
  CHECK(plan.totals.crm == 200);
  const Finding* f = find(plan, "plan.relay.type_unused");
  REQUIRE(f != nullptr);
  CHECK(f->path == "/domains/0/relays/1/emailTypes");
}

TEST_CASE("custom weights that are all 0 are an error and the volume is spread flat", "[plan]") {
  const Config config =
      load(5000,
           json::array({domain(
               "zylker.com", json::array(),
               {{"mass",
                 {{"daily", 48}, {"profile", "custom"}, {"weights", std::vector<int>(24, 0)}}}})}));
  const Plan plan = make_plan(config);
  const Finding* f = find(plan, "plan.traffic.no_weights");
  REQUIRE(f != nullptr);
  CHECK(f->severity == Severity::error);
  CHECK(f->path == "/domains/0/traffic/mass/weights");
  CHECK(plan.totals.crm == 48);
}

TEST_CASE("limits at the largest count plan exactly and cap only the day totals", "[plan]") {
  json domains = json::array();
  for (int i = 0; i < 3; ++i) {
    domains.push_back(domain("d" + std::to_string(i) + ".example",
                             json::array({relay("r", kMaxCount, {"mass", "workflow"})}),
                             {{"mass", flat(kMaxCount)},
                              {"workflow", burst(kMaxCount, 0)},
                              {"individual", flat(kMaxCount)}}));
  }
  const Config config = load(kMaxCount, domains);
  const Plan plan = make_plan(config);
  CHECK(plan.saturated);
  CHECK(find(plan, "plan.forecast.too_large") != nullptr);
  CHECK(plan.totals.forecast == kMaxCount);
  CHECK(plan.totals.relay + plan.totals.crm == kMaxCount);
  // Per path, counts stay exact: every domain and type adds up to its forecast.
  std::map<std::pair<std::size_t, EmailType>, std::int64_t> per_stream;
  for (const auto& p : plan.paths) per_stream[{p.domain, p.type}] += p.total;
  CHECK(per_stream.size() == 9);
  for (const auto& [key, total] : per_stream) CHECK(total == kMaxCount);
  CHECK(format_count(kMaxCount) == "9,007,199,254,740,991");
  CHECK(format_count(-1234) == "-1,234");
  CHECK(format_count(0) == "0");
  CHECK(format_count(999) == "999");
  CHECK(format_count(1000) == "1,000");
}

TEST_CASE("negative, fractional and non-numeric quota inputs are rejected with a pointer",
          "[plan]") {
  const std::vector<std::pair<json, std::string>> cases{
      {json{{"editionDailyLimit", -1}}, "/account/editionDailyLimit"},
      {json{{"editionDailyLimit", 5000.5}}, "/account/editionDailyLimit"},
      {json{{"editionDailyLimit", "5000"}}, "/account/editionDailyLimit"},
      {json{{"editionDailyLimit", 9007199254740992ULL}}, "/account/editionDailyLimit"},
      {json{{"dailyLimit", -5}}, "/domains/0/relays/0/dailyLimit"},
      {json{{"dailyLimit", 2.5}}, "/domains/0/relays/0/dailyLimit"},
      {json{{"outageFromHour", 24}}, "/domains/0/relays/0/outageFromHour"},
      {json{{"daily", -3}}, "/domains/0/traffic/mass/daily"},
      {json{{"daily", 1e3}}, "/domains/0/traffic/mass/daily"},
      {json{{"burstHour", -1}}, "/domains/0/traffic/mass/burstHour"},
      {json{{"weights", 1.5}}, "/domains/0/traffic/mass/weights"},
      {json{{"weight", -1}}, "/domains/0/traffic/mass/weights/3"},
  };
  for (const auto& [change, pointer] : cases) {
    json r = relay("smtp1", 100, {"mass"});
    json mass{{"daily", 10}, {"profile", "custom"}, {"weights", std::vector<int>(24, 1)}};
    json account{{"dataCenter", "US"}, {"editionDailyLimit", 100}};
    const std::string key = change.begin().key();
    if (key == "editionDailyLimit") account[key] = change[key];
    if (key == "dailyLimit" || key == "outageFromHour") r[key] = change[key];
    if (key == "daily" || key == "burstHour") mass[key] = change[key];
    if (key == "weights") mass["weights"] = change[key];
    if (key == "weight") mass["weights"][3] = change[key];
    json doc{{"schema", 2},
             {"account", account},
             {"domains", json::array({domain("z.example", json::array({r}), {{"mass", mass}})})}};
    const json response = json::parse(call("plan", json{{"config", doc}}.dump()));
    INFO(pointer);
    REQUIRE(response["ok"] == true);
    CHECK(response["result"]["hasErrors"] == true);
    bool pointed = false;
    for (const auto& f : response["result"]["findings"])
      pointed = pointed || (f["path"] == pointer && f["severity"] == "error");
    CHECK(pointed);
  }
}

TEST_CASE("a limit the loader rejected gets its own error, not plan findings built on its default",
          "[plan]") {
  json doc{{"schema", 2},
           {"account", {{"dataCenter", "US"}, {"editionDailyLimit", -5000}}},
           {"domains", json::array({domain("zylker.com", json::array({relay("smtp1", 0, {"mass"})}),
                                           {{"mass", burst(300, 9)}})})}};
  doc["domains"][0]["relays"][0]["dailyLimit"] = 2.5;
  const json result = json::parse(call("plan", json{{"config", doc}}.dump()))["result"];
  std::vector<std::string> codes;
  for (const auto& f : result["findings"])
    codes.push_back(f["code"].get<std::string>() + " " + f["path"].get<std::string>());
  std::sort(codes.begin(), codes.end());
  CHECK(codes == std::vector<std::string>{"config.out_of_range /account/editionDailyLimit",
                                          "config.out_of_range /domains/0/relays/0/dailyLimit"});
  // The plan itself still shows what the defaults mean: nothing is sent.
  CHECK(result["plan"]["totals"]["notSent"] == 300);
}

TEST_CASE("every email is counted exactly once on 10,000 random plans", "[plan][property]") {
  std::mt19937_64 rng(20260526);
  auto pick = [&](std::int64_t below) {
    return static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(below));
  };
  // Volumes from small to the largest count, so that both rounding and saturation are exercised.
  auto count = [&]() {
    switch (pick(4)) {
      case 0:
        return pick(50);
      case 1:
        return pick(5000);
      case 2:
        return pick(kMaxCount);
      default:
        return kMaxCount - pick(3);
    }
  };
  for (int iteration = 0; iteration < 10000; ++iteration) {
    Config config;
    config.account.edition_daily_limit = count();
    const auto domains = static_cast<std::size_t>(pick(4));
    for (std::size_t d = 0; d < domains; ++d) {
      Domain dom;
      dom.name = "d" + std::to_string(d);
      for (std::int64_t r = pick(4); r > 0; --r) {
        Relay rel;
        rel.daily_limit = count();
        for (EmailType t : kServeOrder) {
          if (pick(2) == 0) rel.email_types.push_back(t);
        }
        if (pick(3) == 0) rel.outage_from_hour = static_cast<int>(pick(24));
        dom.relays.push_back(rel);
      }
      for (EmailType t : kServeOrder) {
        if (pick(4) == 0) continue;
        Traffic tr;
        tr.type = t;
        tr.daily = count();
        tr.profile = static_cast<TrafficProfile>(pick(4));
        tr.burst_hour = static_cast<int>(pick(24));
        if (tr.profile == TrafficProfile::custom && pick(5) != 0) {
          for (int h = 0; h < kHours; ++h) tr.weights.push_back(pick(3) == 0 ? 0 : count());
        }
        dom.traffic.push_back(tr);
      }
      config.domains.push_back(dom);
    }
    const Plan plan = make_plan(config);

    std::map<std::pair<std::size_t, EmailType>, std::int64_t> per_stream;
    Hourly relay_hours{};
    for (const auto& p : plan.paths) {
      REQUIRE(p.total > 0);
      REQUIRE(sum(p.hourly) == p.total);
      per_stream[{p.domain, p.type}] += p.total;
      REQUIRE((p.kind == RouteKind::relay) == (p.reason == RouteReason::none));
      REQUIRE(p.relay.has_value() ==
              (p.reason == RouteReason::none || p.reason == RouteReason::relay_cap ||
               p.reason == RouteReason::relay_outage));
      if (p.kind == RouteKind::relay) {
        for (std::size_t h = 0; h < relay_hours.size(); ++h) relay_hours[h] += p.hourly[h];
      }
    }
    bool big = false;
    std::int64_t forecast = 0;
    for (std::size_t d = 0; d < config.domains.size(); ++d) {
      for (const auto& t : config.domains[d].traffic) {
        const auto it = per_stream.find({d, t.type});
        const std::int64_t daily = t.daily.value_or(0);
        REQUIRE((it == per_stream.end() ? 0 : it->second) == daily);
        big = big || forecast > kMaxCount - daily;
        forecast = big ? kMaxCount : forecast + daily;
      }
    }
    REQUIRE(plan.saturated == big);
    REQUIRE(plan.totals.forecast == forecast);
    REQUIRE(plan.hourly_relay == relay_hours);
    const std::int64_t sent = std::min(forecast, config.account.edition_daily_limit);
    REQUIRE(plan.totals.relay + plan.totals.crm ==
            (big ? config.account.edition_daily_limit : sent));
    if (!big) REQUIRE(plan.totals.not_sent == forecast - sent);
    std::int64_t carried = 0;
    for (const auto& r : plan.relays) {
      REQUIRE(r.carried <= r.daily_limit);
      REQUIRE(r.carried == std::min(r.daily_limit, r.demand));
      REQUIRE(r.carried + r.over_cap == r.demand);
      REQUIRE(sum(r.hourly) == r.carried);
      carried += r.carried;
    }
    REQUIRE(carried == plan.totals.relay);
    REQUIRE(plan.allocation.relayed_now == plan.totals.relay);
    REQUIRE(plan.allocation.unassigned >= 0);
  }
}

TEST_CASE("the suggested allocation relays as much as the best of every allocation (brute force)",
          "[plan][property]") {
  std::mt19937_64 rng(5);
  auto pick = [&](std::int64_t below) {
    return static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(below));
  };
  for (int iteration = 0; iteration < 300; ++iteration) {
    Config config;
    config.account.edition_daily_limit = pick(13);
    std::size_t relays = 0;
    for (std::int64_t d = 1 + pick(2); d > 0; --d) {
      Domain dom;
      for (std::int64_t r = pick(3); r > 0 && relays < 3; --r, ++relays) {
        Relay rel;
        rel.daily_limit = pick(8);
        for (EmailType t : kServeOrder) {
          if (pick(2) == 0) rel.email_types.push_back(t);
        }
        if (pick(4) == 0) rel.outage_from_hour = static_cast<int>(pick(24));
        dom.relays.push_back(rel);
      }
      for (EmailType t : kServeOrder) {
        Traffic tr;
        tr.type = t;
        tr.daily = pick(8);
        tr.profile = static_cast<TrafficProfile>(pick(3));
        tr.burst_hour = static_cast<int>(pick(24));
        dom.traffic.push_back(tr);
      }
      config.domains.push_back(dom);
    }
    const Plan plan = make_plan(config);
    // Every allocation of the edition's limit to the relays (Σ ≤ limit), planned for real.
    std::vector<Relay*> all;
    for (auto& dom : config.domains) {
      for (auto& rel : dom.relays) all.push_back(&rel);
    }
    std::int64_t best = 0;
    std::function<void(std::size_t, std::int64_t)> search = [&](std::size_t i, std::int64_t left) {
      if (i == all.size()) {
        best = std::max(best, make_plan(config).totals.relay);
        return;
      }
      for (std::int64_t a = 0; a <= left; ++a) {
        all[i]->daily_limit = a;
        search(i + 1, left - a);
      }
    };
    search(0, config.account.edition_daily_limit);
    REQUIRE(plan.allocation.relayed_suggested == best);
    // The suggestion itself fits in the edition's limit and achieves what it says.
    std::int64_t total = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
      all[i]->daily_limit = plan.allocation.relays[i].suggested;
      total += plan.allocation.relays[i].suggested;
    }
    REQUIRE(total <= config.account.edition_daily_limit);
    REQUIRE(make_plan(config).totals.relay == plan.allocation.relayed_suggested);
  }
}

TEST_CASE("the plan method answers as JSON, text and CSV", "[plan]") {
  const std::string config = json::parse(call("example", "{}"))["result"]["config"].dump();
  const json as_json = json::parse(call("plan", R"({"config": )" + config + "}"));
  REQUIRE(as_json["ok"] == true);
  const json& result = as_json["result"];
  CHECK(result["hasErrors"] == false);
  CHECK(result["plan"]["totals"] ==
        json{{"forecast", 4300}, {"relay", 2000}, {"crm", 2300}, {"notSent", 0}});
  CHECK(result["plan"]["hours"].size() == 24);
  CHECK(result["plan"]["relays"][0]["capReachedHour"] == 10);
  CHECK(result["plan"]["paths"].size() == 5);
  CHECK_FALSE(result.contains("text"));

  const json as_text = json::parse(call("plan", R"({"format": "text", "config": )" + config + "}"));
  const std::string text = as_text["result"]["text"];
  CHECK(contains(
      text,
      "Forecast 4,300: 2,000 through relays, 2,300 through the CRM's servers, 0 not sent today"));
  CHECK(contains(text, "  10:00   1,887            1,226"));
  CHECK(contains(text, "plan.relay.cap_reached"));

  const json as_csv = json::parse(call("plan", R"({"format": "csv", "config": )" + config + "}"));
  const std::string csv = as_csv["result"]["csv"];
  CHECK(csv.rfind("hour,domain,type,route,reason,relay,emails\r\n", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 5 * 24);
  CHECK(contains(csv, "10,zylker.com,mass,crm,relay-cap,smtp.zylker.com,1226\r\n"));

  const json bad = json::parse(call("plan", R"({"format": "xml", "config": )" + config + "}"));
  CHECK(bad["error"]["code"] == "request.bad_value");
  const json missing = json::parse(call("plan", "{}"));
  CHECK(missing["error"]["code"] == "request.missing_field");
}

TEST_CASE("CSV fields that a spreadsheet would run as formulas are defused", "[plan]") {
  const Config config = load(
      100,
      json::array({domain("zylker.com", json::array({relay("=HYPERLINK(\"x\",1)", 5, {"mass"})}),
                          {{"mass", burst(10, 1)}})}));
  const Plan plan = make_plan(config);
  const std::string csv = format_plan_csv(plan, config);
  CHECK(contains(csv, ",\"'=HYPERLINK(\"\"x\"\",1)\","));
}

TEST_CASE("the analysis report carries the plan and its findings", "[plan]") {
  const std::string config = json::parse(call("example", "{}"))["result"]["config"].dump();
  const json report = json::parse(call("analyze", R"({"config": )" + config + "}"))["result"];
  CHECK(report["plan"]["totals"]["relay"] == 2000);
  bool found = false;
  for (const auto& f : report["findings"]) found = found || f["code"] == "plan.relay.cap_reached";
  CHECK(found);
}

namespace {

/// Every finding of a config that loads without errors, as (code, path): the loader's, the setup
/// rules' and the plan's.
std::set<std::pair<std::string, std::string>> all_findings(const json& doc) {
  const LoadedConfig loaded = load_config(doc);
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& f : loaded.findings) out.emplace(f.code, f.path);
  for (const auto& f : check_setup(loaded.config)) out.emplace(f.code, f.path);
  for (const auto& f : make_plan(loaded.config).findings) out.emplace(f.code, f.path);
  return out;
}

std::int64_t count_in(const std::string& text) {
  std::string digits;
  for (char c : text) {
    if (c != ',') digits += c;
  }
  return std::stoll(digits);
}

/// `doc` with the fix of a plan.relay.underused or plan.relay.cap_reached finding applied as a
/// person reads it: the relay's limit set to the number the fix names, and what it gives added
/// to the relay it names. nullopt for a fix that names no number to set.
std::optional<json> apply_limit_fix(const json& doc, const Finding& f) {
  static const std::regex where(R"(^/domains/(\d+)/relays/(\d+)/dailyLimit$)");
  static const std::regex lower(
      R"(^Lower its daily limit to ([\d,]+)(?: \([^)]*\))? and give the ([\d,]+) to relay (.+)\.$)");
  static const std::regex raise(R"(^Raise its daily limit to ([\d,]+)[ ,])");
  std::smatch at;
  if (!std::regex_match(f.path, at, where)) return std::nullopt;
  json fixed = doc;
  json& relays = fixed["domains"][std::stoul(at[1].str())]["relays"];
  json& relay = relays[std::stoul(at[2].str())];
  std::smatch m;
  if (std::regex_match(f.fix, m, lower)) {
    relay["dailyLimit"] = count_in(m[1].str());
    const Names names(load_config(doc).config);
    bool given = false;
    for (std::size_t d = 0; d < fixed["domains"].size(); ++d) {
      for (std::size_t r = 0; r < fixed["domains"][d]["relays"].size(); ++r) {
        if (names.relay(d, r) != m[3].str()) continue;
        json& taker = fixed["domains"][d]["relays"][r];
        taker["dailyLimit"] = taker["dailyLimit"].get<std::int64_t>() + count_in(m[2].str());
        given = true;
      }
    }
    INFO(f.fix);
    REQUIRE(given);
    return fixed;
  }
  if (std::regex_search(f.fix, m, raise)) {
    relay["dailyLimit"] = count_in(m[1].str());
    return fixed;
  }
  return std::nullopt;
}

/// The configs of the plan vectors, and the plan tests' own cases where a limit fix could lead
/// into another finding: a relay with nothing to carry today, a raise the edition cannot hold.
std::vector<json> limit_fix_cases() {
  std::vector<json> out;
  std::ifstream in(std::filesystem::path(RELAYCHECK_TEST_DATA) / "vectors" / "plan.json");
  REQUIRE(in);
  const json vectors = json::parse(in);
  for (const auto& c : vectors["cases"]) {
    if (c.value("method", "") != "plan" || !c["request"].is_object()) continue;
    if (!c["request"].contains("config")) continue;
    const json& doc = c["request"]["config"];
    if (!doc.is_object() || has_errors(load_config(doc).findings)) continue;
    out.push_back(doc);
  }
  const auto account = [](std::int64_t edition, const json& domains) {
    return json{{"schema", 2},
                {"account", {{"dataCenter", "US"}, {"editionDailyLimit", edition}}},
                {"domains", domains}};
  };
  // smtp2's only type has no forecast today: its demand is 0.
  out.push_back(account(
      5000, json::array({domain(
                "zylker.com",
                json::array({relay("smtp1", 500, {"mass"}), relay("smtp2", 2500, {"individual"})}),
                {{"mass", burst(3000, 10)}})})));
  // smtp1 needs 3,000 but smtp2 holds 2,500 of the edition's 5,000.
  out.push_back(account(
      5000, json::array({domain(
                "zylker.com",
                json::array({relay("smtp1", 2000, {"mass"}), relay("smtp2", 2500, {"workflow"})}),
                {{"mass", burst(3000, 10)}, {"workflow", burst(100, 11)}})})));
  // No room at all: the limits already fill the edition.
  out.push_back(account(
      3000, json::array({domain(
                "zylker.com",
                json::array({relay("smtp1", 1000, {"mass"}), relay("smtp2", 2000, {"workflow"})}),
                {{"mass", burst(2500, 10)}, {"workflow", burst(10, 11)}})})));
  return out;
}

}  // namespace

TEST_CASE("applying a plan's limit fix raises no finding that was not there before", "[plan]") {
  std::size_t applied = 0;
  for (const json& doc : limit_fix_cases()) {
    const auto before = all_findings(doc);
    for (const auto& f : make_plan(load_config(doc).config).findings) {
      if (f.code != "plan.relay.underused" && f.code != "plan.relay.cap_reached") continue;
      const std::optional<json> fixed = apply_limit_fix(doc, f);
      if (!fixed) continue;
      ++applied;
      for (const auto& [code, path] : all_findings(*fixed)) {
        INFO(f.code << " at " << f.path << ": " << f.fix);
        INFO("raises " << code << " at " << path);
        CHECK(before.count({code, path}) == 1);
      }
    }
  }
  CHECK(applied >= 5);
}

TEST_CASE("an underused relay with nothing to carry today is told to keep a limit of 1, not 0",
          "[plan]") {
  const Config config = load(
      5000, json::array({domain(
                "zylker.com",
                json::array({relay("smtp1", 500, {"mass"}), relay("smtp2", 2500, {"individual"})}),
                {{"mass", burst(3000, 10)}})}));
  const Plan plan = make_plan(config);
  const Finding* f = find(plan, "plan.relay.underused");
  REQUIRE(f != nullptr);
  CHECK(f->path == "/domains/0/relays/1/dailyLimit");
  CHECK(contains(f->fix, "Lower its daily limit to 1 ("));
  CHECK(contains(f->fix, "give the 2,499 to relay smtp1."));
}

TEST_CASE("a raise goes only as far as the other relays' limits leave room for", "[plan]") {
  const Config config = load(
      5000, json::array({domain(
                "zylker.com",
                json::array({relay("smtp1", 2000, {"mass"}), relay("smtp2", 2500, {"workflow"})}),
                {{"mass", burst(3000, 10)}, {"workflow", burst(100, 11)}})}));
  const Plan plan = make_plan(config);
  const Finding* f = find(plan, "plan.relay.cap_reached");
  REQUIRE(f != nullptr);
  CHECK(contains(f->fix, "Raise its daily limit to 2,500,"));
  CHECK_FALSE(contains(f->fix, "it fits"));
}

TEST_CASE("an unknown forecast gives no limit advice and says the forecast is needed", "[plan]") {
  // The relay of zylker.com would be "underused" (planned for 2,500, carrying 0) while zylker.net
  // overflows, but nobody entered zylker.com's forecast: no advice rests on a number nobody gave.
  json unknown{{"daily", nullptr}, {"profile", "flat"}};
  json doc{
      {"schema", 2},
      {"account", {{"dataCenter", "US"}, {"editionDailyLimit", 10000}}},
      {"domains", json::array({domain("zylker.com", json::array({relay("smtp1", 2500, {"mass"})}),
                                      {{"mass", unknown}}),
                               domain("zylker.net", json::array({relay("smtp2", 500, {"mass"})}),
                                      {{"mass", burst(3000, 9)}})})}};
  const Plan plan = make_plan(load_config(doc).config);
  const Finding* unknown_finding = find(plan, "plan.forecast.unknown");
  REQUIRE(unknown_finding != nullptr);
  CHECK(unknown_finding->path == "/domains/0/traffic/mass/daily");
  CHECK(unknown_finding->severity == Severity::info);
  CHECK(find(plan, "plan.relay.underused") == nullptr);

  // The same setup with a forecast of 100 entered: the advice is given.
  doc["domains"][0]["traffic"]["mass"] = burst(100, 9);
  const Plan known = make_plan(load_config(doc).config);
  CHECK(find(known, "plan.forecast.unknown") == nullptr);
  CHECK(find(known, "plan.relay.underused") != nullptr);
}
