// The organizational domain by the Public Suffix List (core/src/orgdomain/psl.cpp): the PSL's
// own test cases (tests/data/psl/test_psl.json), the list's rule kinds, both forms of
// internationalised names, and hostile input. A last test compares every rule of the list the
// build compiled (RELAYCHECK_PSL_FILE) with a plain reading of the algorithm.
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "orgdomain/psl.hpp"

namespace {

using nlohmann::json;
using namespace relaycheck::orgdomain;

std::optional<std::string> org(std::string_view name) { return organizational_domain(name); }

PslAnswer answer(std::string_view name, Sections sections = Sections::all) {
  auto found = psl_lookup(name, sections);
  INFO("name: " << name << ", error: " << found.error);
  REQUIRE(found);
  return *found.value;
}

std::string error_of(std::string_view name) {
  auto found = psl_lookup(name);
  REQUIRE_FALSE(found);
  return found.error;
}

}  // namespace

TEST_CASE("every case of the PSL's own test file gives the expected registrable domain",
          "[orgdomain][psl]") {
  std::ifstream in(std::string(RELAYCHECK_TEST_DATA) + "/psl/test_psl.json");
  REQUIRE(in.good());
  const json data = json::parse(in);
  std::size_t run = 0;
  for (const auto& c : data.at("cases")) {
    // The file's null input (`checkPublicSuffix(null, null)`) has no counterpart in a
    // string_view API: the empty name stands for it, and has no organizational domain either.
    const std::string input =
        c.at("input").is_null() ? std::string() : c.at("input").get<std::string>();
    const json& expected = c.at("expected_registrable_domain");
    const auto got = org(input);
    INFO("input '" << input << "': got " << (got ? *got : "(none)") << ", expected "
                   << expected.dump());
    if (expected.is_null()) {
      CHECK_FALSE(got.has_value());
    } else {
      REQUIRE(got.has_value());
      CHECK(*got == expected.get<std::string>());
    }
    ++run;
  }
  CHECK(run == 78);
}

TEST_CASE("a name under a plain rule has the rule plus one label as its organizational domain",
          "[orgdomain][psl]") {
  const PslAnswer a = answer("mail.news.example.co.uk");
  CHECK(a.public_suffix == "co.uk");
  CHECK(a.organizational_domain == std::optional<std::string>("example.co.uk"));
  CHECK(a.rule == "co.uk");
  CHECK(a.section == Section::icann);
  CHECK(a.suffix_labels == 2);
  CHECK_FALSE(a.is_public_suffix());
}

TEST_CASE("a listed suffix is a public suffix and has no organizational domain",
          "[orgdomain][psl]") {
  CHECK(is_public_suffix("com"));
  CHECK(is_public_suffix("co.uk"));
  CHECK(is_public_suffix("CO.UK."));
  CHECK_FALSE(is_public_suffix("example.co.uk"));
  CHECK_FALSE(org("co.uk").has_value());
}

TEST_CASE("a name under no rule falls to the implicit * rule", "[orgdomain][psl]") {
  const PslAnswer single = answer("example");
  CHECK(single.is_public_suffix());
  CHECK(single.rule == "*");
  CHECK(single.section == Section::implicit_rule);
  const PslAnswer deep = answer("a.b.example");
  CHECK(deep.organizational_domain == std::optional<std::string>("b.example"));
  CHECK(deep.rule == "*");
  CHECK(to_string(deep.section) == "default");
}

TEST_CASE("a wildcard rule makes every label under it a public suffix", "[orgdomain][psl]") {
  const PslAnswer test = answer("test.ck");
  CHECK(test.is_public_suffix());
  CHECK(test.rule == "*.ck");
  const PslAnswer below = answer("a.b.test.ck");
  CHECK(below.organizational_domain == std::optional<std::string>("b.test.ck"));
  CHECK(below.public_suffix == "test.ck");
  // The wildcard needs a label to stand for: the bare "ck" falls to the implicit rule.
  CHECK(answer("ck").rule == "*");
}

