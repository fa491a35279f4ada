// The relay setup rules: for each rule a config that triggers it and one that does not.
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "api/report.hpp"
#include "config/config.hpp"
#include "config/data.hpp"
#include "rules/rules.hpp"

using nlohmann::json;
using namespace relaycheck;

namespace {

/// A correct setup: one domain, one relay on 587 with STARTTLS and a password, all types.
json base_config() {
  return json::parse(R"({
    "schema": 2,
    "account": {"dataCenter": "US", "editionDailyLimit": 5000},
    "domains": [{
      "name": "zylker.com",
      "returnPath": "crm",
      "crmDkim": {"enabled": true},
      "relays": [{
        "host": "smtp.zylker.com", "port": 587, "security": "starttls",
        "verifyCertificate": true, "certificateHost": "smtp.zylker.com",
        "auth": "password", "username": "crm-relay@zylker.com",
        "dailyLimit": 2000, "emailTypes": ["mass", "workflow", "individual"]
      }]
    }]
  })");
}

json relay_json(const std::string& host, const json& types) {
  json relay = base_config()["domains"][0]["relays"][0];
  relay["host"] = host;
  relay["certificateHost"] = host;
  relay["emailTypes"] = types;
  relay["dailyLimit"] = 1000;
  return relay;
}

/// `config` with the value at each JSON Pointer replaced.
json with(json config, std::initializer_list<std::pair<std::string, json>> changes) {
  for (const auto& [pointer, value] : changes) config[json::json_pointer(pointer)] = value;
  return config;
}

std::vector<Finding> findings_of(const json& config) {
  const LoadedConfig loaded = load_config(config);
  INFO("loader findings: " << json(loaded.findings).dump());
  REQUIRE(loaded.findings.empty());
  return check_setup(loaded.config);
}

std::vector<std::string> codes(const json& config) {
  std::vector<std::string> out;
  for (const auto& f : findings_of(config)) out.push_back(f.code);
  std::sort(out.begin(), out.end());
  return out;
}

bool has(const json& config, const std::string& code) {
  const auto all = codes(config);
  return std::find(all.begin(), all.end(), code) != all.end();
}

Finding only(const std::vector<Finding>& findings, const std::string& code) {
  auto it = std::find_if(findings.begin(), findings.end(),
                         [&](const Finding& f) { return f.code == code; });
  REQUIRE(it != findings.end());
  REQUIRE(std::count_if(findings.begin(), findings.end(),
                        [&](const Finding& f) { return f.code == code; }) == 1);
  return *it;
}

const std::string kRelay = "/domains/0/relays/0";

}  // namespace

TEST_CASE("a correct setup gets only the source's recommendations", "[rules]") {
  CHECK(codes(base_config()) ==
        std::vector<std::string>{"domain.return_path.crm_envelope", "relay.whitelist.recommended"});
  for (const auto& f : findings_of(base_config())) CHECK(f.severity == Severity::info);
}

TEST_CASE("the built-in example raises no error or warning from the setup rules", "[rules]") {
  const LoadedConfig loaded = load_config(json::parse(data::example_config));
  for (const auto& f : check_setup(loaded.config)) {
    INFO(f.code << ": " << f.message);
    CHECK(f.severity == Severity::info);
  }
}

TEST_CASE("every finding has a path, a message and a fix", "[rules]") {
  json bad = with(base_config(), {{"/domains/0/relays/0/host", "10.0.0.1"},
                                  {"/domains/0/relays/0/port", 465},
                                  {"/domains/0/relays/0/security", "none"},
                                  {"/domains/0/relays/0/username", ""},
                                  {"/domains/0/returnPath", "custom-address"},
                                  {"/domains/0/returnPathAddress", "bounce@other.example"}});
  for (const auto& f : findings_of(bad)) {
    INFO(f.code);
    CHECK(f.path.rfind("/", 0) == 0);
    CHECK(!f.message.empty());
    CHECK(!f.fix.empty());
  }
}

TEST_CASE("rule domain.name.missing: a domain needs a name", "[rules]") {
  CHECK(has(with(base_config(), {{"/domains/0/name", ""}}), "domain.name.missing"));
  CHECK_FALSE(has(base_config(), "domain.name.missing"));
}

