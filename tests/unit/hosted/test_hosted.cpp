// Hosted relays: host matching by whole labels, the data file's invariants (every fact has a
// source or is marked), and the hosted.* checks against a config and its day plan.
#include <algorithm>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "hosted/hosted.hpp"
#include "plan/plan.hpp"

namespace {

using nlohmann::json;
using relaycheck::hosted::Fact;
using relaycheck::hosted::host_matches;

json base_config(const std::string& host, int port, const std::string& security) {
  return json{
      {"schema", 2},
      {"account", {{"dataCenter", "US"}, {"editionDailyLimit", 5000}, {"timeZone", "UTC"}}},
      {"domains",
       json::array({json{{"name", "zylker.com"},
                         {"returnPath", "from-address"},
                         {"relays", json::array({json{{"host", host},
                                                      {"port", port},
                                                      {"security", security},
                                                      {"verifyCertificate", true},
                                                      {"certificateHost", host},
                                                      {"auth", "password"},
                                                      {"username", "crm@zylker.com"},
                                                      {"dailyLimit", 1000},
                                                      {"emailTypes", json::array({"mass"})}}})},
                         {"traffic", {{"mass", {{"daily", 100}, {"profile", "flat"}}}}}}})}};
}

std::vector<relaycheck::Finding> hosted_findings(const json& document) {
  const relaycheck::LoadedConfig loaded = relaycheck::load_config(document);
  const relaycheck::plan::Plan day = relaycheck::plan::make_plan(loaded.config);
  return relaycheck::hosted::check(relaycheck::hosted::load(), loaded.config, day);
}

bool has_code(const std::vector<relaycheck::Finding>& findings, const std::string& code,
              relaycheck::Severity severity) {
  return std::any_of(findings.begin(), findings.end(), [&](const relaycheck::Finding& f) {
    return f.code == code && f.severity == severity;
  });
}

bool has_code(const std::vector<relaycheck::Finding>& findings, const std::string& code) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const relaycheck::Finding& f) { return f.code == code; });
}

void check_fact(const std::string& where, const Fact& f) {
  INFO(where);
  CHECK((f.status == "verified" || f.status == "unverified" || f.status == "not-documented"));
  if (f.status == "verified") {
    CHECK(f.source.rfind("https://", 0) == 0);
    CHECK(f.read.size() == 10);
  }
  if (f.status == "unverified") CHECK(!f.reported.empty());
  if (f.status == "not-documented") CHECK(f.value.is_null());
}

}  // namespace

TEST_CASE("a host matches its service only by whole labels, in any case, with a trailing dot",
          "[hosted]") {
  CHECK(host_matches("smtp.office365.com", "smtp.office365.com"));
  CHECK(host_matches("smtp.office365.com", "SMTP.Office365.COM."));
  CHECK_FALSE(host_matches("smtp.office365.com", "smtp.office365.com.evil.example"));
  CHECK_FALSE(host_matches("smtp.office365.com", "evilsmtp.office365.com"));
  CHECK_FALSE(host_matches("smtp.office365.com", "x.smtp.office365.com"));
  CHECK_FALSE(host_matches("smtp.office365.com", "smtp.office365.com.."));
  CHECK_FALSE(host_matches("smtp.office365.com", ""));
}

TEST_CASE("a wildcard label stands for exactly one label", "[hosted]") {
  CHECK(host_matches("email-smtp.*.amazonaws.com", "email-smtp.eu-west-1.amazonaws.com"));
  CHECK_FALSE(host_matches("email-smtp.*.amazonaws.com", "email-smtp.amazonaws.com"));
  CHECK_FALSE(host_matches("email-smtp.*.amazonaws.com", "email-smtp.a.b.amazonaws.com"));
  CHECK_FALSE(host_matches("email-smtp.*.amazonaws.com", "email-smtp..amazonaws.com"));
  CHECK(host_matches("*.mail.protection.outlook.com", "zylker-com.mail.protection.outlook.com"));
  CHECK_FALSE(host_matches("*.mail.protection.outlook.com", "mail.protection.outlook.com"));
  CHECK_FALSE(
      host_matches("*.mail.protection.outlook.com", "x.mail.protection.outlook.com.evil.example"));
}

