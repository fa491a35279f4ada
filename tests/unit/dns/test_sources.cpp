// Where the config's dns section says a record came from (core/src/dns/sources.hpp): typed in,
// fetched by live DNS (with its time and resolver), or not there; names as the zone loader reads
// them; anything malformed in the section is passed over, never thrown on.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "dns/sources.hpp"

using nlohmann::json;
using relaycheck::dns::DnsSources;
using Kind = relaycheck::dns::RecordSource::Kind;

namespace {

const json kSection = json::parse(R"({
  "example.com": [
    {"type": "TXT", "data": "v=spf1 -all"},
    {"type": "MX", "data": {"preference": 10, "exchange": "mx.example.com"},
     "fetched": "2026-12-03T10:00:00Z", "resolver": "https://dns.google/dns-query"}
  ],
  "Relay.Example.COM.": [
    {"type": "A", "data": "192.0.2.1", "resolver": "10.0.0.53"}
  ],
  "gone.example.com": [{"type": "NXDOMAIN"}],
  "twice.example.com": [{"type": "A", "data": "192.0.2.2"}],
  "TWICE.example.com": [{"type": "TXT", "data": "v=spf1 ~all", "fetched": "2026-12-03T10:01:00Z"}],
  "odd.example.com": [7, {"type": 5}, {"data": "x"}, {"type": "TXT", "data": "t"}],
  "notalist.example.com": {"type": "TXT"}
})");

}  // namespace

TEST_CASE("a record typed into the config, and one fetched by live DNS") {
  const DnsSources sources(kSection);
  const auto typed = sources.source("example.com", {"TXT"});
  CHECK(typed.kind == Kind::config);
  CHECK_FALSE(typed.fetched);
  CHECK_FALSE(typed.resolver);
  const auto fetched = sources.source("example.com", {"MX"});
  CHECK(fetched.kind == Kind::live);
  CHECK(fetched.fetched == "2026-12-03T10:00:00Z");
  CHECK(fetched.resolver == "https://dns.google/dns-query");
  CHECK(sources.source("example.com", {"AAAA"}).kind == Kind::unknown);
  CHECK(sources.source("nowhere.example.com", {"TXT"}).kind == Kind::unknown);
}

TEST_CASE("owner names compare as the zone loader reads them") {
  const DnsSources sources(kSection);
  const auto a = sources.source("relay.example.com", {"A", "AAAA"});
  CHECK(a.kind == Kind::live);
  CHECK(a.resolver == "10.0.0.53");
  CHECK_FALSE(a.fetched);
  CHECK(sources.source("RELAY.example.com.", {"A"}).resolver == "10.0.0.53");
  // A name listed under two spellings: each record is found, in the order listed.
  CHECK(sources.source("twice.example.com", {"A"}).kind == Kind::config);
  CHECK(sources.source("twice.example.com", {"TXT"}).kind == Kind::live);
}

TEST_CASE("an answer for the whole name says where any type's answer came from") {
  const DnsSources sources(kSection);
  CHECK(sources.source("gone.example.com", {"TXT"}).kind == Kind::config);
  CHECK(sources.source("gone.example.com", {"A", "AAAA"}).kind == Kind::config);
}

TEST_CASE("malformed entries of the section are passed over") {
  const DnsSources sources(kSection);
  CHECK(sources.source("odd.example.com", {"TXT"}).kind == Kind::config);
  CHECK(sources.source("odd.example.com", {"A"}).kind == Kind::unknown);
  CHECK(sources.source("notalist.example.com", {"TXT"}).kind == Kind::unknown);
  for (const json& section : {json(), json::array({1, 2}), json("text"), json::object()}) {
    CHECK(DnsSources(section).source("example.com", {"TXT"}).kind == Kind::unknown);
  }
}
