// RFC 9989's DNS tree walk (core/src/orgdomain/tree_walk.cpp) over zone documents: the
// label-count shortening, the stop on psd=y / psd=n, the selection rules with the RFC's own
// examples (§4.10, §4.10.2, Appendix B.4), names the view does not know yet, and the minimal
// reading of a DMARC record the walk needs.
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../spf/spf_zone.hpp"
#include "orgdomain/tree_walk.hpp"
#include "spf/dns_view.hpp"

namespace {

using nlohmann::json;
using namespace relaycheck;
using namespace relaycheck::orgdomain;

using testing::dmarc_rrset;
using testing::txt;
using testing::zone;

TreeWalk walk(std::string_view name, const spf::DnsView& dns) {
  auto result = tree_walk(name, dns);
  INFO(name << ": " << result.error);
  REQUIRE(result);
  return std::move(*result.value);
}

std::vector<std::string> queries(const TreeWalk& w) {
  std::vector<std::string> out;
  for (const auto& l : w.lookups) out.push_back(l.query);
  return out;
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("a walk queries every shorter name down to the top label", "[orgdomain][walk]") {
  CHECK(walk_label_counts(4) == std::vector<std::size_t>{4, 3, 2, 1});
  CHECK(walk_label_counts(1) == std::vector<std::size_t>{1});
  CHECK(walk_label_counts(7) == std::vector<std::size_t>{7, 6, 5, 4, 3, 2, 1});
  CHECK(walk_label_counts(0).empty());
}

TEST_CASE("a name of eight labels or more jumps to its last seven: never more than eight queries",
          "[orgdomain][walk]") {
  CHECK(walk_label_counts(8) == std::vector<std::size_t>{8, 7, 6, 5, 4, 3, 2, 1});
  CHECK(walk_label_counts(9) == std::vector<std::size_t>{9, 7, 6, 5, 4, 3, 2, 1});
  CHECK(walk_label_counts(127).size() == kMaxWalkQueries);
  // RFC 9989 §4.10's illustration, word for word.
  const auto empty = zone(json::object());
  const TreeWalk w = walk("a.b.c.d.e.f.g.h.i.j.mail.example.com", empty);
  CHECK(queries(w) == Names{"_dmarc.a.b.c.d.e.f.g.h.i.j.mail.example.com",
                            "_dmarc.g.h.i.j.mail.example.com", "_dmarc.h.i.j.mail.example.com",
                            "_dmarc.i.j.mail.example.com", "_dmarc.j.mail.example.com",
                            "_dmarc.mail.example.com", "_dmarc.example.com", "_dmarc.com"});
}

TEST_CASE("the record at the name with the fewest labels decides when none says psd",
          "[orgdomain][walk]") {
  // RFC 9989 §4.10.2, first example.
  const auto dns =
      zone({{"_dmarc.mail.example.com", dmarc_rrset()}, {"_dmarc.example.com", dmarc_rrset()}});
  const TreeWalk w = walk("a.mail.example.com", dns);
  CHECK(w.complete());
  CHECK(w.organizational_domain == std::optional<std::string>("example.com"));
  CHECK(queries(w) == Names{"_dmarc.a.mail.example.com", "_dmarc.mail.example.com",
                            "_dmarc.example.com", "_dmarc.com"});
  CHECK(w.reason.find("rule 3") != std::string::npos);
  CHECK_FALSE(w.public_suffix_domain.has_value());
}

TEST_CASE("a record with psd=n stops the walk and is the organizational domain",
          "[orgdomain][walk]") {
  // RFC 9989 §4.10.2, second example.
  const auto dns = zone({{"_dmarc.mail.example.com", dmarc_rrset("p=reject; psd=n")},
                         {"_dmarc.example.com", dmarc_rrset()}});
  const TreeWalk w = walk("a.mail.example.com", dns);
  CHECK(w.organizational_domain == std::optional<std::string>("mail.example.com"));
  CHECK(queries(w) == Names{"_dmarc.a.mail.example.com", "_dmarc.mail.example.com"});
  CHECK(w.reason.find("psd=n") != std::string::npos);
}

TEST_CASE("a record with psd=y makes the name one label below it the organizational domain",
          "[orgdomain][walk]") {
  // RFC 9989 §4.10.2, last example.
  const auto dns = zone({{"_dmarc.com", dmarc_rrset("p=reject; psd=y")}});
  const TreeWalk w = walk("a.mail.example.com", dns);
  CHECK(w.organizational_domain == std::optional<std::string>("example.com"));
  CHECK(w.public_suffix_domain == std::optional<std::string>("com"));
  CHECK(w.lookups.size() == 4);
  CHECK(w.lookups.back().psd == 'y');
}

TEST_CASE("psd=y below a shortening jump names a label the walk skipped", "[orgdomain][walk]") {
  const auto dns = zone({{"_dmarc.g.h.i.j.mail.example.com", dmarc_rrset("psd=y")}});
  const TreeWalk w = walk("a.b.c.d.e.f.g.h.i.j.mail.example.com", dns);
  CHECK(w.organizational_domain == std::optional<std::string>("f.g.h.i.j.mail.example.com"));
  CHECK(w.lookups.size() == 2);
}

TEST_CASE("a walk that starts at a name with psd=y answers that name", "[orgdomain][walk]") {
  const auto dns = zone({{"_dmarc.bank.example", dmarc_rrset("psd=y")}});
  const TreeWalk w = walk("bank.example", dns);
  CHECK(w.organizational_domain == std::optional<std::string>("bank.example"));
  CHECK(w.lookups.size() == 1);
  CHECK_FALSE(w.public_suffix_domain.has_value());
}

TEST_CASE("a name with no DMARC record on its walk is its own organizational domain",
          "[orgdomain][walk]") {
  const auto empty = zone(json::object());
  const TreeWalk w = walk("Mail.Example.COM.", empty);
  CHECK(w.organizational_domain == std::optional<std::string>("mail.example.com"));
  CHECK(w.lookups.size() == 3);
  for (const auto& l : w.lookups) CHECK(l.status == spf::DnsStatus::nxdomain);
}

TEST_CASE("Appendix B.4.1: a signing subdomain with its own record walks up to the apex",
          "[orgdomain][walk][rfc9989]") {
  const auto dns = zone({{"_dmarc.example.com", dmarc_rrset("p=reject")},
                         {"_dmarc.signing.example.com", dmarc_rrset()}});
  CHECK(walk("example.com", dns).organizational_domain ==
        std::optional<std::string>("example.com"));
  const TreeWalk signing = walk("signing.example.com", dns);
  CHECK(signing.organizational_domain == std::optional<std::string>("example.com"));
  CHECK(queries(signing) ==
        Names{"_dmarc.signing.example.com", "_dmarc.example.com", "_dmarc.com"});
}

TEST_CASE("Appendix B.4.2: a deep Author Domain finds example.com in eight queries",
          "[orgdomain][walk][rfc9989]") {
  const auto dns = zone({{"_dmarc.example.com", dmarc_rrset("p=reject")},
                         {"_dmarc.signing.example.com", dmarc_rrset()}});
  const TreeWalk w = walk("a.b.c.d.e.f.g.h.i.j.k.example.com", dns);
  CHECK(w.organizational_domain == std::optional<std::string>("example.com"));
  CHECK(queries(w) == Names{"_dmarc.a.b.c.d.e.f.g.h.i.j.k.example.com",
                            "_dmarc.g.h.i.j.k.example.com", "_dmarc.h.i.j.k.example.com",
                            "_dmarc.i.j.k.example.com", "_dmarc.j.k.example.com",
                            "_dmarc.k.example.com", "_dmarc.example.com", "_dmarc.com"});
}

TEST_CASE("Appendix B.4.3: a PSD record with psd=y stops every walk below it",
          "[orgdomain][walk][rfc9989]") {
  const auto dns = zone({{"_dmarc.bank.example", dmarc_rrset("p=reject; psd=y")},
                         {"_dmarc.giant.bank.example", dmarc_rrset()}});
  const TreeWalk author = walk("giant.bank.example", dns);
  CHECK(author.organizational_domain == std::optional<std::string>("giant.bank.example"));
  CHECK(queries(author) == Names{"_dmarc.giant.bank.example", "_dmarc.bank.example"});
  CHECK(author.public_suffix_domain == std::optional<std::string>("bank.example"));
  const TreeWalk mail_from = walk("mail.giant.bank.example", dns);
  CHECK(mail_from.organizational_domain == std::optional<std::string>("giant.bank.example"));
  CHECK(mail_from.lookups.size() == 3);
  const TreeWalk dkim = walk("mail.mega.bank.example", dns);
  CHECK(dkim.organizational_domain == std::optional<std::string>("mega.bank.example"));
}

TEST_CASE("two DMARC records at one name count as none", "[orgdomain][walk]") {
  const json two = json::array({txt("v=DMARC1; p=none; psd=n"), txt("v=DMARC1; p=reject")});
  const auto dns = zone({{"_dmarc.mail.example.com", two}, {"_dmarc.example.com", dmarc_rrset()}});
  const TreeWalk w = walk("a.mail.example.com", dns);
  CHECK(w.organizational_domain == std::optional<std::string>("example.com"));
  CHECK(w.lookups[1].dmarc_records == 2);
  CHECK_FALSE(w.lookups[1].has_record());
  CHECK(w.lookups[1].psd == 0);
}

TEST_CASE("a TXT record that is not DMARC is ignored beside the one that is", "[orgdomain][walk]") {
  const json mixed =
      json::array({txt("v=spf1 -all"), txt("v=DMARC1; psd=n"), txt("google-site-verification=x")});
  const auto dns = zone({{"_dmarc.mail.example.com", mixed},
                         {"_dmarc.example.com", json::array({txt("v=spf1 -all")})}});
  const TreeWalk w = walk("a.mail.example.com", dns);
  CHECK(w.organizational_domain == std::optional<std::string>("mail.example.com"));
  CHECK(w.lookups[1].dmarc_records == 1);
  const TreeWalk only_spf = walk("x.example.com", dns);
  CHECK(only_spf.organizational_domain == std::optional<std::string>("x.example.com"));
}

TEST_CASE("a record's strings are joined before it is read", "[orgdomain][walk]") {
  const json split =
      json::array({json{{"type", "TXT"}, {"data", json::array({"v=DMARC1; p=none; ps", "d=n"})}}});
  const auto dns =
      zone({{"_dmarc.mail.example.com", split}, {"_dmarc.example.com", dmarc_rrset()}});
  CHECK(walk("a.mail.example.com", dns).organizational_domain ==
        std::optional<std::string>("mail.example.com"));
}

TEST_CASE("names the view does not know yet are listed as needed and leave the answer open",
          "[orgdomain][walk]") {
  const auto partial = zone({{"_dmarc.example.com", dmarc_rrset()}}, spf::MissingName::unknown);
  const TreeWalk w = walk("a.mail.example.com", partial);
  CHECK(w.status == WalkStatus::needs_lookups);
  CHECK_FALSE(w.complete());
  CHECK_FALSE(w.organizational_domain.has_value());
  // Every name up to a stop is needed at once, so that one round of fetching can answer.
  CHECK(w.needed == Names{"_dmarc.a.mail.example.com", "_dmarc.mail.example.com", "_dmarc.com"});
  CHECK(w.lookups.size() == 4);

  const auto fetched =
      zone({{"_dmarc.example.com", dmarc_rrset()},
            {"_dmarc.a.mail.example.com", json::array({json{{"type", "NXDOMAIN"}}})},
            {"_dmarc.mail.example.com", json::array({json{{"type", "NXDOMAIN"}}})},
            {"_dmarc.com", json::array({json{{"type", "NXDOMAIN"}}})}},
           spf::MissingName::unknown);
  const TreeWalk done = walk("a.mail.example.com", fetched);
  CHECK(done.complete());
  CHECK(done.needed.empty());
  CHECK(done.organizational_domain == std::optional<std::string>("example.com"));
}

TEST_CASE("a known psd stop ends the list of needed names", "[orgdomain][walk]") {
  const auto partial =
      zone({{"_dmarc.mail.example.com", dmarc_rrset("psd=n")}}, spf::MissingName::unknown);
  const TreeWalk w = walk("a.mail.example.com", partial);
  CHECK(w.needed == Names{"_dmarc.a.mail.example.com"});
  CHECK(w.lookups.size() == 2);
}

TEST_CASE("a temporary DNS error leaves the walk undetermined", "[orgdomain][walk]") {
  const auto dns = zone({{"_dmarc.mail.example.com", json::array({json{{"type", "TIMEOUT"}}})},
                         {"_dmarc.example.com", dmarc_rrset()}});
  const TreeWalk w = walk("a.mail.example.com", dns);
  CHECK(w.status == WalkStatus::dns_error);
  CHECK(to_string(w.status) == "dns-error");
  CHECK_FALSE(w.organizational_domain.has_value());
  CHECK(w.needed.empty());
}

TEST_CASE("a query name longer than 253 characters is not asked and holds no record",
          "[orgdomain][walk]") {
  std::string name;
  for (int i = 0; i < 4; ++i) name += std::string(61, 'x') + ".";
  name += "example";  // 4 * 62 + 7 = 255 > 253: too long itself
  CHECK_FALSE(tree_walk(name, zone(json::object())));
  std::string near = std::string(61, 'x') + "." + std::string(61, 'y') + "." +
                     std::string(61, 'z') + "." + std::string(58, 'w') + ".com";
  REQUIRE(near.size() == 248);  // "_dmarc." makes 255
  const TreeWalk w = walk(near, zone(json::object()));
  CHECK(w.lookups.front().too_long);
  CHECK_FALSE(w.lookups[1].too_long);
  CHECK(w.organizational_domain == std::optional<std::string>(near));
}

TEST_CASE("an internationalised name walks in A-labels and answers in the form given",
          "[orgdomain][walk][idn]") {
  const auto dns = zone({{"_dmarc.xn--bcher-kva.example", dmarc_rrset()}});
  const TreeWalk w = walk("Mail.Bücher.example", dns);
  CHECK(queries(w) == Names{"_dmarc.mail.xn--bcher-kva.example", "_dmarc.xn--bcher-kva.example",
                            "_dmarc.example"});
  CHECK(w.organizational_domain == std::optional<std::string>("bücher.example"));
  CHECK(w.organizational_domain_ascii == std::optional<std::string>("xn--bcher-kva.example"));
  CHECK(walk("mail.xn--bcher-kva.example", dns).organizational_domain ==
        std::optional<std::string>("xn--bcher-kva.example"));
}

TEST_CASE("text that is not a domain name is refused before any query", "[orgdomain][walk]") {
  const auto empty = zone(json::object());
  CHECK_FALSE(tree_walk("", empty));
  CHECK_FALSE(tree_walk("a..b", empty));
  CHECK_FALSE(tree_walk(std::string("a\0b.com", 7), empty));
  CHECK(tree_walk("exa mple.com", empty).error.find("space") != std::string::npos);
}

namespace {

/// The psd a record gives the walk: 0 for no DMARC record, '-' for one with a tag written twice.
char psd_of(std::string_view record) {
  const auto peek = peek_dmarc_record(record);
  if (!peek) return 0;
  return peek->duplicate_tag ? '-' : peek->psd;
}

}  // namespace

TEST_CASE("the version tag must come first, exactly DMARC1", "[orgdomain][walk][record]") {
  CHECK(psd_of("v=DMARC1") == 'u');
  CHECK(psd_of("v=DMARC1;") == 'u');
  CHECK(psd_of("v=DMARC1 ") == 'u');
  CHECK(psd_of("V = DMARC1 ; p=none") == 'u');
  CHECK(psd_of("v\t=\tDMARC1\t;p=none") == 'u');
  CHECK(psd_of("v=dmarc1; p=none") == 0);
  CHECK(psd_of("v=DMARC1x; p=none") == 0);
  CHECK(psd_of("v=DMARC1 p=none") == 0);
  CHECK(psd_of("p=none; v=DMARC1") == 0);
  CHECK(psd_of(" v=DMARC1") == 0);
  CHECK(psd_of("v=DMARC2") == 0);
  CHECK(psd_of("v=spf1 -all") == 0);
  CHECK(psd_of("") == 0);
  CHECK(psd_of("v") == 0);
  CHECK(psd_of("v=") == 0);
}

TEST_CASE("the psd tag reads y, n, or u for anything else", "[orgdomain][walk][record]") {
  CHECK(psd_of("v=DMARC1; p=none; psd=y") == 'y');
  CHECK(psd_of("v=DMARC1;psd=n;") == 'n');
  CHECK(psd_of("v=DMARC1; psd = Y") == 'y');
  CHECK(psd_of("v=DMARC1; PSD=n") == 'n');  // names read case-insensitively, as ABNF literals
  CHECK(psd_of("v=DMARC1; psd=u") == 'u');
  CHECK(psd_of("v=DMARC1; psd=yes") == 'u');
  CHECK(psd_of("v=DMARC1; psd=") == 'u');
  CHECK(psd_of("v=DMARC1; xpsd=y; psd") == 'u');
  CHECK(psd_of("v=DMARC1; ps d=y") == 'u');
}

TEST_CASE("a tag written twice makes the record invalid, and the walk passes it by",
          "[orgdomain][walk][record]") {
  CHECK(psd_of("v=DMARC1; psd=n; PSD=n") == '-');
  CHECK(psd_of("v=DMARC1; p=none; p=reject") == '-');
  CHECK(psd_of("v=DMARC1; v=DMARC1") == '-');
  CHECK(psd_of("v=DMARC1; foo=1; FOO=2") == '-');
  CHECK(psd_of("v=DMARC1; p=none; sp=none") == 'u');
  const auto dns = zone({{"_dmarc.mail.example.com", dmarc_rrset("psd=n; p=none; p=reject")},
                         {"_dmarc.example.com", dmarc_rrset()}});
  const TreeWalk w = walk("a.mail.example.com", dns);
  CHECK(w.organizational_domain == std::optional<std::string>("example.com"));
  CHECK(w.lookups[1].dmarc_records == 1);
  CHECK(w.lookups[1].duplicate_tag);
  CHECK_FALSE(w.lookups[1].has_record());
}

TEST_CASE("a record of 10,000 tags is read in one pass", "[orgdomain][walk][record]") {
  std::string many = "v=DMARC1";
  for (int i = 0; i < 10000; ++i)
    many += "; x" + std::string(1, static_cast<char>('a' + i % 26)) + "=1";
  CHECK(psd_of(many) == '-');  // 26 names, each written hundreds of times
  std::string distinct = "v=DMARC1; psd=y";
  for (int i = 0; i < 10000; ++i) {
    std::string name;
    for (int v = i; v > 0 || name.empty(); v /= 26) name += static_cast<char>('a' + v % 26);
    distinct += "; q" + name + "=1";
  }
  CHECK(psd_of(distinct) == 'y');
}
