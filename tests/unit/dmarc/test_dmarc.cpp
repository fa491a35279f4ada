// The DMARC record engine (core/src/dmarc/): RFC 9989 record parsing with its defaults and
// findings, the removed RFC 7489 tags, report-address authorisation, policy discovery, the
// dmarc.parse façade method, and hostile records.
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../spf/spf_zone.hpp"
#include "api/request_error.hpp"
#include "dmarc/discovery.hpp"
#include "dmarc/record.hpp"
#include "spf/dns_view.hpp"

namespace relaycheck::methods {
nlohmann::json dmarc_parse(const nlohmann::json& request);
}

namespace {

using nlohmann::json;
using namespace relaycheck;
using namespace relaycheck::dmarc;

using testing::a;
using testing::txt;
using testing::txt_strings;
using testing::zone;

std::size_t count(const std::vector<Finding>& findings, const std::string& code) {
  return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(),
                                                [&](const Finding& f) { return f.code == code; }));
}

bool has(const Record& r, const std::string& code) { return count(r.findings, code) > 0; }

const Finding& get(const std::vector<Finding>& findings, const std::string& code) {
  const auto it = std::find_if(findings.begin(), findings.end(),
                               [&](const Finding& f) { return f.code == code; });
  REQUIRE(it != findings.end());
  return *it;
}

std::string codes(const Record& r) {
  std::string out;
  for (const auto& f : r.findings) out += f.code + " ";
  return out;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// A view that counts its queries and answers every name as not existing.
class CountingView final : public spf::DnsView {
 public:
  const spf::DnsAnswer& query(std::string_view, spf::RrType) const override {
    ++queries;
    return nxdomain_;
  }
  mutable std::size_t queries = 0;

 private:
  spf::DnsAnswer nxdomain_{spf::DnsStatus::nxdomain, {}, {}, {}, {}, {}};
};

/// Tag names of letters only, all different: a, b, ..., z, ba, bb, ...
std::string letters(std::size_t i) {
  std::string out;
  do {
    out += static_cast<char>('a' + i % 26);
    i /= 26;
  } while (i > 0);
  return "x" + out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The version tag

TEST_CASE("dmarc: a record that opens with v=DMARC1 and has a policy is valid") {
  const Record r = parse_record("v=DMARC1; p=reject");
  CHECK(r.valid);
  CHECK(r.dmarc);
  CHECK(r.errors.empty());
  CHECK(r.p == Policy::reject);
  CHECK_FALSE(has(r, "dmarc.record.not_dmarc"));
}

TEST_CASE("dmarc: white space around '=' and ';' and a trailing ';' are allowed") {
  const Record r = parse_record("v = DMARC1 ;\tp = quarantine ; ");
  CHECK(r.valid);
  CHECK(r.p == Policy::quarantine);
  CHECK(count(r.findings, "dmarc.tag.syntax") == 0);
}

TEST_CASE("dmarc: a record whose first tag is not v is not a DMARC record") {
  const Record r = parse_record("p=reject; v=DMARC1");
  CHECK_FALSE(r.valid);
  CHECK_FALSE(r.dmarc);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].code == "dmarc.record.not_dmarc");
  CHECK(contains(r.errors[0].message, "first tag"));
  CHECK(r.findings.size() == 1);
  CHECK(r.findings[0].severity == Severity::error);
}

TEST_CASE("dmarc: the version value is case-sensitive, DMARC1 exactly") {
  const Record r = parse_record("v=dmarc1; p=reject");
  CHECK_FALSE(r.dmarc);
  REQUIRE(!r.errors.empty());
  CHECK(contains(r.errors[0].message, "case-sensitive"));
  CHECK(r.errors[0].offset == 2);
  CHECK_FALSE(parse_record("v=DMARC2; p=reject").dmarc);
  CHECK_FALSE(parse_record("v=DMARC1x; p=reject").dmarc);
  CHECK_FALSE(parse_record("v=; p=reject").dmarc);
}

TEST_CASE("dmarc: v=DMARC1 followed by a tag without ';' is not a DMARC record, with the offset") {
  const Record r = parse_record("v=DMARC1 p=reject");
  CHECK_FALSE(r.dmarc);
  REQUIRE(!r.errors.empty());
  CHECK(r.errors[0].offset == 9);
  CHECK(contains(r.errors[0].message, "offset 9"));
}

TEST_CASE("dmarc: leading white space makes a record not DMARC, an empty text too") {
  CHECK_FALSE(parse_record(" v=DMARC1; p=reject").dmarc);
  CHECK_FALSE(parse_record("").dmarc);
  CHECK_FALSE(parse_record("v=spf1 -all").dmarc);
  CHECK(is_dmarc_record("v=DMARC1"));
  CHECK(is_dmarc_record("v=DMARC1;"));
  CHECK(is_dmarc_record("v=DMARC1 ; p=none"));
  CHECK_FALSE(is_dmarc_record("v=DMARC1 p=none"));
  CHECK_FALSE(is_dmarc_record("verification=DMARC1"));
}

TEST_CASE("dmarc: an uppercase V is accepted with a warning about case-sensitive parsers") {
  const Record upper = parse_record("V=DMARC1; p=reject");
  CHECK(upper.valid);
  CHECK(has(upper, "dmarc.tag.case"));
  CHECK_FALSE(has(parse_record("v=DMARC1; p=reject"), "dmarc.tag.case"));
}

// ---------------------------------------------------------------------------------------------
// Tag syntax

TEST_CASE("dmarc: a repeated tag makes the whole record invalid, naming the tag and its offsets") {
  const Record r = parse_record("v=DMARC1; p=reject; p=none");
  CHECK_FALSE(r.valid);
  CHECK(r.dmarc);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].code == "dmarc.tag.duplicate");
  CHECK(r.errors[0].tag == "p");
  CHECK(contains(r.errors[0].message, "'p' appears twice (at offset 10 and 20)"));
  CHECK(count(r.findings, "dmarc.tag.duplicate") == 1);
  CHECK(r.findings.size() == 1);  // nothing else is said about a record receivers ignore
}

TEST_CASE("dmarc: a repeated unknown tag or a repeated v makes the record invalid too") {
  CHECK_FALSE(parse_record("v=DMARC1; p=reject; foo=1; foo=2").valid);
  const Record v = parse_record("v=DMARC1; p=reject; v=DMARC1");
  CHECK_FALSE(v.valid);
  CHECK(v.errors.at(0).tag == "v");
  CHECK(parse_record("v=DMARC1; p=reject; foo=1; bar=2").valid);
}