TEST_CASE("rule domain.name.invalid: a domain must be a valid, fully qualified host name",
          "[rules]") {
  CHECK(has(with(base_config(), {{"/domains/0/name", "zylker_mail.com"}}), "domain.name.invalid"));
  CHECK(has(with(base_config(), {{"/domains/0/name", "zylker"}}), "domain.name.invalid"));
  CHECK(has(with(base_config(), {{"/domains/0/name", "zylker..com"}}), "domain.name.invalid"));
  CHECK_FALSE(has(with(base_config(), {{"/domains/0/name", "B\u00FCcher.example"}}),
                  "domain.name.invalid"));
  CHECK_FALSE(has(base_config(), "domain.name.invalid"));
}

TEST_CASE("rule domain.name.duplicate: the same domain twice is an error, in any form", "[rules]") {
  json twice = base_config();
  twice["domains"].push_back(twice["domains"][0]);
  twice["domains"][1]["name"] = "ZYLKER.com.";
  const Finding f = only(findings_of(twice), "domain.name.duplicate");
  CHECK(f.path == "/domains/1/name");
  CHECK(f.severity == Severity::error);
  json idn = base_config();
  idn["domains"][0]["name"] = "b\u00FCcher.example";
  idn["domains"].push_back(idn["domains"][0]);
  idn["domains"][1]["name"] = "xn--bcher-kva.example";
  CHECK(has(idn, "domain.name.duplicate"));
  json two = base_config();
  two["domains"].push_back(two["domains"][0]);
  two["domains"][1]["name"] = "zylker.net";
  two["domains"][0]["relays"][0]["dailyLimit"] = 1000;
  two["domains"][1]["relays"][0]["dailyLimit"] = 1000;
  CHECK_FALSE(has(two, "domain.name.duplicate"));
}

TEST_CASE("rule domain.relays.too_many: the fourth relay of a domain is an error", "[rules]") {
  json config = base_config();
  auto& relays = config["domains"][0]["relays"];
  relays =
      json::array({relay_json("a.zylker.com", {"mass"}), relay_json("b.zylker.com", {"workflow"}),
                   relay_json("c.zylker.com", {"individual"})});
  for (auto& r : relays) r["dailyLimit"] = 1000;
  CHECK_FALSE(has(config, "domain.relays.too_many"));
  relays.push_back(relay_json("d.zylker.com", json::array()));
  relays[3]["dailyLimit"] = 1000;
  CHECK(only(findings_of(config), "domain.relays.too_many").path == "/domains/0/relays/3");
}

TEST_CASE("rule relay.host.missing: a relay needs a host", "[rules]") {
  CHECK(has(with(base_config(), {{"/domains/0/relays/0/host", ""}}), "relay.host.missing"));
  CHECK_FALSE(has(base_config(), "relay.host.missing"));
}

TEST_CASE("rule relay.host.invalid: the host must be a host name or an IP address", "[rules]") {
  for (const char* host :
       {"smtp_relay.zylker.com", "smtp.zylker.com:587", "010.0.0.1", "1.2.3.256", "[203.0.114.7]",
        "2001:db8::1::2", "fe80::1%eth0", "smtp://zylker.com"}) {
    INFO(host);
    CHECK(only(findings_of(with(base_config(), {{"/domains/0/relays/0/host", host}})),
               "relay.host.invalid")
              .path == kRelay + "/host");
  }
  CHECK_FALSE(has(with(base_config(), {{"/domains/0/relays/0/host", "SMTP.Zylker.com."}}),
                  "relay.host.invalid"));
}

TEST_CASE("rule relay.host.single_label: a single-label host is unreachable from the CRM",
          "[rules]") {
  CHECK(has(with(base_config(), {{"/domains/0/relays/0/host", "mailhost"}}),
            "relay.host.single_label"));
  CHECK(has(with(base_config(), {{"/domains/0/relays/0/host", "localhost"}}),
            "relay.host.single_label"));
  CHECK_FALSE(has(base_config(), "relay.host.single_label"));
}

TEST_CASE("rule relay.host.special_use: names under special-use domains are unreachable",
          "[rules]") {
  for (const char* host :
       {"mail.local", "smtp.internal", "relay.test", "smtp.home.arpa", "x.example.com"}) {
    INFO(host);
    CHECK(has(with(base_config(), {{"/domains/0/relays/0/host", host},
                                   {"/domains/0/relays/0/certificateHost", host}}),
              "relay.host.special_use"));
  }
  CHECK_FALSE(
      has(with(base_config(), {{"/domains/0/relays/0/host", "smtp.localmail.com"},
                               {"/domains/0/relays/0/certificateHost", "smtp.localmail.com"}}),
          "relay.host.special_use"));
}

