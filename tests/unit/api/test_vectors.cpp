// Runs every vector file under tests/data/vectors (and any listed in RELAYCHECK_EXTRA_VECTORS,
// separated by ':', such as the generated differential cases) through the native façade.
#include <algorithm>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "relaycheck/facade.hpp"
#include "vectors.hpp"

namespace relaycheck::testing {

using nlohmann::json;

std::string find_mismatch(const json& expected, const json& actual, const std::string& path) {
  if (expected.is_object()) {
    if (!actual.is_object()) return path.empty() ? "/" : path;
    for (const auto& [key, value] : expected.items()) {
      auto it = actual.find(key);
      if (it == actual.end()) return path + "/" + key;
      if (auto m = find_mismatch(value, *it, path + "/" + key); !m.empty()) return m;
    }
    return {};
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) return path.empty() ? "/" : path;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (auto m = find_mismatch(expected[i], actual[i], path + "/" + std::to_string(i));
          !m.empty()) {
        return m;
      }
    }
    return {};
  }
  return expected == actual ? std::string() : (path.empty() ? "/" : path);
}

std::vector<std::string> finding_codes(const json& response,
                                       const std::vector<std::string>& ignored) {
  std::vector<std::string> codes;
  const json& result = response.value("result", json::object());
  for (const auto& f : result.value("findings", json::array())) {
    const std::string code = f.value("code", "");
    const bool skip = std::any_of(ignored.begin(), ignored.end(),
                                  [&](const std::string& p) { return code.rfind(p, 0) == 0; });
    if (!skip) codes.push_back(code);
  }
  std::sort(codes.begin(), codes.end());
  return codes;
}

}  // namespace relaycheck::testing

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json read_json(const fs::path& file) {
  std::ifstream in(file);
  if (!in.good()) throw std::runtime_error("cannot read " + file.string());
  return json::parse(in);
}

/// Runs one vector case through the native façade and checks every expectation it states.
void run_case(const json& c) {
  const json& request = c.at("request");
  const std::string text = request.is_string() ? request.get<std::string>() : request.dump();
  const std::string method = c.at("method").get<std::string>();
  json response;
  if (c.contains("attachments")) {
    relaycheck::Response answer =
        relaycheck::call(method, text, c["attachments"].get<std::vector<std::string>>());
    response = json::parse(answer.document);
    CHECK(answer.attachments == c.value("expectAttachments", std::vector<std::string>{}));
  } else {
    response = json::parse(relaycheck::call(method, text));
  }
  INFO(response.dump().substr(0, 2000));
  REQUIRE((c.contains("expect") || c.contains("expectCodes") || c.contains("expectFindings")));
  if (c.contains("expect")) {
    CHECK(relaycheck::testing::find_mismatch(c["expect"], response) == "");
  }
  if (c.contains("expectCodes")) {
    auto expected = c["expectCodes"].get<std::vector<std::string>>();
    std::sort(expected.begin(), expected.end());
    // A case about one family of rules may leave out the codes of another analysis, by prefix.
    const auto ignored = c.value("ignoreCodePrefixes", std::vector<std::string>{});
    CHECK(relaycheck::testing::finding_codes(response, ignored) == expected);
  }
  if (c.contains("expectFindings")) {
    // Each expected (partial) finding must match some finding of the result, in any order.
    const json findings = response.value("result", json::object()).value("findings", json::array());
    for (const auto& wanted : c["expectFindings"]) {
      INFO("expected finding: " << wanted.dump());
      CHECK(std::any_of(findings.begin(), findings.end(), [&](const json& f) {
        return relaycheck::testing::find_mismatch(wanted, f).empty();
      }));
    }
  }
}

/// One committed vector case as a test case of its own, so that CTest lists and names each.
class VectorCase final : public Catch::ITestInvoker {
 public:
  explicit VectorCase(json c) : case_(std::move(c)) {}
  void invoke() const override { run_case(case_); }

 private:
  json case_;
};

/// A vector file that cannot be read: a test case that fails and says why, never a silent skip.
class Unreadable final : public Catch::ITestInvoker {
 public:
  explicit Unreadable(std::string why) : why_(std::move(why)) {}
  void invoke() const override { FAIL(why_); }

 private:
  std::string why_;
};

/// Registers every case of tests/data/vectors/*.json when the test program starts, named
/// "FILE: case name" (Catch2 2.13's AutoReg, what REGISTER_TEST_CASE expands to, with an invoker
/// that carries the case).
struct VectorRegistry {
  std::deque<std::string> names;  ///< Catch2 keeps references to the names: they live here.

  VectorRegistry() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(fs::path(RELAYCHECK_TEST_DATA) / "vectors")) {
      if (entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    std::set<std::string> seen;
    for (const auto& file : files) {
      try {
        const json document = read_json(file);
        for (const auto& c : document.at("cases")) {
          std::string name = file.filename().string() + ": " + c.at("name").get<std::string>();
          // CTest's test list splits on ';': a fullwidth semicolon stands in for it.
          for (std::size_t at; (at = name.find(';')) != std::string::npos;)
            name.replace(at, 1, "；");
          for (int n = 2; !seen.insert(name).second; ++n) name += " (" + std::to_string(n) + ")";
          add(new VectorCase(c), name);
        }
      } catch (const std::exception& e) {
        add(new Unreadable(file.string() + ": " + e.what()),
            file.filename().string() + ": unreadable");
      }
    }
  }

  void add(Catch::ITestInvoker* invoker, std::string name) {
    names.push_back(std::move(name));
    Catch::AutoReg(invoker, CATCH_INTERNAL_LINEINFO, Catch::StringRef(),
                   Catch::NameAndTags{names.back(), "[vectors]"});
  }
};

const VectorRegistry registry;

}  // namespace

TEST_CASE("the generated differential vectors get the expected responses from the native facade",
          "[vectors][differential]") {
  // scripts/test writes them and names them in RELAYCHECK_EXTRA_VECTORS (':'-separated); they
  // change every run, so they run here rather than as cases of their own.
  const char* extra = std::getenv("RELAYCHECK_EXTRA_VECTORS");
  if (extra == nullptr || *extra == '\0') {
    SUCCEED("no generated vectors named in RELAYCHECK_EXTRA_VECTORS");
    return;
  }
  std::stringstream list(extra);
  std::size_t cases = 0;
  for (std::string item; std::getline(list, item, ':');) {
    if (item.empty()) continue;
    const json document = read_json(item);
    for (const auto& c : document.at("cases")) {
      INFO(item << ": " << c.value("name", "?"));
      run_case(c);
      ++cases;
    }
  }
  WARN("generated vector cases run natively: " << cases);
  CHECK(cases > 0);
}
