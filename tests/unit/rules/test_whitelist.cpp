#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rules/crm_networks.hpp"
#include "rules/whitelist.hpp"

namespace relaycheck::data {
extern const std::string_view crm_networks;
}

using namespace relaycheck;

namespace {

std::vector<std::string> texts(const std::vector<ip::Prefix>& prefixes) {
  std::vector<std::string> out;
  for (const auto& p : prefixes) out.push_back(ip::to_string(p));
  return out;
}

ip::PrefixSet set_of(const std::vector<std::string>& list) {
  std::vector<ip::Prefix> prefixes;
  for (const auto& t : list) prefixes.push_back(*ip::parse_prefix(t).value);
  return ip::PrefixSet(prefixes);
}

std::vector<std::string> codes(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.code + " " + f.path);
  return out;
}

const Finding* find(const std::vector<Finding>& findings, const std::string& code) {
  auto it = std::find_if(findings.begin(), findings.end(),
                         [&](const Finding& f) { return f.code == code; });
  return it == findings.end() ? nullptr : &*it;
}

const std::string kPointer = "/domains/0/relays/1/allowedNetworks";

/// The one finding with `code`.
Finding only_code(const std::vector<Finding>& findings, const std::string& code) {
  std::vector<Finding> found;
  for (const auto& f : findings) {
    if (f.code == code) found.push_back(f);
  }
  REQUIRE(found.size() == 1);
  return found[0];
}

}  // namespace

TEST_CASE("every entry of the CRM table is a strict CIDR, with version, date and source",
          "[whitelist]") {
  const auto table = nlohmann::json::parse(data::crm_networks);
  REQUIRE(table.at("dataCenters").size() == 5);
  for (const auto& [name, dc] : table.at("dataCenters").items()) {
    INFO(name);
    REQUIRE(!dc.at("ranges").empty());
    for (const auto& entry : dc.at("ranges")) {
      auto parsed = ip::parse_prefix(entry.get<std::string>());
      INFO(entry.get<std::string>() << ": " << parsed.error);
      CHECK(parsed);
    }
  }
  const auto info = crm::networks_info();
  CHECK(info.version == 1);
  CHECK(info.date.size() == 10);
  CHECK(info.source.find("Setting up Email Relay") != std::string::npos);
  CHECK(crm::data_centers() == std::vector<std::string>{"US", "EU", "IN", "AU", "CN"});
}

TEST_CASE("each data centre's ranges come out aggregated", "[whitelist]") {
  CHECK(texts(crm::data_center_networks("US")->prefixes()) ==
        std::vector<std::string>{"8.39.54.0/23", "8.40.222.0/23", "136.143.176.0/21",
                                 "136.143.185.0/24", "136.143.186.0/23", "136.143.189.0/24",
                                 "136.143.190.0/23", "204.141.32.0/23", "204.141.42.0/23"});
  CHECK(texts(crm::data_center_networks("eu")->prefixes()) ==
        std::vector<std::string>{"31.186.243.0/24", "87.252.213.0/24", "89.36.170.0/24",
                                 "185.20.209.0/24", "185.230.212.0/22", "213.244.146.0/24",
                                 "217.163.72.0/24"});
  // The source lists hosts inside its own /24s; they disappear in the aggregate.
  CHECK(texts(crm::data_center_networks("IN")->prefixes()) ==
        std::vector<std::string>{"103.89.74.0/23", "103.103.196.0/23", "103.103.198.0/24",
                                 "103.117.158.0/23", "125.17.151.81/32", "125.17.212.101/32",
                                 "199.34.22.38/32"});
  CHECK(texts(crm::data_center_networks("AU")->prefixes()).size() == 4);
  CHECK(texts(crm::data_center_networks("CN")->prefixes()).size() == 8);
  CHECK_FALSE(crm::data_center_networks("JP"));
}

