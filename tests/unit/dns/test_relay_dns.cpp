// The relay checks on live DNS data (core/src/dns/relay_dns.hpp): each finding triggered, and
// the data that does not trigger it.
#include <algorithm>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "dns/relay_dns.hpp"

using nlohmann::json;
using namespace relaycheck;

namespace {

Config config_with(const std::string& host, const std::vector<std::string>& outbound) {
  json relay{
      {"host", host},    {"port", 587},       {"security", "starttls"}, {"auth", "password"},
      {"username", "u"}, {"dailyLimit", 100}, {"emailTypes", {"mass"}}, {"outboundIps", outbound}};
  json doc{{"schema", 2},
           {"account", {{"dataCenter", "US"}, {"editionDailyLimit", 5000}}},
           {"domains", json::array({{{"name", "zylker.com"},
                                     {"relays", json::array({relay})},
                                     {"traffic", {{"mass", {{"daily", 50}}}}}}})}};
  return load_config(doc).config;
}

/// A stand-in for the static rules' table: private IPv4 and ULA.
std::optional<std::string> reserved(const ip::Address& address) {
  for (const char* text : {"10.0.0.0/8", "192.168.0.0/16", "fc00::/7"}) {
    if (ip::contains(*ip::parse_prefix(text).value, address))
      return std::string(text) + ", private";
  }
  return std::nullopt;
}

std::vector<Finding> findings(const Config& config, const char* zone) {
  auto view = spf::ZoneView::load(json::parse(zone), spf::MissingName::unknown);
  REQUIRE(view);
  return dns::relay_dns_findings(config, *view.zone, reserved);
}

std::vector<std::string> codes(const std::vector<Finding>& list) {
  std::vector<std::string> out;
  for (const Finding& f : list) out.push_back(f.code + " " + std::string(to_string(f.severity)));
  return out;
}

const Config kRelay = config_with("smtp.zylker.com", {"198.51.100.25"});

}  // namespace

TEST_CASE("A relay host without A and AAAA records is unresolved", "[dns][relay]") {
  const auto out = findings(kRelay, R"({"smtp.zylker.com": [{"type": "NXDOMAIN"}]})");
  REQUIRE(codes(out) == std::vector<std::string>{"relay.host.unresolved error"});
  CHECK(out[0].path == "/domains/0/relays/0/host");
  CHECK_THAT(out[0].message, Catch::Contains("NXDOMAIN"));
  CHECK(codes(findings(kRelay,
                       R"({"smtp.zylker.com": [{"type": "NODATA", "data": ["A", "AAAA"]}]})")) ==
        std::vector<std::string>{"relay.host.unresolved error"});
}

TEST_CASE("A relay host with an address resolves", "[dns][relay]") {
  CHECK(findings(kRelay, R"({"smtp.zylker.com": [{"type": "A", "data": "198.51.100.10"},
                                                  {"type": "NODATA", "data": "AAAA"}]})")
            .empty());
}

TEST_CASE("A relay host whose addresses are private cannot be reached", "[dns][relay]") {
  const auto all = findings(kRelay, R"({"smtp.zylker.com": [{"type": "A", "data": "10.1.2.3"},
                                                             {"type": "AAAA", "data": "fd00::1"}]})");
  REQUIRE(codes(all) == std::vector<std::string>{"relay.host.resolves_private error"});
  CHECK_THAT(all[0].message, Catch::Contains("10.1.2.3 (10.0.0.0/8, private) and fd00::1"));
  const auto some = findings(kRelay, R"({"smtp.zylker.com": [{"type": "A", "data": "10.1.2.3"},
                                                              {"type": "A", "data": "198.51.100.10"},
                                                              {"type": "NODATA", "data": "AAAA"}]})");
  CHECK(codes(some) == std::vector<std::string>{"relay.host.resolves_private warning"});
}

TEST_CASE("What is not fetched yet, and IP literals, give no relay DNS finding", "[dns][relay]") {
  CHECK(findings(kRelay, "{}").empty());
  CHECK(
      findings(kRelay, R"({"smtp.zylker.com": [{"type": "A", "data": "198.51.100.10"}]})").empty());
  CHECK(findings(config_with("198.51.100.10", {"198.51.100.0/28"}), "{}").empty());
}

TEST_CASE("A temporary error is information, not a failure", "[dns][relay]") {
  CHECK(codes(findings(kRelay, R"({"smtp.zylker.com": [{"type": "TIMEOUT"}],
                                   "25.100.51.198.in-addr.arpa": [{"type": "TIMEOUT"}]})")) ==
        std::vector<std::string>{"relay.dns.temporary info", "relay.dns.temporary info"});
}

TEST_CASE("An outbound address without PTR is flagged", "[dns][relay]") {
  const auto out = findings(kRelay, R"({"25.100.51.198.in-addr.arpa": [{"type": "NXDOMAIN"}]})");
  REQUIRE(codes(out) == std::vector<std::string>{"relay.ptr.missing warning"});
  CHECK(out[0].path == "/domains/0/relays/0/outboundIps/0");
}

TEST_CASE("A PTR that does not resolve back is unconfirmed", "[dns][relay]") {
  const auto out = findings(
      kRelay, R"({"25.100.51.198.in-addr.arpa": [{"type": "PTR", "data": "out.zylker.com"}],
                                        "out.zylker.com": [{"type": "A", "data": "198.51.100.26"}]})");
  REQUIRE(codes(out) == std::vector<std::string>{"relay.ptr.unconfirmed warning"});
  CHECK_THAT(out[0].message, Catch::Contains("out.zylker.com, which does not resolve back"));
}

TEST_CASE("A PTR that resolves back is confirmed, and one not fetched is not judged",
          "[dns][relay]") {
  CHECK(
      findings(kRelay, R"({"25.100.51.198.in-addr.arpa": [{"type": "PTR", "data": "other.example"},
                                                            {"type": "PTR", "data": "out.zylker.com"}],
                             "other.example": [{"type": "NXDOMAIN"}],
                             "out.zylker.com": [{"type": "A", "data": "198.51.100.25"}]})")
          .empty());
  CHECK(findings(kRelay,
                 R"({"25.100.51.198.in-addr.arpa": [{"type": "PTR", "data": "out.zylker.com"}]})")
            .empty());
}

TEST_CASE("IPv6 outbound addresses are confirmed with AAAA", "[dns][relay]") {
  const Config v6 = config_with("smtp.zylker.com", {"2001:db8::25"});
  const std::string reverse =
      "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa";
  const std::string zone = R"({")" + reverse + R"(": [{"type": "PTR", "data": "out6.zylker.com"}],
    "out6.zylker.com": [{"type": "AAAA", "data": "2001:db8::25"}]})";
  CHECK(findings(v6, zone.c_str()).empty());
}
