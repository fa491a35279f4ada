#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

namespace {

/// The response document of a call with attachments, parsed.
json answer(const std::string& method, const json& request, std::vector<std::string> attachments) {
  return json::parse(call(method, request.dump(), std::move(attachments)).document);
}

}  // namespace

TEST_CASE(
    "a byte of an attachment that is not UTF-8 reads as U+FFFD, and the entry names its line") {
  const json request{{"text", {{"attachment", 0}}}};
  const std::string r = "\xEF\xBF\xBD";  // U+FFFD
  const std::vector<std::pair<std::string, std::string>> bad{
      {"\xff", r},                               // never a UTF-8 byte
      {"\xc0\x80", r + r},                       // overlong NUL
      {"ab\xe0\x80\x80", "ab" + r + r + r},      // overlong three-byte form
      {"\xed\xa0\x80", r + r + r},               // a surrogate
      {"\xf4\x90\x80\x80", r + r + r + r},       // above U+10FFFF
      {"abcdefgh\xe2\x82", "abcdefgh" + r + r},  // cut short at the end, after an ASCII block
      {"\xc3(", r + "("},                        // a continuation byte missing
  };
  for (const auto& [text, read] : bad) {
    INFO("expected the entry to read as " << read);
    const json response = answer("cidr.aggregate", request, {"10.0.0.0/24\n" + text + "\n"});
    CHECK(response["error"]["code"] == "cidr.invalid");
    CHECK(response["error"]["message"].get<std::string>().rfind("line 2: '" + read + "': ", 0) ==
          0);
  }
  // A Latin-1 comment does not make a list unreadable; well-formed characters pass as they are.
  CHECK(answer("cidr.aggregate", request, {"# B\xfcro\n10.0.0.0/24\n"})["ok"] == true);
  CHECK(answer("cidr.aggregate", request, {"# café ✓ 😀\n10.0.0.0/24\n"})["ok"] == true);
}

TEST_CASE("the request itself cannot be an attachment") {
  const json response = answer("plan", json{{"attachment", 0}}, {"x"});
  CHECK(response["error"]["code"] == "request.bad_attachment");
  CHECK(response["error"]["path"] == "/attachment");
}

TEST_CASE("a long list as an attachment gives the same answer as the same list in JSON") {
  std::string list;
  for (unsigned i = 0; i < 20000; ++i) {
    list += std::to_string(10 + i % 200) + "." + std::to_string(i % 256) + ".0.0/16\n";
  }
  const relaycheck::Response attached =
      call("cidr.aggregate", R"({"text": {"attachment": 0}, "output": "attachment"})", {list});
  const json inline_answer =
      json::parse(call("cidr.aggregate", json{{"text", list}, {"output", "text"}}.dump()));
  REQUIRE(attached.attachments.size() == 1);
  CHECK(attached.attachments[0] == inline_answer["result"]["text"]);
  CHECK(json::parse(attached.document)["result"]["count"] == inline_answer["result"]["count"]);
}

TEST_CASE("a deeply nested request with attachments is an error, not a crash") {
  const std::string deep =
      R"({"text": "10.0.0.0/8", "x": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
  const relaycheck::Response response = call("cidr.aggregate", deep, {"10.0.0.0/8\n"});
  CHECK(json::parse(response.document)["error"]["code"] == "request.too_deep");
  CHECK(response.attachments.empty());
}

TEST_CASE("a failed call with attachments returns no attachments") {
  const relaycheck::Response response =
      call("cidr.aggregate", R"({"text": {"attachment": 0}, "output": "attachment"})",
           {"not an address\n"});
  CHECK(json::parse(response.document)["error"]["code"] == "cidr.invalid");
  CHECK(response.attachments.empty());
}

TEST_CASE("a bad attachment reference is named by its JSON Pointer, with keys escaped") {
  const json response =
      answer("cidr.aggregate",
             json::parse(R"({"text": "10.0.0.0/8", "a": {"b/c": [1, {"attachment": 5}]}})"),
             {"10.0.0.0/8\n"});
  CHECK(response["error"]["code"] == "request.bad_attachment");
  CHECK(response["error"]["path"] == "/a/b~1c/1/attachment");
}

namespace {

/// `count` scattered IPv6 /128s, one a line, from a fixed xorshift sequence.
std::string scattered_v6_hosts(int count) {
  std::uint32_t x = 2463534242u;
  const auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x & 0xFFFFu;
  };
  std::string lines;
  char line[64];
  for (int k = 0; k < count; ++k) {
    const unsigned a = next();
    const unsigned b = next();
    const unsigned c = next();
    std::snprintf(line, sizeof line, "2001:db8:%x:%x::%x/128\n", a, b, c);
    lines += line;
  }
  return lines;
}

}  // namespace

