#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "relaycheck/facade.hpp"

using nlohmann::json;
using relaycheck::call;

TEST_CASE("an unknown method is an error that lists the methods") {
  json response = json::parse(call("nope", "{}"));
  CHECK(response["ok"] == false);
  CHECK(response["error"]["code"] == "request.unknown_method");
  CHECK(response["error"]["message"].get<std::string>().find("analyze") != std::string::npos);
}

TEST_CASE("a request that is not JSON is an error with its position") {
  json response = json::parse(call("analyze", "{\"config\": "));
  CHECK(response["ok"] == false);
  CHECK(response["error"]["code"] == "request.not_json");
}

TEST_CASE("a request that is not an object is an error") {
  json response = json::parse(call("analyze", "[1,2]"));
  CHECK(response["error"]["code"] == "request.not_object");
}

TEST_CASE("hostile bytes never escape the facade") {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 131 + 7) % 256);
  json response = json::parse(call("analyze", garbage));
  CHECK(response["ok"] == false);
  json deep = json::parse(call("analyze", std::string(100000, '[')));
  CHECK(deep["ok"] == false);
}