TEST_CASE("an exception rule takes one label off the wildcard's suffix", "[orgdomain][psl]") {
  const PslAnswer www = answer("www.ck");
  CHECK(www.rule == "!www.ck");
  CHECK(www.public_suffix == "ck");
  CHECK(www.organizational_domain == std::optional<std::string>("www.ck"));
  CHECK(org("mail.www.ck") == std::optional<std::string>("www.ck"));
  // Without the exception's label, the wildcard prevails.
  CHECK_FALSE(org("wwx.ck").has_value());
  CHECK(org("city.kobe.jp") == std::optional<std::string>("city.kobe.jp"));
  CHECK_FALSE(org("town.kobe.jp").has_value());
}

TEST_CASE("the private section counts unless only the ICANN section is asked for",
          "[orgdomain][psl]") {
  const PslAnswer all = answer("relay.zylker.github.io");
  CHECK(all.section == Section::private_domains);
  CHECK(all.public_suffix == "github.io");
  CHECK(all.organizational_domain == std::optional<std::string>("zylker.github.io"));
  const PslAnswer icann = answer("relay.zylker.github.io", Sections::icann);
  CHECK(icann.section == Section::icann);
  CHECK(icann.organizational_domain == std::optional<std::string>("github.io"));
  CHECK(is_public_suffix("github.io"));
  CHECK_FALSE(is_public_suffix("github.io", Sections::icann));
}

TEST_CASE("an internationalised name is answered in the form it was given",
          "[orgdomain][psl][idn]") {
  const PslAnswer unicode = answer("www.食狮.公司.cn");
  CHECK(unicode.organizational_domain == std::optional<std::string>("食狮.公司.cn"));
  CHECK(unicode.organizational_domain_ascii ==
        std::optional<std::string>("xn--85x722f.xn--55qx5d.cn"));
  CHECK(unicode.public_suffix == "公司.cn");
  CHECK(unicode.rule == "xn--55qx5d.cn");
  const PslAnswer ascii = answer("WWW.XN--85X722F.XN--55QX5D.CN");
  CHECK(ascii.organizational_domain == std::optional<std::string>("xn--85x722f.xn--55qx5d.cn"));
  CHECK(ascii.public_suffix == "xn--55qx5d.cn");
  // Label by label: a mixed name keeps each label's form.
  CHECK(org("www.xn--85x722f.中国") == std::optional<std::string>("xn--85x722f.中国"));
  CHECK(org("www.食狮.xn--fiqs8s") == std::optional<std::string>("食狮.xn--fiqs8s"));
}

TEST_CASE("a Unicode name is lowercased and IDNA's other full stops separate labels",
          "[orgdomain][psl][idn]") {
  CHECK(org("Mail.BÜCHER.de") == std::optional<std::string>("bücher.de"));
  CHECK(org("mail。bücher．de") == std::optional<std::string>("bücher.de"));
  CHECK(org("bücher.de。") == std::optional<std::string>("bücher.de"));
  CHECK(answer("mail.bücher.de").organizational_domain_ascii ==
        std::optional<std::string>("xn--bcher-kva.de"));
}

TEST_CASE("one trailing dot is dropped and two are an error", "[orgdomain][psl]") {
  CHECK(org("www.example.com.") == std::optional<std::string>("example.com"));
  CHECK(answer("www.example.com.").name == "www.example.com");
  CHECK_FALSE(org("www.example.com..").has_value());
}

TEST_CASE("empty labels and empty names are not domain names", "[orgdomain][psl]") {
  CHECK(error_of("") == "it is empty");
  CHECK(error_of(".").find("empty label") != std::string::npos);
  CHECK(error_of("a..example.com").find("empty label") != std::string::npos);
  CHECK(error_of(".example.com").find("empty label") != std::string::npos);
  CHECK_FALSE(is_public_suffix(".com"));
}

TEST_CASE("a name of 126 labels in 253 characters is looked up, and one of 300 labels is refused",
          "[orgdomain][psl]") {
  std::string longest;
  for (int i = 0; i < 125; ++i) longest += "a.";
  longest += "com";
  REQUIRE(longest.size() == 253);
  CHECK(org(longest) == std::optional<std::string>("a.com"));
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += "a.";
  deep += "com";
  CHECK(error_of(deep).find("the limit is 253") != std::string::npos);
  std::string labels_of_63;
  for (int i = 0; i < 4; ++i) labels_of_63 += std::string(63, 'x') + ".";
  labels_of_63 += "com";
  CHECK(error_of(labels_of_63).find("253") != std::string::npos);
}

