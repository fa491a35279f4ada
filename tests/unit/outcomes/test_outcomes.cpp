// Authentication outcomes (issue 12): the parts of core/src/outcomes/ one by one (the paths and
// their envelope, DKIM with a modifying relay, the DMARC verdict per policy, the severity and
// bulk-sender rules, the matrix). The end-to-end scenarios are tests/data/vectors/outcomes.json.
#include <algorithm>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "outcomes/detail.hpp"
#include "outcomes/outcomes.hpp"
#include "plan/plan.hpp"

using nlohmann::json;
using namespace relaycheck;
using namespace relaycheck::outcomes;

namespace {

/// The built-in example (zylker.com, one relay carrying mass and workflow mail, a cap of 2,000),
/// with the DMARC record given; `dmarc` empty leaves `_dmarc.zylker.com` out of the DNS data.
json example(const std::string& dmarc = "v=DMARC1; p=quarantine") {
  json relay{{"host", "smtp.zylker.com"},
             {"port", 587},
             {"security", "starttls"},
             {"verifyCertificate", true},
             {"certificateHost", "smtp.zylker.com"},
             {"auth", "password"},
             {"username", "crm-relay@zylker.com"},
             {"dailyLimit", 2000},
             {"emailTypes", {"mass", "workflow"}},
             {"outboundIps", {"203.0.113.25"}},
             {"modifiesMessages", false},
             {"dkim", {{"signs", false}}},
             {"rewritesReturnPath", false},
             {"outageFromHour", nullptr}};
  json domain{{"name", "zylker.com"},
              {"returnPath", "crm"},
              {"crmDkim", {{"enabled", true}}},
              {"relays", {relay}},
              {"traffic",
               {{"individual", {{"daily", 400}, {"profile", "office-hours"}}},
                {"mass", {{"daily", 3000}, {"profile", "burst"}, {"burstHour", 10}}},
                {"workflow", {{"daily", 900}, {"profile", "office-hours"}}}}}};
  json dns{{"zylker.com",
            {{{"type", "TXT"}, {"data", {"v=spf1 ip4:203.0.113.25 include:zohomail.com ~all"}}}}}};
  if (!dmarc.empty()) dns["_dmarc.zylker.com"] = {{{"type", "TXT"}, {"data", {dmarc}}}};
  return {{"schema", 2},
          {"account",
           {{"dataCenter", "US"},
            {"crmRanges", json::array()},
            {"bounceDomains", json::array()},
            {"editionDailyLimit", 5000},
            {"timeZone", "America/New_York"}}},
          {"domains", {domain}},
          {"dns", dns}};
}

json& relay0(json& doc) { return doc["domains"][0]["relays"][0]; }
json& domain0(json& doc) { return doc["domains"][0]; }

Config load(const json& doc) {
  LoadedConfig loaded = load_config(doc);
  for (const auto& f : loaded.findings) INFO(f.code + " " + f.path + " " + f.message);
  REQUIRE_FALSE(has_errors(loaded.findings));
  return loaded.config;
}

/// derive() over the config's own day plan.
struct Derived {
  Config config;
  plan::Plan day;
  Outcomes result;
};

Derived derive_doc(const json& doc) {
  Derived d{load(doc), {}, {}};
  d.day = plan::make_plan(d.config);
  d.result = derive(d.config, d.day);
  return d;
}

/// A copy of the first outcome of the given type and route (a copy: callers pass temporaries).
Outcome path_of(const Outcomes& o, EmailType type, plan::RouteKind kind,
                plan::RouteReason reason = plan::RouteReason::none) {
  const auto it = std::find_if(o.paths.begin(), o.paths.end(), [&](const Outcome& x) {
    return x.path.type == type && x.path.kind == kind && x.path.reason == reason;
  });
  REQUIRE(it != o.paths.end());
  return *it;
}

/// Copies of the findings with `code` (copies: callers pass temporaries).
std::vector<Finding> with_code(const Outcomes& o, const std::string& code) {
  std::vector<Finding> out;
  for (const Finding& f : o.findings) {
    if (f.code == code) out.push_back(f);
  }
  return out;
}

const auto kRelay = plan::RouteKind::relay;
const auto kCrm = plan::RouteKind::crm;
const auto kCap = plan::RouteReason::relay_cap;

}  // namespace