TEST_CASE("rule relay.host.not_public: IP literals must be public", "[rules]") {
  for (const char* host : {"127.0.0.1",       "10.1.2.3",       "172.16.0.1",   "172.31.255.255",
                           "192.168.1.10",    "100.64.0.1",     "169.254.1.1",  "192.0.2.10",
                           "198.51.100.7",    "203.0.113.25",   "198.18.0.1",   "224.0.0.1",
                           "255.255.255.255", "0.0.0.0",        "::1",          "::",
                           "fd00::25",        "fe80::1",        "2001:db8::25", "ff02::1",
                           "::ffff:10.0.0.1", "64:ff9b::a00:1", "3fff::1",      "fec0::1",
                           "100::1"}) {
    INFO(host);
    const auto findings = findings_of(with(base_config(), {{"/domains/0/relays/0/host", host}}));
    CHECK(only(findings, "relay.host.not_public").severity == Severity::error);
  }
  for (const char* host : {"8.8.8.8", "136.143.188.51", "172.32.0.1", "100.128.0.1", "2a00:1450::1",
                           "::ffff:8.8.8.8", "192.169.0.1"}) {
    INFO(host);
    CHECK_FALSE(
        has(with(base_config(), {{"/domains/0/relays/0/host", host}}), "relay.host.not_public"));
  }
}

TEST_CASE("rule relay.host.duplicate: the same host and port twice in a domain", "[rules]") {
  json config = base_config();
  config["domains"][0]["relays"] = json::array(
      {relay_json("smtp.zylker.com", {"mass"}), relay_json("SMTP.zylker.com.", {"workflow"})});
  CHECK(only(findings_of(config), "relay.host.duplicate").path == "/domains/0/relays/1/host");
  config["domains"][0]["relays"][1]["port"] = 25;
  CHECK_FALSE(has(config, "relay.host.duplicate"));
  json addresses = base_config();
  addresses["domains"][0]["relays"] = json::array(
      {relay_json("2a00:1450::1", {"mass"}), relay_json("2a00:1450:0:0::1", {"workflow"})});
  CHECK(has(addresses, "relay.host.duplicate"));
}

TEST_CASE("rule relay.port.unsupported: only ports 25, 465 and 587", "[rules]") {
  CHECK(has(with(base_config(), {{"/domains/0/relays/0/port", 2525}}), "relay.port.unsupported"));
  CHECK_FALSE(
      has(with(base_config(), {{"/domains/0/relays/0/port", 25}}), "relay.port.unsupported"));
}

TEST_CASE("rule relay.security.mismatch: 465 is implicit TLS, 587 and 25 are STARTTLS", "[rules]") {
  CHECK(has(with(base_config(), {{"/domains/0/relays/0/port", 465}}), "relay.security.mismatch"));
  CHECK(has(with(base_config(),
                 {{"/domains/0/relays/0/port", 465}, {"/domains/0/relays/0/security", "none"}}),
            "relay.security.mismatch"));
  CHECK(has(with(base_config(), {{"/domains/0/relays/0/security", "implicit-tls"}}),
            "relay.security.mismatch"));
  CHECK(has(with(base_config(), {{"/domains/0/relays/0/port", 25},
                                 {"/domains/0/relays/0/security", "implicit-tls"}}),
            "relay.security.mismatch"));
  CHECK_FALSE(has(with(base_config(), {{"/domains/0/relays/0/port", 465},
                                       {"/domains/0/relays/0/security", "implicit-tls"}}),
                  "relay.security.mismatch"));
  CHECK_FALSE(
      has(with(base_config(), {{"/domains/0/relays/0/port", 25}}), "relay.security.mismatch"));
  CHECK_FALSE(has(base_config(), "relay.security.mismatch"));
}

