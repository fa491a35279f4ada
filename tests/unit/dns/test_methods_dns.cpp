// The façade's DNS methods (core/src/api/methods_dns.cpp), called directly, and the bad-DNS
// catalogue (tests/data/vectors/bad-dns.json) run through them with the façade's answer shape.
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "api/request_error.hpp"
#include "dns/message.hpp"

#ifndef RELAYCHECK_TEST_DATA
#define RELAYCHECK_TEST_DATA "tests/data"
#endif

using nlohmann::json;

namespace relaycheck::methods {
// As methods.hpp declares them once the lead wires them in.
json dns_query(const json& request);
json dns_answer(const json& request);
json dns_plan(const json& request);
json dns_merge(const json& request);
}  // namespace relaycheck::methods

namespace {

namespace m = relaycheck::methods;

/// The façade's answer shape: {"ok": true, "result"} or {"ok": false, "error"}.
json call(const std::string& method, const json& request) {
  try {
    json result;
    if (method == "dns.query")
      result = m::dns_query(request);
    else if (method == "dns.answer")
      result = m::dns_answer(request);
    else if (method == "dns.plan")
      result = m::dns_plan(request);
    else if (method == "dns.merge")
      result = m::dns_merge(request);
    else
      FAIL("unknown method " << method);
    return {{"ok", true}, {"result", result}};
  } catch (const relaycheck::RequestError& e) {
    return {{"ok", false},
            {"error", {{"code", e.code()}, {"message", e.message()}, {"path", e.path()}}}};
  }
}

/// "" when every member `expected` states is in `actual` (objects partially, arrays whole).
std::string mismatch(const json& expected, const json& actual, const std::string& path = "") {
  if (expected.is_object()) {
    if (!actual.is_object()) return path.empty() ? "/" : path;
    for (const auto& [key, value] : expected.items()) {
      if (!actual.contains(key)) return path + "/" + key;
      if (auto m2 = mismatch(value, actual[key], path + "/" + key); !m2.empty()) return m2;
    }
    return "";
  }
  return expected == actual ? "" : (path.empty() ? "/" : path);
}

json minimal_config(const json& dns = json::object()) {
  json doc =
      json::parse(R"({"schema": 2, "account": {"dataCenter": "US", "editionDailyLimit": 5000},
    "domains": [{"name": "zylker.com", "returnPath": "from-address",
                 "relays": [{"host": "smtp.zylker.com", "port": 587, "security": "starttls",
                             "auth": "password", "username": "u", "dailyLimit": 100,
                             "emailTypes": ["mass"], "outboundIps": ["203.0.113.25"]}],
                 "traffic": {"mass": {"daily": 50}}}]})");
  doc["dns"] = dns;
  return doc;
}

}  // namespace

TEST_CASE("The bad-DNS catalogue gets the answers it states", "[dns][vectors]") {
  std::ifstream in(std::string(RELAYCHECK_TEST_DATA) + "/vectors/bad-dns.json");
  REQUIRE(in.good());
  const json doc = json::parse(in);
  for (const json& c : doc.at("cases")) {
    const json response = call(c.at("method"), c.at("request"));
    INFO(c.at("name").get<std::string>() << "\n" << response.dump().substr(0, 1000));
    CHECK(mismatch(c.at("expect"), response) == "");
  }
}

TEST_CASE("dns.query gives the bytes and the DoH GET parameter", "[dns][methods]") {
  const json r = call("dns.query", {{"name", "Zylker.com."}, {"type", "txt"}, {"id", 7}});
  REQUIRE(r["ok"] == true);
  CHECK(r["result"]["name"] == "zylker.com");
  CHECK(r["result"]["type"] == "TXT");
  auto bytes = relaycheck::dns::base64_decode(r["result"]["bytes"].get<std::string>());
  REQUIRE(bytes);
  CHECK(bytes.value->at(1) == 7);
  CHECK(r["result"]["dohGet"].get<std::string>().rfind("AAAB", 0) == 0);
}

TEST_CASE("dns.answer reads what a server sends back for dns.query", "[dns][methods]") {
  namespace dns = relaycheck::dns;
  dns::Message reply;
  reply.id = 7;
  reply.response = true;
  reply.questions.push_back({"zylker.com", dns::type::TXT, 1});
  dns::Record r;
  r.name = "zylker.com";
  r.type = dns::type::TXT;
  r.txt = {"v=spf1 ", "-all"};
  reply.answers.push_back(r);
  const json answer =
      call("dns.answer", {{"question", {{"name", "zylker.com"}, {"type", "TXT"}}},
                          {"response", dns::base64_encode(*dns::encode_message(reply).value)}});
  REQUIRE(answer["ok"] == true);
  CHECK(answer["result"]["entries"] ==
        json::parse(R"({"zylker.com": [{"type": "TXT", "data": ["v=spf1 ", "-all"]}]})"));
  CHECK(answer["result"]["id"] == 7);
}