// ---- step 1 and 2: the paths, their envelope and their clients
// ------------------------------------

TEST_CASE("the plan's paths come first, then the overflow route that carries no mail today",
          "[outcomes]") {
  json doc = example();
  relay0(doc)["dailyLimit"] = 4000;
  const Derived d = derive_doc(doc);
  REQUIRE(d.result.paths.size() == d.day.paths.size() + 2);
  for (std::size_t i = 0; i < d.day.paths.size(); ++i) CHECK_FALSE(d.result.paths[i].potential);
  const Outcome& overflow = d.result.paths.back();
  CHECK(overflow.potential);
  CHECK(overflow.path.total == 0);
  CHECK(overflow.path.reason == kCap);
}

TEST_CASE("a relay that is filled today adds no potential route: its overflow carries mail",
          "[outcomes]") {
  const Derived d = derive_doc(example());
  CHECK(d.result.paths.size() == d.day.paths.size());
  CHECK(std::none_of(d.result.paths.begin(), d.result.paths.end(),
                     [](const Outcome& o) { return o.potential; }));
}

TEST_CASE(
    "the envelope sender follows the return-path mode, and a rewriting relay only on "
    "relayed mail",
    "[outcomes]") {
  json doc = example();
  SECTION("crm mode without bounce domains: the CRM's, not named") {
    const Derived d = derive_doc(doc);
    const Outcome& o = path_of(d.result, EmailType::mass, kRelay);
    CHECK(o.envelope_from.empty());
    CHECK(o.envelope_owner == "crm");
  }
  SECTION("from-address: the From domain") {
    domain0(doc)["returnPath"] = "from-address";
    const Derived d = derive_doc(doc);
    CHECK(path_of(d.result, EmailType::mass, kRelay).envelope_from == "zylker.com");
    CHECK(path_of(d.result, EmailType::mass, kCrm, kCap).envelope_owner == "from");
  }
  SECTION("custom-address: the address's domain") {
    domain0(doc)["returnPath"] = "custom-address";
    domain0(doc)["returnPathAddress"] = "bounce@zylker.net";
    const Derived d = derive_doc(doc);
    CHECK(path_of(d.result, EmailType::mass, kRelay).envelope_from == "zylker.net");
  }
  SECTION("a rewriting relay: its domain on relayed mail, the CRM's on the overflow") {
    relay0(doc)["rewritesReturnPath"] = true;
    relay0(doc)["returnPathDomain"] = "bounces.relayvendor.net";
    const Derived d = derive_doc(doc);
    CHECK(path_of(d.result, EmailType::mass, kRelay).envelope_from == "bounces.relayvendor.net");
    CHECK(path_of(d.result, EmailType::mass, kRelay).envelope_owner == "relay");
    CHECK(path_of(d.result, EmailType::mass, kCrm, kCap).envelope_owner == "crm");
  }
}

TEST_CASE("relayed mail has the relay's IPs as clients, the CRM's own mail its ranges (assumed)",
          "[outcomes]") {
  const Derived d = derive_doc(example());
  const Outcome& relayed = path_of(d.result, EmailType::mass, kRelay);
  CHECK(relayed.client_ips == std::vector<std::string>{"203.0.113.25"});
  CHECK_FALSE(relayed.client_ips_assumed);
  const Outcome& overflow = path_of(d.result, EmailType::mass, kCrm, kCap);
  CHECK(overflow.client_ips.size() == 9);
  CHECK(overflow.client_ips_assumed);
}

