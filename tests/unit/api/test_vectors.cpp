// Runs every vector file under tests/data/vectors (and any listed in RELAYCHECK_EXTRA_VECTORS,
// separated by ':', such as the generated differential cases) through the native façade.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

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
      if (auto m = find_mismatch(expected[i], actual[i], path + "/" + std::to_string(i)); !m.empty()) {
        return m;
      }
    }
    return {};
  }
  return expected == actual ? std::string() : (path.empty() ? "/" : path);
}

std::vector<std::string> finding_codes(const json& response) {
  std::vector<std::string> codes;
  const json& result = response.value("result", json::object());
  for (const auto& f : result.value("findings", json::array())) codes.push_back(f.value("code", ""));
  std::sort(codes.begin(), codes.end());
  return codes;
}

}  // namespace relaycheck::testing

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<fs::path> vector_files() {
  std::vector<fs::path> files;
  const fs::path dir = fs::path(RELAYCHECK_TEST_DATA) / "vectors";
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (const char* extra = std::getenv("RELAYCHECK_EXTRA_VECTORS"); extra != nullptr) {
    std::stringstream list(extra);
    for (std::string item; std::getline(list, item, ':');) {
      if (!item.empty()) files.emplace_back(item);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

json read_json(const fs::path& file) {
  std::ifstream in(file);
  REQUIRE(in.good());
  return json::parse(in);
}

}  // namespace

TEST_CASE("every shared vector gets the expected response from the native facade", "[vectors]") {
  const auto files = vector_files();
  REQUIRE(!files.empty());
  std::size_t cases = 0;
  for (const auto& file : files) {
    const json document = read_json(file);
    REQUIRE(document.contains("cases"));
    for (const auto& c : document["cases"]) {
      const std::string name = file.filename().string() + ": " + c.value("name", "?");
      INFO(name);
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
      if (c.contains("expect")) {
        CHECK(relaycheck::testing::find_mismatch(c["expect"], response) == "");
      }
      if (c.contains("expectCodes")) {
        auto expected = c["expectCodes"].get<std::vector<std::string>>();
        std::sort(expected.begin(), expected.end());
        CHECK(relaycheck::testing::finding_codes(response) == expected);
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
      REQUIRE((c.contains("expect") || c.contains("expectCodes") || c.contains("expectFindings")));
      ++cases;
    }
  }
  WARN("vector cases run natively: " << cases << " from " << files.size() << " files");
  CHECK(cases > 0);
}
