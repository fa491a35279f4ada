// SPF record analysis (the include tree, costs, findings) and the record to publish.
#include <algorithm>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "spf_zone.hpp"

#include "spf/lint.hpp"

namespace {

using nlohmann::json;
using namespace relaycheck;

using testing::a;
using testing::txt;
using testing::zone;

std::vector<std::string> codes(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.code);
  std::sort(out.begin(), out.end());
  return out;
}

bool has(const std::vector<Finding>& findings, const std::string& code) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return f.code == code; });
}

ip::Prefix prefix(const std::string& text) {
  auto parsed = ip::parse_prefix(text);
  REQUIRE(parsed);
  return *parsed.value;
}

}  // namespace

TEST_CASE("lint costs every branch of the include tree and keeps a running total", "[spf][lint]") {
  const auto z = zone({{"example.com",
                        {txt("v=spf1 mx include:_spf.vendor.example ip4:192.0.2.0/24 -all"),
                         {{"type", "MX"}, {"data", {10, "mail.example.com"}}}}},
                       {"_spf.vendor.example",
                        {txt("v=spf1 include:a.vendor.example include:b.vendor.example ~all")}},
                       {"a.vendor.example", {txt("v=spf1 ip4:198.51.100.0/24 ~all")}},
                       {"b.vendor.example", {txt("v=spf1 a:relay.vendor.example ~all")}},
                       {"relay.vendor.example", {a("203.0.113.5")}}});
  const auto r = spf::lint(z, "example.com");
  CHECK(r.lookups == 5);
  CHECK(r.void_lookups == 0);
  CHECK(r.findings.empty());
  const auto& top = r.tree;
  CHECK(top.status == spf::RecordStatus::ok);
  CHECK(top.cost == 5);
  REQUIRE(top.terms.size() == 4);
  CHECK(top.terms[0].term == "mx");
  CHECK(top.terms[0].cost == 1);
  CHECK(top.terms[0].total == 1);
  CHECK(top.terms[1].cost == 4);  // the include, and the three lookups inside it
  CHECK(top.terms[1].total == 5);
  REQUIRE(top.terms[1].branch.size() == 1);
  const auto& vendor = top.terms[1].branch[0];
  CHECK(vendor.domain == "_spf.vendor.example");
  CHECK(vendor.cost == 3);
  CHECK(vendor.terms[0].total == 3);
  CHECK(vendor.terms[1].total == 5);
  CHECK(vendor.terms[1].branch[0].terms[0].note == "A relay.vendor.example: 1 record");
  CHECK(top.terms[2].cost == 0);
  CHECK(top.terms[3].total == 5);
}