// ---- step 3: SPF
// ------------------------------------------------------------------------------------

TEST_CASE("a relay IP matched before an include the DNS data lacks is an exact SPF pass",
          "[outcomes][spf]") {
  json doc = example();
  domain0(doc)["returnPath"] = "from-address";
  const Derived d = derive_doc(doc);
  const Outcome& relayed = path_of(d.result, EmailType::mass, kRelay);
  CHECK(relayed.spf->result == "pass");
  CHECK_FALSE(relayed.spf->assumed);
  CHECK(relayed.spf->needed.empty());
  // The CRM's ranges reach the include: their softfail rests on it.
  const Outcome& overflow = path_of(d.result, EmailType::mass, kCrm, kCap);
  CHECK(overflow.spf->result == "softfail");
  CHECK(overflow.spf->assumed);
  CHECK(overflow.spf->needed == std::vector<std::string>{"zohomail.com TXT"});
}

TEST_CASE("a relay IP that reaches an include the DNS data lacks gives an assumed SPF result",
          "[outcomes][spf]") {
  json doc = example();
  domain0(doc)["returnPath"] = "from-address";
  doc["dns"]["zylker.com"][0]["data"] = {"v=spf1 include:zohomail.com ip4:203.0.113.25 ~all"};
  const Derived d = derive_doc(doc);
  const Outcome& relayed = path_of(d.result, EmailType::mass, kRelay);
  CHECK(relayed.spf->result == "pass");
  CHECK(relayed.spf->assumed);
}

TEST_CASE("a rewriting relay's own domain without a record in the DNS data is assumed to pass",
          "[outcomes][spf]") {
  json doc = example();
  relay0(doc)["rewritesReturnPath"] = true;
  relay0(doc)["returnPathDomain"] = "bounces.relayvendor.net";
  SECTION("no record: pass, assumed") {
    const Outcome& o = path_of(derive_doc(doc).result, EmailType::mass, kRelay);
    CHECK(o.spf->result == "pass");
    CHECK(o.spf->assumed);
  }
  SECTION("a record that omits the relay: fail, computed") {
    doc["dns"]["bounces.relayvendor.net"] = {
        {{"type", "TXT"}, {"data", {"v=spf1 ip4:198.51.100.0/24 -all"}}}};
    const Outcome& o = path_of(derive_doc(doc).result, EmailType::mass, kRelay);
    CHECK(o.spf->result == "fail");
    CHECK_FALSE(o.spf->assumed);
  }
}

// ---- step 4: DKIM
// -----------------------------------------------------------------------------------

TEST_CASE("evaluate_dkim: a relay that modifies messages breaks the CRM's signature for certain",
          "[outcomes][dkim]") {
  json doc = example();
  relay0(doc)["modifiesMessages"] = true;
  const Config config = load(doc);
  const plan::Plan day = plan::make_plan(config);
  Context context(config);
  std::vector<Finding> findings;
  prepare(context, findings);
  context.dmarc.assign(config.domains.size(), dmarc::Discovery{});
  const std::vector<Outcome> paths = enumerate_paths(context, day);
  for (const Outcome& o : paths) {
    const std::vector<DkimOutcome> sigs = evaluate_dkim(context, o);
    REQUIRE(sigs.size() == 1);
    INFO((o.path.kind == kRelay ? "relayed" : "the CRM's own route"));
    if (o.path.kind == kRelay) {
      CHECK(sigs[0].result == "fail");
      CHECK_FALSE(sigs[0].aligned);
      CHECK_FALSE(sigs[0].assumed);
    } else {
      CHECK(sigs[0].result == "pass");
      CHECK(sigs[0].aligned);
      CHECK(sigs[0].assumed);  // no selector entered: the key record is taken as valid
    }
  }
}