TEST_CASE("a pasted list replaces the table, and its bad entries are findings", "[whitelist]") {
  auto custom = crm::required_networks(
      "US", {"192.0.2.0/25", "192.0.2.128/25", "010.1.1.1", "192.0.3.1/24"}, "/account/crmRanges");
  CHECK(custom.label == "custom");
  CHECK(texts(custom.networks.prefixes()) == std::vector<std::string>{"192.0.2.0/23"});
  CHECK(codes(custom.findings) ==
        std::vector<std::string>{"crm.invalid_range /account/crmRanges/2",
                                 "crm.invalid_range /account/crmRanges/3"});
  CHECK(custom.findings[1].message.find("192.0.3.0/24 is used meanwhile") != std::string::npos);
  auto builtin = crm::required_networks("au", {}, "/account/crmRanges");
  CHECK(builtin.label == "AU");
  CHECK(builtin.findings.empty());
  auto unknown = crm::required_networks("JP", {}, "/account/crmRanges");
  CHECK(unknown.networks.empty());
  CHECK(codes(unknown.findings) ==
        std::vector<std::string>{"crm.unknown_data_center /account/crmRanges"});
}

TEST_CASE("the whitelist check names the exact CIDRs a relay misses", "[whitelist]") {
  const auto us = *crm::data_center_networks("US");
  auto r = whitelist::check(
      us, {"127.0.0.0/8", "136.143.176.0/22", "204.141.32.0/23", "8.39.54.0/24"}, kPointer, "US");
  CHECK(texts(r.missing) == std::vector<std::string>{"8.39.55.0/24", "8.40.222.0/23",
                                                     "136.143.180.0/22", "136.143.185.0/24",
                                                     "136.143.186.0/23", "136.143.189.0/24",
                                                     "136.143.190.0/23", "204.141.42.0/23"});
  CHECK(r.missing_addresses.ipv4 == "3840");
  CHECK(r.required_addresses.ipv4 == "5632");
  const Finding* missing = find(r.findings, "whitelist.missing_ranges");
  REQUIRE(missing);
  CHECK(missing->severity == Severity::error);
  CHECK(missing->path == kPointer);
  CHECK(missing->fix.find("8.39.55.0/24, 8.40.222.0/23, 136.143.180.0/22") != std::string::npos);
  CHECK(missing->message.find("3,840 addresses") != std::string::npos);
  CHECK(find(r.findings, "whitelist.shared_data_center"));
  CHECK(r.broad.empty());

  auto complete = whitelist::check(us, texts(us.prefixes()), kPointer, "US");
  CHECK(complete.missing.empty());
  CHECK(codes(complete.findings) ==
        std::vector<std::string>{"whitelist.shared_data_center " + kPointer});

  auto none = whitelist::check(us, {}, kPointer, "US");
  CHECK(texts(none.missing) == texts(us.prefixes()));
  CHECK_FALSE(find(none.findings, "whitelist.shared_data_center"));
}

TEST_CASE("dangerously broad entries are errors with the number of addresses", "[whitelist]") {
  const auto us = *crm::data_center_networks("US");
  auto r = whitelist::check(us,
                            {"0.0.0.0/0", "::/0", "136.0.0.0/8", "2001::/16", "::ffff:0:0/96",
                             "10.0.0.0/8", "fc00::/7", "172.16.0.0/12", "2a00:1450::/32"},
                            kPointer, "US");
  CHECK(codes(r.findings) == std::vector<std::string>{
                                 "whitelist.open_to_internet " + kPointer + "/0",
                                 "whitelist.open_to_internet " + kPointer + "/1",
                                 "whitelist.too_broad " + kPointer + "/2",
                                 "whitelist.too_broad " + kPointer + "/3",
                                 "whitelist.open_to_internet " + kPointer + "/4",
                                 "whitelist.too_broad " + kPointer + "/8",
                                 "whitelist.shared_data_center " + kPointer,
                             });
  CHECK(r.findings[0].message.find("4,294,967,296 addresses") != std::string::npos);
  // 2^24 less the CRM's 3,584 addresses in 136/8.
  CHECK(r.findings[2].message.find("16,773,632 addresses of public address space") !=
        std::string::npos);
  CHECK(r.findings[2].fix.find("136.143.176.0/21") != std::string::npos);
  REQUIRE(r.broad.size() == 6);
  CHECK(r.broad[1].addresses == "340282366920938463463374607431768211456");
  CHECK(r.broad[2].crm_addresses == "3584");
  CHECK(r.missing.empty());  // 0.0.0.0/0 admits everything, the CRM included
}

