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
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--request") == 0) {
      print_request = true;
    } else if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else {
      std::cerr << "usage: relaycheck_bench_plan [--runs N] [--request]\n";
      return 2;
    }
  }
  const json config = bench_config();
  const std::string request = json{{"config", config}, {"format", "json"}}.dump();
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
  if (sink <= 0 || bytes == 0) return 1;
  std::cout << "config: " << kDomains << " domains x 3 relays x 3 types, 24 hours, " << runs
            << " runs each\n"
            << "core_median_ms=" << core << "\n"
            << "facade_median_ms=" << facade << "\n";
  return 0;
}
