// Benchmark of the quota planner (issue 5): a config of 50 domains × 3 relays × 3 email types,
// planned over 24 hours. Prints the median of many runs, for core alone and through the façade
// (request JSON in, response JSON out: what the wasm module is timed on). `--request` prints
// the façade request instead, so that the wasm benchmark plans exactly the same config.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "config/config.hpp"
#include "plan/plan.hpp"
#include "relaycheck/facade.hpp"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kDomains = 50;

/// A busy account: every domain has a mass, a workflow and an individual relay, with limits
/// that overflow, an outage on every seventh domain, and an edition limit the day exceeds.
json bench_config() {
  json domains = json::array();
  for (int i = 0; i < kDomains; ++i) {
    json relays = json::array();
    const char* types[] = {"mass", "workflow", "individual"};
    for (int r = 0; r < 3; ++r) {
      json relay{
          {"host", "smtp" + std::to_string(r + 1) + ".d" + std::to_string(i) + ".example.com"},
          {"port", 587},
          {"security", "starttls"},
          {"auth", "password"},
          {"username", "crm"},
          {"dailyLimit", 400 + 97 * ((i + r) % 9)},
          {"emailTypes", {types[r]}},
          {"signsDkim", r == 0}};
      if (r == 1 && i % 7 == 0) relay["outageFromHour"] = 15;
      relays.push_back(relay);
    }
    json weights = json::array();
    for (int h = 0; h < 24; ++h) weights.push_back((i * 7 + h * 3) % 11);
    domains.push_back(
        {{"name", "d" + std::to_string(i) + ".example.com"},
         {"relays", relays},
         {"traffic",
          {{"mass", {{"daily", 1000 + 37 * i}, {"profile", "burst"}, {"burstHour", 8 + i % 10}}},
           {"workflow", {{"daily", 500 + 11 * i}, {"profile", "office-hours"}}},
           {"individual",
            {{"daily", 300 + 5 * i}, {"profile", "custom"}, {"weights", weights}}}}}});
  }
  return json{
      {"schema", 1},
      {"account",
       {{"dataCenter", "US"}, {"editionDailyLimit", 120000}, {"timeZone", "Europe/Berlin"}}},
      {"domains", domains}};
}

constexpr int kOutcomeDomains = 30;

/// The outcomes' benchmark config: 30 domains × 3 relays with DNS data for every decision (SPF
/// with a vendor include, DMARC, DKIM keys), return-path modes, signing and rewriting mixed, so
/// that every step of the outcome analysis runs on every path.
json outcome_config() {
  json domains = json::array();
  json dns = json::object();
  const char* modes[] = {"crm", "from-address", "custom-address"};
  const char* types[] = {"mass", "workflow", "individual"};
  dns["_spf.vendor-bench.net"] = {
      {{"type", "TXT"}, {"data", {"v=spf1 ip4:198.51.100.0/24 ip4:203.0.113.0/25 -all"}}}};
  for (int i = 0; i < kOutcomeDomains; ++i) {
    const std::string name = "o" + std::to_string(i) + ".zylker-bench.com";
    json relays = json::array();
    for (int r = 0; r < 3; ++r) {
      relays.push_back({{"host", "smtp" + std::to_string(r) + "." + name},
                        {"certificateHost", "smtp" + std::to_string(r) + "." + name},
                        {"port", 587},
                        {"security", "starttls"},
                        {"auth", "password"},
                        {"username", "crm"},
                        {"dailyLimit", 300 + 50 * r},
                        {"emailTypes", {types[r]}},
                        {"outboundIps", {"198.51.100." + std::to_string(10 + r)}},
                        {"modifiesMessages", (i + r) % 4 == 0},
                        {"dkim", {{"signs", r == 1}, {"selector", "relay"}}},
                        {"rewritesReturnPath", (i + r) % 5 == 0},
                        {"returnPathDomain", "bounce.vendor-bench.net"}});
    }
    domains.push_back({{"name", name},
                       {"returnPath", modes[i % 3]},
                       {"crmDkim", {{"enabled", i % 2 == 0}, {"selector", "crm"}}},
                       {"relays", relays},
                       {"traffic",
                        {{"mass", {{"daily", 800 + 10 * i}, {"profile", "burst"}}},
                         {"workflow", {{"daily", 300}, {"profile", "office-hours"}}},
                         {"individual", {{"daily", 100}, {"profile", "flat"}}}}}});
    if (i % 3 == 2) domains.back()["returnPathAddress"] = "bounce@" + name;
    dns[name] = {{{"type", "TXT"}, {"data", {"v=spf1 include:_spf.vendor-bench.net ~all"}}}};
    dns["_dmarc." + name] = {
        {{"type", "TXT"}, {"data", {i % 3 == 0 ? "v=DMARC1; p=reject" : "v=DMARC1; p=none"}}}};
    dns["crm._domainkey." + name] = {
        {{"type", "TXT"},
         {"data", {"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="}}}};
  }
  return json{
      {"schema", 2},
      {"account", {{"dataCenter", "US"}, {"editionDailyLimit", 200000}, {"timeZone", "UTC"}}},
      {"domains", domains},
      {"dns", dns}};
}