TEST_CASE("lint finds what makes receivers fail or distrust a record", "[spf][lint]") {
  struct Case {
    json zone;
    std::vector<std::string> codes;
  };
  std::string eleven = "v=spf1";
  for (int i = 0; i < 11; ++i) eleven += " a";
  std::string long_record = "v=spf1";
  while (long_record.size() < 460) long_record += " ip4:192.0.2.1";
  const std::vector<Case> cases = {
      {{{"example.com", {txt(eleven + " -all"), a("192.0.2.1")}}}, {"spf.lookup_limit"}},
      {{{"example.com", {txt("v=spf1 a:n1.example.com a:n2.example.com a:n3.example.com -all")}}},
       {"spf.void_limit"}},
      {{{"example.com", {txt("v=spf1 +all")}}}, {"spf.plus_all"}},
      {{{"example.com", {txt("v=spf1 all")}}}, {"spf.plus_all"}},
      {{{"example.com", {txt("v=spf1 ip4:192.0.2.1 ?all")}}}, {"spf.neutral_all"}},
      {{{"example.com", {txt("v=spf1 ptr -all")}}}, {"spf.ptr_deprecated"}},
      {{{"example.com", {txt("v=spf1 -all exp=nowhere.example.com")}}}, {"spf.exp_unresolvable"}},
      {{{"example.com", {txt("v=spf1 -all exp=e.example.com")}},
        {"e.example.com", {txt("a"), txt("b")}}},
       {"spf.exp_unresolvable"}},
      {{{"example.com", {txt("v=spf1 -all exp=e.example.com")}}, {"e.example.com", {txt("100%")}}},
       {"spf.exp_unresolvable"}},
      {{{"example.com", {{{"type", "TXT"}, {"data", spf::split_strings(long_record + " -all")}}}}},
       {"spf.record_too_long"}},
      {{{"example.com", {txt("v=spf1 " + std::string(300, 'x') + "=1 -all")}}},
       {"spf.string_too_long"}},
      {{{"example.com", {txt("v=spf1 -all"), txt("v=spf1 ~all")}}}, {"spf.multiple_records"}},
      {json::object(), {"spf.no_record"}},
      {{{"example.com", {txt("v=spf1 include:nothing.example.com -all")}}},
       {"spf.include_no_record"}},
      {{{"example.com", {txt("v=spf1 redirect=nothing.example.com")}}}, {"spf.include_no_record"}},
      {{{"example.com", {txt("v=spf1 ip4:1.2.3 -all")}}}, {"spf.syntax"}},
      {{{"example.com", {txt("v=spf1 include:i.example.com -all")}},
        {"i.example.com", {txt("v=spf1 moo")}}},
       {"spf.syntax"}},
      {{{"example.com", {txt("v=spf1 include:example.com -all")}}}, {"spf.include_loop"}},
      {{{"example.com", {txt("v=spf1 -all redirect=r.example.com")}}}, {"spf.redirect_ignored"}},
      {{{"example.com", {{{"type", "TIMEOUT"}}}}}, {"spf.dns_temperror"}},
      {{{"example.com", {txt("v=spf1 include:i.example.com -all")}},
        {"i.example.com", {txt("v=spf1 +all")}}},
       {"spf.plus_all"}},
      {{{"example.com", {txt("v=spf1 ip4:192.0.2.1 -all a")}}}, {"spf.terms_after_all"}},
      {{{"example.com", {txt("v=spf1 include:i.example.com -all")}},
        {"i.example.com", {txt("v=spf1 ~all ip4:192.0.2.1")}}},
       {"spf.terms_after_all"}},
      // ?all in an included record just means "no match": not a finding.
      {{{"example.com", {txt("v=spf1 include:i.example.com -all")}},
        {"i.example.com", {txt("v=spf1 ?all")}}},
       {}},
  };
  for (const auto& c : cases) {
    INFO(c.zone.dump().substr(0, 300));
    auto z = zone(c.zone);
    CHECK(codes(spf::lint(z, "example.com").findings) == c.codes);
  }
  json mx = {{"example.com", {txt("v=spf1 mx -all")}}};
  for (int i = 0; i < 11; ++i)
    mx["example.com"].push_back({{"type", "MX"}, {"data", {i, "m.example.com"}}});
  CHECK(has(spf::lint(zone(mx), "example.com").findings, "spf.mx_limit"));
}

TEST_CASE("lint neither costs nor follows the terms after all, and says they are never evaluated",
          "[spf][lint]") {
  const auto z =
      zone({{"example.com", {txt("v=spf1 ip4:192.0.2.0/24 -all include:_spf.vendor.example a")}},
            {"_spf.vendor.example", {txt("v=spf1 include:a.vendor.example ~all")}},
            {"a.vendor.example", {txt("v=spf1 -all")}}});
  const auto r = spf::lint(z, "example.com");
  CHECK(r.lookups == 0);
  CHECK(r.void_lookups == 0);
  REQUIRE(r.tree.terms.size() == 4);
  for (std::size_t k : {std::size_t{2}, std::size_t{3}}) {
    CHECK(r.tree.terms[k].cost == 0);
    CHECK(r.tree.terms[k].branch.empty());
    CHECK(r.tree.terms[k].note == "ignored: after '-all' (RFC 7208 §5.1)");
  }
  REQUIRE(codes(r.findings) == std::vector<std::string>{"spf.terms_after_all"});
  CHECK(r.findings[0].severity == Severity::warning);
  CHECK(r.findings[0].message ==
        "'include:_spf.vendor.example', 'a' in example.com come after '-all' and are never "
        "evaluated (RFC 7208 §5.1): mail from the servers they list gets the result of '-all'");
}