TEST_CASE("rule relay.security.none: 25 or 587 without TLS is a warning", "[rules]") {
  json clear = with(base_config(), {{"/domains/0/relays/0/security", "none"},
                                    {"/domains/0/relays/0/auth", "ip-whitelist"},
                                    {"/domains/0/relays/0/allowedNetworks", {"136.143.176.0/20"}}});
  CHECK(only(findings_of(clear), "relay.security.none").severity == Severity::warning);
  CHECK(has(with(clear, {{"/domains/0/relays/0/port", 25}}), "relay.security.none"));
  CHECK_FALSE(has(with(clear, {{"/domains/0/relays/0/port", 465}}), "relay.security.none"));
  CHECK_FALSE(has(base_config(), "relay.security.none"));
}

TEST_CASE("rule relay.auth.cleartext_password: a password needs TLS", "[rules]") {
  CHECK(has(with(base_config(), {{"/domains/0/relays/0/security", "none"}}),
            "relay.auth.cleartext_password"));
  CHECK_FALSE(has(base_config(), "relay.auth.cleartext_password"));
}

TEST_CASE("rule relay.auth.username_missing: a password needs a username", "[rules]") {
  CHECK(only(findings_of(with(base_config(), {{"/domains/0/relays/0/username", ""}})),
             "relay.auth.username_missing")
            .path == kRelay + "/username");
  CHECK_FALSE(has(base_config(), "relay.auth.username_missing"));
}

TEST_CASE("rule relay.certificate.unverified: verification off is a warning", "[rules]") {
  CHECK(has(with(base_config(), {{"/domains/0/relays/0/verifyCertificate", false}}),
            "relay.certificate.unverified"));
  // Without TLS there is no certificate to verify (relay.security.none says so).
  CHECK_FALSE(has(with(base_config(), {{"/domains/0/relays/0/verifyCertificate", false},
                                       {"/domains/0/relays/0/security", "none"}}),
                  "relay.certificate.unverified"));
  CHECK_FALSE(has(base_config(), "relay.certificate.unverified"));
}

TEST_CASE("rule relay.certificate.host_missing: verification needs the certificate's host name",
          "[rules]") {
  CHECK(has(with(base_config(), {{"/domains/0/relays/0/certificateHost", ""}}),
            "relay.certificate.host_missing"));
  CHECK_FALSE(has(base_config(), "relay.certificate.host_missing"));
}

TEST_CASE("rule relay.certificate.host_invalid: the certificate name must be a valid DNS name",
          "[rules]") {
  CHECK(has(with(base_config(), {{"/domains/0/relays/0/certificateHost", "*.com"}}),
            "relay.certificate.host_invalid"));
  CHECK(has(with(base_config(), {{"/domains/0/relays/0/certificateHost", "smtp.*.zylker.com"}}),
            "relay.certificate.host_invalid"));
  CHECK_FALSE(has(with(base_config(), {{"/domains/0/relays/0/certificateHost", "*.zylker.com"}}),
                  "relay.certificate.host_invalid"));
}

TEST_CASE("rule relay.certificate.host_mismatch: the certificate must cover the relay host",
          "[rules]") {
  CHECK(has(with(base_config(), {{"/domains/0/relays/0/certificateHost", "mail.zylker.com"}}),
            "relay.certificate.host_mismatch"));
  CHECK(has(with(base_config(), {{"/domains/0/relays/0/certificateHost", "*.smtp.zylker.com"}}),
            "relay.certificate.host_mismatch"));
  CHECK_FALSE(has(with(base_config(), {{"/domains/0/relays/0/certificateHost", "*.ZYLKER.com"}}),
                  "relay.certificate.host_mismatch"));
  CHECK_FALSE(has(base_config(), "relay.certificate.host_mismatch"));
}

TEST_CASE("rule relay.certificate.ip_literal: verifying a relay addressed by IP is a warning",
          "[rules]") {
  CHECK(has(with(base_config(), {{"/domains/0/relays/0/host", "136.143.188.51"}}),
            "relay.certificate.ip_literal"));
  CHECK_FALSE(has(with(base_config(), {{"/domains/0/relays/0/host", "136.143.188.51"},
                                       {"/domains/0/relays/0/verifyCertificate", false}}),
                  "relay.certificate.ip_literal"));
  CHECK_FALSE(has(base_config(), "relay.certificate.ip_literal"));
}