TEST_CASE("breadth counts the public addresses admitted beyond the CRM's ranges", "[whitelist]") {
  const auto us = *crm::data_center_networks("US");
  auto r =
      whitelist::check(us, {"136.143.0.0/16", "204.141.32.0/20", "8.39.54.0/23"}, kPointer, "US");
  CHECK(codes(r.findings) == std::vector<std::string>{
                                 "whitelist.missing_ranges " + kPointer,
                                 "whitelist.too_broad " + kPointer + "/0",
                                 "whitelist.shared_data_center " + kPointer,
                                 "whitelist.broader_than_needed " + kPointer + "/1",
                             });
  // A public /16 is an error even with CRM ranges inside: 65,536 - 3,584 beyond them.
  CHECK(r.findings[1].severity == Severity::error);
  CHECK(r.findings[1].message.find("61,952 addresses") != std::string::npos);
  CHECK(r.findings[1].message.find("32,768 (half a /16)") != std::string::npos);
  // The example: a /20 around two of the CRM's /23s admits 3,072 strangers.
  CHECK(r.findings[3].severity == Severity::warning);
  CHECK(r.findings[3].message.find("3,072 addresses") != std::string::npos);
  CHECK(r.findings[3].message.find("204.141.34.0/23, 204.141.36.0/22, 204.141.40.0/23") !=
        std::string::npos);
  CHECK(r.findings[3].fix.find("204.141.32.0/23, 204.141.42.0/23") != std::string::npos);
  REQUIRE(r.broad.size() == 2);
  CHECK(r.broad[1].beyond_crm == "3072");
  // Exactly the CRM's ranges, private space, or a /20 of one's own: no breadth finding.
  auto fine = whitelist::check(
      us, {"8.39.54.0/23", "10.0.0.0/8", "198.51.100.0/24", "93.184.0.0/20"}, kPointer, "US");
  CHECK(fine.broad.empty());
  auto own = whitelist::check(us, {"93.184.0.0/19"}, kPointer, "US");
  CHECK(only_code(own.findings, "whitelist.broader_than_needed").severity == Severity::warning);
}

TEST_CASE("a shared data centre is a warning, and an error when the relay also signs",
          "[whitelist]") {
  const auto us = *crm::data_center_networks("US");
  const std::vector<std::string> exact{"8.39.54.0/23"};
  auto plain = whitelist::check(us, exact, kPointer, "US");
  const Finding shared = only_code(plain.findings, "whitelist.shared_data_center");
  CHECK(shared.severity == Severity::warning);
  // The fix works while the CRM is the return path: not "restrict the sender domains".
  CHECK(shared.fix.find("Require SMTP AUTH") != std::string::npos);
  CHECK(shared.fix.find("header From") != std::string::npos);
  auto signs = whitelist::check(us, exact, kPointer, "US", true);
  CHECK(only_code(signs.findings, "whitelist.shared_data_center_dkim").severity == Severity::error);
  CHECK_FALSE(std::any_of(signs.findings.begin(), signs.findings.end(), [](const Finding& f) {
    return f.code == "whitelist.shared_data_center";
  }));
  CHECK(whitelist::check(us, {"10.0.0.0/8"}, kPointer, "US", true).findings.size() == 1);
}

TEST_CASE("pasted CRM ranges get the breadth checks, and broad ones stay out", "[whitelist]") {
  auto r = crm::required_networks(
      "custom",
      {"0.0.0.0/0", "136.0.0.0/12", "136.143.176.0/21", "10.0.0.0/8", "::/0", "0.0.0.1/0"},
      "/account/crmRanges");
  CHECK(codes(r.findings) == std::vector<std::string>{
                                 "crm.range_too_broad /account/crmRanges/0",
                                 "crm.range_too_broad /account/crmRanges/1",
                                 "crm.range_too_broad /account/crmRanges/4",
                                 "crm.invalid_range /account/crmRanges/5",
                                 "crm.range_too_broad /account/crmRanges/5",
                             });
  CHECK(r.findings[0].message.find("every IPv4 address") != std::string::npos);
  CHECK(r.networks.prefixes() == set_of({"10.0.0.0/8", "136.143.176.0/21"}).prefixes());
  CHECK(whitelist::reach(*ip::parse_prefix("::ffff:0:0/96").value) == whitelist::Reach::everything);
  CHECK(whitelist::reach(*ip::parse_prefix("10.0.0.0/8").value) == whitelist::Reach::limited);
  CHECK(whitelist::reach(*ip::parse_prefix("2a00::/16").value) == whitelist::Reach::wide);
}

