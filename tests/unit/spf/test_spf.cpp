// The SPF engine: the DNS view over a zone document, every permerror rule of the record syntax,
// each macro, each limit, and hostile input. RFC 7208 sections are named with each rule.
#include <random>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "spf_zone.hpp"

#include "relaycheck/facade.hpp"
#include "spf/spf.hpp"

namespace {

using nlohmann::json;
using namespace relaycheck;
using spf::Result;

using testing::a;
using testing::txt;
using testing::zone;

ip::Address addr(const std::string& text) {
  auto parsed = ip::parse_address(text);
  REQUIRE(parsed);
  return *parsed.value;
}

spf::CheckResult check(const spf::DnsView& dns, const std::string& ip, const std::string& sender,
                       const std::string& helo = "mail.example.org") {
  spf::CheckOptions options;
  options.default_explanation = "DEFAULT";
  return spf::check_mail_from(dns, addr(ip), sender, helo, options);
}

/// A zone in which example.com publishes `record` (beside what `extra` lists).
spf::ZoneView record_zone(const std::string& record, json extra = json::object()) {
  extra["example.com"].push_back(txt(record));
  return zone(extra);
}

std::string syntax_code(const std::string& record) {
  const spf::ParsedRecord parsed = spf::parse_record(record);
  return parsed ? std::string() : parsed.error.code;
}

std::string expand_with(const std::string& text, const spf::MacroValues& values,
                        spf::MacroContext context = spf::MacroContext::domain_spec) {
  const spf::ParsedMacro parsed = spf::parse_macro_string(text, context);
  INFO(text << ": " << parsed.error.message);
  REQUIRE(parsed);
  return spf::expand(*parsed.value, values);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The DNS view
// ---------------------------------------------------------------------------------------------

TEST_CASE("a zone document answers records, no data, NXDOMAIN and timeouts", "[spf][dns]") {
  const auto z =
      zone({{"Example.COM.", {txt("v=spf1 -all"), a("192.0.2.1"), {{"type", "TIMEOUT"}}}},
            {"gone.example.com", {{{"type", "NXDOMAIN"}}}},
            {"mx.example.com", {{{"type", "MX"}, {"data", {10, "mail.example.com"}}}}}});
  CHECK(z.query("example.com", spf::RrType::txt).status == spf::DnsStatus::records);
  CHECK(z.query("EXAMPLE.com.", spf::RrType::a).addresses.size() == 1);
  // TIMEOUT fails every type not listed before it.
  CHECK(z.query("example.com", spf::RrType::mx).status == spf::DnsStatus::temp_error);
  CHECK(z.query("gone.example.com", spf::RrType::a).status == spf::DnsStatus::nxdomain);
  CHECK(z.query("nowhere.example.com", spf::RrType::a).status == spf::DnsStatus::nxdomain);
  CHECK(z.query("mx.example.com", spf::RrType::a).status == spf::DnsStatus::no_data);
  const auto mx = z.query("mx.example.com", spf::RrType::mx);
  REQUIRE(mx.mx.size() == 1);
  CHECK(mx.mx[0].preference == 10);
  CHECK(mx.mx[0].exchange == "mail.example.com");
}

TEST_CASE("a zone document follows CNAMEs and reports loops as server failures", "[spf][dns]") {
  const auto z =
      zone({{"alias.example.com", {{{"type", "CNAME"}, {"data", "Target.example.com."}}}},
            {"target.example.com", {a("192.0.2.7")}},
            {"loop1.example.com", {{{"type", "CNAME"}, {"data", "loop2.example.com"}}}},
            {"loop2.example.com", {{{"type", "CNAME"}, {"data", "loop1.example.com"}}}}});
  const auto answer = z.query("alias.example.com", spf::RrType::a);
  CHECK(answer.status == spf::DnsStatus::records);
  CHECK(answer.cnames == std::vector<std::string>{"Target.example.com."});
  CHECK(z.query("loop1.example.com", spf::RrType::a).status == spf::DnsStatus::temp_error);
}

TEST_CASE("in unknown mode a name or type the zone does not mention is unknown", "[spf][dns]") {
  const auto z =
      zone({{"example.com", {txt("v=spf1 a -all"), {{"type", "NODATA"}, {"data", {"MX"}}}}},
            {"gone.example.com", {{{"type", "NXDOMAIN"}}}}},
           spf::MissingName::unknown);
  CHECK(z.query("example.com", spf::RrType::txt).status == spf::DnsStatus::records);
  CHECK(z.query("example.com", spf::RrType::mx).status == spf::DnsStatus::no_data);
  CHECK(z.query("example.com", spf::RrType::a).status == spf::DnsStatus::unknown);
  CHECK(z.query("other.example.com", spf::RrType::txt).status == spf::DnsStatus::unknown);
  CHECK(z.query("gone.example.com", spf::RrType::aaaa).status == spf::DnsStatus::nxdomain);
}

TEST_CASE("a zone document with bad data is rejected with a pointer to the entry", "[spf][dns]") {
  struct Case {
    json doc;
    std::string path;
  };
  const std::vector<Case> cases = {
      {json::array(), ""},
      {{{"x.com", "v=spf1"}}, "/x.com"},
      {{{"x.com", {{{"data", "1.2.3.4"}}}}}, "/x.com/0"},
      {{{"x.com", {{{"type", "A"}, {"data", "1.2.3"}}}}}, "/x.com/0/data"},
      {{{"x.com", {{{"type", "A"}, {"data", "2001:db8::1"}}}}}, "/x.com/0/data"},
      {{{"x.com", {{{"type", "AAAA"}, {"data", "1.2.3.4"}}}}}, "/x.com/0/data"},
      {{{"x.com", {{{"type", "MX"}, {"data", {70000, "m.x.com"}}}}}}, "/x.com/0/data/0"},
      {{{"x.com", {{{"type", "MX"}, {"data", "m.x.com"}}}}}, "/x.com/0/data"},
      {{{"x.com", {{{"type", "TXT"}, {"data", {1, 2}}}}}}, "/x.com/0/data/0"},
      {{{"x.com", {{{"type", "NODATA"}, {"data", "SOA"}}}}}, "/x.com/0/data"},
      {{{"x.com", {{{"type", "bogus!"}}}}}, "/x.com/0/type"},
      {{{"a/b", {{{"type", "CNAME"}, {"data", 5}}}}}, "/a~1b/0/data"},
      {{{"x.com", {{{"type", "NXDOMAIN"}}, a("192.0.2.1")}}}, "/x.com"},
  };
  for (const auto& c : cases) {
    auto loaded = spf::ZoneView::load(c.doc, spf::MissingName::nxdomain);
    INFO(c.doc.dump());
    CHECK_FALSE(loaded);
    CHECK(loaded.path == c.path);
    CHECK_FALSE(loaded.error.empty());
  }
  // Types SPF does not use are accepted and ignored.
  CHECK(spf::ZoneView::load({{"x.com", {{{"type", "NS"}, {"data", "ns.x.com"}}}}},
                            spf::MissingName::nxdomain));
}

// ---------------------------------------------------------------------------------------------
// Record syntax: every permerror rule (RFC 7208 §4.5, §4.6, §5, §6, §7.1)
// ---------------------------------------------------------------------------------------------

TEST_CASE("only v=spf1 followed by a space or the end is an SPF record", "[spf][syntax]") {
  CHECK(spf::is_spf_record("v=spf1"));
  CHECK(spf::is_spf_record("V=SpF1 -all"));  // case-insensitive (§4.5)
  CHECK_FALSE(spf::is_spf_record("v=spf10"));
  CHECK_FALSE(spf::is_spf_record("v=spf1mx"));
  CHECK_FALSE(spf::is_spf_record(" v=spf1"));
  CHECK_FALSE(spf::is_spf_record("spf2.0/pra"));
  CHECK(syntax_code("v=spf2 -all") == "spf.syntax.version");
}

TEST_CASE("every syntax error anywhere in a record is a permerror with a stable code",
          "[spf][syntax]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      // §4.6.1: terms are printable ASCII separated by spaces only.
      {"v=spf1 a:ctrl.example.com\rptr -all", "spf.syntax.character"},
      {"v=spf1 ip4:192.0.2.5\n include:x.example.com", "spf.syntax.character"},
      {"v=spf1 \x80"
       "a:example.net -all",
       "spf.syntax.character"},
      {std::string("v=spf1 a:foo.example.com\0", 25), "spf.syntax.character"},
      {"v=spf1 -all\t", "spf.syntax.character"},
      // Unknown mechanisms, and modifiers written like mechanisms (§4.6.1, §5).
      {"v=spf1 ip4:1.2.3.4 -all moo", "spf.syntax.unknown_mechanism"},
      {"v=spf1 redirect:example.net", "spf.syntax.unknown_mechanism"},
      {"v=spf1 moo.cow/far_out=man:dog/cat", "spf.syntax.unknown_mechanism"},
      {"v=spf1 1up=foo", "spf.syntax.unknown_mechanism"},
      {"v=spf1 =all", "spf.syntax.unknown_mechanism"},
      {"v=spf1 -", "spf.syntax.unknown_mechanism"},
      {"v=spf1 +redirect=example.net", "spf.syntax.unknown_mechanism"},
      // Arguments a mechanism does not take, or lacks (§5.1, §5.2, §5.5, §5.6, §5.7).
      {"v=spf1 -all.", "spf.syntax.unknown_mechanism"},
      {"v=spf1 -all:foobar", "spf.syntax.argument"},
      {"v=spf1 -all/8", "spf.syntax.argument"},
      {"v=spf1 include", "spf.syntax.argument"},
      {"v=spf1 exists", "spf.syntax.argument"},
      {"v=spf1 ptr/0 -all", "spf.syntax.argument"},
      {"v=spf1 a/24/64", "spf.syntax.argument"},
      {"v=spf1 ip4", "spf.syntax.argument"},
      {"v=spf1 -all ip6", "spf.syntax.argument"},
      // domain-spec: not empty, ending in a macro or "." toplabel (§7.1).
      {"v=spf1 a:", "spf.syntax.domain_spec"},
      {"v=spf1 include: -all", "spf.syntax.domain_spec"},
      {"v=spf1 exists:", "spf.syntax.domain_spec"},
      {"v=spf1 ptr:", "spf.syntax.domain_spec"},
      {"v=spf1 mx: -all", "spf.syntax.domain_spec"},
      {"v=spf1 a:foo-bar -all", "spf.syntax.domain_spec"},
      {"v=spf1 a:museum", "spf.syntax.domain_spec"},
      {"v=spf1 a:museum.", "spf.syntax.domain_spec"},
      {"v=spf1 a:111.222.33.44", "spf.syntax.domain_spec"},
      {"v=spf1 a:abc.123", "spf.syntax.domain_spec"},
      {"v=spf1 a:example.-com", "spf.syntax.domain_spec"},
      {"v=spf1 a:example.com-", "spf.syntax.domain_spec"},
      {"v=spf1 mx:example.com:8080", "spf.syntax.domain_spec"},
      {"v=spf1 include:ip5.example.com/24 -all", "spf.syntax.domain_spec"},
      {"v=spf1 exists:mail.example.com/24", "spf.syntax.domain_spec"},
      {"v=spf1 exp= -all", "spf.syntax.domain_spec"},
      {"v=spf1 ?all redirect=", "spf.syntax.domain_spec"},
      {"v=spf1 exp=-all", "spf.syntax.domain_spec"},
      {"v=spf1 redirect=-all ?all", "spf.syntax.domain_spec"},
      // Macro strings (§7.1).
      {"v=spf1 exists:%(ir).sbl.example.com ?all", "spf.syntax.macro"},
      {"v=spf1 exists:foo%.sbl.example.com ?all", "spf.syntax.macro"},
      {"v=spf1 exists:foo.example.com%", "spf.syntax.macro"},
      {"v=spf1 exists:%{ir.example.com", "spf.syntax.macro"},
      {"v=spf1 exists:%{}.example.com", "spf.syntax.macro"},
      {"v=spf1 a:%{a}.example.com -all", "spf.syntax.macro"},
      {"v=spf1 exists:%{d0}.example.com", "spf.syntax.macro"},
      {"v=spf1 exists:%{d2q}.example.com", "spf.syntax.macro"},
      {"v=spf1 exists:%{1}.example.com", "spf.syntax.macro"},
      {"v=spf1 -all exp=%{r}.example.com", "spf.syntax.macro"},  // c, r, t: explanation text only
      {"v=spf1 exists:%{c}.example.com", "spf.syntax.macro"},
      {"v=spf1 exists:%{t}.example.com", "spf.syntax.macro"},
      {"v=spf1 -all foo=%abc", "spf.syntax.macro"},
      // CIDR lengths (§5.6): 0-32 and 0-128, no leading zero; dual-cidr only on a and mx.
      {"v=spf1 a/33 -all", "spf.syntax.cidr"},
      {"v=spf1 a//129 -all", "spf.syntax.cidr"},
      {"v=spf1 mx/33 -all", "spf.syntax.cidr"},
      {"v=spf1 mx//129 -all", "spf.syntax.cidr"},
      {"v=spf1 a:example.com/032", "spf.syntax.cidr"},
      {"v=spf1 ip4:1.2.3.4/33 -all", "spf.syntax.cidr"},
      {"v=spf1 ip4:1.2.3.4/032 -all", "spf.syntax.cidr"},
      {"v=spf1 ip4:1.2.3.4//32", "spf.syntax.cidr"},
      {"v=spf1 ip4:1.2.3.4/", "spf.syntax.cidr"},
      {"v=spf1 ip6:::1.1.1.1/129", "spf.syntax.cidr"},
      {"v=spf1 ip6:::1.1.1.1//33", "spf.syntax.cidr"},
      // Addresses (§5.6): full dotted quads without leading zeros; RFC 4291 IPv6 text.
      {"v=spf1 ip4:1.2.3", "spf.syntax.address"},
      {"v=spf1 ip4:1.2.3.4:8080", "spf.syntax.address"},
      {"v=spf1 ip4:01.2.3.4", "spf.syntax.address"},
      {"v=spf1 ip4:2001:db8::1", "spf.syntax.address"},
      {"v=spf1 ip6:1.2.3.4", "spf.syntax.address"},
      {"v=spf1 ip6::CAFE::BABE", "spf.syntax.address"},
      {"v=spf1 ip6:", "spf.syntax.address"},
      // redirect and exp at most once each (§6).
      {"v=spf1 redirect=a.example.com -all redirect=a.example.com",
       "spf.syntax.duplicate_modifier"},
      {"v=spf1 exp=a.example.com -all EXP=b.example.com", "spf.syntax.duplicate_modifier"},
  };
  for (const auto& [record, code] : cases) {
    INFO(record);
    CHECK(syntax_code(record) == code);
  }
}

TEST_CASE("valid records parse, including the grammar's corner cases", "[spf][syntax]") {
  const std::vector<std::string> valid = {
      "v=spf1",
      "v=spf1 ",
      "v=spf1  a  -all ",
      "v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all",  // unknown modifier
      "v=spf1 default=+",
      "v=spf1 foo=",
      "v=spf1 a:foo:bar/baz.example.com",  // ':' and '/' may appear in a domain-spec
      "v=spf1 a:foo.example.xn--zckzah -all",
      "v=spf1 a:x.123-456 a:x.1a",  // toplabel: inner hyphen, or a letter
      "v=spf1 a:%{H} a:%{H}.bar a:%{d}.example.com. "
      "a:macro%%percent%_%_space%-url-space.example.com",
      "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} exists:%{i}.%{l2r-}.user.%{d2}",
      "v=spf1 exists:%{p}.example.com exists:%{v}.%{h}.%{s}.%{o}.example.com",
      "v=spf1 a/24//64 mx//0 a:x.example.com/0 ip4:1.1.1.1/0 ip6:::/0",
      "v=spf1 INCLUDE:x.example.com MX A:x.example.com IP4:192.0.2.1 ?ALL",
      "v=spf1 -ip4:1.2.3.4 ip6:::FFFF:1.2.3.4 ip6:Cafe:Babe:8000::/33 ip6:2001:0db8::1",
      "v=spf1 redirect=x.example.com exp=msg.%{d}",
      "v=spf1 ptr ptr:example.com ~all",
  };
  for (const auto& record : valid) {
    const auto parsed = spf::parse_record(record);
    INFO(record << ": " << parsed.error.message);
    CHECK(parsed);
  }
  const auto parsed =
      spf::parse_record("v=spf1 ~a:x.example.com/24//64 ip4:192.0.2.77/24 -mx//48 ?all");
  REQUIRE(parsed);
  const auto& d = parsed.record->directives;
  REQUIRE(d.size() == 4);
  CHECK(d[0].qualifier == spf::Qualifier::softfail);
  CHECK(d[0].mechanism == spf::Mechanism::a);
  CHECK(d[0].domain->text == "x.example.com");
  CHECK(d[0].cidr4 == 24);
  CHECK(d[0].cidr6 == 64);
  CHECK(ip::to_string(d[1].network) == "192.0.2.0/24");  // host bits are ignored (§5.6)
  CHECK(d[2].cidr4 == 32);
  CHECK(d[2].cidr6 == 48);
  CHECK(d[3].qualifier == spf::Qualifier::neutral);
  CHECK(d[1].offset == 31);
}

// ---------------------------------------------------------------------------------------------
// Macros (§7)
// ---------------------------------------------------------------------------------------------

TEST_CASE("macros expand as in RFC 7208 section 7.4", "[spf][macro]") {
  spf::MacroValues v;
  v.s = "strong-bad@email.example.com";
  v.l = "strong-bad";
  v.o = "email.example.com";
  v.d = "email.example.com";
  v.i = "192.0.2.3";
  v.v = "in-addr";
  v.h = "mx.example.org";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"%{s}", "strong-bad@email.example.com"},
      {"%{o}", "email.example.com"},
      {"%{d}", "email.example.com"},
      {"%{d4}", "email.example.com"},
      {"%{d3}", "email.example.com"},
      {"%{d2}", "example.com"},
      {"%{d1}", "com"},
      {"%{dr}", "com.example.email"},
      {"%{d2r}", "example.email"},
      {"%{l}", "strong-bad"},
      {"%{l-}", "strong.bad"},
      {"%{lr}", "strong-bad"},
      {"%{lr-}", "bad.strong"},
      {"%{l1r-}", "strong"},
      {"%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com"},
      {"%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"},
      {"%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"},
      {"%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com"},
      {"%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net"},
      {"%{h}.%{d999}", "mx.example.org.email.example.com"},
      {"%{D}", "email.example.com"},
  };
  for (const auto& [macro, expected] : cases) {
    INFO(macro);
    CHECK(expand_with(macro, v) == expected);
  }
}