TEST_CASE("lint does not flag modifiers after all, nor terms before it", "[spf][lint]") {
  const auto z =
      zone({{"example.com", {txt("v=spf1 a ip4:192.0.2.1 -all exp=e.example.com"), a("192.0.2.2")}},
            {"e.example.com", {txt("not allowed")}}});
  CHECK_FALSE(has(spf::lint(z, "example.com").findings, "spf.terms_after_all"));
}

TEST_CASE("lint counts a void lookup for an include or redirect of a domain without records",
          "[spf][lint]") {
  auto z =
      zone({{"example.com", {txt("v=spf1 include:gone.example.com include:t.example.com -all")}},
            {"t.example.com", {txt("site-verification=1")}}});
  auto r = spf::lint(z, "example.com");
  CHECK(r.void_lookups == 1);
  REQUIRE(r.tree.terms.size() == 3);
  CHECK(r.tree.terms[0].void_lookup);
  CHECK(r.tree.terms[0].note == "TXT gone.example.com: NXDOMAIN (void lookup)");
  // TXT records that are not SPF: none, and permerror, but the lookup was not void.
  CHECK_FALSE(r.tree.terms[1].void_lookup);
  CHECK(codes(r.findings) ==
        std::vector<std::string>{"spf.include_no_record", "spf.include_no_record"});

  z = zone({{"example.com", {txt("v=spf1 redirect=empty.example.com")}},
            {"empty.example.com", {a("192.0.2.1")}}});
  r = spf::lint(z, "example.com");
  CHECK(r.void_lookups == 1);
  CHECK(r.tree.terms[0].note == "TXT empty.example.com: no data (void lookup)");

  z = zone({{"example.com",
             {txt("v=spf1 a:n1.example.com a:n2.example.com "
                  "include:gone.example.com -all")}}});
  r = spf::lint(z, "example.com");
  CHECK(r.void_lookups == 3);
  CHECK(has(r.findings, "spf.void_limit"));
}

TEST_CASE("lint of a partly fetched zone lists the lookups still needed", "[spf][lint]") {
  const auto z = zone({{"example.com", {txt("v=spf1 include:_spf.vendor.example -all")}}},
                      spf::MissingName::unknown);
  const auto r = spf::lint(z, "example.com");
  REQUIRE(r.needed.size() == 1);
  CHECK(r.needed[0].name == "_spf.vendor.example");
  CHECK(has(r.findings, "spf.lookups_needed"));
  CHECK(r.tree.terms[0].branch[0].status == spf::RecordStatus::unknown);
}

TEST_CASE("lint with a client address names the term that decides", "[spf][lint]") {
  const auto z = zone({{"example.com", {txt("v=spf1 include:i.example.com -all")}},
                       {"i.example.com", {txt("v=spf1 ip4:192.0.2.0/24 -all")}}});
  spf::LintOptions options;
  options.ip = *ip::parse_address("192.0.2.8").value;
  const auto r = spf::lint(z, "example.com", options);
  REQUIRE(r.check);
  CHECK(r.check->result == spf::Result::pass);
  REQUIRE(r.check->matched.size() == 2);
  CHECK(r.check->matched[0].term == "include:i.example.com");
  CHECK(r.check->matched[1].term == "ip4:192.0.2.0/24");
}