TEST_CASE("dmarc: a tag name in another case counts as the same tag for duplicates") {
  const Record r = parse_record("v=DMARC1; p=reject; P=none");
  CHECK_FALSE(r.valid);
  CHECK(r.errors.at(0).code == "dmarc.tag.duplicate");
}

TEST_CASE("dmarc: unknown tags are ignored and reported as info") {
  const Record r = parse_record("v=DMARC1; p=reject; rau=mailto:a@example.com");
  CHECK(r.valid);
  CHECK(r.unknown_tags == 1);
  const Finding& f = get(r.findings, "dmarc.tag.unknown");
  CHECK(f.severity == Severity::info);
  CHECK(f.path == "/rau");
  CHECK(has(r, "dmarc.rua.missing"));  // the misspelled rua is no rua
  CHECK_FALSE(has(parse_record("v=DMARC1; p=reject"), "dmarc.tag.unknown"));
}

TEST_CASE("dmarc: a part that is not tag=value is ignored with a warning") {
  const Record r = parse_record("v=DMARC1; p=reject; garbage; x-y=1; =3");
  CHECK(r.valid);
  CHECK(count(r.findings, "dmarc.tag.syntax") == 3);
  CHECK_FALSE(has(parse_record("v=DMARC1;; p=reject;;"), "dmarc.tag.syntax"));
}

TEST_CASE("dmarc: a tag name in uppercase is read, with a warning") {
  const Record r = parse_record("v=DMARC1; P=reject; SP=none");
  CHECK(r.valid);
  CHECK(r.p == Policy::reject);
  CHECK(r.sp == Policy::none);
  CHECK(count(r.findings, "dmarc.tag.case") == 2);
}

TEST_CASE("dmarc: policy values are read in any case, without a finding") {
  const Record r = parse_record("v=DMARC1; p=REJECT; adkim=S");
  CHECK(r.p == Policy::reject);
  CHECK(r.adkim == Alignment::strict);
  CHECK_FALSE(has(r, "dmarc.tag.case"));
  CHECK_FALSE(has(r, "dmarc.tag.invalid"));
}

TEST_CASE("dmarc: a value with a byte outside printable ASCII is not read") {
  const std::string nul("v=DMARC1; p=reject; adkim=s\0x; rua=mailto:d@example.com", 55);
  const Record r = parse_record(nul);
  CHECK(r.valid);
  CHECK(r.adkim == Alignment::relaxed);
  const Finding& f = get(r.findings, "dmarc.tag.syntax");
  CHECK(contains(f.message, "0x00"));
  CHECK(f.path == "/adkim");
  const Record accented = parse_record("v=DMARC1; p=r\xC3\xA9ject; rua=mailto:d@example.com");
  CHECK(accented.valid);
  CHECK(accented.policy_fallback);
  CHECK(has(accented, "dmarc.p.invalid"));
}

TEST_CASE("dmarc: a tag without a value is not read") {
  const Record r = parse_record("v=DMARC1; p=reject; aspf=");
  CHECK(r.valid);
  CHECK(contains(get(r.findings, "dmarc.tag.syntax").message, "no value"));
}

// ---------------------------------------------------------------------------------------------
// p, sp, np and the RFC 9989 §4.10.1 fallback

TEST_CASE("dmarc: defaults are applied as RFC 9989 says") {
  const Record r = parse_record("v=DMARC1; p=reject");
  CHECK(r.p == Policy::reject);
  CHECK(r.sp == Policy::reject);
  CHECK(r.np == Policy::reject);
  CHECK(r.adkim == Alignment::relaxed);
  CHECK(r.aspf == Alignment::relaxed);
  CHECK(r.psd == Psd::unknown);
  CHECK_FALSE(r.testing);
  CHECK(r.fo == "0");
  CHECK(r.rua.empty());
  CHECK(r.ruf.empty());
  const json j = r;
  CHECK(j["tags"] == json{{"v", "DMARC1"},
                          {"p", "reject"},
                          {"sp", "reject"},
                          {"np", "reject"},
                          {"adkim", "r"},
                          {"aspf", "r"},
                          {"psd", "u"},
                          {"t", "n"},
                          {"fo", "0"},
                          {"rua", json::array()},
                          {"ruf", json::array()}});
  CHECK(j["defaulted"] == json{"sp", "np", "adkim", "aspf", "psd", "t", "fo", "rua", "ruf"});
}

TEST_CASE("dmarc: np defaults to sp, and sp to p") {
  const Record r = parse_record("v=DMARC1; p=reject; sp=quarantine");
  CHECK(r.sp == Policy::quarantine);
  CHECK(r.np == Policy::quarantine);
  const Record n = parse_record("v=DMARC1; p=none; np=reject");
  CHECK(n.sp == Policy::none);
  CHECK(n.np == Policy::reject);
}

TEST_CASE("dmarc: a missing p with a valid rua URI reads as p=none, with a warning") {
  const Record r = parse_record("v=DMARC1; rua=mailto:dmarc@example.com");
  CHECK(r.valid);
  CHECK(r.policy_fallback);
  CHECK(r.p == Policy::none);
  const Finding& f = get(r.findings, "dmarc.p.missing");
  CHECK(f.severity == Severity::warning);
  CHECK(contains(f.message, "p=none"));
  CHECK_FALSE(has(r, "dmarc.p.none"));  // said once, by p.missing
  CHECK_FALSE(
      has(parse_record("v=DMARC1; p=none; rua=mailto:dmarc@example.com"), "dmarc.p.missing"));
}

TEST_CASE("dmarc: a missing p without a valid rua URI leaves no policy: the record is not valid") {
  const Record r = parse_record("v=DMARC1; sp=reject");
  CHECK_FALSE(r.valid);
  CHECK(r.dmarc);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].code == "dmarc.policy.unusable");
  CHECK(contains(r.errors[0].message, "no DMARC processing"));
  CHECK_FALSE(parse_record("v=DMARC1").valid);
  // An invalid URI does not save it.
  CHECK_FALSE(parse_record("v=DMARC1; rua=dmarc@example.com").valid);
}

TEST_CASE("dmarc: an invalid p with a valid rua URI reads as p=none") {
  const Record r = parse_record("v=DMARC1; p=block; rua=mailto:dmarc@example.com");
  CHECK(r.valid);
  CHECK(r.p == Policy::none);
  CHECK(has(r, "dmarc.p.invalid"));
  CHECK_FALSE(parse_record("v=DMARC1; p=block").valid);
}