TEST_CASE("evaluate_dkim: the relay's own signature arrives on relayed mail only",
          "[outcomes][dkim]") {
  json doc = example();
  domain0(doc)["crmDkim"] = {{"enabled", false}};
  relay0(doc)["dkim"] = {{"signs", true}, {"domain", "relayvendor.net"}};
  const Derived d = derive_doc(doc);
  const Outcome& relayed = path_of(d.result, EmailType::mass, kRelay);
  REQUIRE(relayed.dkim.size() == 1);
  CHECK(relayed.dkim[0].signer == "relay");
  CHECK(relayed.dkim[0].result == "pass");
  CHECK_FALSE(relayed.dkim[0].aligned);
  CHECK(path_of(d.result, EmailType::mass, kCrm, kCap).dkim.empty());
}

// ---- step 6: DMARC
// ----------------------------------------------------------------------------------

TEST_CASE("the DMARC disposition of failing mail follows the policy that applies",
          "[outcomes][dmarc]") {
  struct Row {
    const char* record;
    const char* result;
    const char* policy;
    const char* disposition;
  };
  const Row rows[] = {
      {"v=DMARC1; p=reject", "fail", "reject", "reject"},
      {"v=DMARC1; p=quarantine", "fail", "quarantine", "quarantine"},
      {"v=DMARC1; p=none", "fail", "none", "deliver"},
      {"v=DMARC1; p=reject; t=y", "fail", "quarantine", "quarantine"},
      {"v=DMARC1; p=quarantine; t=y", "fail", "none", "deliver"},
  };
  for (const Row& row : rows) {
    json doc = example(row.record);
    domain0(doc)["crmDkim"] = {{"enabled", false}};
    const Outcome& o = path_of(derive_doc(doc).result, EmailType::mass, kRelay);
    INFO(row.record);
    CHECK(o.dmarc->result == row.result);
    CHECK(o.dmarc->policy == row.policy);
    CHECK(o.dmarc->disposition == row.disposition);
  }
}

TEST_CASE("an aligned pass delivers whatever the policy", "[outcomes][dmarc]") {
  const Outcome& o =
      path_of(derive_doc(example("v=DMARC1; p=reject")).result, EmailType::mass, kRelay);
  CHECK(o.dmarc->result == "pass");
  CHECK(o.dmarc->disposition == "deliver");
  CHECK(has_aligned_pass(o));
}

TEST_CASE("pct is carried for RFC 7489 receivers and named in the finding", "[outcomes][dmarc]") {
  json doc = example("v=DMARC1; p=reject; pct=50");
  domain0(doc)["crmDkim"] = {{"enabled", false}};
  const Derived d = derive_doc(doc);
  const Outcome& o = path_of(d.result, EmailType::mass, kRelay);
  REQUIRE(o.dmarc->pct);
  CHECK(*o.dmarc->pct == 50);
  const auto fails = with_code(d.result, "outcome.dmarc.fail");
  REQUIRE_FALSE(fails.empty());
  CHECK_THAT(fails[0].message, Catch::Contains("apply it to 50% of them"));
}

TEST_CASE("no DMARC record: none and deliver, a record not in the DNS data: assumed",
          "[outcomes][dmarc]") {
  SECTION("known to be absent") {
    json doc = example();
    doc["dns"]["_dmarc.zylker.com"] = {{{"type", "NXDOMAIN"}}};
    const Outcome& o = path_of(derive_doc(doc).result, EmailType::mass, kRelay);
    CHECK(o.dmarc->result == "none");
    CHECK(o.dmarc->disposition == "deliver");
    CHECK_FALSE(o.dmarc->assumed);
  }
  SECTION("not fetched") {
    const Outcome& o = path_of(derive_doc(example("")).result, EmailType::mass, kRelay);
    CHECK(o.dmarc->result == "pass");
    CHECK(o.dmarc->disposition == "deliver");
    CHECK(o.dmarc->assumed);
  }
}

// ---- findings and their severity
// -----------------------------------------------------------------

