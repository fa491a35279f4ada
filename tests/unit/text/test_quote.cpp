#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "relaycheck/facade.hpp"
#include "text/quote.hpp"

using nlohmann::json;
using relaycheck::text::quote;

TEST_CASE("a short text is quoted whole") {
  CHECK(quote("10.0.0.1/24") == "'10.0.0.1/24'");
  CHECK(quote("") == "''");
  CHECK(quote(std::string(relaycheck::kMaxQuotedBytes, 'x')) == "'" + std::string(64, 'x') + "'");
}

TEST_CASE("a control byte in a quoted text is shown as an escape, not sent raw") {
  CHECK(quote(std::string("10.0.0.0\0/8", 11)) == "'10.0.0.0\\u0000/8'");
  CHECK(quote("a\x1b[2J\x07\x7f\r\n") == "'a\\u001B[2J\\u0007\\u007F\\u000D\\u000A'");
  CHECK(quote("é\t") == "'é\\u0009'");
}

TEST_CASE("a long text is cut, with its length said") {
  CHECK(quote(std::string(1u << 20, '1')) == "'" + std::string(64, '1') + "…' (1048576 bytes)");
}

TEST_CASE("a long text is cut before a character, never inside one") {
  // 63 ASCII bytes, then 'é' (two bytes) straddling the 64-byte limit.
  const std::string text = std::string(63, 'a') + "é" + std::string(100, 'b');
  CHECK(quote(text) == "'" + std::string(63, 'a') + "…' (165 bytes)");
}

TEST_CASE("a megabyte entry in a whitelist or a CRM range list makes a short message") {
  const std::string huge(300000, '9');  // two of them stay under the 1 MiB config limit
  const json config{
      {"schema", 1},
      {"account", {{"dataCenter", "US"}, {"crmRanges", json::array({huge})}}},
      {"domains",
       json::array({{{"name", "example.com"},
                     {"relays", json::array({{{"host", "smtp.example.com"},
                                              {"port", 587},
                                              {"auth", "ip-whitelist"},
                                              {"allowedNetworks", json::array({huge})}}})}}})}};
  const json response = json::parse(relaycheck::call("analyze", json{{"config", config}}.dump()));
  REQUIRE(response["ok"] == true);
  int quoted = 0;
  for (const auto& f : response["result"]["findings"]) {
    const std::string code = f["code"];
    if (code != "whitelist.invalid_entry" && code != "crm.invalid_range") continue;
    ++quoted;
    CHECK(f["message"].get<std::string>().size() < 400);
    CHECK(f["message"].get<std::string>().find("(300000 bytes)") != std::string::npos);
  }
  CHECK(quoted == 2);
}

TEST_CASE("a megabyte entry of a list given to the façade makes a short error") {
  const json response = json::parse(
      relaycheck::call("cidr.aggregate", json{{"text", std::string(1u << 20, 'z')}}.dump()));
  CHECK(response["error"]["code"] == "cidr.invalid");
  CHECK(response["error"]["message"].get<std::string>().size() < 400);
}