TEST_CASE("lint follows a target that depends on the message only for a given client",
          "[spf][lint]") {
  // %{l} and %{i} depend on the message: without a client the include cannot be named.
  const auto z = zone({{"example.com",
                        {txt("v=spf1 include:%{l}.users.example.com exists:%{i}._ip.example.com "
                             "redirect=%{o}._r.example.com")}},
                       {"postmaster.users.example.com", {txt("v=spf1 a:mail.example.com -all")}},
                       {"192.0.2.8._ip.example.com", {a("127.0.0.2")}},
                       {"example.com._r.example.com", {txt("v=spf1 -all")}}});
  const auto unfollowed = spf::lint(z, "example.com");
  REQUIRE(unfollowed.tree.terms.size() == 3);
  CHECK(unfollowed.tree.terms[0].branch.empty());
  CHECK(unfollowed.tree.terms[0].note.find("give a client IP") != std::string::npos);
  CHECK(unfollowed.lookups == 3);

  spf::LintOptions options;
  options.ip = *ip::parse_address("192.0.2.8").value;
  const auto r = spf::lint(z, "example.com", options);
  REQUIRE(r.tree.terms.size() == 3);
  const auto& include = r.tree.terms[0];
  REQUIRE(include.branch.size() == 1);
  CHECK(include.branch[0].domain == "postmaster.users.example.com");
  CHECK(include.cost == 2);  // the include, and the a: inside it
  CHECK(include.note.rfind(
            "for postmaster@example.com from 192.0.2.8 (the target depends on the message)", 0) ==
        0);
  CHECK_FALSE(r.tree.terms[1].void_lookup);  // 192.0.2.8._ip.example.com exists
  REQUIRE(r.tree.terms[2].branch.size() == 1);
  CHECK(r.tree.terms[2].branch[0].domain == "example.com._r.example.com");
  CHECK(r.lookups == 4);
}

TEST_CASE("propose inserts ip4 and ip6 terms before the all", "[spf][propose]") {
  const auto z = zone({{"example.com",
                        {txt("v=spf1 mx include:_spf.google.com ~all"),
                         {{"type", "MX"}, {"data", {1, "mx.example.com"}}}}},
                       {"mx.example.com", {a("192.0.2.10")}},
                       {"_spf.google.com", {txt("v=spf1 ip4:198.51.100.0/24 ~all")}}});
  const auto p = spf::propose(
      z, "example.com", {prefix("203.0.113.5"), prefix("2001:db8::25"), prefix("192.0.2.10")});
  CHECK(p.usable);
  CHECK(p.changed);
  CHECK(p.record == "v=spf1 mx include:_spf.google.com ip4:203.0.113.5 ip6:2001:db8::25 ~all");
  CHECK(p.added == std::vector<std::string>{"ip4:203.0.113.5", "ip6:2001:db8::25"});
  REQUIRE(p.already.size() == 1);
  CHECK(p.already[0].ip == "192.0.2.10");
  CHECK(p.already[0].by == "mx");
  CHECK(p.lookups_before == 2);
  CHECK(p.lookups_after == 2);
  CHECK(p.findings.empty());
  CHECK(p.strings == std::vector<std::string>{p.record});
}

TEST_CASE("propose changes nothing when every address passes already", "[spf][propose]") {
  const auto z = zone({{"example.com", {txt("v=spf1 ip4:192.0.2.0/24 -all")}}});
  const auto p = spf::propose(z, "example.com", {prefix("192.0.2.7"), prefix("192.0.2.0/25")});
  CHECK_FALSE(p.changed);
  CHECK(p.record == p.current);
  CHECK(p.already.size() == 2);
}

TEST_CASE("propose puts the terms before an earlier term that decides against the relay",
          "[spf][propose]") {
  const auto z =
      zone({{"example.com", {txt("v=spf1 -ip4:192.0.2.0/24 include:x.example.com -all")}},
            {"x.example.com", {txt("v=spf1 -all")}}});
  const auto p = spf::propose(z, "example.com", {prefix("192.0.2.5")});
  CHECK(p.record == "v=spf1 ip4:192.0.2.5 -ip4:192.0.2.0/24 include:x.example.com -all");
  CHECK(p.findings.empty());
}