TEST_CASE(
    "dmarc: an invalid sp or np makes the whole record read as p=none, or no policy without rua") {
  const Record sp = parse_record("v=DMARC1; p=reject; sp=blocked; rua=mailto:dmarc@example.com");
  CHECK(sp.valid);
  CHECK(sp.policy_fallback);
  CHECK(sp.p == Policy::none);
  CHECK(sp.sp == Policy::none);
  CHECK(has(sp, "dmarc.sp.invalid"));
  const Record np = parse_record("v=DMARC1; p=reject; np=x");
  CHECK_FALSE(np.valid);
  CHECK(np.errors.at(0).tag == "np");
  CHECK_FALSE(has(parse_record("v=DMARC1; p=reject; sp=none; np=reject"), "dmarc.sp.invalid"));
}

TEST_CASE("dmarc: p=none is monitoring only") {
  const Record r = parse_record("v=DMARC1; p=none; rua=mailto:d@example.com");
  const Finding& f = get(r.findings, "dmarc.p.none");
  CHECK(f.severity == Severity::warning);
  CHECK(f.path == "/p");
  CHECK(contains(f.message, "still delivered"));
  CHECK_FALSE(has(parse_record("v=DMARC1; p=quarantine"), "dmarc.p.none"));
}

TEST_CASE("dmarc: sp weaker than p is a warning, sp as strong is not") {
  const Record r = parse_record("v=DMARC1; p=reject; sp=none");
  const Finding& f = get(r.findings, "dmarc.sp.weaker");
  CHECK(f.path == "/sp");
  CHECK(contains(f.message, "subdomains that do not exist"));  // np inherits sp
  CHECK_FALSE(has(parse_record("v=DMARC1; p=reject; sp=reject"), "dmarc.sp.weaker"));
  CHECK_FALSE(has(parse_record("v=DMARC1; p=none; sp=reject"), "dmarc.sp.weaker"));
}

TEST_CASE("dmarc: np weaker than p is a warning, np as strong is not") {
  CHECK(has(parse_record("v=DMARC1; p=reject; np=quarantine"), "dmarc.np.weaker"));
  CHECK_FALSE(has(parse_record("v=DMARC1; p=quarantine; np=reject"), "dmarc.np.weaker"));
  CHECK_FALSE(has(parse_record("v=DMARC1; p=reject; sp=none"), "dmarc.np.weaker"));
}

TEST_CASE("dmarc: t=y asks for one level less, and says so when a policy is enforcing") {
  const Record r = parse_record("v=DMARC1; p=reject; t=y");
  CHECK(r.testing);
  CHECK(contains(get(r.findings, "dmarc.t.testing").message, "applied as quarantine"));
  CHECK_FALSE(has(parse_record("v=DMARC1; p=reject; t=n"), "dmarc.t.testing"));
  CHECK_FALSE(has(parse_record("v=DMARC1; p=none; t=y"), "dmarc.t.testing"));
  CHECK(weaker(Policy::reject) == Policy::quarantine);
  CHECK(weaker(Policy::quarantine) == Policy::none);
  CHECK(weaker(Policy::none) == Policy::none);
}

TEST_CASE("dmarc: an invalid adkim, aspf, psd or t falls back to its default with a warning") {
  const Record r = parse_record("v=DMARC1; p=reject; adkim=x; aspf=strict; psd=maybe; t=yes");
  CHECK(r.valid);
  CHECK(r.adkim == Alignment::relaxed);
  CHECK(r.aspf == Alignment::relaxed);
  CHECK(r.psd == Psd::unknown);
  CHECK_FALSE(r.testing);
  CHECK(count(r.findings, "dmarc.tag.invalid") == 4);
  const Record ok = parse_record("v=DMARC1; p=reject; adkim=s; aspf=s; psd=n; t=n");
  CHECK(ok.adkim == Alignment::strict);
  CHECK(ok.aspf == Alignment::strict);
  CHECK(ok.psd == Psd::no);
  CHECK_FALSE(has(ok, "dmarc.tag.invalid"));
}

TEST_CASE("dmarc: psd=y is reported as info") {
  CHECK(has(parse_record("v=DMARC1; p=reject; psd=y"), "dmarc.psd.yes"));
  CHECK_FALSE(has(parse_record("v=DMARC1; p=reject; psd=n"), "dmarc.psd.yes"));
}

TEST_CASE("dmarc: fo takes 0, 1, d, s once each, never 0 with 1") {
  const Record ok = parse_record("v=DMARC1; p=reject; ruf=mailto:f@example.com; fo=1:D:s");
  CHECK(ok.fo == "1:d:s");
  CHECK_FALSE(has(ok, "dmarc.tag.invalid"));
  CHECK_FALSE(has(ok, "dmarc.fo.ignored"));
  const Record both = parse_record("v=DMARC1; p=reject; ruf=mailto:f@example.com; fo=0:1");
  CHECK(both.fo == "0");
  CHECK(contains(get(both.findings, "dmarc.tag.invalid").message, "mutually exclusive"));
  CHECK(has(parse_record("v=DMARC1; p=reject; ruf=mailto:f@example.com; fo=d:d"),
            "dmarc.tag.invalid"));
  CHECK(
      has(parse_record("v=DMARC1; p=reject; ruf=mailto:f@example.com; fo=2"), "dmarc.tag.invalid"));
  CHECK(has(parse_record("v=DMARC1; p=reject; ruf=mailto:f@example.com; fo=d:"),
            "dmarc.tag.invalid"));
}

TEST_CASE("dmarc: fo without ruf has no effect") {
  CHECK(has(parse_record("v=DMARC1; p=reject; fo=1"), "dmarc.fo.ignored"));
}

TEST_CASE("dmarc: no rua means no aggregate reports") {
  CHECK(get(parse_record("v=DMARC1; p=reject").findings, "dmarc.rua.missing").severity ==
        Severity::info);
  CHECK_FALSE(
      has(parse_record("v=DMARC1; p=reject; rua=mailto:d@example.com"), "dmarc.rua.missing"));
}

// ---------------------------------------------------------------------------------------------
// Report URIs

TEST_CASE("dmarc: rua URIs are read with their obsolete size suffix") {
  const Record r =
      parse_record("v=DMARC1; p=reject; rua=mailto:a@example.com , mailto:b@example.net!10m");
  REQUIRE(r.rua.size() == 2);
  CHECK(r.rua[0].valid);
  CHECK(r.rua[0].uri == "mailto:a@example.com");
  CHECK(r.rua[0].domain == "example.com");
  CHECK(r.rua[1].uri == "mailto:b@example.net");
  CHECK(r.rua[1].size == 10u);
  CHECK(r.rua[1].size_unit == 'm');
  CHECK(r.rua[1].offset == 47);
  CHECK(count(r.findings, "dmarc.uri.size") == 1);
  CHECK_FALSE(has(r, "dmarc.uri.invalid"));
}