TEST_CASE("dns.plan lists the lookups and dns.merge fills the config", "[dns][methods]") {
  const json plan = call("dns.plan", {{"config", minimal_config()}});
  REQUIRE(plan["ok"] == true);
  CHECK(plan["result"]["done"] == false);
  CHECK(plan["result"]["limit"] == 200);
  CHECK(plan["result"]["lookups"].size() == plan["result"]["total"]);
  CHECK(plan["result"]["lookups"][0] == json{{"name", "zylker.com"}, {"type", "TXT"}});
  const json merged = call(
      "dns.merge",
      {{"config", minimal_config().dump()},
       {"answers",
        json::array(
            {{{"name", "zylker.com"},
              {"type", "TXT"},
              {"entries",
               {{"zylker.com", json::array({{{"type", "TXT"}, {"data", {"v=spf1 -all"}}}})}}}}})},
       {"resolver", "192.0.2.53"},
       {"at", "2026-12-02T10:00:00Z"}});
  REQUIRE(merged["ok"] == true);
  CHECK(merged["result"]["config"]["dns"]["zylker.com"][0]["resolver"] == "192.0.2.53");
  CHECK(merged["result"]["config"]["domains"] == minimal_config()["domains"]);
  CHECK(merged["result"]["summary"] == json{{"added", 1}, {"changed", 0}, {"unchanged", 0}});
  // The next plan no longer asks for the SPF record.
  const json next = call("dns.plan", {{"config", merged["result"]["config"]}});
  for (const json& l : next["result"]["lookups"])
    CHECK(l != json{{"name", "zylker.com"}, {"type", "TXT"}});
  // "dns" in the request replaces the config's section.
  const json overridden = call(
      "dns.plan",
      {{"config", minimal_config()}, {"dns", merged["result"]["config"]["dns"]}, {"limit", 1}});
  CHECK(overridden["result"]["lookups"].size() == 1);
  CHECK(overridden["result"]["total"].get<int>() == next["result"]["total"].get<int>());
}

TEST_CASE("dns.merge merges into a bare zone map when there is no config", "[dns][methods]") {
  const json merged =
      call("dns.merge",
           {{"dns", {{"zylker.com", json::array({{{"type", "TXT"}, {"data", {"v=spf1 -all"}}}})}}},
            {"answers",
             json::array(
                 {{{"name", "_spf.zylker.com"},
                   {"type", "TXT"},
                   {"entries", {{"_spf.zylker.com", json::array({{{"type", "TIMEOUT"}}})}}}}})}});
  REQUIRE(merged["ok"] == true);
  CHECK_FALSE(merged["result"].contains("config"));
  CHECK(merged["result"]["dns"] ==
        json::parse(R"({"zylker.com": [{"type": "TXT", "data": ["v=spf1 -all"]}],
                                                   "_spf.zylker.com": [{"type": "TIMEOUT"}]})"));
  const json neither = call("dns.merge", {{"answers", json::array()}});
  CHECK(neither["error"]["code"] == "request.missing_field");
}

TEST_CASE("dns.merge reports records that differ from the ones the config held", "[dns][methods]") {
  const json pasted = json::parse(R"({"Zylker.com": [{"type": "TXT", "data": ["v=spf1 -all"]}],
                                      "_dmarc.zylker.com": [{"type": "TIMEOUT"}]})");
  auto answer = [](const std::string& name, const json& entries) {
    return json{{"name", name}, {"type", "TXT"}, {"entries", {{name, entries}}}};
  };
  const json merged = call(
      "dns.merge",
      {{"config", minimal_config(pasted)},
       {"answers",
        json::array(
            {answer("zylker.com", json::parse(R"([{"type": "TXT", "data": ["v=spf1 ~all"]}])")),
             answer("_dmarc.zylker.com",
                    json::parse(R"([{"type": "TXT", "data": ["v=DMARC1; p=none"]}])"))})}});
  REQUIRE(merged["ok"] == true);
  const json& findings = merged["result"]["findings"];
  // The SPF record changed; the DMARC record answers what was a temporary error: not a change.
  REQUIRE(findings.size() == 1);
  CHECK(findings[0]["code"] == "dns.records.changed");
  CHECK(findings[0]["severity"] == "info");
  CHECK(findings[0]["path"] == "/dns/Zylker.com");
  CHECK(findings[0]["message"] ==
        "the TXT answer for zylker.com differs from the one the config held: it was TXT "
        "[\"v=spf1 -all\"], it is now TXT [\"v=spf1 ~all\"]; the analysis uses what was fetched "
        "now.");
  // The same answer again is no change.
  const json again =
      call("dns.merge",
           {{"config", merged["result"]["config"]},
            {"answers",
             json::array({answer("zylker.com",
                                 json::parse(R"([{"type": "TXT", "data": ["v=spf1 ~all"]}])"))})}});
  CHECK(again["result"]["findings"].empty());
  CHECK(again["result"]["summary"]["unchanged"] == 1);
}