TEST_CASE("an answer over 64 MiB is response.too_large, refused before it is written") {
  // ::/0 less 33,000 scattered hosts is about 3.7 million prefixes: 72.9 MB as text, more as JSON.
  const std::string holes = scattered_v6_hosts(33000);
  for (const char* output : {"text", "json"}) {
    const json response = json::parse(call(
        "cidr.missing", json{{"required", "::/0"}, {"allowed", holes}, {"output", output}}.dump()));
    CHECK(response["ok"] == false);
    CHECK(response["error"]["code"] == "response.too_large");
    CHECK(response["error"]["message"].get<std::string>().find(
              "over the limit of 67108864 (64 MiB)") != std::string::npos);
  }
  // A hundred holes make an answer of the ordinary kind.
  const json small = json::parse(call(
      "cidr.missing",
      json{{"required", "::/0"}, {"allowed", scattered_v6_hosts(100)}, {"output", "text"}}.dump()));
  CHECK(small["ok"] == true);
  CHECK(relaycheck::kMaxResponseBytes == 64u * 1024u * 1024u);
}

TEST_CASE("an unknown method's name is quoted, cut and escaped in the message") {
  const json response = json::parse(call(std::string(100000, 'm'), "{}"));
  CHECK(response["error"]["code"] == "request.unknown_method");
  const auto message = response["error"]["message"].get<std::string>();
  CHECK(message.size() < 400);
  CHECK(message.find("'" + std::string(64, 'm') + "…' (100000 bytes)") != std::string::npos);
  const json escaped = json::parse(call(std::string("a\0b\x1b[2J", 7), "{}"));
  CHECK(escaped["error"]["message"].get<std::string>().rfind(
            "unknown method 'a\\u0000b\\u001B[2J';", 0) == 0);
}

TEST_CASE("the page's part of the façade answers its methods as the whole façade does") {
  using relaycheck::call_page;
  using relaycheck::page_method_names;
  const std::vector<std::string_view> page{"analyze", "example", "form"};
  CHECK(page_method_names() == page);
  const auto all = relaycheck::method_names();
  for (const auto name : page_method_names())
    CHECK(std::find(all.begin(), all.end(), name) != all.end());

  const std::string example = json::parse(call("example", "{}"))["result"]["config"].dump();
  const std::string analyze = "{\"config\": " + example + "}";
  for (const auto& [method, request] :
       std::vector<std::pair<std::string, std::string>>{{"form", "{}"},
                                                        {"example", "{}"},
                                                        {"analyze", analyze},
                                                        {"analyze", "{\"config\": 7}"},
                                                        {"analyze", "[1]"}}) {
    CAPTURE(method, request);
    const auto answer = call_page(method, request, {});
    CHECK(answer.document == call(method, request));
    CHECK(answer.attachments.empty());
  }
}

TEST_CASE("the page's part of the façade refuses the other methods, naming its own") {
  const json response =
      json::parse(relaycheck::call_page("cidr.parse", "{\"text\": \"\"}", {}).document);
  CHECK(response["error"]["code"] == "request.unknown_method");
  CHECK(response["error"]["message"] ==
        "unknown method 'cidr.parse'; the methods are: analyze, example, form");
  const json attached =
      json::parse(relaycheck::call_page("form", "{\"output\": \"attachment\"}", {}).document);
  CHECK(attached["error"]["code"] == "request.bad_value");
  CHECK(attached["error"]["message"] ==
        "\"output\": \"attachment\" is for the methods that answer in text, and this module has "
        "none");
}

TEST_CASE("answered() reads an answer's first bytes as parsing it reads its \"ok\"") {
  // Answers from both of the façade's writers (a text handler: analyze; a tree: the others),
  // with and without attachments, and errors from each stage.
  std::vector<std::string> documents{
      call("analyze", "{\"config\":{\"schema\":2,\"domains\":[]}}"),
      call("example", "{}"),
      call("cidr.parse", "{\"text\":\"192.0.2.1\"}"),
      call("cidr.aggregate", "{\"text\":{\"attachment\":0},\"output\":\"attachment\"}",
           {"192.0.2.0/25\n192.0.2.128/25\n"})
          .document,
      call("nope", "{}"),
      call("analyze", "[1,2]"),
      call("analyze", "{\"config\": "),
      call("cidr.parse", "{\"text\":\"192.0.2.1/33\"}"),
      relaycheck::error_response("internal.error", "a binding failed"),
  };
  int ok = 0;
  for (const std::string& document : documents) {
    INFO(document.substr(0, 80));
    const bool parsed = json::parse(document).at("ok").get<bool>();
    CHECK(relaycheck::answered(document) == parsed);
    ok += parsed ? 1 : 0;
  }
  CHECK(ok == 4);
  CHECK_FALSE(relaycheck::answered(""));
  CHECK_FALSE(relaycheck::answered("{\"ok\":tru"));
}