TEST_CASE("rule relay.whitelist.recommended: password relays allow the CRM to connect, never relay",
          "[rules]") {
  const Finding f = only(findings_of(base_config()), "relay.whitelist.recommended");
  CHECK(f.severity == Severity::info);
  CHECK(f.message.find("data centre US") != std::string::npos);
  CHECK(f.message.find("without the password") != std::string::npos);
  CHECK(f.fix.find("the snippet that lets the CRM connect") != std::string::npos);
  CHECK(f.fix.find("--") == std::string::npos);  // the command is the report's `action`
  CHECK(f.fix.find("trusted networks.") != std::string::npos);
  CHECK(f.fix.find("Add the CRM's ranges to the relay's trusted networks") == std::string::npos);
  json by_ip = with(base_config(), {{"/domains/0/relays/0/auth", "ip-whitelist"},
                                    {"/domains/0/relays/0/allowedNetworks", json::array()}});
  CHECK_FALSE(has(by_ip, "relay.whitelist.recommended"));
}

TEST_CASE("the report's snippets keep SMTP AUTH required unless every relay is IP-whitelisted",
          "[rules]") {
  const auto report = [](const json& config) {
    const LoadedConfig loaded = load_config(config);
    json whitelist;
    check_setup(loaded.config, &whitelist);
    return whitelist;
  };
  const json by_password = report(base_config());
  CHECK(by_password["snippetKind"] == "allow-connection");
  const std::string postfix = by_password["snippets"]["postfix"];
  CHECK(postfix.find("mynetworks = ") == std::string::npos);
  CHECK(postfix.find("check_client_access cidr:/etc/postfix/crm-clients.cidr") !=
        std::string::npos);
  CHECK(by_password["snippets"]["sendmail"].get<std::string>().find("\tRELAY") ==
        std::string::npos);
  CHECK(by_password["snippetsByKind"]["grant-relay"]["exim"].get<std::string>().find(
            "relay_from_hosts") != std::string::npos);
  json by_ip = with(base_config(),
                    {{"/domains/0/relays/0/auth", "ip-whitelist"},
                     {"/domains/0/relays/0/allowedNetworks", json::array({"136.143.176.0/21"})}});
  CHECK(report(by_ip)["snippetKind"] == "grant-relay");
  json mixed = base_config();
  mixed["domains"][0]["relays"].push_back(by_ip["domains"][0]["relays"][0]);
  mixed["domains"][0]["relays"][1]["host"] = "smtp2.zylker.com";
  CHECK(report(mixed)["snippetKind"] == "allow-connection");
}

TEST_CASE("IP-authenticated relays get the address engine's whitelist check", "[rules]") {
  json by_ip = with(base_config(),
                    {{"/domains/0/relays/0/auth", "ip-whitelist"},
                     {"/domains/0/relays/0/allowedNetworks", json::array({"136.143.176.0/23"})}});
  const Finding missing = only(findings_of(by_ip), "whitelist.missing_ranges");
  CHECK(missing.path == kRelay + "/allowedNetworks");
  CHECK(missing.fix.find("204.141.42.0/23") != std::string::npos);
  CHECK(has(with(by_ip, {{"/domains/0/relays/0/allowedNetworks/0", "10.0.0.1/8"}}),
            "whitelist.invalid_entry"));
  CHECK(has(with(by_ip, {{"/domains/0/relays/0/allowedNetworks/0", "0.0.0.0/0"}}),
            "whitelist.open_to_internet"));
  CHECK_FALSE(has(base_config(), "whitelist.missing_ranges"));
}

TEST_CASE("rule relay.whitelist.submission_port: IP whitelisting on 587 or 465 names master.cf",
          "[rules]") {
  json by_ip = with(base_config(),
                    {{"/domains/0/relays/0/auth", "ip-whitelist"},
                     {"/domains/0/relays/0/allowedNetworks", json::array({"136.143.176.0/21"})}});
  const Finding f = only(findings_of(by_ip), "relay.whitelist.submission_port");
  CHECK(f.severity == Severity::warning);
  CHECK(f.path == kRelay + "/port");
  CHECK(f.message.find("RFC 6409 §4.3") != std::string::npos);
  CHECK(f.fix.find("master.cf") != std::string::npos);
  CHECK_FALSE(
      has(with(by_ip, {{"/domains/0/relays/0/port", 25}}), "relay.whitelist.submission_port"));
  CHECK_FALSE(has(base_config(), "relay.whitelist.submission_port"));
}