TEST_CASE("a DMARC failure under quarantine of mail sent today is an error",
          "[outcomes][severity]") {
  json doc = example();
  domain0(doc)["crmDkim"] = {{"enabled", false}};
  const auto fails = with_code(derive_doc(doc).result, "outcome.dmarc.fail");
  REQUIRE(fails.size() == 3);
  for (const Finding& f : fails) CHECK(f.severity == Severity::error);
}

TEST_CASE("a DMARC failure under p=none is a warning that never says rejected or spam",
          "[outcomes][severity]") {
  json doc = example("v=DMARC1; p=none");
  domain0(doc)["crmDkim"] = {{"enabled", false}};
  const auto fails = with_code(derive_doc(doc).result, "outcome.dmarc.fail");
  REQUIRE(fails.size() == 3);
  for (const Finding& f : fails) {
    CHECK(f.severity == Severity::warning);
    CHECK_THAT(f.message, !Catch::Contains("reject") && !Catch::Contains("spam"));
  }
}

TEST_CASE("a DMARC failure whose record is not in the DNS data is a warning",
          "[outcomes][severity]") {
  json doc = example("");
  domain0(doc)["crmDkim"] = {{"enabled", false}};
  const auto fails = with_code(derive_doc(doc).result, "outcome.dmarc.fail");
  REQUIRE_FALSE(fails.empty());
  for (const Finding& f : fails) CHECK(f.severity == Severity::warning);
}

TEST_CASE("a route with no mail today that would fail DMARC is a warning that says would",
          "[outcomes][severity]") {
  json doc = example();
  domain0(doc)["crmDkim"] = {{"enabled", false}};
  relay0(doc)["dailyLimit"] = 4000;
  const Derived d = derive_doc(doc);
  const auto fails = with_code(d.result, "outcome.dmarc.fail");
  const auto potential = std::find_if(fails.begin(), fails.end(), [](const Finding& f) {
    return f.message.find("(none today)") != std::string::npos;
  });
  REQUIRE(potential != fails.end());
  CHECK(potential->severity == Severity::warning);
  CHECK_THAT(potential->message, Catch::Contains("would fail DMARC"));
}

TEST_CASE("a relay that breaks the CRM's signature under p=reject is an error pointing at it",
          "[outcomes][severity]") {
  json doc = example("v=DMARC1; p=reject");
  relay0(doc)["modifiesMessages"] = true;
  const auto fails = with_code(derive_doc(doc).result, "outcome.dmarc.fail");
  REQUIRE(fails.size() == 1);
  CHECK(fails[0].severity == Severity::error);
  CHECK(fails[0].path == "/domains/0/relays/0/modifiesMessages");
  CHECK_THAT(fails[0].fix, Catch::Contains("ARC seal"));
}

TEST_CASE("the CRM's ranges refused by -all make a certain failure, a missing include does not",
          "[outcomes][severity]") {
  json doc = example();
  domain0(doc)["returnPath"] = "from-address";
  domain0(doc)["crmDkim"] = {{"enabled", false}};
  SECTION("refused by the record itself: error") {
    doc["dns"]["zylker.com"][0]["data"] = {"v=spf1 ip4:203.0.113.25 -all"};
    const auto fails = with_code(derive_doc(doc).result, "outcome.dmarc.fail");
    REQUIRE(fails.size() == 2);
    for (const Finding& f : fails) CHECK(f.severity == Severity::error);
  }
  SECTION("decided by an include not in the DNS data: warning") {
    const auto fails = with_code(derive_doc(doc).result, "outcome.dmarc.fail");
    REQUIRE(fails.size() == 2);
    for (const Finding& f : fails) CHECK(f.severity == Severity::warning);
  }
}

TEST_CASE("no DMARC record and an aligned DKIM pass: no failure finding", "[outcomes]") {
  json doc = example();
  doc["dns"]["_dmarc.zylker.com"] = {{{"type", "NXDOMAIN"}}};
  const Derived d = derive_doc(doc);
  CHECK(with_code(d.result, "outcome.dmarc.fail").empty());
  CHECK(with_code(d.result, "outcome.spf.relay_hop").size() == 1);
}

