// relaycheck_bench_spf: times check_host() over the RFC 7208 suite for scripts/bench-spf.
// usage: relaycheck_bench_spf SUITE.json [ROUNDS [bulk|cached|uncached|traced]]  → one JSON line of
// figures on stdout (with a mode: that engine run alone, for profiling under callgrind).
#include <chrono>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "relaycheck/facade.hpp"
#include "spf/spf.hpp"

namespace {

using nlohmann::json;
using namespace relaycheck;
using Clock = std::chrono::steady_clock;

struct Test {
  ip::Address ip;
  std::string mailfrom;
  std::string helo;
};

struct Scenario {
  spf::ZoneView zone;
  std::vector<Test> tests;
  std::string request;       // the façade's JSON batch request for the whole scenario
  std::string text_request;  // the same checks as one "checksText" string
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: relaycheck_bench_spf SUITE.json [ROUNDS]\n";
    return 2;
  }
  const int rounds = argc > 2 ? std::stoi(argv[2]) : 100;
  std::ifstream in(argv[1]);
  const json suite = json::parse(in);
  std::vector<Scenario> scenarios;
  std::size_t checks = 0;
  for (const auto& s : suite.at("scenarios")) {
    auto loaded = spf::ZoneView::load(s.at("zone"), spf::MissingName::nxdomain);
    if (!loaded) return 2;
    Scenario scenario{std::move(*loaded.zone), {}, {}, {}};
    // The façade's way: one compact batch a scenario, its tests repeated ROUNDS times.
    json batch{{"zone", s.at("zone")},
               {"defaultExplanation", "DEFAULT"},
               {"trace", false},
               {"compact", true},
               {"checks", json::array()}};
    for (const auto& t : s.at("tests")) {
      scenario.tests.push_back(Test{*ip::parse_address(t.at("host").get<std::string>()).value,
                                    t.at("mailfrom"), t.at("helo")});
    }
    std::string lines;
    for (int round = 0; round < rounds; ++round) {
      for (const auto& t : s.at("tests")) {
        batch["checks"].push_back(
            {{"ip", t.at("host")}, {"sender", t.at("mailfrom")}, {"helo", t.at("helo")}});
        lines += t.at("host").get<std::string>() + "\t" + t.at("mailfrom").get<std::string>() +
                 "\t" + t.at("helo").get<std::string>() + "\n";
      }
    }
    scenario.request = batch.dump();
    scenario.text_request = json{
        {"zone", s.at("zone")},
        {"defaultExplanation", "DEFAULT"},
        {"checksText", lines}}.dump();
    checks += scenario.tests.size();
    scenarios.push_back(std::move(scenario));
  }
  // Each scenario's zone is loaded once, as a caller with many checks over one zone would; with
  // `cached`, each scenario also keeps one RecordCache (parsed records) across the rounds.
  auto run_engine = [&](bool trace, bool cached, bool details = true) {
    spf::CheckOptions options;
    options.default_explanation = "DEFAULT";
    options.trace = trace;
    options.details = details;
    std::vector<spf::RecordCache> caches(scenarios.size());
    std::size_t passes = 0;
    const auto start = Clock::now();
    for (int round = 0; round < rounds; ++round) {
      for (std::size_t k = 0; k < scenarios.size(); ++k) {
        const Scenario& s = scenarios[k];
        options.cache = cached ? &caches[k] : nullptr;
        for (const auto& t : s.tests) {
          passes += spf::check_mail_from(s.zone, t.ip, t.mailfrom, t.helo, options).result ==
                    spf::Result::pass;
        }
      }
    }
    const double elapsed = seconds_since(start);
    return std::make_pair(elapsed, passes);
  };
  // One untimed round of each mode first, so that every timed run starts warm (under Node, the
  // wasm engine compiles hot functions again with its optimising tier while the first run goes).
  auto warm_up = [&]() {
    spf::CheckOptions options;
    options.default_explanation = "DEFAULT";
    for (const bool trace : {false, true}) {
      options.trace = trace;
      for (const auto& s : scenarios) {
        for (const auto& t : s.tests)
          spf::check_mail_from(s.zone, t.ip, t.mailfrom, t.helo, options);
      }
    }
  };
  warm_up();
  // "profile": one engine mode alone (under callgrind): cached, uncached or traced.
  if (argc > 3) {
    const std::string mode = argv[3];
    const auto [seconds, found] =
        run_engine(mode == "traced", mode != "uncached" && mode != "traced", mode != "bulk");
    std::cout << json{{"mode", mode}, {"seconds", seconds}, {"passes", found}}.dump() << "\n";
    return 0;
  }
  const auto [engine, passes] = run_engine(false, false);
  const auto [cached, cached_passes] = run_engine(false, true);
  const auto [bulk, bulk_passes] = run_engine(false, true, false);
  const auto [traced, traced_passes] = run_engine(true, false);
  // The façade in its two batch forms; each timed on its second run (the first warms up).
  std::size_t bytes = 0;
  auto run_facade = [&](std::string Scenario::*request) {
    double seconds = 0;
    for (int run = 0; run < 2; ++run) {
      bytes = 0;
      const auto start = Clock::now();
      for (const auto& s : scenarios) bytes += call("spf.check", s.*request).size();
      seconds = seconds_since(start);
    }
    return seconds;
  };
  const double facade = run_facade(&Scenario::request);
  const double text_facade = run_facade(&Scenario::text_request);
  const double total = static_cast<double>(checks) * rounds;
  std::cout << json{{"checks", checks},
                    {"rounds", rounds},
                    {"engineSeconds", engine},
                    {"engineMicrosPerCheck", engine / total * 1e6},
                    {"cachedMicrosPerCheck", cached / total * 1e6},
                    {"cachedPasses", cached_passes / static_cast<std::size_t>(rounds)},
                    {"bulkMicrosPerCheck", bulk / total * 1e6},
                    {"bulkPasses", bulk_passes / static_cast<std::size_t>(rounds)},
                    {"tracedMicrosPerCheck", traced / total * 1e6},
                    {"facadeMicrosPerCheck", facade / total * 1e6},
                    {"textFacadeMicrosPerCheck", text_facade / total * 1e6},
                    {"passes", passes / static_cast<std::size_t>(rounds)},
                    {"tracedPasses", traced_passes / static_cast<std::size_t>(rounds)},
                    {"facadeBytes", bytes}}
                   .dump()
            << "\n";
  return 0;
}