TEST_CASE("%%, %_ and %- are a percent sign, a space and a URL-encoded space", "[spf][macro]") {
  const spf::MacroValues v;
  CHECK(expand_with("macro%%percent%_%_space%-url-space.example.com", v) ==
        "macro%percent  space%20url-space.example.com");
}

TEST_CASE("uppercase macros are URL-escaped outside the unreserved set", "[spf][macro]") {
  spf::MacroValues v;
  v.l = "~jack&jill=up-a_b3.c";
  v.h = "JUMPIN' JUPITER";
  CHECK(expand_with("%{L}.example.com", v) == "~jack%26jill%3Dup-a_b3.c.example.com");
  CHECK(expand_with("%{H}.example.com", v) == "JUMPIN%27%20JUPITER.example.com");
}

TEST_CASE("several delimiters split a value, and the parts are joined with dots", "[spf][macro]") {
  spf::MacroValues v;
  v.l = "foo-bar+zip+quux";
  CHECK(expand_with("%{l2r+-}.user.example.com", v) == "bar.foo.user.example.com");
  CHECK(expand_with("%{l+}.example.com", v) == "foo-bar.zip.quux.example.com");
  CHECK(expand_with("%{l-+=,/_}.example.com", v) == "foo.bar.zip.quux.example.com");
}