TEST_CASE("dmarc: a URI that is not a URI is ignored with a warning") {
  for (const char* bad : {"dmarc@example.com", "mailto:", "mailto:@example.com",
                          "mailto:a@example.com!10x", "mailto:a@example.com!",
                          "mailto:a@exa mple.com", "mailto:a@example.com!99999999999999999999999",
                          "mailto:a@-bad-.example", "mailto:a%2@example.com", "!10m", "1ab:x"}) {
    INFO(bad);
    const Record r = parse_record(std::string("v=DMARC1; p=reject; rua=") + bad);
    REQUIRE(r.rua.size() == 1);
    CHECK_FALSE(r.rua[0].valid);
    CHECK_FALSE(r.rua[0].error.empty());
    CHECK(has(r, "dmarc.uri.invalid"));
    CHECK(has(r, "dmarc.rua.missing"));
  }
}

TEST_CASE("dmarc: an empty URI between commas is invalid, the others stay") {
  const Record r =
      parse_record("v=DMARC1; p=reject; rua=mailto:a@example.com,,mailto:b@example.com");
  REQUIRE(r.rua.size() == 3);
  CHECK(r.rua[0].valid);
  CHECK_FALSE(r.rua[1].valid);
  CHECK(r.rua[2].valid);
}

TEST_CASE("dmarc: a URI with another scheme is valid but receivers need not support it") {
  const Record r = parse_record("v=DMARC1; p=reject; rua=https://reports.example.com/dmarc");
  REQUIRE(r.rua.size() == 1);
  CHECK(r.rua[0].valid);
  CHECK(r.rua[0].domain == "reports.example.com");
  CHECK(has(r, "dmarc.uri.scheme"));
  CHECK_FALSE(has(r, "dmarc.rua.missing"));
  CHECK_FALSE(
      has(parse_record("v=DMARC1; p=reject; rua=mailto:d@example.com"), "dmarc.uri.scheme"));
}

TEST_CASE("dmarc: more than two report URIs is info") {
  CHECK(has(
      parse_record(
          "v=DMARC1; p=reject; rua=mailto:a@example.com,mailto:b@example.com,mailto:c@example.com"),
      "dmarc.report.many"));
  CHECK_FALSE(has(parse_record("v=DMARC1; p=reject; rua=mailto:a@example.com,mailto:b@example.com"),
                  "dmarc.report.many"));
}

TEST_CASE("dmarc: a percent-encoded or internationalised mailto domain is compared in A-labels") {
  const Record r = parse_record("v=DMARC1; p=reject; rua=mailto:d@b%C3%BCcher.example");
  REQUIRE(r.rua.size() == 1);
  CHECK(r.rua[0].valid);
  CHECK(r.rua[0].domain == "xn--bcher-kva.example");
}

// ---------------------------------------------------------------------------------------------
// External report addresses (RFC 9990 §4)

TEST_CASE("dmarc: a report address in the record's own domain or below needs no authorisation") {
  ParseOptions o;
  o.domain = "example.com";
  const Record r =
      parse_record("v=DMARC1; p=reject; rua=mailto:d@example.com,mailto:d@reports.example.com", o);
  CHECK_FALSE(r.rua[0].external);
  CHECK_FALSE(r.rua[1].external);
  CHECK(r.rua[1].authorization == Authorization::not_needed);
  CHECK_FALSE(has(r, "dmarc.report.external"));
  CHECK_FALSE(has(r, "dmarc.report.unauthorized"));
}

TEST_CASE("dmarc: an external report address without DNS data names the record it needs") {
  ParseOptions o;
  o.domain = "Example.COM.";
  const Record r = parse_record("v=DMARC1; p=reject; rua=mailto:d@vendor.example", o);
  REQUIRE(r.rua.size() == 1);
  CHECK(r.rua[0].external);
  CHECK(r.rua[0].authorization == Authorization::not_checked);
  CHECK(r.rua[0].authorization_name == "example.com._report._dmarc.vendor.example");
  const Finding& f = get(r.findings, "dmarc.report.external");
  CHECK(f.severity == Severity::info);
  CHECK(contains(f.message, "example.com._report._dmarc.vendor.example"));
}

TEST_CASE(
    "dmarc: an external report address is authorised when the record exists, not when it does "
    "not") {
  const auto z = zone({{"example.com._report._dmarc.vendor.example", {txt("v=DMARC1;")}},
                       {"example.com._report._dmarc.other.example", {txt("v=spf1 -all")}}});
  ParseOptions o;
  o.domain = "example.com";
  o.dns = &z;
  const Record r = parse_record(
      "v=DMARC1; p=reject; rua=mailto:d@vendor.example; "
      "ruf=mailto:f@other.example,mailto:g@third.example",
      o);
  CHECK(r.rua[0].authorization == Authorization::authorized);
  CHECK(r.ruf[0].authorization == Authorization::unauthorized);
  CHECK(r.ruf[1].authorization == Authorization::unauthorized);
  CHECK(count(r.findings, "dmarc.report.external") == 1);
  CHECK(count(r.findings, "dmarc.report.unauthorized") == 2);
  CHECK(contains(get(r.findings, "dmarc.report.unauthorized").message, "failure reports"));
  CHECK(r.needed.empty());
}

TEST_CASE("dmarc: an authorisation record the view does not know yet is a needed lookup") {
  const auto z = zone(json::object(), spf::MissingName::unknown);
  ParseOptions o;
  o.domain = "example.com";
  o.dns = &z;
  const Record r =
      parse_record("v=DMARC1; p=reject; rua=mailto:d@vendor.example,mailto:e@vendor.example", o);
  REQUIRE(r.needed.size() == 1);  // one lookup per report domain
  CHECK(r.needed[0].name == "example.com._report._dmarc.vendor.example");
  CHECK(r.rua[1].authorization == Authorization::unknown);
}

TEST_CASE("dmarc: a temporary error on the authorisation record is said, not taken as a no") {
  const auto z = zone({{"example.com._report._dmarc.vendor.example", {{{"type", "TIMEOUT"}}}}});
  ParseOptions o;
  o.domain = "example.com";
  o.dns = &z;
  const Record r = parse_record("v=DMARC1; p=reject; rua=mailto:d@vendor.example", o);
  CHECK(r.rua[0].authorization == Authorization::temp_error);
  CHECK_FALSE(has(r, "dmarc.report.unauthorized"));
}