template <class F>
double median_ms(int runs, F&& run) {
  std::vector<double> times;
  times.reserve(static_cast<std::size_t>(runs));
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    run();
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::nth_element(times.begin(), times.begin() + runs / 2, times.end());
  return times[static_cast<std::size_t>(runs / 2)];
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 2000;
  bool print_request = false;
  bool print_outcome_request = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--request") == 0) {
      print_request = true;
    } else if (std::strcmp(argv[i], "--outcome-request") == 0) {
      print_outcome_request = true;
    } else if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else {
      std::cerr << "usage: relaycheck_bench_plan [--runs N] [--request | --outcome-request]\n";
      return 2;
    }
  }
  const json config = bench_config();
  const std::string request = json{{"config", config}, {"format", "json"}}.dump();
  if (print_outcome_request) {
    std::cout << json{{"config", outcome_config()}}.dump() << "\n";
    return 0;
  }
  if (print_request) {
    std::cout << request << "\n";
    return 0;
  }
  const relaycheck::LoadedConfig loaded = relaycheck::load_config(config);
  if (relaycheck::has_errors(loaded.findings)) {
    std::cerr << "relaycheck_bench_plan: the benchmark config does not load cleanly\n";
    return 1;
  }
  std::int64_t sink = 0;
  const double core =
      median_ms(runs, [&] { sink += relaycheck::plan::make_plan(loaded.config).totals.relay; });
  std::size_t bytes = 0;
  const double facade = median_ms(runs, [&] { bytes += relaycheck::call("plan", request).size(); });
  // The whole analysis with outcomes: the built-in example, and 30 domains × 3 relays with DNS.
  const std::string example = relaycheck::call("example", "{}");
  const std::string example_request =
      json{{"config", json::parse(example)["result"]["config"]}}.dump();
  const std::string outcome_request = json{{"config", outcome_config()}}.dump();
  const auto checked = json::parse(relaycheck::call("analyze", outcome_request));
  if (!checked.value("ok", false) || checked["result"]["outcomes"].size() < 180) {
    std::cerr << checked.dump().substr(0, 600) << "\n";
    std::cerr << "relaycheck_bench_plan: the outcome config did not analyse as expected\n";
    return 1;
  }
  const int analyze_runs = std::max(1, runs / 10);
  const double analyze_example = median_ms(
      analyze_runs, [&] { bytes += relaycheck::call("analyze", example_request).size(); });
  const double analyze_large = median_ms(
      analyze_runs, [&] { bytes += relaycheck::call("analyze", outcome_request).size(); });
  // glibc hands the freed half megabyte of each answer back to the OS and faults it in again on
  // the next call (the default trim and mmap thresholds); on a virtual machine those page faults
  // cost a third of the figure above. A long-lived caller keeps its heap: the page's worker (wasm's
  // allocator never gives memory back) and a server. The same run with glibc told to keep it:
  double analyze_large_kept = -1;
#if defined(__GLIBC__)
  mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  analyze_large_kept = median_ms(
      analyze_runs, [&] { bytes += relaycheck::call("analyze", outcome_request).size(); });
#endif
  if (sink <= 0 || bytes == 0) return 1;
  std::cout << "config: " << kDomains << " domains x 3 relays x 3 types, 24 hours, " << runs
            << " runs each\n"
            << "core_median_ms=" << core << "\n"
            << "facade_median_ms=" << facade << "\n"
            << "analyze_example_median_ms=" << analyze_example << "\n"
            << "analyze_outcomes_median_ms=" << analyze_large << "\n";
  if (analyze_large_kept >= 0) {
    std::cout << "analyze_outcomes_heap_kept_median_ms=" << analyze_large_kept << "\n";
  }
  std::cout << "outcome_paths=" << checked["result"]["outcomes"].size() << "\n";
  return 0;
}