TEST_CASE("c, r and t are allowed in explanation text only", "[spf][macro]") {
  for (const char* text : {"%{c}", "%{r}", "%{t}", "%{C}"}) {
    CHECK_FALSE(spf::parse_macro_string(std::string(text) + ".example.com",
                                        spf::MacroContext::domain_spec));
    CHECK(spf::parse_macro_string(text, spf::MacroContext::explanation));
  }
  // Spaces belong to explanation text, not to domains.
  CHECK(spf::parse_macro_string("Not authorized: %{i}", spf::MacroContext::explanation));
  CHECK_FALSE(spf::parse_macro_string("a b.example.com", spf::MacroContext::domain_spec));
}

TEST_CASE("the evaluator gives every macro letter its value", "[spf][macro]") {
  const json extra = {
      {"msg.example.com",
       {txt("s=%{s} l=%{l} o=%{o} d=%{d} i=%{i} p=%{p} v=%{v} h=%{h} c=%{c} r=%{r} t=%{t}")}},
      {"3.2.0.192.in-addr.arpa", {{{"type", "PTR"}, {"data", "mx.example.com"}}}},
      {"mx.example.com", {a("192.0.2.3")}},
      {"1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
       {{{"type", "PTR"}, {"data", "mx6.example.com"}}}},
      {"mx6.example.com", {{{"type", "AAAA"}, {"data", "2001:db8::cb01"}}}}};
  const auto z = record_zone("v=spf1 -all exp=msg.%{d}", extra);
  spf::CheckOptions options;
  options.receiver = "receiver.example.net";
  options.timestamp = 1234567890;
  auto r = spf::check_mail_from(z, addr("192.0.2.3"), "strong-bad@example.com", "helo.example.org",
                                options);
  CHECK(r.result == Result::fail);
  CHECK(r.explanation ==
        "s=strong-bad@example.com l=strong-bad o=example.com d=example.com i=192.0.2.3 "
        "p=mx.example.com v=in-addr h=helo.example.org c=192.0.2.3 r=receiver.example.net "
        "t=1234567890");
  r = spf::check_mail_from(z, addr("2001:DB8::CB01"), "strong-bad@example.com", "helo.example.org",
                           options);
  CHECK(r.explanation ==
        "s=strong-bad@example.com l=strong-bad o=example.com d=example.com "
        "i=2.0.0.1.0.D.B.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.C.B.0.1 p=mx6.example.com v=ip6 "
        "h=helo.example.org c=2001:db8::cb01 r=receiver.example.net t=1234567890");
  // No validated name: %{p} is "unknown".
  r = spf::check_mail_from(z, addr("192.0.2.4"), "strong-bad@example.com", "helo.example.org",
                           options);
  CHECK(r.explanation.find("p=unknown") != std::string::npos);
}