TEST_CASE("hostile bytes are refused with a reason and never read past", "[orgdomain][psl]") {
  CHECK_FALSE(org(std::string("example.com\0evil.com", 20)).has_value());
  CHECK(error_of("\xFF\xFE.com") == "it is not valid UTF-8 text");
  CHECK(error_of("exa mple.com").find("space") != std::string::npos);
  CHECK(error_of("_dmarc.example.com").find("underscore") != std::string::npos);
  CHECK(error_of("user@example.com").find("@") != std::string::npos);
  CHECK(error_of("192.0.2.1").find("IP address") != std::string::npos);
  CHECK(error_of(std::string(100000, 'a')).find("bytes long") != std::string::npos);
  CHECK_FALSE(org("xn--zz.com").has_value());  // not valid Punycode
  CHECK_FALSE(org("-example.com").has_value());
}

TEST_CASE("the build records which list it compiled", "[orgdomain][psl]") {
  const std::string_view sha = psl_list_sha256();
  CHECK(sha.size() == 64);
  CHECK(sha.find_first_not_of("0123456789abcdef") == std::string_view::npos);
}

namespace {

/// The list's rules as it writes them (U-labels), and the algorithm read plainly: every rule
/// matched against the name's labels right-aligned.
struct PlainList {
  std::set<std::string> rules;

  std::optional<std::string> registrable(const std::vector<std::string>& labels) const {
    const std::size_t n = labels.size();
    std::size_t longest = 1;
    std::size_t exception = 0;
    for (std::size_t k = 1; k <= n; ++k) {
      std::string suffix;
      for (std::size_t i = n - k; i < n; ++i) suffix += (suffix.empty() ? "" : ".") + labels[i];
      std::string wildcard = "*";
      for (std::size_t i = n - k + 1; i < n; ++i) wildcard += "." + labels[i];
      if (rules.count("!" + suffix)) exception = std::max(exception, k);
      if (rules.count(suffix) || (k >= 2 && rules.count(wildcard))) longest = std::max(longest, k);
    }
    const std::size_t suffix_labels = exception ? exception - 1 : longest;
    if (n <= suffix_labels) return std::nullopt;
    std::string out;
    for (std::size_t i = n - suffix_labels - 1; i < n; ++i)
      out += (out.empty() ? "" : ".") + labels[i];
    return out;
  }
};

std::vector<std::string> split(const std::string& name) {
  std::vector<std::string> out;
  std::stringstream in(name);
  std::string label;
  while (std::getline(in, label, '.')) out.push_back(label);
  return out;
}

}  // namespace

TEST_CASE("every rule of the compiled list answers as the plain algorithm does",
          "[orgdomain][psl][list]") {
  std::ifstream in(RELAYCHECK_PSL_FILE);
  REQUIRE(in.good());
  PlainList list;
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t start = line.find_first_not_of(" \t\r");
    if (start == std::string::npos || line.compare(start, 2, "//") == 0) continue;
    const std::size_t end = line.find_first_of(" \t\r", start);
    list.rules.insert(
        line.substr(start, end == std::string::npos ? std::string::npos : end - start));
  }
  REQUIRE(list.rules.size() > 5000);
  std::size_t checked = 0;
  for (const auto& rule : list.rules) {
    std::string base = rule;
    if (base[0] == '!') base = base.substr(1);
    if (base.compare(0, 2, "*.") == 0) base = base.substr(2);
    // The rule's own name, a label under it, and two labels under it.
    for (const std::string& name : {base, "zq0." + base, "a.zq0." + base}) {
      const auto expected = list.registrable(split(name));
      const auto got = organizational_domain(name);
      INFO("rule " << rule << ", name " << name << ": got " << (got ? *got : "(none)")
                   << ", expected " << (expected ? *expected : "(none)"));
      CHECK(got == expected);
      ++checked;
    }
  }
  CHECK(checked == 3 * list.rules.size());
}