TEST_CASE("propose a record where there is none, or after a redirect-only record",
          "[spf][propose]") {
  auto z = zone({{"example.com", {txt("site-verification=1")}}});
  auto p = spf::propose(z, "example.com", {prefix("192.0.2.5")});
  CHECK(p.record == "v=spf1 ip4:192.0.2.5 ~all");
  CHECK(codes(p.findings) == std::vector<std::string>{"spf.new_record"});
  z = zone({{"example.com", {txt("v=spf1 redirect=_spf.example.com")}},
            {"_spf.example.com", {txt("v=spf1 -all")}}});
  p = spf::propose(z, "example.com", {prefix("192.0.2.5")});
  CHECK(p.record == "v=spf1 ip4:192.0.2.5 redirect=_spf.example.com");
}

TEST_CASE("propose refuses a record receivers reject, and says why", "[spf][propose]") {
  auto z = zone({{"example.com", {txt("v=spf1 -all"), txt("v=spf1 ~all")}}});
  auto p = spf::propose(z, "example.com", {prefix("192.0.2.5")});
  CHECK_FALSE(p.usable);
  CHECK(has(p.findings, "spf.multiple_records"));
  z = zone({{"example.com", {txt("v=spf1 a:foo -all")}}});
  p = spf::propose(z, "example.com", {prefix("192.0.2.5")});
  CHECK_FALSE(p.usable);
  CHECK(has(p.findings, "spf.syntax"));
}

TEST_CASE("propose replaces an all that lets every sender pass by ~all, and says why",
          "[spf][propose]") {
  auto z = zone({{"example.com", {txt("v=spf1 ip4:198.51.100.0/24 +all")}}});
  auto p = spf::propose(z, "example.com", {prefix("192.0.2.5"), prefix("198.51.100.7")});
  CHECK(p.usable);
  CHECK(p.changed);
  CHECK(p.record == "v=spf1 ip4:198.51.100.0/24 ip4:192.0.2.5 ~all");
  CHECK(p.added == std::vector<std::string>{"ip4:192.0.2.5"});
  REQUIRE(p.already.size() == 1);
  CHECK(p.already[0].by == "ip4:198.51.100.0/24");
  REQUIRE(codes(p.findings) == std::vector<std::string>{"spf.plus_all"});
  CHECK(p.findings[0].severity == Severity::error);
  z = zone({{"example.com", {txt("v=spf1 all")}}});
  p = spf::propose(z, "example.com", {prefix("192.0.2.5")});
  CHECK(p.record == "v=spf1 ip4:192.0.2.5 ~all");
}

TEST_CASE("propose drops an include of a domain without an SPF record", "[spf][propose]") {
  const auto z = zone({{"example.com", {txt("v=spf1 ip4:192.0.2.5 include:gone.example.com -all")}},
                       {"notspf.example.com", {txt("site-verification=1")}}});
  auto p = spf::propose(z, "example.com", {prefix("192.0.2.5")});
  CHECK(p.changed);
  CHECK(p.added.empty());
  CHECK(p.record == "v=spf1 ip4:192.0.2.5 -all");
  CHECK(p.lookups_before == 1);
  CHECK(p.lookups_after == 0);
  REQUIRE(codes(p.findings) == std::vector<std::string>{"spf.include_no_record"});
  CHECK(p.findings[0].severity == Severity::error);
  CHECK(p.findings[0].path == "/zone/example.com");
}

TEST_CASE("propose drops the terms after the all", "[spf][propose]") {
  const auto z = zone({{"example.com",
                        {txt("v=spf1 mx -all ip4:192.0.2.5 a"),
                         {{"type", "MX"}, {"data", {10, "mx.example.com"}}}}},
                       {"mx.example.com", {a("198.51.100.1")}}});
  const auto p = spf::propose(z, "example.com", {prefix("192.0.2.5")});
  CHECK(p.record == "v=spf1 mx ip4:192.0.2.5 -all");
  CHECK(p.added == std::vector<std::string>{"ip4:192.0.2.5"});
  CHECK(codes(p.findings) == std::vector<std::string>{"spf.terms_after_all"});
}