TEST_CASE("an expanded name over 253 characters loses labels on the left", "[spf][macro]") {
  std::string name;
  for (int i = 0; i < 30; ++i) name += "label" + std::to_string(i) + ".";
  name += "example.com.";
  const std::string target = spf::target_name(name);
  CHECK(target.size() <= 253);
  CHECK(target.back() == 'm');
  CHECK(name.find(target) != std::string::npos);
  CHECK(name.substr(name.size() - target.size() - 1, target.size()) == target);
  CHECK(spf::target_name("example.com.") == "example.com");
  CHECK(spf::is_valid_query_name("example.com."));
  CHECK_FALSE(spf::is_valid_query_name("mail.example...com"));
  CHECK_FALSE(spf::is_valid_query_name(std::string(64, 'a') + ".com"));
  CHECK(spf::is_valid_query_name(std::string(63, 'a') + ".com"));
  CHECK_FALSE(spf::is_valid_query_name(""));
}

TEST_CASE("reverse names are in-addr.arpa and ip6.arpa nibbles", "[spf][macro]") {
  CHECK(spf::reverse_name(addr("192.0.2.3")) == "3.2.0.192.in-addr.arpa");
  CHECK(spf::reverse_name(addr("2001:db8::cb01")) ==
        "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
}

// ---------------------------------------------------------------------------------------------
// Evaluation and limits (§4.6.4, §5)
// ---------------------------------------------------------------------------------------------

TEST_CASE("the 10-lookup limit counts terms as they are evaluated; exp never counts",
          "[spf][limits]") {
  const std::string ten = "a a a a a a a a a a";
  const json host = {{"example.com", {a("192.0.2.9")}}};
  auto z = record_zone("v=spf1 " + ten + " ip4:192.0.2.1 -all exp=msg.example.com", host);
  auto r = check(z, "192.0.2.1", "x@example.com");
  CHECK(r.result == Result::pass);
  CHECK(r.lookups == 10);
  z = record_zone("v=spf1 " + ten + " a ip4:192.0.2.1 -all", host);
  r = check(z, "192.0.2.1", "x@example.com");
  CHECK(r.result == Result::permerror);
  CHECK(r.code == "spf.limit.lookups");
  // Terms after the decisive match are never evaluated, so they cannot exceed the limit.
  z = record_zone("v=spf1 ip4:192.0.2.1 " + ten + " a a a -all", host);
  CHECK(check(z, "192.0.2.1", "x@example.com").result == Result::pass);
  // include and redirect count, in the included record too.
  z = zone({{"example.com",
             {txt("v=spf1 include:i.example.com a redirect=r.example.com"), a("192.0.2.9")}},
            {"i.example.com", {txt("v=spf1 a a a a a a a"), a("192.0.2.9")}},
            {"r.example.com", {txt("v=spf1 ip4:192.0.2.1 -all")}}});
  r = check(z, "192.0.2.1", "x@example.com");
  CHECK(r.result == Result::pass);
  CHECK(r.lookups == 10);
  REQUIRE(r.matched.size() == 2);
  CHECK(r.matched[0].term == "redirect=r.example.com");
  CHECK(r.matched[1].term == "ip4:192.0.2.1");
  CHECK(r.matched[1].domain == "r.example.com");
}

TEST_CASE("more than 10 MX names is a permerror; 10 are looked up", "[spf][limits]") {
  json mx = json::array();
  for (int i = 0; i < 10; ++i)
    mx.push_back({{"type", "MX"}, {"data", {i, "m" + std::to_string(i) + ".example.com"}}});
  json extra = {{"m9.example.com", {a("192.0.2.1")}}};
  extra["example.com"] = mx;
  extra["example.com"].push_back(txt("v=spf1 mx -all"));
  auto z = zone(extra);
  CHECK(check(z, "192.0.2.1", "x@example.com").result == Result::pass);
  extra["example.com"].push_back({{"type", "MX"}, {"data", {10, "m10.example.com"}}});
  z = zone(extra);
  const auto r = check(z, "192.0.2.1", "x@example.com");
  CHECK(r.result == Result::permerror);
  CHECK(r.code == "spf.limit.mx");
}

TEST_CASE("PTR names beyond the first 10 are ignored", "[spf][limits]") {
  json ptr = json::array();
  for (int i = 0; i < 11; ++i)
    ptr.push_back({{"type", "PTR"}, {"data", "h" + std::to_string(i) + ".example.com"}});
  const json extra = {{"1.2.0.192.in-addr.arpa", ptr},
                      {"h10.example.com", {a("192.0.2.1")}},
                      {"h9.example.com", {a("192.0.2.1")}}};
  auto z = record_zone("v=spf1 ptr:h10.example.com ptr:h9.example.com -all", extra);
  const auto r = check(z, "192.0.2.1", "x@example.com");
  CHECK(r.result == Result::pass);
  CHECK(r.matched.front().term == "ptr:h9.example.com");
}

TEST_CASE("the third void lookup is a permerror; exp and address lookups of MX names are not terms",
          "[spf][limits]") {
  auto z = record_zone("v=spf1 a:n1.example.com a:n2.example.com ?all");
  auto r = check(z, "192.0.2.1", "x@example.com");
  CHECK(r.result == Result::neutral);
  CHECK(r.void_lookups == 2);
  z = record_zone("v=spf1 a:n1.example.com mx:n2.example.com exists:n3.example.com ?all");
  r = check(z, "192.0.2.1", "x@example.com");
  CHECK(r.result == Result::permerror);
  CHECK(r.code == "spf.limit.void");
  // An MX whose hosts do not resolve is one non-void term.
  json doc = {{"example.com",
               {txt("v=spf1 a:n1.example.com a:n2.example.com mx -all exp=n3.example.com"),
                {{"type", "MX"}, {"data", {1, "gone1.example.com"}}},
                {{"type", "MX"}, {"data", {2, "gone2.example.com"}}}}}};
  z = zone(doc);
  r = check(z, "192.0.2.1", "x@example.com");
  CHECK(r.result == Result::fail);
  CHECK(r.void_lookups == 2);
  CHECK(r.explanation == "DEFAULT");
}

TEST_CASE("an a term over IPv6 queries AAAA, and an empty AAAA answer is void", "[spf][limits]") {
  const json extra = {{"v4only.example.com", {a("192.0.2.1")}}};
  const auto z = record_zone(
      "v=spf1 a:v4only.example.com a:v4only.example.com a:v4only.example.com ?all", extra);
  CHECK(check(z, "192.0.2.9", "x@example.com").result == Result::neutral);
  const auto r = check(z, "2001:db8::1", "x@example.com");
  CHECK(r.result == Result::permerror);
  CHECK(r.code == "spf.limit.void");
}

TEST_CASE("an IPv4-mapped client is evaluated as IPv4", "[spf][eval]") {
  const auto z = record_zone("v=spf1 ip6:::ffff:0:0/96 ip4:192.0.2.1 -all");
  const auto r = check(z, "::ffff:192.0.2.1", "x@example.com");
  CHECK(r.result == Result::pass);
  CHECK(r.matched.front().term == "ip4:192.0.2.1");
}

TEST_CASE("DNS errors: temperror for a, mx and exists, no match for ptr", "[spf][eval]") {
  const json timeout = {{{"type", "TIMEOUT"}}};
  const json extra = {{"t.example.com", timeout},
                      {"mxt.example.com", {{{"type", "MX"}, {"data", {1, "t.example.com"}}}}},
                      {"1.2.0.192.in-addr.arpa", timeout}};
  for (const char* term : {"a:t.example.com", "mx:t.example.com", "mx:mxt.example.com",
                           "exists:t.example.com", "include:t.example.com"}) {
    const auto z = record_zone(std::string("v=spf1 ") + term + " -all", extra);
    INFO(term);
    const auto r = check(z, "192.0.2.1", "x@example.com");
    CHECK(r.result == Result::temperror);
    CHECK(r.code == "spf.dns.temperror");
  }
  const auto z = record_zone("v=spf1 ptr -all", extra);
  CHECK(check(z, "192.0.2.1", "x@example.com").result == Result::fail);
  CHECK(check(zone({{"example.com", timeout}}), "192.0.2.1", "x@example.com").result ==
        Result::temperror);
}

TEST_CASE("include maps the included result; none and errors are errors", "[spf][eval]") {
  const json extra = {
      {"pass.example.com", {txt("v=spf1 +all")}}, {"fail.example.com", {txt("v=spf1 -all")}},
      {"soft.example.com", {txt("v=spf1 ~all")}}, {"neutral.example.com", {txt("v=spf1 ?all")}},
      {"perm.example.com", {txt("v=spf1 moo")}},  {"none.example.com", {txt("not spf")}}};
  const std::vector<std::pair<std::string, Result>> cases = {
      {"pass", Result::fail},         {"fail", Result::softfail},  {"soft", Result::softfail},
      {"neutral", Result::softfail},  {"perm", Result::permerror}, {"none", Result::permerror},
      {"nxdomain", Result::permerror}};
  for (const auto& [target, expected] : cases) {
    const auto z = record_zone("v=spf1 -include:" + target + ".example.com ~all", extra);
    INFO(target);
    CHECK(check(z, "192.0.2.1", "x@example.com").result == expected);
  }
}

TEST_CASE("redirect applies only when nothing matched and there is no all", "[spf][eval]") {
  const json extra = {{"r.example.com", {txt("v=spf1 a -all")}},
                      {"r2.example.com", {a("192.0.2.1")}}};
  auto z = record_zone("v=spf1 redirect=r.example.com", extra);
  auto r = check(z, "192.0.2.1", "x@example.com");
  CHECK(r.result == Result::fail);  // `a` means r.example.com now (§6.1)
  z = record_zone("v=spf1 redirect=nowhere.example.com", extra);
  r = check(z, "192.0.2.1", "x@example.com");
  CHECK(r.result == Result::permerror);
  CHECK(r.code == "spf.redirect.none");
  z = record_zone("v=spf1 redirect=r.example.com ?all", extra);
  r = check(z, "192.0.2.1", "x@example.com");
  CHECK(r.result == Result::neutral);
  CHECK(r.lookups == 0);
}

TEST_CASE("the HELO identity and an empty MAIL FROM check postmaster at the HELO name",
          "[spf][eval]") {
  const auto z = zone({{"helo.example.com", {txt("v=spf1 ip4:192.0.2.1 -all exp=msg.example.com")}},
                       {"msg.example.com", {txt("%{s} via %{h} as %{l}")}}});
  auto r = check(z, "192.0.2.2", "", "helo.example.com");
  CHECK(r.result == Result::fail);
  CHECK(r.domain == "helo.example.com");
  CHECK(r.explanation == "postmaster@helo.example.com via helo.example.com as postmaster");
  r = spf::check_helo(z, addr("192.0.2.1"), "helo.example.com");
  CHECK(r.result == Result::pass);
  r = check(z, "192.0.2.2", "@helo.example.com");
  CHECK(r.explanation == "postmaster@helo.example.com via mail.example.org as postmaster");
  // Not a multi-label domain, or a literal: none without a lookup (§4.3).
  for (const char* helo : {"OEMCOMPUTER", "[192.0.2.1]", "a..example.com"}) {
    r = check(z, "192.0.2.1", "", helo);
    CHECK(r.result == Result::none);
    CHECK(r.code == "spf.none.malformed_domain");
  }
}

TEST_CASE("two SPF records are a permerror; other TXT records are ignored", "[spf][eval]") {
  auto z = zone({{"example.com", {txt("v=spf1 -all"), txt("V=SPF1 +all")}}});
  auto r = check(z, "192.0.2.1", "x@example.com");
  CHECK(r.result == Result::permerror);
  CHECK(r.code == "spf.record.multiple");
  z = zone(
      {{"example.com", {txt("google-site-verification=abc"), txt("v=spf1 +all"), txt("\x96")}}});
  CHECK(check(z, "192.0.2.1", "x@example.com").result == Result::pass);
}

TEST_CASE("without exp= or with an unusable one, a fail carries the default explanation",
          "[spf][eval]") {
  const json extra = {{"two.example.com", {txt("one"), txt("two")}},
                      {"bad.example.com", {txt("The %{x}-files.")}},
                      {"t.example.com", {{{"type", "TIMEOUT"}}}}};
  for (const char* exp : {"", " exp=two.example.com", " exp=bad.example.com", " exp=t.example.com",
                          " exp=nowhere.example.com"}) {
    const auto z = record_zone(std::string("v=spf1 -all") + exp, extra);
    INFO(exp);
    const auto r = check(z, "192.0.2.1", "x@example.com");
    CHECK(r.result == Result::fail);
    CHECK(r.explanation == "DEFAULT");
  }
  const auto z = record_zone("v=spf1 -all");
  const auto r = spf::check_mail_from(z, addr("192.0.2.1"), "x@example.com", "h.example.com");
  CHECK(r.explanation == "example.com does not designate 192.0.2.1 as a permitted sender");
}

TEST_CASE("an evaluation over an incomplete view lists the lookups it still needs", "[spf][eval]") {
  json doc = {
      {"example.com", {txt("v=spf1 include:_spf.vendor.example a:relay.example.com -all")}}};
  auto z = zone(doc, spf::MissingName::unknown);
  auto r = check(z, "192.0.2.1", "x@example.com");
  CHECK_FALSE(r.complete());
  REQUIRE(r.needed.size() == 2);
  CHECK(r.needed[0] == spf::Lookup{"_spf.vendor.example", spf::RrType::txt});
  CHECK(r.needed[1] == spf::Lookup{"relay.example.com", spf::RrType::a});
  CHECK(r.result == Result::fail);  // assumed: the unknown lookups taken as not matching
  doc["_spf.vendor.example"] = json::array({txt("v=spf1 ip4:198.51.100.0/24 -all")});
  doc["relay.example.com"] = json::array({a("192.0.2.1")});
  z = zone(doc, spf::MissingName::unknown);
  r = check(z, "192.0.2.1", "x@example.com");
  CHECK(r.complete());
  CHECK(r.result == Result::pass);
  // A domain not fetched at all: none, and its TXT is needed.
  r = check(zone(json::object(), spf::MissingName::unknown), "192.0.2.1", "x@example.org");
  CHECK(r.result == Result::none);
  CHECK(r.needed == std::vector<spf::Lookup>{{"example.org", spf::RrType::txt}});
}

TEST_CASE("the trace shows every step with the running counts", "[spf][eval]") {
  const auto z =
      zone({{"example.com", {txt("v=spf1 a:gone.example.com include:i.example.com -all")}},
            {"i.example.com", {txt("v=spf1 ip4:192.0.2.1")}}});
  const auto r = check(z, "192.0.2.1", "x@example.com");
  CHECK(r.result == Result::pass);
  std::vector<std::string> events;
  for (const auto& s : r.trace) events.push_back(s.event);
  CHECK(events == std::vector<std::string>{"query", "record", "query", "void", "term", "query",
                                           "record", "match", "match"});
  CHECK(r.trace.back().lookups == 2);
  CHECK(r.trace.back().voids == 1);
  CHECK(r.trace[6].depth == 1);
  spf::CheckOptions quiet;
  quiet.trace = false;
  CHECK(spf::check_mail_from(z, addr("192.0.2.1"), "x@example.com", "h", quiet).trace.empty());
}

// ---------------------------------------------------------------------------------------------
// Hostile input
// ---------------------------------------------------------------------------------------------

TEST_CASE("random bytes never crash the record parser or the evaluator", "[spf][hostile]") {
  std::mt19937 rng(7208);
  const std::string alphabet = "v=spf1 -+~?:/%{}._-aimxpt4680ilrsdoch\x80\r\0";
  const std::vector<std::string> seeds = {"v=spf1 ", "v=spf1 a:%{",
                                          "v=spf1 ip6:", "v=spf1 exists:%{ir"};
  for (int round = 0; round < 3000; ++round) {
    std::string record = seeds[static_cast<std::size_t>(round) % seeds.size()];
    const int length = static_cast<int>(rng() % 60);
    for (int k = 0; k < length; ++k) {
      record += round % 2 ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
    }
    const auto parsed = spf::parse_record(record);
    if (!parsed) {
      CHECK_FALSE(parsed.error.code.empty());
      continue;
    }
    const auto z = zone({{"example.com", {txt(record), a("192.0.2.1")}}});
    const auto r = check(z, round % 3 ? "192.0.2.1" : "2001:db8::1", "l@example.com");
    CHECK(r.lookups <= 11);
  }
}

TEST_CASE("huge and deeply nested inputs are bounded", "[spf][hostile]") {
  std::string record = "v=spf1";
  for (int i = 0; i < 20000; ++i) record += " ip4:192.0.2." + std::to_string(i % 256);
  record += " -all";
  auto z = record_zone(record);
  CHECK(check(z, "198.51.100.1", "x@example.com").result == Result::fail);
  // An include chain 100 deep stops at the limit.
  json doc;
  for (int i = 0; i < 100; ++i) {
    doc["d" + std::to_string(i) + ".example.com"] =
        json::array({txt("v=spf1 include:d" + std::to_string(i + 1) + ".example.com")});
  }
  z = zone(doc);
  const auto r = check(z, "192.0.2.1", "x@d0.example.com");
  CHECK(r.result == Result::permerror);
  CHECK(r.code == "spf.limit.lookups");
  // A macro with an absurd digit transformer.
  z = record_zone("v=spf1 exists:%{d99999999999999999999r}.x.example.com -all");
  CHECK(check(z, "192.0.2.1", "x@example.com").result == Result::fail);
}

TEST_CASE("the facade rejects unusable spf requests with a pointer to the field", "[spf][facade]") {
  auto error = [](const json& request) {
    const json response = json::parse(call("spf.check", request.dump()));
    CHECK(response["ok"] == false);
    return response["error"];
  };
  CHECK(error({{"ip", "192.0.2.1"}, {"sender", ""}})["path"] == "/zone");
  CHECK(error({{"zone", "{\"a\": "}, {"ip", "192.0.2.1"}, {"sender", ""}})["code"] ==
        "zone.not_json");
  CHECK(error({{"zone", {{"x.com", {{{"type", "A"}, {"data", "300.1.1.1"}}}}}},
               {"ip", "192.0.2.1"},
               {"sender", ""}})["path"] == "/zone/x.com/0/data");
  CHECK(error({{"zone", json::object()}, {"ip", "192.0.2"}, {"sender", ""}})["path"] == "/ip");
  CHECK(error({{"zone", json::object()}, {"ip", "192.0.2.1"}})["path"] == "/sender");
  CHECK(error({{"zone", json::object()}, {"ip", "192.0.2.1"}, {"sender", 5}})["path"] == "/sender");
  CHECK(error({{"zone", json::object()},
               {"ip", "192.0.2.1"},
               {"sender", ""},
               {"zoneMode", "x"}})["path"] == "/zoneMode");
}

TEST_CASE("a batch of checks runs against one zone, with errors pointing into the batch",
          "[spf][facade]") {
  const json zone = {{"example.com", {txt("v=spf1 ip4:192.0.2.0/24 -all")}}};
  json request = {{"zone", zone},
                  {"compact", true},
                  {"defaultExplanation", "D"},
                  {"checks",
                   {{{"ip", "192.0.2.1"}, {"sender", "a@example.com"}, {"helo", "h"}},
                    {{"ip", "198.51.100.1"}, {"sender", "b@example.com"}, {"helo", "h"}}}}};
  json response = json::parse(call("spf.check", request.dump()));
  REQUIRE(response["ok"] == true);
  CHECK(response["result"]["results"] == json::array({{{"result", "pass"}, {"explanation", ""}},
                                                      {{"result", "fail"}, {"explanation", "D"}}}));
  request["checks"][1]["ip"] = "nope";
  response = json::parse(call("spf.check", request.dump()));
  CHECK(response["error"]["path"] == "/checks/1/ip");
}

TEST_CASE("a batch given as text answers one line a check, and names the line it cannot read",
          "[spf][facade]") {
  const json zone = {{"example.com", {txt("v=spf1 ip4:192.0.2.0/24 exp=why.example.com -all")}},
                     {"why.example.com", {txt("tab\\there %{l}")}}};
  json request = {{"zone", zone},
                  {"defaultExplanation", "D"},
                  {"checksText",
                   "192.0.2.1\ta@example.com\th\n198.51.100.1\tb\\x@example.com\th\n"
                   "198.51.100.1\t\texample.com\n::ffff:192.0.2.9\tc@example.com\th"}};
  json response = json::parse(call("spf.check", request.dump()));
  REQUIRE(response["ok"] == true);
  CHECK(response["result"]["count"] == 4);
  // The explanation's backslashes are escaped, so a line always holds one answer.
  CHECK(response["result"]["resultsText"] ==
        "pass\nfail\ttab\\\\there b\\\\x\nfail\ttab\\\\there postmaster\npass\n");
  request["checksText"] = "192.0.2.1\ta@example.com\th\nnope\ta@example.com\th";
  response = json::parse(call("spf.check", request.dump()));
  CHECK(response["error"]["code"] == "spf.bad_ip");
  CHECK(response["error"]["path"] == "/checksText");
  CHECK(response["error"]["message"].get<std::string>().find("line 2") != std::string::npos);
  request["checksText"] = "192.0.2.1\ta@example.com";
  response = json::parse(call("spf.check", request.dump()));
  CHECK(response["error"]["code"] == "request.bad_value");
}

TEST_CASE("a record cache gives the same answers as parsing every time", "[spf][eval]") {
  const auto z = record_zone(
      "v=spf1 a:%{l}.example.com include:i.example.com -all",
      {{"bob.example.com", {a("192.0.2.1")}}, {"i.example.com", {txt("v=spf1 ip4:192.0.2.2")}}});
  spf::RecordCache cache;
  spf::CheckOptions cached;
  cached.cache = &cache;
  for (const char* ip : {"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.1"}) {
    for (const char* sender : {"bob@example.com", "eve@example.com"}) {
      const auto a1 = spf::check_mail_from(z, addr(ip), sender, "h");
      const auto a2 = spf::check_mail_from(z, addr(ip), sender, "h", cached);
      CHECK(a1.result == a2.result);
      CHECK(a1.explanation == a2.explanation);
      CHECK(a1.trace.size() == a2.trace.size());
    }
  }
}
