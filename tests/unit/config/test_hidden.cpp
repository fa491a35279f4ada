// Hidden characters (bidirectional controls, zero-width and other invisible characters) in the
// config: every string field where they can appear is reported once, with the value shown as
// core shows it (‹U+202E›), and no message or fix carries the raw character.
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "config/data.hpp"
#include "relaycheck/facade.hpp"

using nlohmann::json;
using namespace relaycheck;

namespace {

const std::string kRlo = "\xE2\x80\xAE";   // U+202E RIGHT-TO-LEFT OVERRIDE
const std::string kZwsp = "\xE2\x80\x8B";  // U+200B ZERO WIDTH SPACE

json example() { return json::parse(data::example_config); }

json analyze(const json& config) {
  const json response = json::parse(call("analyze", json{{"config", config}}.dump()));
  return response.value("result", json::object());
}

std::vector<json> findings_at(const json& report, const std::string& path) {
  std::vector<json> out;
  for (const json& f : report.value("findings", json::array())) {
    if (f.value("path", "") == path) out.push_back(f);
  }
  return out;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// No finding of the report holds a raw hidden character that the test put in.
void check_no_raw(const json& report) {
  for (const json& f : report.value("findings", json::array())) {
    for (const char* part : {"message", "fix"}) {
      const std::string text = f.value(part, "");
      INFO(f.value("code", "") << " " << part << ": " << text);
      CHECK_FALSE(contains(text, kRlo));
      CHECK_FALSE(contains(text, kZwsp));
    }
  }
}

const Finding* invisible_at(const LoadedConfig& loaded, const std::string& path) {
  for (const Finding& f : loaded.findings) {
    if (f.code == "config.text.invisible" && f.path == path) return &f;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a right-to-left override in a user name is a warning that shows it",
          "[config][hidden]") {
  json config = example();
  config["domains"][0]["relays"][0]["username"] = "crm-relay" + kRlo + "@zylker.com";
  const LoadedConfig loaded = load_config(config);
  const Finding* f = invisible_at(loaded, "/domains/0/relays/0/username");
  REQUIRE(f != nullptr);
  CHECK(f->severity == Severity::warning);
  CHECK(f->message ==
        "The value \"crm-relay‹U+202E›@zylker.com\" of \"User name\" holds U+202E, a right-to-left "
        "override, which makes the text after it display reversed: what you see is not what the "
        "CRM sends.");
  CHECK(contains(f->fix, "without ‹U+202E›"));
  CHECK_FALSE(contains(f->fix, kRlo));
  CHECK(loaded.findings.size() == 1);
  // The value itself is kept as written: the CRM sends it so.
  CHECK(loaded.config.domains[0].relays[0].username == "crm-relay" + kRlo + "@zylker.com");
}

TEST_CASE("every hidden character of a value is counted, the first one named", "[config][hidden]") {
  json config = example();
  config["domains"][0]["relays"][0]["username"] = "a" + kZwsp + "b" + kZwsp + "c" + kRlo;
  const LoadedConfig loaded = load_config(config);
  const Finding* f = invisible_at(loaded, "/domains/0/relays/0/username");
  REQUIRE(f != nullptr);
  CHECK(contains(f->message, "\"a‹U+200B›b‹U+200B›c‹U+202E›\""));
  CHECK(contains(f->message, "U+200B, a zero-width space (and 2 more hidden characters)"));
  CHECK(contains(f->message, "takes no room on screen"));
  CHECK(contains(f->fix, "and the other marked characters"));
}

TEST_CASE("a hidden character far into a long value is inside the quote", "[config][hidden]") {
  json config = example();
  config["domains"][0]["relays"][0]["username"] = std::string(200, 'x') + kRlo + "tail";
  const LoadedConfig loaded = load_config(config);
  const Finding* f = invisible_at(loaded, "/domains/0/relays/0/username");
  REQUIRE(f != nullptr);
  CHECK(contains(f->message, "\"…" + std::string(16, 'x') + "‹U+202E›tail\""));
  CHECK(f->message.size() < 400);
}

TEST_CASE("an outbound IP that holds a hidden character is a warning, as nothing else reads it",
          "[config][hidden]") {
  json config = example();
  config["domains"][0]["relays"][0]["outboundIps"][0] = "203.0.113.25" + kRlo;
  const json report = analyze(config);
  const std::vector<json> at = findings_at(report, "/domains/0/relays/0/outboundIps/0");
  REQUIRE(at.size() == 1);
  CHECK(at[0].value("code", "") == "config.text.invisible");
  CHECK(at[0].value("severity", "") == "warning");
  CHECK(
      contains(at[0].value("message", ""), "\"203.0.113.25‹U+202E›\" of \"Relay's outbound IPs\""));
  check_no_raw(report);
}

TEST_CASE("hidden characters in the DNS records are reported where receivers read them",
          "[config][hidden]") {
  json config = example();
  config["dns"]["zylker.com"][0]["data"][0] = "v=spf1 ip4:203.0.113.25 " + kZwsp + "~all";
  config["dns"]["zylker.com"][0]["resolver"] = "1.1.1.1" + kRlo;
  config["dns"]["sel" + kRlo + "._domainkey.zylker.com"] =
      json::array({{{"type", "TXT" + kZwsp}, {"data", "v=DKIM1;" + kZwsp + " p=AAAA"}}});
  const LoadedConfig loaded = load_config(config);
  const Finding* data = invisible_at(loaded, "/dns/zylker.com/0/data/0");
  REQUIRE(data != nullptr);
  CHECK(data->severity == Severity::warning);
  CHECK(contains(data->message, "‹U+200B›~all"));
  CHECK(contains(data->message, "\"Record text\""));
  CHECK(contains(data->message, "what receivers read in DNS"));
  const Finding* resolver = invisible_at(loaded, "/dns/zylker.com/0/resolver");
  REQUIRE(resolver != nullptr);
  CHECK(contains(resolver->message, "\"1.1.1.1‹U+202E›\""));
  const std::string owner = "/dns/sel" + kRlo + "._domainkey.zylker.com";
  const Finding* name = invisible_at(loaded, owner);
  REQUIRE(name != nullptr);
  CHECK(contains(name->message, "\"sel‹U+202E›._domainkey.zylker.com\" of \"DNS name\""));
  CHECK(invisible_at(loaded, owner + "/0/type") != nullptr);
  CHECK(invisible_at(loaded, owner + "/0/data") != nullptr);
}

TEST_CASE("a field that a check refuses is reported once, by that check, showing the character",
          "[config][hidden]") {
  struct Case {
    std::string pointer;
    std::string value;
    json setup = json::object();  ///< pointer → value set first (what makes the field used)
  };
  const std::vector<Case> cases{
      {"/account/bounceDomains/0", "bounce" + kRlo + ".zylker.com"},
      {"/account/timeZone", "America/New" + kRlo + "_York"},
      {"/domains/0/name", "zyl" + kRlo + "ker.com"},
      {"/domains/0/relays/0/host", "smtp.zyl" + kRlo + "ker.com"},
      {"/domains/0/relays/0/host", "smtp.zyl" + kZwsp + "ker.com"},
      {"/domains/0/relays/0/host", "smtp.zyl\xD8\x9Cker.com"},  // U+061C ARABIC LETTER MARK
      {"/domains/0/relays/0/certificateHost", "smtp.zyl" + kRlo + "ker.com"},
      {"/domains/0/crmDkim/domain", "zyl" + kRlo + "ker.com"},
      {"/domains/0/crmDkim/selector", "s" + kRlo + "1"},
      {"/domains/0/relays/0/dkim/domain",
       "zyl" + kRlo + "ker.com",
       {{"/domains/0/relays/0/dkim/signs", true}}},
      {"/domains/0/relays/0/dkim/selector",
       "s" + kRlo + "1",
       {{"/domains/0/relays/0/dkim/signs", true}}},
      {"/domains/0/relays/0/returnPathDomain",
       "b.zyl" + kRlo + "ker.com",
       {{"/domains/0/relays/0/rewritesReturnPath", true}}},
      {"/domains/0/returnPathAddress",
       "bounce@zyl" + kRlo + "ker.com",
       {{"/domains/0/returnPath", "custom-address"}}},
      {"/domains/0/returnPathAddress",
       "bounce" + kRlo + "@zylker.com",
       {{"/domains/0/returnPath", "custom-address"}}},
      {"/domains/0/relays/0/allowedNetworks/0",
       "136.143.188.0/24" + kRlo,
       {{"/domains/0/relays/0/auth", "ip-whitelist"}}},
      {"/account/crmRanges/0", "136.143.188.0/24" + kRlo},
      {"/account/crmRanges/0", "136.143.188.0/24" + kRlo, {{"/account/dataCenter", "custom"}}},
      {"/dns/zylker.com/0/fetched", "2024-05-01T09:30:00Z" + kRlo},
  };
  for (const Case& c : cases) {
    json config = example();
    for (const auto& [pointer, value] : c.setup.items())
      config[json::json_pointer(pointer)] = value;
    config[json::json_pointer(c.pointer)] = c.value;
    const json report = analyze(config);
    const std::vector<json> at = findings_at(report, c.pointer);
    INFO(c.pointer << " = " << c.value << "\n" << report.value("findings", json::array()).dump(1));
    REQUIRE(at.size() == 1);
    CHECK(at[0].value("code", "") != "config.text.invisible");
    const std::string message = at[0].value("message", "");
    CHECK((contains(message, "‹U+202E›") || contains(message, "‹U+200B›") ||
           contains(message, "‹U+061C›")));
    check_no_raw(report);
  }
}

TEST_CASE("the certificate host of a relay that does not verify it is reported as text",
          "[config][hidden]") {
  json config = example();
  config["domains"][0]["relays"][0]["certificateHost"] = "smtp.zyl" + kRlo + "ker.com";
  config["domains"][0]["relays"][0]["verifyCertificate"] = false;
  const json report = analyze(config);
  const std::vector<json> at = findings_at(report, "/domains/0/relays/0/certificateHost");
  REQUIRE(at.size() == 1);
  CHECK(at[0].value("code", "") == "config.text.invisible");
  check_no_raw(report);
  config["domains"][0]["relays"][0]["verifyCertificate"] = true;
  config["domains"][0]["relays"][0]["security"] = "none";
  CHECK(findings_at(analyze(config), "/domains/0/relays/0/certificateHost").size() == 1);
}

TEST_CASE("the networks of a relay that authenticates by password are reported as text",
          "[config][hidden]") {
  // The whitelist check reads them only for an IP-whitelist relay: here nothing else would.
  json config = example();
  config["domains"][0]["relays"][0]["allowedNetworks"] = json::array({"136.143.188.0/24" + kRlo});
  const LoadedConfig loaded = load_config(config);
  const Finding* f = invisible_at(loaded, "/domains/0/relays/0/allowedNetworks/0");
  REQUIRE(f != nullptr);
  CHECK(contains(f->message, "of \"Networks the relay accepts mail from\""));
  config["domains"][0]["relays"][0]["auth"] = "ip-whitelist";
  CHECK(invisible_at(load_config(config), "/domains/0/relays/0/allowedNetworks/0") == nullptr);
}