TEST_CASE(
    "dmarc: sibling subdomains are one organization when the organizational domain is known") {
  ParseOptions o;
  o.domain = "a.example.com";
  const std::string record = "v=DMARC1; p=reject; rua=mailto:d@b.example.com";
  CHECK(parse_record(record, o).rua[0].external);  // without the engine: not the same or below
  o.organizational_domain = [](std::string_view name) -> std::optional<std::string> {
    const std::string n(name);
    if (n == "com") return std::nullopt;
    const auto dot = n.rfind('.', n.rfind('.') - 1);
    return dot == std::string::npos ? n : n.substr(dot + 1);
  };
  CHECK_FALSE(parse_record(record, o).rua[0].external);
}

TEST_CASE("dmarc: an authorisation name longer than DNS allows means no reports") {
  ParseOptions o;
  o.domain = std::string(60, 'a') + "." + std::string(60, 'b') + ".example";
  const std::string host = std::string(60, 'c') + "." + std::string(60, 'd') + ".example";
  const Record r = parse_record("v=DMARC1; p=reject; rua=mailto:d@" + host, o);
  CHECK(r.rua[0].authorization == Authorization::unauthorized);
  CHECK(has(r, "dmarc.report.unauthorized"));
}

// ---------------------------------------------------------------------------------------------
// The tags RFC 9989 removed

TEST_CASE("dmarc: pct below 100 says what an RFC 7489 receiver does with the rest") {
  const Record r = parse_record("v=DMARC1; p=reject; pct=25");
  CHECK(r.pct == 25u);
  const Finding& f = get(r.findings, "dmarc.pct.partial");
  CHECK(f.severity == Severity::warning);
  CHECK(contains(f.message, "p=reject to only 25%"));
  CHECK(contains(f.message, "(quarantine) to the rest"));
  CHECK_FALSE(has(r, "dmarc.tag.removed"));
  const Record zero = parse_record("v=DMARC1; p=quarantine; pct=0");
  CHECK(contains(get(zero.findings, "dmarc.pct.partial").message, "(none) to the rest"));
}

TEST_CASE("dmarc: pct=100, pct with p=none, and an invalid pct are only reported as removed") {
  for (const char* record :
       {"v=DMARC1; p=reject; pct=100", "v=DMARC1; p=none; pct=20", "v=DMARC1; p=reject; pct=150",
        "v=DMARC1; p=reject; pct=abc", "v=DMARC1; p=reject; pct=0100"}) {
    INFO(record);
    const Record r = parse_record(record);
    CHECK(r.valid);
    CHECK_FALSE(has(r, "dmarc.pct.partial"));
    CHECK(get(r.findings, "dmarc.tag.removed").path == "/pct");
  }
}

TEST_CASE("dmarc: rf and ri are read and reported as removed") {
  const Record r = parse_record("v=DMARC1; p=reject; rf=afrf; ri=3600");
  CHECK(r.rf == std::string("afrf"));
  CHECK(r.ri == 3600u);
  CHECK(count(r.findings, "dmarc.tag.removed") == 2);
  const json j = r;
  CHECK(j["removed"] == json{{"rf", "afrf"}, {"ri", 3600}});
  CHECK(parse_record("v=DMARC1; p=reject; ri=99999999999").ri == std::nullopt);
}

// ---------------------------------------------------------------------------------------------
// RFC 7489 Appendix B and RFC 9989 Appendix B

TEST_CASE("dmarc: RFC 7489 B.2.1 and RFC 9989 B.2.1, entire domain in monitoring mode") {
  const Record r = parse_record("v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com");
  CHECK(r.valid);
  CHECK(r.p == Policy::none);
  CHECK(r.rua.at(0).uri == "mailto:dmarc-feedback@example.com");
  INFO(codes(r));
  CHECK(r.findings.size() == 1);
  CHECK(r.findings[0].code == "dmarc.p.none");
}

TEST_CASE("dmarc: RFC 7489 B.2.2, with per-message failure reports") {
  const Record r = parse_record(
      "v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com; "
      "ruf=mailto:auth-reports@example.com");
  CHECK(r.valid);
  CHECK(r.ruf.at(0).uri == "mailto:auth-reports@example.com");
}

TEST_CASE(
    "dmarc: RFC 7489 B.2.3 and RFC 9989 B.2.3, failure reports to an authorised third party") {
  const auto z = zone({{"example.com._report._dmarc.thirdparty.example.net", {txt("v=DMARC1;")}}});
  ParseOptions o;
  o.domain = "example.com";
  o.dns = &z;
  const Record r = parse_record(
      "v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com; "
      "ruf=mailto:auth-reports@thirdparty.example.net",
      o);
  CHECK(r.valid);
  CHECK(r.ruf.at(0).external);
  CHECK(r.ruf.at(0).authorization == Authorization::authorized);
  CHECK_FALSE(has(r, "dmarc.report.unauthorized"));
}

TEST_CASE("dmarc: RFC 7489 B.2.4, subdomain, sampling and two aggregate URIs") {
  ParseOptions o;
  o.domain = "test.example.com";
  const Record r = parse_record(
      "v=DMARC1; p=quarantine; "
      "rua=mailto:dmarc-feedback@example.com,mailto:tld-test@thirdparty.example.net!10m; "
      "pct=25",
      o);
  CHECK(r.valid);
  CHECK(r.p == Policy::quarantine);
  REQUIRE(r.rua.size() == 2);
  CHECK_FALSE(r.rua[0].external);
  CHECK(r.rua[1].external);
  CHECK(r.rua[1].size == 10u);
  CHECK(r.pct == 25u);
  CHECK(has(r, "dmarc.pct.partial"));
}

TEST_CASE(
    "dmarc: RFC 9989 B.2.5, subdomain in testing mode with two aggregate URIs, then enforcing") {
  const Record testing = parse_record(
      "v=DMARC1; p=quarantine; "
      "rua=mailto:dmarc-feedback@example.com,mailto:tld-test@thirdparty.example.net; t=y");
  CHECK(testing.valid);
  CHECK(testing.testing);
  CHECK(testing.rua.size() == 2);
  CHECK(has(testing, "dmarc.t.testing"));
  const Record enforcing = parse_record(
      "v=DMARC1; p=reject; "
      "rua=mailto:dmarc-feedback@example.com,mailto:tld-test@thirdparty.example.net");
  CHECK(enforcing.valid);
  CHECK(enforcing.p == Policy::reject);
  CHECK(enforcing.findings.empty());
}