TEST_CASE("rule whitelist.shared_data_center_dkim: an IP-whitelisted relay that signs is an error",
          "[rules]") {
  json by_ip = with(base_config(),
                    {{"/domains/0/relays/0/auth", "ip-whitelist"},
                     {"/domains/0/relays/0/allowedNetworks", json::array({"136.143.176.0/21"})}});
  CHECK(only(findings_of(by_ip), "whitelist.shared_data_center").severity == Severity::warning);
  json signs = with(by_ip, {{"/domains/0/relays/0/dkim", json{{"signs", true}}}});
  CHECK(only(findings_of(signs), "whitelist.shared_data_center_dkim").severity == Severity::error);
  CHECK_FALSE(has(signs, "whitelist.shared_data_center"));
}

TEST_CASE("pasted CRM ranges that admit the Internet stay out of the snippets", "[rules]") {
  json custom = with(base_config(), {{"/account/dataCenter", "custom"},
                                     {"/account/crmRanges", {"0.0.0.0/0", "136.143.176.0/21"}}});
  CHECK(only(findings_of(custom), "crm.range_too_broad").path == "/account/crmRanges/0");
  const LoadedConfig loaded = load_config(custom);
  json whitelist;
  check_setup(loaded.config, &whitelist);
  CHECK(whitelist["ranges"] == json::array({"136.143.176.0/21"}));
  CHECK(whitelist["snippets"]["postfix"].get<std::string>().find("0.0.0.0") == std::string::npos);
}

TEST_CASE("a custom data centre needs its ranges, checked once", "[rules]") {
  json custom = with(base_config(), {{"/account/dataCenter", "custom"}});
  CHECK(only(findings_of(custom), "crm.unknown_data_center").path == "/account/crmRanges");
  json pasted = with(custom, {{"/account/crmRanges", {"136.143.176.0/20", "300.1.1.1"}}});
  CHECK(only(findings_of(pasted), "crm.invalid_range").path == "/account/crmRanges/1");
  CHECK_FALSE(
      has(with(custom, {{"/account/crmRanges", {"136.143.176.0/20"}}}), "crm.unknown_data_center"));
}

TEST_CASE("rule domain.email_type.conflict: one relay per email type, naming both", "[rules]") {
  json config = base_config();
  config["domains"][0]["relays"] =
      json::array({relay_json("a.zylker.com", {"mass", "workflow"}),
                   relay_json("b.zylker.com", {"individual", "mass"})});
  const Finding f = only(findings_of(config), "domain.email_type.conflict");
  CHECK(f.path == "/domains/0/relays/1/emailTypes/1");
  CHECK(f.message.find("a.zylker.com") != std::string::npos);
  CHECK(f.message.find("b.zylker.com") != std::string::npos);
  config["domains"][0]["relays"][1]["emailTypes"] = {"individual"};
  CHECK_FALSE(has(config, "domain.email_type.conflict"));
}

TEST_CASE("rule relay.email_types.none: a relay that carries no type is never used", "[rules]") {
  json config = base_config();
  config["domains"][0]["relays"] = json::array(
      {relay_json("a.zylker.com", {"mass"}), relay_json("b.zylker.com", json::array())});
  CHECK(only(findings_of(config), "relay.email_types.none").path ==
        "/domains/0/relays/1/emailTypes");
  CHECK_FALSE(has(base_config(), "relay.email_types.none"));
}

TEST_CASE("rule domain.email_types.unrouted: a domain with relays but no type routed", "[rules]") {
  json none = with(base_config(), {{"/domains/0/relays/0/emailTypes", json::array()}});
  CHECK(codes(none) == std::vector<std::string>{"domain.email_types.unrouted",
                                                "domain.return_path.crm_envelope",
                                                "relay.whitelist.recommended"});
  CHECK_FALSE(has(base_config(), "domain.email_types.unrouted"));
  CHECK_FALSE(has(with(base_config(), {{"/domains/0/relays", json::array()}}),
                  "domain.email_types.unrouted"));
}

TEST_CASE("rule domain.return_path.crm_envelope: the relay must accept the CRM's bounce domains",
          "[rules]") {
  CHECK(only(findings_of(base_config()), "domain.return_path.crm_envelope")
            .message.find("not entered") != std::string::npos);
  json named = with(base_config(), {{"/account/bounceDomains", {"bounce.crm.example.net"}}});
  CHECK(only(findings_of(named), "domain.return_path.crm_envelope")
            .fix.find("bounce.crm.example.net") != std::string::npos);
  CHECK_FALSE(has(with(base_config(), {{"/domains/0/returnPath", "from-address"}}),
                  "domain.return_path.crm_envelope"));
}