TEST_CASE("bad allowed entries are findings, and masked ones still count", "[whitelist]") {
  const auto us = *crm::data_center_networks("US");
  auto r = whitelist::check(us, {"8.39.54.1/23", "8.40.222.0 /23", "fe80::1%eth0"}, kPointer, "US");
  CHECK(codes(r.findings) == std::vector<std::string>{
                                 "whitelist.missing_ranges " + kPointer,
                                 "whitelist.invalid_entry " + kPointer + "/0",
                                 "whitelist.invalid_entry " + kPointer + "/1",
                                 "whitelist.invalid_entry " + kPointer + "/2",
                                 "whitelist.shared_data_center " + kPointer,
                             });
  CHECK(r.findings[1].fix == "Write 8.39.54.0/23 (or the address with /32).");
  CHECK(r.findings[2].message.find("contains a space") != std::string::npos);
  const auto missing = texts(r.missing);
  CHECK(std::find(missing.begin(), missing.end(), "8.39.54.0/23") == missing.end());
}

TEST_CASE("the result document carries the lists, counts and findings", "[whitelist]") {
  const auto au = *crm::data_center_networks("AU");
  nlohmann::json doc = whitelist::check(au, {"101.97.36.0/24"}, "/allowed", "AU");
  CHECK(doc["required"].size() == 4);
  CHECK(doc["missing"] ==
        nlohmann::json({"103.91.166.0/24", "103.138.128.0/23", "165.173.191.0/24"}));
  CHECK(doc["missingAddresses"]["ipv4"] == "1024");
  CHECK(doc["complete"] == false);
  CHECK(doc["findings"][0]["code"] == "whitelist.missing_ranges");
}

TEST_CASE("relay-granting snippets carry exactly the ranges and add to the relay's configuration",
          "[whitelist]") {
  const auto set = set_of({"204.141.42.0/23", "2001:db8::/32"});
  using whitelist::SnippetFormat;
  const auto snippet = [](const ip::PrefixSet& ranges, SnippetFormat format,
                          std::string_view label) {
    return whitelist::snippet(ranges, format, label, whitelist::SnippetKind::grant_relay);
  };
  CHECK(snippet(set, SnippetFormat::plain, "x") == "204.141.42.0/23\n2001:db8::/32\n");
  const std::string postfix = snippet(set, SnippetFormat::postfix, "the CRM's US ranges");
  CHECK(postfix.find("204.141.42.0/23\tOK\n2001:db8::/32\tOK\n") != std::string::npos);
  // mynetworks is never rewritten (its computed default stays computed); pasting twice adds the
  // table once; master.cf's submission services are named.
  CHECK(postfix.find("postconf -e \"mynetworks") == std::string::npos);
  CHECK(postfix.find("postconf -h smtpd_relay_restrictions | grep -q "
                     "'/etc/postfix/crm-networks.cidr' || postconf -e \"smtpd_relay_restrictions = "
                     "check_client_access cidr:/etc/postfix/crm-networks.cidr, $(postconf -h "
                     "smtpd_relay_restrictions)\"") != std::string::npos);
  CHECK(postfix.find("master.cf") != std::string::npos);
  CHECK(postfix.find("smtpd_relay_restrictions") != std::string::npos);
  const std::string exim = snippet(set, SnippetFormat::exim, "x");
  CHECK(exim.find("hostlist crm_networks = <; 204.141.42.0/23 ; 2001:db8::/32\n") !=
        std::string::npos);
  CHECK(exim.find("+crm_networks") != std::string::npos);
  const std::string sendmail = snippet(set, SnippetFormat::sendmail, "x");
  CHECK(
      sendmail.find(
          "Connect:204.141.42\tRELAY\nConnect:204.141.43\tRELAY\nConnect:IPv6:2001:db8\tRELAY\n") !=
      std::string::npos);
  CHECK(snippet(set_of({"192.0.2.1", "2001:db8::1"}), SnippetFormat::sendmail, "x")
            .find("Connect:192.0.2.1\tRELAY\nConnect:IPv6:2001:db8::1\tRELAY\n") !=
        std::string::npos);
  const std::string exchange = snippet(set, SnippetFormat::exchange, "x");
  CHECK(exchange.find("-RemoteIPRanges @{Add=\"204.141.42.0/23\",\"2001:db8::/32\"} "
                      "-PermissionGroups AnonymousUsers\n") != std::string::npos);
  // RemoteIPRanges alone grants nothing: the relay right is granted too.
  CHECK(exchange.find("-ExtendedRights \"Ms-Exch-SMTP-Accept-Any-Recipient\"") !=
        std::string::npos);
  // Exchange Online takes /24 to /32 only: the /23 is split, IPv6 left out.
  CHECK(exchange.find("#   204.141.42.0/24,204.141.43.0/24\n") != std::string::npos);
  CHECK(whitelist::parse_snippet_format("exim") == SnippetFormat::exim);
  CHECK_FALSE(whitelist::parse_snippet_format("Exim"));
  for (auto f : {SnippetFormat::plain, SnippetFormat::postfix, SnippetFormat::exim,
                 SnippetFormat::sendmail, SnippetFormat::exchange}) {
    // Every line that is not a comment or an instruction carries nothing but the ranges.
    CHECK(snippet(set, f, "x").find("0.0.0.0") == std::string::npos);
  }
}