TEST_CASE("propose reports the errors of records it cannot change", "[spf][propose]") {
  const auto z =
      zone({{"example.com", {txt("v=spf1 ip4:192.0.2.5 include:_spf.vendor.example -all")}},
            {"_spf.vendor.example", {txt("v=spf1 include:gone.vendor.example ~all")}}});
  const auto p = spf::propose(z, "example.com", {prefix("192.0.2.5")});
  CHECK_FALSE(p.changed);
  CHECK(p.record == p.current);
  REQUIRE(codes(p.findings) == std::vector<std::string>{"spf.include_no_record"});
  CHECK(p.findings[0].path == "/zone/_spf.vendor.example");
}

TEST_CASE("propose keeps a record whose terms are all evaluated, spaces and all",
          "[spf][propose]") {
  const auto z =
      zone({{"example.com", {txt("v=spf1  ip4:192.0.2.5   include:i.example.com ~all ")}},
            {"i.example.com", {txt("v=spf1 -all")}}});
  const auto p = spf::propose(z, "example.com", {prefix("192.0.2.5")});
  CHECK_FALSE(p.changed);
  CHECK(p.record == "v=spf1  ip4:192.0.2.5   include:i.example.com ~all ");
  CHECK(p.findings.empty());
}

TEST_CASE("propose uses the vendor's include only when it stays within 10 lookups",
          "[spf][propose]") {
  json doc = {{"relay.vendor.example", {txt("v=spf1 ip4:198.51.100.0/24 -all")}},
              {"example.com", {txt("v=spf1 a a a a a a a a a -all"), a("192.0.2.1")}}};
  auto z = zone(doc);
  spf::ProposeOptions options;
  options.vendor_include = "relay.vendor.example";
  auto p = spf::propose(z, "example.com", {prefix("198.51.100.7")}, options);
  CHECK(p.record == "v=spf1 a a a a a a a a a include:relay.vendor.example -all");
  CHECK(p.lookups_after == 10);
  doc["example.com"] = {txt("v=spf1 a a a a a a a a a a -all"), a("192.0.2.1")};
  z = zone(doc);
  p = spf::propose(z, "example.com", {prefix("198.51.100.7")}, options);
  CHECK(p.record == "v=spf1 a a a a a a a a a a ip4:198.51.100.7 -all");
  CHECK(has(p.findings, "spf.vendor_include_over_limit"));
  CHECK(p.lookups_after == 10);
  // An include that does not cover the relay is not proposed.
  p = spf::propose(z, "example.com", {prefix("203.0.113.1")}, options);
  CHECK(p.added == std::vector<std::string>{"ip4:203.0.113.1"});
}

TEST_CASE("propose moves the terms first when the record already exceeds the limit",
          "[spf][propose]") {
  std::string record = "v=spf1";
  for (int i = 0; i < 11; ++i) record += " a";
  const auto z = zone({{"example.com", {txt(record + " -all"), a("192.0.2.1")}}});
  const auto p = spf::propose(z, "example.com", {prefix("198.51.100.7")});
  CHECK(p.record.rfind("v=spf1 ip4:198.51.100.7 a", 0) == 0);
  CHECK(has(p.findings, "spf.lookup_limit"));
  CHECK_FALSE(has(p.findings, "spf.proposal_fails"));
}

TEST_CASE("a long proposal is split into strings of at most 255 octets", "[spf][propose]") {
  std::vector<ip::Prefix> ips;
  for (int i = 1; i <= 40; ++i) ips.push_back(prefix("203.0.113." + std::to_string(i)));
  const auto z = zone({{"example.com", {txt("v=spf1 -all")}}});
  const auto p = spf::propose(z, "example.com", ips);
  CHECK(p.record.size() > 450);
  CHECK(has(p.findings, "spf.record_too_long"));
  REQUIRE(p.strings.size() >= 3);
  std::string joined;
  for (const auto& s : p.strings) {
    CHECK(s.size() <= 255);
    joined += s;
  }
  CHECK(joined == p.record);
  CHECK(p.strings[0].back() == ' ');
  CHECK(spf::split_strings(std::string(600, 'x')).size() == 3);
}