TEST_CASE("rule domain.bounces.unmanaged: a return path off the CRM turns bounce management off",
          "[rules]") {
  CHECK(has(with(base_config(), {{"/domains/0/returnPath", "from-address"}}),
            "domain.bounces.unmanaged"));
  CHECK(has(with(base_config(), {{"/domains/0/returnPath", "custom-address"},
                                 {"/domains/0/returnPathAddress", "bounce@zylker.com"}}),
            "domain.bounces.unmanaged"));
  CHECK_FALSE(has(base_config(), "domain.bounces.unmanaged"));
}

TEST_CASE("rule domain.return_path.sender_mailbox: From address bounces go to each sender",
          "[rules]") {
  CHECK(has(with(base_config(), {{"/domains/0/returnPath", "from-address"}}),
            "domain.return_path.sender_mailbox"));
  CHECK_FALSE(has(base_config(), "domain.return_path.sender_mailbox"));
}

TEST_CASE("rule domain.return_path_address.missing: a custom return path needs an address",
          "[rules]") {
  CHECK(has(with(base_config(), {{"/domains/0/returnPath", "custom-address"}}),
            "domain.return_path_address.missing"));
  CHECK_FALSE(has(with(base_config(), {{"/domains/0/returnPath", "custom-address"},
                                       {"/domains/0/returnPathAddress", "bounce@zylker.com"}}),
                  "domain.return_path_address.missing"));
}

TEST_CASE("rule domain.return_path_address.invalid: the custom address must be valid", "[rules]") {
  for (const char* address : {"bounce", "bounce@@zylker.com", "Bounce <bounce@zylker.com>",
                              "bo unce@zylker.com", "bounce@zylker", "bounce@[203.0.113.1]"}) {
    INFO(address);
    CHECK(has(with(base_config(), {{"/domains/0/returnPath", "custom-address"},
                                   {"/domains/0/returnPathAddress", address}}),
              "domain.return_path_address.invalid"));
  }
  CHECK_FALSE(
      has(with(base_config(), {{"/domains/0/returnPath", "custom-address"},
                               {"/domains/0/returnPathAddress", "\"bounce desk\"@zylker.com"}}),
          "domain.return_path_address.invalid"));
}

TEST_CASE("rule domain.return_path_address.foreign: the address must be under a relay domain",
          "[rules]") {
  json custom = with(base_config(), {{"/domains/0/returnPath", "custom-address"}});
  CHECK(has(with(custom, {{"/domains/0/returnPathAddress", "bounce@zylker.net"}}),
            "domain.return_path_address.foreign"));
  CHECK(has(with(custom, {{"/domains/0/returnPathAddress", "bounce@notzylker.com"}}),
            "domain.return_path_address.foreign"));
  CHECK_FALSE(has(with(custom, {{"/domains/0/returnPathAddress", "bounce@zylker.com"}}),
                  "domain.return_path_address.foreign"));
  CHECK_FALSE(has(with(custom, {{"/domains/0/returnPathAddress", "bounce@Bounces.Zylker.com"}}),
                  "domain.return_path_address.foreign"));
  // Another configured domain that has a relay is accepted too.
  json two = with(custom, {{"/domains/0/returnPathAddress", "bounce@zylker.net"}});
  two["domains"].push_back(base_config()["domains"][0]);
  two["domains"][1]["name"] = "zylker.net";
  two["domains"][0]["relays"][0]["dailyLimit"] = 1000;
  two["domains"][1]["relays"][0]["dailyLimit"] = 1000;
  CHECK_FALSE(has(two, "domain.return_path_address.foreign"));
}

TEST_CASE("rule domain.return_path_address.ignored: an address with another return-path mode",
          "[rules]") {
  CHECK(has(with(base_config(), {{"/domains/0/returnPathAddress", "bounce@zylker.com"}}),
            "domain.return_path_address.ignored"));
  CHECK_FALSE(has(base_config(), "domain.return_path_address.ignored"));
}

TEST_CASE("rule relay.return_path.rewritten: bounce data stays on the relay", "[rules]") {
  CHECK(only(findings_of(with(base_config(), {{"/domains/0/relays/0/rewritesReturnPath", true}})),
             "relay.return_path.rewritten")
            .message.find("API") != std::string::npos);
  CHECK_FALSE(has(base_config(), "relay.return_path.rewritten"));
}