TEST_CASE("dmarc: RFC 9989 B.3.1, the record of the SMTP session example") {
  const Record r =
      parse_record("v=DMARC1; p=reject; aspf=r; rua=mailto:dmarc-feedback@example.com");
  CHECK(r.valid);
  CHECK(r.aspf == Alignment::relaxed);
  CHECK(r.findings.empty());
  const json j = r;
  CHECK(j["defaulted"] == json{"sp", "np", "adkim", "psd", "t", "fo", "ruf"});
}

// ---------------------------------------------------------------------------------------------
// Hostile records

TEST_CASE(
    "dmarc: 10,000 different unknown tags are read quickly, with a bounded list of findings") {
  std::string record = "v=DMARC1; p=reject";
  for (std::size_t i = 0; i < 10000; ++i) record += "; " + letters(i) + "=1";
  const auto start = std::chrono::steady_clock::now();
  const Record r = parse_record(record);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  CHECK(r.valid);
  CHECK(r.unknown_tags == 10000);
  CHECK(count(r.findings, "dmarc.tag.unknown") == 9);  // eight listed, one counting the rest
  CHECK(contains(r.findings.back().message + codes(r), "dmarc.tag.unknown"));
  CHECK(ms < 2000);
}

TEST_CASE("dmarc: a tag repeated 10,000 times gives one error that counts them") {
  std::string record = "v=DMARC1";
  for (int i = 0; i < 10000; ++i) record += "; p=reject";
  const Record r = parse_record(record);
  CHECK_FALSE(r.valid);
  REQUIRE(r.errors.size() == 1);
  CHECK(contains(r.errors[0].message, "appears 10000 times"));
}

TEST_CASE("dmarc: 5,000 different tags each given twice give a bounded list of errors") {
  std::string record = "v=DMARC1; p=reject";
  for (int round = 0; round < 2; ++round) {
    for (std::size_t i = 0; i < 5000; ++i) record += "; " + letters(i) + "=1";
  }
  const Record r = parse_record(record);
  CHECK_FALSE(r.valid);
  CHECK(r.errors.size() <= 16);
  CHECK(r.findings.size() == 9);
}

TEST_CASE("dmarc: 100 KB values and 100 KB of separators make short messages") {
  const std::string big(100 * 1024, 'a');
  for (const std::string& record :
       {"v=DMARC1; p=reject; rua=mailto:" + big + "@example.com", "v=DMARC1; p=reject; foo=" + big,
        "v=DMARC1; p=" + big, "v=DMARC1; p=reject; rua=" + big,
        "v=DMARC1" + std::string(100 * 1024, ';'),
        "v=DMARC1;" + std::string(100 * 1024, ' ') + "p=reject",
        "v=DMARC1; p=reject; " + std::string(100 * 1024, '='),
        "v=DMARC1; p=reject; rua=" + std::string(100 * 1024, ','), std::string(100 * 1024, 'v')}) {
    const Record r = parse_record(record);
    for (const auto& f : r.findings) CHECK(f.message.size() < 1000);
    for (const auto& e : r.errors) CHECK(e.message.size() < 1000);
  }
}

TEST_CASE("dmarc: 10,000 report domains are looked up at most 16 times") {
  ParseOptions o;
  o.domain = "example.com";
  CountingView view;
  o.dns = &view;
  std::string rua;
  for (std::size_t i = 0; i < 10000; ++i)
    rua += (i ? "," : "") + std::string("mailto:d@") + letters(i) + ".example";
  const Record r = parse_record("v=DMARC1; p=reject; rua=" + rua, o);
  CHECK(r.rua.size() == 10000);
  CHECK(view.queries == 16);
  CHECK(r.findings.size() < 40);
}