TEST_CASE("allow-connection snippets let the CRM connect and never grant relay", "[whitelist]") {
  const auto set = set_of({"204.141.42.0/23", "2001:db8::/32"});
  using whitelist::SnippetFormat;
  const auto allow = [&](SnippetFormat format) {
    return whitelist::snippet(set, format, "the CRM's US ranges",
                              whitelist::SnippetKind::allow_connection);
  };
  CHECK(allow(SnippetFormat::plain) == "204.141.42.0/23\n2001:db8::/32\n");
  const std::string postfix = allow(SnippetFormat::postfix);
  CHECK(postfix.find("204.141.42.0/23\tOK\n2001:db8::/32\tOK\n") != std::string::npos);
  CHECK(postfix.find("smtpd_client_restrictions = check_client_access "
                     "cidr:/etc/postfix/crm-clients.cidr") != std::string::npos);
  // Only in the warning, never as a setting: no postconf line touches mynetworks or relaying.
  CHECK(postfix.find("postconf -e \"mynetworks") == std::string::npos);
  CHECK(postfix.find("postconf -e \"smtpd_relay_restrictions") == std::string::npos);
  const std::string exim = allow(SnippetFormat::exim);
  CHECK(exim.find("hostlist crm_clients = <; 204.141.42.0/23 ; 2001:db8::/32\n") !=
        std::string::npos);
  CHECK(exim.find("accept  hosts = +crm_clients") != std::string::npos);
  CHECK(exim.find("hostlist relay_from_hosts") == std::string::npos);
  const std::string sendmail = allow(SnippetFormat::sendmail);
  CHECK(sendmail.find("Connect:204.141.42\tOK\nConnect:204.141.43\tOK\n") != std::string::npos);
  CHECK(sendmail.find("\tRELAY") == std::string::npos);
  const std::string exchange = allow(SnippetFormat::exchange);
  CHECK(exchange.find("-PermissionGroups ExchangeUsers") != std::string::npos);
  CHECK(exchange.find("Add-ADPermission") == std::string::npos);
  CHECK(whitelist::parse_snippet_kind("grant-relay") == whitelist::SnippetKind::grant_relay);
  CHECK(whitelist::to_string(whitelist::SnippetKind::allow_connection) == "allow-connection");
  CHECK_FALSE(whitelist::parse_snippet_kind("relay"));
}