TEST_CASE("the known hosts are recognised and an unknown one is not", "[hosted]") {
  CHECK(relaycheck::hosted::match("smtp.office365.com")->id == "microsoft365-submission");
  CHECK(relaycheck::hosted::match("contoso-com.mail.protection.outlook.com")->id ==
        "microsoft365-connector");
  CHECK(relaycheck::hosted::match("smtp-relay.gmail.com")->id == "google-relay");
  CHECK(relaycheck::hosted::match("smtp.gmail.com")->id == "google-gmail");
  CHECK(relaycheck::hosted::match("email-smtp.us-east-1.amazonaws.com")->id == "amazon-ses");
  CHECK(relaycheck::hosted::match("smtp.sendgrid.net")->id == "sendgrid");
  CHECK(relaycheck::hosted::match("smtp.eu.mailgun.org")->id == "mailgun");
  CHECK(relaycheck::hosted::match("smtp.postmarkapp.com")->id == "postmark");
  CHECK(relaycheck::hosted::match("smtp-relay.brevo.com")->id == "brevo");
  CHECK(relaycheck::hosted::match("smtp.zeptomail.eu")->id == "zeptomail");
  CHECK_FALSE(relaycheck::hosted::match("smtp.office365.com.evil.example"));
  CHECK_FALSE(relaycheck::hosted::match("evilsmtp.office365.com"));
  CHECK_FALSE(relaycheck::hosted::match("smtp.zylker.com"));
}

TEST_CASE("the data file holds at least eight services, each fact with a source or marked",
          "[hosted][data]") {
  const auto catalog = relaycheck::hosted::load();
  CHECK(catalog.schema == "relaycheck.hosted-relays");
  CHECK(catalog.version == 1);
  CHECK(catalog.services.size() >= 8);
  std::vector<std::string> ids;
  for (const auto& s : catalog.services) {
    INFO(s.id);
    ids.push_back(s.id);
    CHECK(!s.name.empty());
    CHECK(!s.vendor.empty());
    CHECK(!s.form.empty());
    CHECK(!s.setup.empty());
    REQUIRE(!s.hosts.empty());
    for (const auto& h : s.hosts) {
      check_fact(s.id + " host " + h.pattern, h.fact);
      // A pattern is whole labels; `*` only as a whole label.
      for (std::size_t at = h.pattern.find('*'); at != std::string::npos;
           at = h.pattern.find('*', at + 1)) {
        CHECK((at == 0 || h.pattern[at - 1] == '.'));
        CHECK((at + 1 == h.pattern.size() || h.pattern[at + 1] == '.'));
      }
    }
    for (const auto& [key, fact] : std::vector<std::pair<std::string, Fact>>{
             {"ports", s.ports},
             {"auth", s.auth},
             {"limitPerDay", s.limit_per_day},
             {"rate", s.rate},
             {"recipientsPerMessage", s.recipients_per_message},
             {"envelope", s.envelope},
             {"from", s.from},
             {"spfInclude", s.spf_include},
             {"dkim", s.dkim}}) {
      check_fact(s.id + " " + key, fact);
      CHECK(s.raw.contains(key));
    }
    if (s.username) check_fact(s.id + " username", *s.username);
    if (s.ports.known()) {
      for (const auto& p : s.ports.value) {
        CHECK(p.at("port").is_number_integer());
        for (const auto& sec : p.at("security")) {
          CHECK((sec == "none" || sec == "starttls" || sec == "implicit-tls"));
        }
      }
    }
    if (s.envelope.known()) {
      CHECK((s.envelope.value == "verified-required" || s.envelope.value == "rewritten" ||
             s.envelope.value == "any"));
    }
  }
  std::sort(ids.begin(), ids.end());
  CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
}

TEST_CASE("a relay on an unknown host gets no hosted finding", "[hosted]") {
  CHECK(hosted_findings(base_config("smtp.zylker.com", 587, "starttls")).empty());
}

TEST_CASE("a recognised relay is named and told what to set up", "[hosted]") {
  const auto findings = hosted_findings(base_config("smtp.sendgrid.net", 587, "starttls"));
  REQUIRE(has_code(findings, "hosted.recognised", relaycheck::Severity::info));
  CHECK(findings.front().message.rfind("Relay smtp.sendgrid.net is SendGrid's SMTP relay", 0) == 0);
}

TEST_CASE("a port the service does not offer is an error when documented", "[hosted]") {
  CHECK(has_code(hosted_findings(base_config("smtp.postmarkapp.com", 465, "implicit-tls")),
                 "hosted.port", relaycheck::Severity::error));
  CHECK_FALSE(has_code(hosted_findings(base_config("smtp.postmarkapp.com", 587, "starttls")),
                       "hosted.port"));
}

TEST_CASE("a reported port rule is a warning that says it is not confirmed", "[hosted]") {
  const auto findings = hosted_findings(base_config("smtp.zeptomail.com", 25, "starttls"));
  REQUIRE(has_code(findings, "hosted.port", relaycheck::Severity::warning));
  const auto it = std::find_if(findings.begin(), findings.end(),
                               [](const auto& f) { return f.code == "hosted.port"; });
  CHECK(it->message.find("reported, not confirmed") != std::string::npos);
}