TEST_CASE("dmarc: every byte value in every place is answered without a crash") {
  for (int b = 0; b < 256; ++b) {
    const std::string c(1, static_cast<char>(b));
    for (const std::string& record :
         {c, "v=DMARC1" + c, "v=DMARC1;" + c, "v=DMARC1; p=" + c, "v=DMARC1; " + c + "=1",
          "v=DMARC1; p=reject; rua=mailto:" + c + "@example.com", "v" + c + "=DMARC1"}) {
      const Record r = parse_record(record);
      CHECK((r.valid || !r.errors.empty()));
      const json j = r;  // JSON is built, whatever the bytes
      CHECK(j.contains("valid"));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Discovery

namespace {

const std::string kReject = "v=DMARC1; p=reject; sp=quarantine; np=none; rua=mailto:d@example.com";

}  // namespace

TEST_CASE("dmarc discovery: a record at the From domain applies with its p") {
  const auto z = zone({{"_dmarc.mail.example.com", {txt("v=DMARC1; p=quarantine")}},
                       {"_dmarc.example.com", {txt(kReject)}}});
  const Discovery d = discover(z, "Mail.Example.com.", std::string("example.com"));
  CHECK(d.status == DiscoveryStatus::found);
  CHECK(d.from_domain == "mail.example.com");
  CHECK(d.record_name == "_dmarc.mail.example.com");
  CHECK(d.source == PolicySource::p);
  CHECK(d.policy == Policy::quarantine);
  CHECK(d.queries.size() == 1);
  CHECK(d.findings.empty());
}

TEST_CASE(
    "dmarc discovery: without a record at the From domain, the organizational domain's sp "
    "applies") {
  const auto z =
      zone({{"mail.example.com", {a("192.0.2.1")}}, {"_dmarc.example.com", {txt(kReject)}}});
  const Discovery d = discover(z, "mail.example.com", std::string("example.com"));
  CHECK(d.status == DiscoveryStatus::found);
  CHECK(d.record_domain == "example.com");
  CHECK(d.source == PolicySource::sp);
  CHECK(d.policy == Policy::quarantine);
  CHECK(d.from_exists == true);
  CHECK(contains(d.reason, "sp policy decides: quarantine"));
}

TEST_CASE("dmarc discovery: for a From domain that does not exist, np applies") {
  const auto z =
      zone({{"_dmarc.example.com", {txt(kReject)}}});  // ghost.example.com is not listed: NXDOMAIN
  const Discovery d = discover(z, "ghost.example.com", std::string("example.com"));
  CHECK(d.status == DiscoveryStatus::found);
  CHECK(d.source == PolicySource::np);
  CHECK(d.policy == Policy::none);
  CHECK(d.from_exists == false);
}

TEST_CASE("dmarc discovery: np falls back to sp, sp to p") {
  const auto z = zone({{"_dmarc.example.com", {txt("v=DMARC1; p=reject; sp=quarantine")}}});
  DiscoveryOptions absent;
  absent.from_exists = false;
  const Discovery d = discover(z, "ghost.example.com", std::string("example.com"), absent);
  CHECK(d.source == PolicySource::np);
  CHECK(d.policy == Policy::quarantine);
  CHECK(contains(d.reason, "np is not written, so sp's"));
  const auto z2 = zone({{"_dmarc.example.com", {txt("v=DMARC1; p=reject")}}});
  const Discovery d2 = discover(z2, "ghost.example.com", std::string("example.com"));
  CHECK(d2.policy == Policy::reject);
  CHECK(d2.from_exists == std::nullopt);  // sp and np agree: existence does not matter
}

TEST_CASE("dmarc discovery: whether the From domain exists can be given by the caller") {
  const auto z = zone({{"_dmarc.example.com", {txt(kReject)}}});
  DiscoveryOptions o;
  o.from_exists = true;
  const Discovery d = discover(z, "ghost.example.com", std::string("example.com"), o);
  CHECK(d.source == PolicySource::sp);
  CHECK(d.queries.size() == 2);
}

TEST_CASE("dmarc discovery: existence not known yet is a needed lookup when sp and np differ") {
  const auto z = zone({{"_dmarc.example.com", {txt(kReject)}},
                       {"_dmarc.mail.example.com", {{{"type", "NXDOMAIN"}}}}},
                      spf::MissingName::unknown);
  const Discovery d = discover(z, "mail.example.com", std::string("example.com"));
  CHECK(d.status == DiscoveryStatus::unknown);
  REQUIRE(d.needed.size() == 1);
  CHECK(d.needed[0].name == "mail.example.com");
}

TEST_CASE("dmarc discovery: a From domain with a _dmarc name below it exists") {
  const auto z = zone(
      {{"_dmarc.example.com", {txt(kReject)}}, {"_dmarc.mail.example.com", {txt("v=spf1 -all")}}},
      spf::MissingName::unknown);
  const Discovery d = discover(z, "mail.example.com", std::string("example.com"));
  CHECK(d.status == DiscoveryStatus::found);
  CHECK(d.source == PolicySource::sp);
  CHECK(d.needed.empty());
}

TEST_CASE("dmarc discovery: records that are not DMARC are ignored, a look-alike with a warning") {
  const auto z =
      zone({{"_dmarc.example.com",
             {txt("v=spf1 -all"), txt("google-site-verification=abc"), txt("v=DMARC1 p=reject")}}});
  const Discovery d = discover(z, "example.com", std::string("example.com"));
  CHECK(d.status == DiscoveryStatus::none);
  CHECK(d.queries.at(0).other_records == 3);
  CHECK(count(d.findings, "dmarc.record.ignored") == 1);
  CHECK(count(d.findings, "dmarc.record.missing") == 1);
}

TEST_CASE("dmarc discovery: several DMARC records at the From domain are all discarded") {
  const auto z =
      zone({{"_dmarc.mail.example.com", {txt("v=DMARC1; p=none"), txt("v=DMARC1; p=reject")}},
            {"_dmarc.example.com", {txt(kReject)}},
            {"mail.example.com", {a("192.0.2.1")}}});
  const Discovery d = discover(z, "mail.example.com", std::string("example.com"));
  CHECK(count(d.findings, "dmarc.record.multiple") == 1);
  CHECK(get(d.findings, "dmarc.record.multiple").severity == Severity::error);
  CHECK(d.status == DiscoveryStatus::found);  // RFC 9989: on to the organizational domain
  CHECK(d.record_domain == "example.com");
  CHECK(d.source == PolicySource::sp);
}

TEST_CASE("dmarc discovery: several DMARC records at the organizational domain leave no policy") {
  const auto z =
      zone({{"_dmarc.example.com", {txt("v=DMARC1; p=none"), txt("v=DMARC1; p=reject")}}});
  const Discovery d = discover(z, "example.com", std::string("example.com"));
  CHECK(d.status == DiscoveryStatus::none);
  CHECK(count(d.findings, "dmarc.record.multiple") == 1);
  CHECK(contains(d.reason, "No single DMARC record"));
}

TEST_CASE("dmarc discovery: no record anywhere is a finding") {
  const auto z = zone(json::object());
  const Discovery d = discover(z, "mail.example.com", std::string("example.com"));
  CHECK(d.status == DiscoveryStatus::none);
  CHECK(d.queries.size() == 2);
  CHECK(get(d.findings, "dmarc.record.missing").severity == Severity::warning);
  CHECK(contains(get(d.findings, "dmarc.record.missing").fix, "_dmarc.example.com"));
}

TEST_CASE("dmarc discovery: without an organizational domain, only the From domain is queried") {
  const auto z = zone({{"_dmarc.example.com", {txt(kReject)}}});
  const Discovery d = discover(z, "mail.example.com", std::nullopt);
  CHECK(d.status == DiscoveryStatus::none);
  CHECK(d.queries.size() == 1);
}

TEST_CASE("dmarc discovery: a temporary error stops discovery with temperror") {
  const auto z = zone({{"_dmarc.mail.example.com", {{{"type", "TIMEOUT"}}}},
                       {"_dmarc.example.com", {txt(kReject)}}});
  const Discovery d = discover(z, "mail.example.com", std::string("example.com"));
  CHECK(d.status == DiscoveryStatus::temp_error);
  CHECK(count(d.findings, "dmarc.discovery.temp_error") == 1);
}

TEST_CASE("dmarc discovery: names the view has not fetched are listed as needed") {
  const auto z = zone(json::object(), spf::MissingName::unknown);
  const Discovery d = discover(z, "mail.example.com", std::string("example.com"));
  CHECK(d.status == DiscoveryStatus::unknown);
  REQUIRE(d.needed.size() == 1);
  CHECK(d.needed[0].name == "_dmarc.mail.example.com");
  const json j = d;
  CHECK(j["needed"] == json::array({{{"name", "_dmarc.mail.example.com"}, {"type", "TXT"}}}));
}

TEST_CASE(
    "dmarc discovery: an unusable record at the From domain means no policy, and no further "
    "search") {
  const auto z = zone({{"_dmarc.mail.example.com", {txt("v=DMARC1; sp=reject")}},
                       {"_dmarc.example.com", {txt(kReject)}}});
  const Discovery d = discover(z, "mail.example.com", std::string("example.com"));
  CHECK(d.status == DiscoveryStatus::no_policy);
  CHECK(d.queries.size() == 1);
  CHECK(count(d.findings, "dmarc.record.unusable") == 1);
}

TEST_CASE("dmarc discovery: t=y makes receivers apply one level less") {
  const auto z = zone({{"_dmarc.example.com", {txt("v=DMARC1; p=reject; t=y")}}});
  const Discovery d = discover(z, "example.com", std::string("example.com"));
  CHECK(d.policy == Policy::reject);
  CHECK(d.applied == Policy::quarantine);
  CHECK(d.testing);
}

TEST_CASE(
    "dmarc discovery: a TXT record in several strings is joined (RFC 9989 B.2.5 as published)") {
  const auto z =
      zone({{"_dmarc.test.example.com",
             {txt_strings({"v=DMARC1; p=quarantine; ", "rua=mailto:dmarc-feedback@example.com,",
                           "mailto:tld-test@thirdparty.example.net; ", "t=y"})}}});
  const Discovery d = discover(z, "test.example.com", std::string("example.com"));
  REQUIRE(d.status == DiscoveryStatus::found);
  CHECK(d.record->rua.size() == 2);
  CHECK(d.record->rua[1].external);
  CHECK(d.record->rua[1].authorization ==
        Authorization::unauthorized);  // the zone has no authorisation
  CHECK(d.applied == Policy::none);
}

TEST_CASE(
    "dmarc discovery: a From domain that is not a name, or a wrong organizational domain, is an "
    "error") {
  const auto z = zone(json::object());
  CHECK(count(discover(z, "not a domain", std::nullopt).findings, "dmarc.discovery.bad_domain") ==
        1);
  CHECK(count(discover(z, "mail.example.com", std::string("example.net")).findings,
              "dmarc.discovery.bad_domain") == 1);
}

TEST_CASE("dmarc discovery: an internationalised From domain is queried in A-labels") {
  const auto z = zone({{"_dmarc.xn--bcher-kva.example", {txt("v=DMARC1; p=reject")}}});
  const Discovery d = discover(z, "bücher.example", std::string("bücher.example"));
  CHECK(d.status == DiscoveryStatus::found);
  CHECK(d.record_name == "_dmarc.xn--bcher-kva.example");
}

TEST_CASE("dmarc discovery: a From domain too long for a _dmarc name has no record there") {
  std::string name;
  for (int i = 0; i < 3; ++i) name += std::string(63, 'a') + ".";
  name += std::string(53, 'b') + ".example";  // 253 characters: _dmarc. makes it 260
  REQUIRE(name.size() == 253);
  const auto z = zone({{"_dmarc.example", {txt("v=DMARC1; p=reject")}}});
  const Discovery d = discover(z, name, std::string("example"));
  CHECK(d.queries.at(0).outcome.find("longer than DNS allows") != std::string::npos);
  CHECK(d.status == DiscoveryStatus::found);
}

// ---------------------------------------------------------------------------------------------
// The façade method

TEST_CASE("dmarc.parse answers the effective tags of a valid record") {
  const json result =
      methods::dmarc_parse({{"record", "v=DMARC1; p=reject; rua=mailto:d@example.com"}});
  CHECK(result["valid"] == true);
  CHECK(result["tags"]["p"] == "reject");
  CHECK(result["tags"]["sp"] == "reject");
  CHECK(result["tags"]["rua"] == json{"mailto:d@example.com"});
  CHECK(result["findings"] == json::array());
}

TEST_CASE("dmarc.parse answers the reasons a record is not valid") {
  const json result = methods::dmarc_parse({{"record", "v=DMARC1; p=reject; p=none"}});
  CHECK(result["valid"] == false);
  CHECK_FALSE(result.contains("tags"));
  CHECK(result["errors"][0]["code"] == "dmarc.tag.duplicate");
  CHECK(result["errors"][0]["offset"] == 10);
}

TEST_CASE(
    "dmarc.parse joins a record given as TXT strings and checks reports with domain and zone") {
  const json result = methods::dmarc_parse(
      {{"record", {"v=DMARC1; p=none; ", "rua=mailto:d@vendor.example"}},
       {"domain", "example.com"},
       {"zone",
        R"({"example.com._report._dmarc.vendor.example": [{"type": "TXT", "data": ["v=DMARC1"]}]})"}});
  CHECK(result["valid"] == true);
  CHECK(result["domain"] == "example.com");
  CHECK(result["reportUris"][0]["authorization"] == "authorized");
}

TEST_CASE("dmarc.parse compares report domains by their organizational domain (the PSL)") {
  const json siblings = methods::dmarc_parse(
      {{"record", "v=DMARC1; p=reject; rua=mailto:d@b.example.com"}, {"domain", "a.example.com"}});
  CHECK(siblings["reportUris"][0]["external"] == false);
  // github.io is a public suffix (the list's private section): two users are two organizations.
  const json users =
      methods::dmarc_parse({{"record", "v=DMARC1; p=reject; rua=mailto:d@bob.github.io"},
                            {"domain", "alice.github.io"}});
  CHECK(users["reportUris"][0]["external"] == true);
  CHECK(users["reportUris"][0]["authorizationName"] ==
        "alice.github.io._report._dmarc.bob.github.io");
}

TEST_CASE("dmarc.parse refuses requests it cannot answer") {
  auto code_of = [](const json& request) {
    try {
      methods::dmarc_parse(request);
    } catch (const RequestError& e) {
      return e.code() + " " + e.path();
    }
    return std::string("answered");
  };
  CHECK(code_of(json::object()) == "request.missing_field /record");
  CHECK(code_of({{"record", 5}}) == "request.bad_type /record");
  CHECK(code_of({{"record", {"v=DMARC1", 5}}}) == "request.bad_type /record/1");
  CHECK(code_of({{"record", "v=DMARC1"}, {"domain", "not a domain"}}) ==
        "request.bad_value /domain");
  CHECK(code_of({{"record", "v=DMARC1"}, {"domain", 1}}) == "request.bad_type /domain");
  CHECK(code_of({{"record", "v=DMARC1"}, {"domain", "example.com"}, {"zone", "{"}}) ==
        "zone.not_json /zone");
  CHECK(code_of({{"record", "v=DMARC1"}, {"domain", "example.com"}, {"zone", {{"a", 1}}}})
            .rfind("zone.invalid", 0) == 0);
  CHECK(code_of({{"record", "v=DMARC1"}, {"zone", json::object()}}) ==
        "request.missing_field /domain");
  CHECK(code_of(json::array()) == "request.missing_field /record");
  CHECK(code_of({{"record", "anything at all"}}) == "answered");
}