TEST_CASE("the relays that keep the CRM as return path share one relay-hop info", "[outcomes]") {
  const auto hops = with_code(derive_doc(example()).result, "outcome.spf.relay_hop");
  REQUIRE(hops.size() == 1);
  CHECK(hops[0].severity == Severity::info);
  CHECK_THAT(hops[0].message, Catch::Contains("226 workflow and 1,774 mass emails a day"));
}

TEST_CASE("a relay without outbound IPs gets a finding, one with IPs does not", "[outcomes]") {
  json doc = example();
  CHECK(with_code(derive_doc(doc).result, "outcome.relay.outbound_ips_missing").empty());
  relay0(doc)["outboundIps"] = json::array();
  CHECK(with_code(derive_doc(doc).result, "outcome.relay.outbound_ips_missing").size() == 1);
}

TEST_CASE("the bulk-sender finding needs 5,000 a day and a gap", "[outcomes][bulk]") {
  json doc = example();
  doc["account"]["editionDailyLimit"] = 10000;
  SECTION("4,300 a day: no finding") {
    doc["dns"]["_dmarc.zylker.com"] = {{{"type", "NXDOMAIN"}}};
    CHECK(with_code(derive_doc(doc).result, "outcome.bulk.requirements").empty());
  }
  SECTION("6,300 a day without a DMARC record: the record is the first gap") {
    domain0(doc)["traffic"]["mass"]["daily"] = 5000;
    doc["dns"]["_dmarc.zylker.com"] = {{{"type", "NXDOMAIN"}}};
    const auto bulk = with_code(derive_doc(doc).result, "outcome.bulk.requirements");
    REQUIRE(bulk.size() == 1);
    CHECK_THAT(bulk[0].message, Catch::Contains("lacks: a DMARC record;"));
    CHECK_THAT(bulk[0].message, !Catch::Contains("an aligned pass"));
  }
  SECTION("6,300 a day with SPF and DKIM passing and aligned on every route: no finding") {
    domain0(doc)["traffic"]["mass"]["daily"] = 5000;
    domain0(doc)["returnPath"] = "from-address";
    doc["dns"]["zylker.com"][0]["data"] = {
        "v=spf1 ip4:203.0.113.25 ip4:8.39.54.0/23 ip4:8.40.222.0/23 ip4:136.143.176.0/21 "
        "ip4:136.143.185.0/24 ip4:136.143.186.0/23 ip4:136.143.189.0/24 ip4:136.143.190.0/23 "
        "ip4:204.141.32.0/23 ip4:204.141.42.0/23 -all"};
    CHECK(with_code(derive_doc(doc).result, "outcome.bulk.requirements").empty());
  }
}

// ---- the matrix
// ------------------------------------------------------------------------------------

TEST_CASE("the matrix names the policy's tag and marks routes with no mail today", "[outcomes]") {
  json doc = example("v=DMARC1; p=none; sp=reject");
  domain0(doc)["name"] = "news.zylker.com";
  doc["dns"]["news.zylker.com"] = {{{"type", "A"}, {"data", "192.0.2.1"}}};
  doc["dns"]["_dmarc.news.zylker.com"] = {{{"type", "NXDOMAIN"}}};
  relay0(doc)["dailyLimit"] = 4000;
  const Derived d = derive_doc(doc);
  std::string written;
  relaycheck::text::JsonWriter out(written);
  write(out, d.result, d.config, {});
  const std::string text = format_matrix(json::parse(written));
  CHECK_THAT(text, Catch::Contains("(sp=reject)"));
  CHECK_THAT(text, !Catch::Contains("(p=reject)"));
  CHECK_THAT(text, Catch::Contains("(0)"));
}