TEST_CASE("rule account.relay_limits.exceed_edition: relays share the edition's limit", "[rules]") {
  CHECK(has(with(base_config(), {{"/domains/0/relays/0/dailyLimit", 5001}}),
            "account.relay_limits.exceed_edition"));
  json two = base_config();
  two["domains"].push_back(two["domains"][0]);
  two["domains"][1]["name"] = "zylker.net";
  two["domains"][0]["relays"][0]["dailyLimit"] = 3000;
  two["domains"][1]["relays"][0]["dailyLimit"] = 3000;
  CHECK(only(findings_of(two), "account.relay_limits.exceed_edition").message.find("6000") !=
        std::string::npos);
  CHECK_FALSE(has(with(base_config(), {{"/domains/0/relays/0/dailyLimit", 5000}}),
                  "account.relay_limits.exceed_edition"));
  CHECK_FALSE(has(with(base_config(), {{"/domains/0/relays/0/dailyLimit", kMaxCount},
                                       {"/account/editionDailyLimit", kMaxCount}}),
                  "account.relay_limits.exceed_edition"));
}

TEST_CASE("rule relay.daily_limit.zero: a relay with types and a limit of 0", "[rules]") {
  CHECK(
      has(with(base_config(), {{"/domains/0/relays/0/dailyLimit", 0}}), "relay.daily_limit.zero"));
  CHECK_FALSE(has(with(base_config(), {{"/domains/0/relays/0/dailyLimit", 0},
                                       {"/domains/0/relays/0/emailTypes", json::array()}}),
                  "relay.daily_limit.zero"));
  CHECK_FALSE(has(base_config(), "relay.daily_limit.zero"));
}

TEST_CASE("rule account.bounce_domain.invalid: the CRM's bounce domains must be domain names",
          "[rules]") {
  CHECK(only(findings_of(with(base_config(),
                              {{"/account/bounceDomains", {"bounce.zoho.example", "bad domain"}}})),
             "account.bounce_domain.invalid")
            .path == "/account/bounceDomains/1");
  CHECK(has(with(base_config(), {{"/account/bounceDomains", {"zoho"}}}),
            "account.bounce_domain.invalid"));
  CHECK_FALSE(has(with(base_config(), {{"/account/bounceDomains", {"bounce.zoho.example"}}}),
                  "account.bounce_domain.invalid"));
}

TEST_CASE("hostile config strings never break the rules", "[rules]") {
  std::string garbage;
  for (int i = 0; i < 3000; ++i) garbage += static_cast<char>('!' + (i * 37) % 90);
  for (const char* field : {"host", "certificateHost", "username"}) {
    json config = with(base_config(), {{std::string(kRelay) + "/" + field, garbage}});
    for (const auto& f : findings_of(config)) CHECK(f.message.size() < 600);
  }
  json address = with(base_config(), {{"/domains/0/returnPath", "custom-address"},
                                      {"/domains/0/returnPathAddress", std::string(5000, '"')}});
  CHECK(has(address, "domain.return_path_address.invalid"));
  json name = with(base_config(), {{"/domains/0/name", "\u00E9" + std::string(3000, 'a')}});
  for (const auto& f : findings_of(name)) CHECK(f.message.size() < 600);
}

TEST_CASE("the report carries each domain in both forms and the text groups by domain",
          "[rules][report]") {
  json config = with(base_config(), {{"/domains/0/name", "B\u00FCcher.example"},
                                     {"/domains/0/relays/0/port", 465}});
  const json report = analyze_config(load_config(config));
  CHECK(report["domains"] ==
        json::parse(R"([{"name": "B\u00fccher.example", "ascii": "xn--bcher-kva.example",
                                               "unicode": "b\u00fccher.example"}])"));
  const std::string text = format_report_text(report);
  CHECK(text.find("Domain b\u00FCcher.example (xn--bcher-kva.example)\n") != std::string::npos);
  CHECK(text.find("relay smtp.zylker.com:465") != std::string::npos);
  CHECK(text.find("fix: Choose implicit TLS") != std::string::npos);
  const json bad = analyze_config(load_config(with(base_config(), {{"/domains/0/name", "a..b"}})));
  CHECK(bad["domains"][0]["ascii"].is_null());
}
