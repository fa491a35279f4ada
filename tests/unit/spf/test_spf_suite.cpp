// The RFC 7208 test suite (openspf.org, as shipped by pyspf; tests/data/spf), all 203 tests,
// through the engine and through the façade. Where a test lists several results, any passes;
// an explanation, where given, must match exactly (the default explanation is "DEFAULT").
#include <fstream>
#include <iostream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "relaycheck/facade.hpp"
#include "spf/spf.hpp"

namespace {

using nlohmann::json;
using namespace relaycheck;

constexpr std::size_t kSuiteSize = 203;

json read_suite() {
  std::ifstream in(std::string(RELAYCHECK_TEST_DATA) + "/spf/rfc7208-tests.json");
  REQUIRE(in.good());
  return json::parse(in);
}

bool listed(const json& results, const std::string& result) {
  for (const auto& r : results) {
    if (r.get<std::string>() == result) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("all 203 tests of the RFC 7208 suite pass in the engine", "[spf][suite]") {
  const json suite = read_suite();
  REQUIRE(suite.at("default_explanation") == "DEFAULT");
  std::size_t run = 0;
  std::size_t passed = 0;
  for (const auto& scenario : suite.at("scenarios")) {
    auto zone = spf::ZoneView::load(scenario.at("zone"), spf::MissingName::nxdomain);
    INFO(scenario.at("description").get<std::string>() << ": " << zone.error << " " << zone.path);
    REQUIRE(zone);
    for (const auto& test : scenario.at("tests")) {
      ++run;
      const std::string id = test.at("id");
      auto ip = ip::parse_address(test.at("host").get<std::string>());
      REQUIRE(ip);
      spf::CheckOptions options;
      options.default_explanation = "DEFAULT";
      const spf::CheckResult r =
          spf::check_mail_from(*zone.zone, *ip.value, test.at("mailfrom").get<std::string>(),
                               test.at("helo").get<std::string>(), options);
      const std::string result(spf::to_string(r.result));
      INFO(id << " (RFC 7208 " << test.at("spec").dump() << "): got " << result << " ["
              << r.explanation << "] because " << r.reason << "; expected "
              << test.at("result").dump() << " " << test.at("explanation").dump());
      CHECK(listed(test.at("result"), result));
      CHECK(r.complete());
      // Bulk evaluation (no trace, no details, a record cache) gives the same answer.
      spf::RecordCache cache;
      spf::CheckOptions bulk = options;
      bulk.trace = false;
      bulk.details = false;
      bulk.cache = &cache;
      const spf::CheckResult b =
          spf::check_mail_from(*zone.zone, *ip.value, test.at("mailfrom").get<std::string>(),
                               test.at("helo").get<std::string>(), bulk);
      CHECK(b.result == r.result);
      CHECK(b.explanation == r.explanation);
      CHECK(b.code == r.code);
      bool ok = listed(test.at("result"), result);
      if (!test.at("explanation").is_null()) {
        CHECK(r.explanation == test.at("explanation").get<std::string>());
        ok = ok && r.explanation == test.at("explanation").get<std::string>();
      }
      if (ok) ++passed;
    }
  }
  std::cout << "RFC 7208 suite (engine): " << passed << "/" << run << " passed\n";
  CHECK(run == kSuiteSize);
  CHECK(passed == kSuiteSize);
}

TEST_CASE("all 203 tests of the RFC 7208 suite pass through the facade's spf.check",
          "[spf][suite]") {
  const json suite = read_suite();
  std::size_t run = 0;
  std::size_t passed = 0;
  for (const auto& scenario : suite.at("scenarios")) {
    for (const auto& test : scenario.at("tests")) {
      ++run;
      const json request{{"zone", scenario.at("zone")},
                         {"ip", test.at("host")},
                         {"sender", test.at("mailfrom")},
                         {"helo", test.at("helo")},
                         {"defaultExplanation", suite.at("default_explanation")},
                         {"trace", false}};
      const json response = json::parse(call("spf.check", request.dump()));
      INFO(test.at("id").get<std::string>() << ": " << response.dump().substr(0, 600));
      REQUIRE(response.at("ok") == true);
      const json& result = response.at("result");
      bool ok = listed(test.at("result"), result.at("result").get<std::string>());
      if (!test.at("explanation").is_null())
        ok = ok && result.at("explanation") == test.at("explanation");
      CHECK(ok);
      if (ok) ++passed;
    }
  }
  std::cout << "RFC 7208 suite (facade): " << passed << "/" << run << " passed\n";
  CHECK(run == kSuiteSize);
  CHECK(passed == kSuiteSize);
}
