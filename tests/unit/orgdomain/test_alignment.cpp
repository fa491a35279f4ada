// DMARC identifier alignment (core/src/orgdomain/alignment.cpp): strict and relaxed, by the
// Public Suffix List and by the tree walk, with RFC 9989's examples (Table 1, Appendix B.1.1,
// B.4.3).
#include <string>
#include <utility>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../spf/spf_zone.hpp"
#include "orgdomain/alignment.hpp"

namespace {

using nlohmann::json;
using namespace relaycheck;
using namespace relaycheck::orgdomain;

using testing::dmarc_rrset;
using testing::zone;

}  // namespace

TEST_CASE("strict alignment needs identical names, whatever their case, trailing dot or label form",
          "[orgdomain][align]") {
  CHECK(aligned("news.example.com", "news.example.com", Mode::strict));
  CHECK(aligned("NEWS.Example.com.", "news.example.com", Mode::strict));
  CHECK(aligned("bücher.example", "xn--bcher-kva.example", Mode::strict));
  CHECK_FALSE(aligned("news.example.com", "example.com", Mode::strict));
  CHECK_FALSE(aligned("example.com", "news.example.com", Mode::strict));
}

TEST_CASE("strict never falls back to the organizational domain", "[orgdomain][align]") {
  const Alignment a = check_alignment("bounce.example.com", "example.com", Mode::strict);
  CHECK(a.verdict == Verdict::not_aligned);
  CHECK_FALSE(a.identifier_org.has_value());
  CHECK(a.reason.find("strict") != std::string::npos);
}

TEST_CASE("RFC 9989 Table 1: same organizational domain, identical, and neither",
          "[orgdomain][align][rfc9989]") {
  CHECK(aligned("foo.example.com", "news.example.com", Mode::relaxed));
  CHECK_FALSE(aligned("foo.example.com", "news.example.com", Mode::strict));
  CHECK(aligned("news.example.com", "news.example.com", Mode::strict));
  CHECK_FALSE(aligned("foo.example.net", "news.example.com", Mode::relaxed));
}

TEST_CASE("RFC 9989 Appendix B.1.1: SPF in strict, in relaxed and in no alignment",
          "[orgdomain][align][rfc9989]") {
  CHECK(aligned("example.com", "example.com", Mode::strict));
  CHECK(aligned("child.example.com", "example.com", Mode::relaxed));
  CHECK_FALSE(aligned("child.example.com", "example.com", Mode::strict));
  CHECK_FALSE(aligned("example.net", "child.example.com", Mode::relaxed));
}

TEST_CASE("sibling subdomains align under relaxed", "[orgdomain][align]") {
  const Alignment a = check_alignment("bounces.zylker.com", "news.zylker.com", Mode::relaxed);
  CHECK(a.verdict == Verdict::aligned);
  CHECK(a.identifier_org == std::optional<std::string>("zylker.com"));
  CHECK(a.from_org == std::optional<std::string>("zylker.com"));
  CHECK(aligned("mail.example.co.uk", "www.example.co.uk", Mode::relaxed));
  CHECK(aligned("mail.食狮.中国", "xn--85x722f.xn--fiqs8s", Mode::relaxed));
}

TEST_CASE("a public suffix has no organizational domain and aligns only with itself",
          "[orgdomain][align]") {
  const Alignment a = check_alignment("co.uk", "example.co.uk", Mode::relaxed);
  CHECK(a.verdict == Verdict::not_aligned);
  CHECK(a.reason.find("public suffix") != std::string::npos);
  CHECK_FALSE(aligned("example.co.uk", "co.uk", Mode::relaxed));
  CHECK_FALSE(aligned("com", "uk", Mode::relaxed));
  // Identical names align under relaxed as under strict.
  CHECK(aligned("co.uk", "co.uk", Mode::relaxed));
}

TEST_CASE("names under a private-section suffix do not align with each other",
          "[orgdomain][align]") {
  CHECK_FALSE(aligned("attacker.github.io", "zylker.github.io", Mode::relaxed));
  CHECK(aligned("www.zylker.github.io", "zylker.github.io", Mode::relaxed));
  // With the ICANN section alone, github.io is an organizational domain.
  CHECK(check_alignment("attacker.github.io", "zylker.github.io", Mode::relaxed, Sections::icann)
            .verdict == Verdict::aligned);
}

TEST_CASE("text that is not a domain name aligns with nothing", "[orgdomain][align]") {
  const Alignment a = check_alignment("", "example.com", Mode::relaxed);
  CHECK(a.verdict == Verdict::not_aligned);
  CHECK(a.reason.find("identifier") != std::string::npos);
  CHECK_FALSE(aligned("example.com", "example..com", Mode::strict));
  CHECK_FALSE(aligned("exa mple.com", "exa mple.com", Mode::relaxed));
  CHECK(to_string(Verdict::not_aligned) == "not-aligned");
  CHECK(to_string(Mode::relaxed) == "relaxed");
}

TEST_CASE("RFC 9989 Appendix B.4.3 by tree walk: SPF aligns, DKIM does not",
          "[orgdomain][align][walk][rfc9989]") {
  const auto dns = zone({{"_dmarc.bank.example", dmarc_rrset("p=reject; psd=y")},
                         {"_dmarc.giant.bank.example", dmarc_rrset()}});
  const Alignment spf =
      check_alignment("mail.giant.bank.example", "giant.bank.example", Mode::relaxed, dns);
  CHECK(spf.verdict == Verdict::aligned);
  CHECK(spf.from_org == std::optional<std::string>("giant.bank.example"));
  const Alignment dkim =
      check_alignment("mail.mega.bank.example", "giant.bank.example", Mode::relaxed, dns);
  CHECK(dkim.verdict == Verdict::not_aligned);
  CHECK(dkim.identifier_org == std::optional<std::string>("mega.bank.example"));
}

TEST_CASE(
    "by tree walk, siblings align only when a record above them makes one organizational domain",
    "[orgdomain][align][walk]") {
  const auto with_apex = zone({{"_dmarc.example.com", dmarc_rrset()}});
  CHECK(check_alignment("a.example.com", "b.example.com", Mode::relaxed, with_apex).verdict ==
        Verdict::aligned);
  const auto nothing = zone(json::object());
  const Alignment none = check_alignment("a.example.com", "b.example.com", Mode::relaxed, nothing);
  CHECK(none.verdict == Verdict::not_aligned);
  CHECK(none.identifier_org == std::optional<std::string>("a.example.com"));
}

TEST_CASE(
    "by tree walk, names the view does not know leave alignment unknown with the queries to make",
    "[orgdomain][align][walk]") {
  const auto partial = zone({{"_dmarc.example.com", dmarc_rrset()}}, spf::MissingName::unknown);
  const Alignment a = check_alignment("a.example.com", "b.example.com", Mode::relaxed, partial);
  CHECK(a.verdict == Verdict::unknown);
  // _dmarc.com is needed by both walks and listed once.
  CHECK(a.needed ==
        std::vector<std::string>{"_dmarc.a.example.com", "_dmarc.com", "_dmarc.b.example.com"});
  // Strict needs no DNS at all.
  CHECK(check_alignment("a.example.com", "b.example.com", Mode::strict, partial).verdict ==
        Verdict::not_aligned);
}