TEST_CASE("a security the port does not speak is reported", "[hosted]") {
  CHECK(has_code(hosted_findings(base_config("email-smtp.eu-west-1.amazonaws.com", 587, "none")),
                 "hosted.security", relaycheck::Severity::error));
  CHECK_FALSE(
      has_code(hosted_findings(base_config("email-smtp.eu-west-1.amazonaws.com", 587, "starttls")),
               "hosted.security"));
}

TEST_CASE("a fixed SMTP username is checked", "[hosted]") {
  json config = base_config("smtp.sendgrid.net", 587, "starttls");
  CHECK(has_code(hosted_findings(config), "hosted.auth.username", relaycheck::Severity::error));
  config["domains"][0]["relays"][0]["username"] = "apikey";
  CHECK_FALSE(has_code(hosted_findings(config), "hosted.auth.username"));
}

TEST_CASE("IP-whitelist authentication at a service that needs a sign-in is refused", "[hosted]") {
  json config = base_config("smtp.sendgrid.net", 587, "starttls");
  config["domains"][0]["relays"][0]["auth"] = "ip-whitelist";
  config["domains"][0]["relays"][0]["allowedNetworks"] = json::array({"136.143.176.0/21"});
  CHECK(has_code(hosted_findings(config), "hosted.auth", relaycheck::Severity::error));
}

TEST_CASE("the day's total over a documented daily limit is an error, a conditional one a warning",
          "[hosted]") {
  json config = base_config("smtp.office365.com", 587, "starttls");
  config["account"]["editionDailyLimit"] = 20000;
  config["domains"][0]["relays"][0]["dailyLimit"] = 12000;
  config["domains"][0]["traffic"]["mass"]["daily"] = 12000;
  CHECK(has_code(hosted_findings(config), "hosted.limit.day", relaycheck::Severity::error));
  json ses = base_config("email-smtp.us-east-1.amazonaws.com", 587, "starttls");
  ses["domains"][0]["traffic"]["mass"]["daily"] = 500;
  CHECK(has_code(hosted_findings(ses), "hosted.limit.day", relaycheck::Severity::warning));
}

TEST_CASE("a Microsoft 365 mailbox with a 3,000-email burst exceeds its submission rate",
          "[hosted]") {
  json config = base_config("smtp.office365.com", 587, "starttls");
  config["domains"][0]["relays"][0]["dailyLimit"] = 3000;
  config["domains"][0]["traffic"]["mass"] = {
      {"daily", 3000}, {"profile", "burst"}, {"burstHour", 10}};
  const auto findings = hosted_findings(config);
  CHECK(has_code(findings, "hosted.limit.rate", relaycheck::Severity::warning));
  CHECK_FALSE(has_code(findings, "hosted.limit.day"));
  json flat = base_config("smtp.office365.com", 587, "starttls");
  CHECK_FALSE(has_code(hosted_findings(flat), "hosted.limit.rate"));
}

TEST_CASE("the CRM as return path through a service that verifies the envelope is refused",
          "[hosted]") {
  json config = base_config("email-smtp.us-east-1.amazonaws.com", 587, "starttls");
  config["domains"][0]["returnPath"] = "crm";
  CHECK(
      has_code(hosted_findings(config), "hosted.envelope.unverified", relaycheck::Severity::error));
  config["domains"][0]["returnPath"] = "from-address";
  CHECK_FALSE(has_code(hosted_findings(config), "hosted.envelope.unverified"));
}

TEST_CASE("an SPF record without the service's include is a warning", "[hosted]") {
  json config = base_config("smtp.mailgun.org", 587, "starttls");
  config["dns"] = {
      {"zylker.com", json::array({json{{"type", "TXT"}, {"data", json::array({"v=spf1 -all"})}}})}};
  CHECK(has_code(hosted_findings(config), "hosted.spf.include", relaycheck::Severity::warning));
  config["dns"]["zylker.com"][0]["data"] = json::array({"v=spf1 include:mailgun.org -all"});
  CHECK_FALSE(has_code(hosted_findings(config), "hosted.spf.include"));
}

TEST_CASE("the report names every recognised relay's service and facts with sources", "[hosted]") {
  const auto loaded = relaycheck::load_config(base_config("smtp.postmarkapp.com", 587, "starttls"));
  const json report = relaycheck::hosted::report(relaycheck::hosted::load(), loaded.config);
  REQUIRE(report.size() == 1);
  CHECK(report[0]["service"] == "postmark");
  CHECK(report[0]["serviceName"] == "Postmark");
  CHECK(report[0]["path"] == "/domains/0/relays/0");
  CHECK(report[0]["facts"]["ports"]["status"] == "verified");
  CHECK(report[0]["facts"]["ports"]["source"].get<std::string>().rfind("https://postmarkapp.com",
                                                                       0) == 0);
}
