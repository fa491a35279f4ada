// core/rules.md documents every finding code: a code under a documented prefix that appears in
// core/src/**/*.cpp must have a row in the document, and every row must name a code that exists.
// Every setup rule (domain.*, relay.*, account.*) also has a case in
// tests/data/vectors/rules-*.json.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "relaycheck/facade.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kCore = fs::path(RELAYCHECK_TEST_DATA) / ".." / ".." / "core";

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The prefixes named on the document's `<!-- documented prefixes: ... -->` line.
std::set<std::string> documented_prefixes(const std::string& doc) {
  std::smatch m;
  REQUIRE(std::regex_search(doc, m, std::regex("<!-- documented prefixes: ([a-z ]+) -->")));
  std::set<std::string> out;
  std::istringstream words(m[1].str());
  for (std::string word; words >> word;) out.insert(word);
  return out;
}

/// Codes in the first column of the document's tables: "| `relay.host.missing` | ...".
std::set<std::string> codes_in_document(const std::string& doc) {
  std::set<std::string> out;
  const std::regex row(R"(\n\| `([a-z0-9_.]+)` \|)");
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), row); it != std::sregex_iterator();
       ++it) {
    out.insert((*it)[1].str());
  }
  return out;
}

/// True for the name of a façade method ("dkim.parse"): dotted like a code, but not a finding.
bool is_method(const std::string& name) {
  for (std::string_view m : relaycheck::method_names()) {
    if (m == name) return true;
  }
  return false;
}

/// Quoted dotted strings under `prefixes` in the core sources: "relay.host.missing".
std::set<std::string> codes_in_sources(const std::set<std::string>& prefixes) {
  std::set<std::string> out;
  const std::regex code(R"re("([a-z]+)(\.[a-z0-9_]+)+")re");
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(kCore / "src")) {
    if (entry.path().extension() != ".cpp") continue;
    ++files;
    const std::string text = read_text(entry.path());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), code);
         it != std::sregex_iterator(); ++it) {
      const std::string quoted = (*it)[0].str();
      const std::string name = quoted.substr(1, quoted.size() - 2);
      if (prefixes.count((*it)[1].str()) != 0 && !is_method(name)) out.insert(name);
    }
  }
  REQUIRE(files > 10);
  return out;
}

}  // namespace

TEST_CASE("every finding code in core is documented in core/rules.md, and nothing else",
          "[rules][doc]") {
  const std::string doc = read_text(kCore / "rules.md");
  const auto prefixes = documented_prefixes(doc);
  REQUIRE(prefixes.count("relay") == 1);
  const auto documented = codes_in_document(doc);
  const auto used = codes_in_sources(prefixes);
  for (const auto& c : used) {
    INFO("in core/src but not in core/rules.md: " << c);
    CHECK(documented.count(c) == 1);
  }
  for (const auto& c : documented) {
    INFO("in core/rules.md but not in core/src: " << c);
    CHECK(used.count(c) == 1);
  }
  CHECK(used.size() > 40);
}

TEST_CASE("every setup rule has a vector case that expects it", "[rules][doc]") {
  std::set<std::string> expected;
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(RELAYCHECK_TEST_DATA) / "vectors")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("rules-", 0) != 0 || entry.path().extension() != ".json") continue;
    ++files;
    const auto document = nlohmann::json::parse(read_text(entry.path()));
    for (const auto& c : document.at("cases")) {
      for (const auto& code : c.value("expectCodes", nlohmann::json::array()))
        expected.insert(code.get<std::string>());
    }
  }
  REQUIRE(files >= 4);
  for (const auto& code : codes_in_sources({"account", "domain", "relay"})) {
    INFO("no case in tests/data/vectors/rules-*.json expects " << code);
    CHECK(expected.count(code) == 1);
  }
}
