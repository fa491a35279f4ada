// The DNS panel of the analysis report (api/report_dns.hpp) and the report for a change ticket
// (export/document.hpp): what they say about the built-in example, and that hostile text from a
// config (names, hosts, DNS records) stays inert in both formats.
#include <algorithm>
#include <chrono>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "api/report_dns.hpp"
#include "config/config.hpp"
#include "config/data.hpp"
#include "export/document.hpp"
#include "relaycheck/facade.hpp"

using nlohmann::json;
using namespace relaycheck;

namespace {

json example() { return json::parse(data::example_config); }

json panel_of(const json& config) { return dns_panel(load_config(config).config); }

json render(const json& config, const std::string& format) {
  const json response =
      json::parse(call("report.render", json{{"config", config}, {"format", format}}.dump()));
  REQUIRE(response["ok"] == true);
  return response["result"];
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// True when `part` occurs in `text` without a backslash before it (a Markdown escape).
bool unescaped(const std::string& text, const std::string& part) {
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    if (at == 0 || text[at - 1] != '\\') return true;
  }
  return false;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

/// The example with outside text that would run, break a table or reorder the line if it were
/// not escaped: in a domain name, a relay host, a username and the DNS records.
json hostile() {
  json config = example();
  const std::string evil =
      "<script>alert(1)</script> \"q\" & a|b \xE2\x80\xAE"
      "gnp.exe";
  config["domains"][0]["relays"][0]["host"] = "smtp.zylker.com|<img src=x onerror=alert(1)>";
  config["domains"][0]["relays"][0]["username"] = evil;
  config["dns"]["zylker.com"] = json::array(
      {{{"type", "TXT"}, {"data", json::array({"v=spf1 ip4:203.0.113.25 " + evil + " ~all"})}}});
  config["dns"]["_dmarc.zylker.com"] = json::array(
      {{{"type", "TXT"}, {"data", json::array({"v=DMARC1; p=reject; rua=mailto:" + evil})}}});
  json second = config["domains"][0];
  second["name"] = evil;
  config["domains"].push_back(second);
  return config;
}

}  // namespace

TEST_CASE("the DNS panel of the example shows the include tree of zylker.com with its lookups") {
  const json panel = panel_of(example());
  REQUIRE(panel.size() == 1);
  const json& spf = panel[0]["spf"];
  CHECK(panel[0]["name"] == "zylker.com");
  CHECK(spf["record"] == "v=spf1 ip4:203.0.113.25 include:zohomail.com ~all");
  CHECK(spf["lookups"] == 1);
  CHECK(spf["lookupLimit"] == 10);
  CHECK(spf["source"]["kind"] == "config");
  CHECK(spf["source"]["text"] == "entered in the config");
  const json& terms = spf["tree"]["terms"];
  const auto include = std::find_if(terms.begin(), terms.end(), [](const json& t) {
    return t["term"] == "include:zohomail.com";
  });
  REQUIRE(include != terms.end());
  CHECK((*include)["cost"] == 1);
  CHECK((*include)["branch"]["domain"] == "zohomail.com");
  CHECK((*include)["branch"]["status"] == "unknown");
  CHECK((*include)["branch"]["source"]["kind"] == "unknown");
  CHECK(contains(spf["scope"].get<std::string>(), "matters only for return paths in it"));
}

TEST_CASE("the DNS panel reads the example's DMARC record as p=quarantine") {
  const json dmarc = panel_of(example())[0]["dmarc"];
  CHECK(dmarc["status"] == "found");
  CHECK(dmarc["policy"] == "quarantine");
  CHECK(dmarc["name"] == "_dmarc.zylker.com");
  CHECK(dmarc["record"] == "v=DMARC1; p=quarantine; rua=mailto:dmarc@zylker.com");
  CHECK(dmarc["source"]["kind"] == "config");
}

TEST_CASE("the SPF proposal adds a relay's outbound IP that the record does not authorise") {
  json config = example();
  config["domains"][0]["relays"][0]["outboundIps"] = json::array({"203.0.113.25", "198.51.100.7"});
  config["dns"]["zohomail.com"] =
      json::array({{{"type", "TXT"}, {"data", json::array({"v=spf1 ip4:136.143.176.0/21 ~all"})}}});
  const json publish = panel_of(config)[0]["publish"];
  REQUIRE(publish.size() == 1);
  CHECK(publish[0]["kind"] == "spf");
  CHECK(publish[0]["changed"] == true);
  CHECK(contains(publish[0]["value"].get<std::string>(), "ip4:198.51.100.7"));
  CHECK(publish[0]["added"] == json::array({"ip4:198.51.100.7"}));
}

TEST_CASE("the SPF proposal changes nothing when every outbound IP passes already") {
  json config = example();
  config["dns"]["zohomail.com"] =
      json::array({{{"type", "TXT"}, {"data", json::array({"v=spf1 ~all"})}}});
  const json publish = panel_of(config)[0]["publish"];
  REQUIRE(publish.size() == 1);
  CHECK(publish[0]["changed"] == false);
  CHECK(publish[0]["value"] == "v=spf1 ip4:203.0.113.25 include:zohomail.com ~all");
}

TEST_CASE("a domain without a DMARC record gets one to publish, and one with a record does not") {
  json config = example();
  config["dns"]["_dmarc.zylker.com"] = json::array({{{"type", "NXDOMAIN"}}});
  const json publish = panel_of(config)[0]["publish"];
  const auto dmarc = std::find_if(publish.begin(), publish.end(),
                                  [](const json& r) { return r["kind"] == "dmarc"; });
  REQUIRE(dmarc != publish.end());
  CHECK((*dmarc)["name"] == "_dmarc.zylker.com");
  CHECK(contains((*dmarc)["value"].get<std::string>(), "v=DMARC1; p=none"));
  const json kept = panel_of(example())[0]["publish"];
  CHECK(std::none_of(kept.begin(), kept.end(), [](const json& r) { return r["kind"] == "dmarc"; }));
}

TEST_CASE("a DKIM selector without a key record is named as missing, without key bytes") {
  json config = example();
  config["domains"][0]["crmDkim"] = {{"enabled", true}, {"selector", "s1"}};
  config["dns"]["s1._domainkey.zylker.com"] = json::array({{{"type", "NXDOMAIN"}}});
  const json panel = panel_of(config)[0];
  REQUIRE(panel["missing"].size() == 1);
  CHECK(panel["missing"][0]["name"] == "s1._domainkey.zylker.com");
  CHECK(!panel["missing"][0].contains("value"));
  CHECK(panel["dkim"][0]["status"] == "missing");
}

TEST_CASE("a DKIM selector whose key record is published is read, not listed as missing") {
  json config = example();
  config["domains"][0]["crmDkim"] = {{"enabled", true}, {"selector", "s1"}};
  config["dns"]["s1._domainkey.zylker.com"] = json::array(
      {{{"type", "TXT"},
        {"data",
         json::array({"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="})}}});
  const json panel = panel_of(config)[0];
  CHECK(panel["missing"].empty());
  CHECK(panel["dkim"][0]["status"] == "ok");
}

TEST_CASE("a record fetched by live DNS says when and from which resolver") {
  json config = example();
  config["dns"]["zylker.com"][0]["fetched"] = "2026-12-02T09:00:00Z";
  config["dns"]["zylker.com"][0]["resolver"] = "cloudflare-dns.com";
  const json source = panel_of(config)[0]["spf"]["source"];
  CHECK(source["kind"] == "live");
  CHECK(source["text"] == "fetched 2026-12-02T09:00:00Z from cloudflare-dns.com");
}

TEST_CASE("the analysis report carries the DNS panel") {
  const json response = json::parse(call("analyze", json{{"config", example()}}.dump()));
  REQUIRE(response["ok"] == true);
  CHECK(response["result"]["dnsPanel"][0]["spf"]["lookups"] == 1);
}

TEST_CASE("the HTML report of the example has every section and no script") {
  const json r = render(example(), "html");
  const std::string html = r["text"];
  CHECK(r["filename"] == "relaycheck-report-zylker.com.html");
  CHECK(r["mediaType"] == "text/html;charset=utf-8");
  for (const char* part :
       {"<!doctype html>", "<h2>Verdict</h2>", "<h2>Findings</h2>", "<h2>Outcomes</h2>",
        "<h2>Day plan</h2>", "<h2>DNS records</h2>", "<h2>Whitelist snippets</h2>",
        "include:zohomail.com", "p=quarantine", "plan.relay.cap_reached", "10:00"}) {
    CHECK(contains(html, part));
  }
  CHECK(!contains(lower(html), "<script"));
  CHECK(contains(html, "default-src 'none'"));
}

TEST_CASE("the Markdown report of the example has every section as headings and tables") {
  const json r = render(example(), "markdown");
  const std::string md = r["text"];
  CHECK(r["filename"] == "relaycheck-report-zylker.com.md");
  CHECK(r["mediaType"] == "text/markdown;charset=utf-8");
  for (const char* part : {"# relaycheck report: zylker.com", "## Findings", "## Outcomes",
                           "## Day plan", "## DNS records", "## Whitelist snippets",
                           "| Hour | Through relays | Through the CRM | Not sent |",
                           "include:zohomail.com", "```text"}) {
    CHECK(contains(md, part));
  }
}

TEST_CASE("hostile text stays inert in the HTML report") {
  const std::string html = render(hostile(), "html")["text"];
  CHECK(!contains(lower(html), "<script"));
  CHECK(!contains(lower(html), "<img"));
  CHECK(contains(html, "&lt;script&gt;"));
  CHECK(contains(html, "&quot;q&quot; &amp; a|b"));
  CHECK(!contains(html, "\xE2\x80\xAE"));
  CHECK(contains(html, "‹U+202E›gnp.exe"));
}

TEST_CASE("hostile text stays inert in the Markdown report, and its tables keep their columns") {
  const std::string md = render(hostile(), "markdown")["text"];
  // Inside a fenced block text is literal (CommonMark §4.5); outside, nothing may open a tag.
  std::string outside;
  bool in_fence = false;
  for (std::size_t at = 0; at < md.size();) {
    std::size_t end = md.find('\n', at);
    if (end == std::string::npos) end = md.size();
    const std::string line = md.substr(at, end - at);
    if (line.rfind("```", 0) == 0) in_fence = !in_fence;
    if (!in_fence) outside += line + "\n";
    at = end + 1;
  }
  CHECK(!unescaped(outside, "<script"));
  CHECK(!unescaped(outside, "<img"));
  CHECK(contains(outside, "\\<script\\>"));
  CHECK(!contains(md, "\xE2\x80\xAE"));
  CHECK(contains(outside, "‹U+202E›gnp.exe"));  // the marks are not Markdown syntax
  // Every row of a table has as many unescaped pipes as its header row.
  std::size_t columns = 0;
  std::size_t start = 0;
  bool fenced = false;
  while (start < md.size()) {
    std::size_t end = md.find('\n', start);
    if (end == std::string::npos) end = md.size();
    const std::string line = md.substr(start, end - start);
    start = end + 1;
    if (line.rfind("```", 0) == 0) fenced = !fenced;
    if (fenced || line.empty() || line[0] != '|') {
      columns = 0;
      continue;
    }
    std::size_t pipes = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\\') {
        ++i;
      } else if (line[i] == '|') {
        ++pipes;
      }
    }
    if (columns == 0) columns = pipes;
    CHECK(pipes == columns);
  }
}

TEST_CASE("a line break in a Markdown table cell becomes <br>, and a pipe is escaped") {
  exports::Document doc;
  exports::Block table;
  table.kind = exports::Block::Kind::table;
  table.header = {"a", "b"};
  table.rows = {{"one\ntwo", "x|y"}};
  doc.blocks.push_back(table);
  const std::string md = exports::write_markdown(doc);
  CHECK(contains(md, "| one<br>two | x\\|y |"));
}

TEST_CASE("a code block is fenced by more backticks than it holds") {
  exports::Document doc;
  exports::Block block;
  block.kind = exports::Block::Kind::pre;
  block.text = "a ```` b\n";
  doc.blocks.push_back(block);
  CHECK(contains(exports::write_markdown(doc), "`````text\na ```` b\n`````\n"));
}

TEST_CASE("visible() shows bidi and control characters and keeps other text") {
  CHECK(exports::visible("a\xE2\x80\xAE"
                         "b\x1B"
                         "c\n\td\xC3\xA9") == "a‹U+202E›b‹U+001B›c\n\td\xC3\xA9");
  CHECK(exports::visible("\xE2\x81\xA6x") == "‹U+2066›x");
  CHECK(exports::visible("a\xE2\x80\x8B"
                         "b") == "a‹U+200B›b");  // a zero-width space, as core shows it everywhere
}

TEST_CASE("the report's file name keeps only safe characters of the first domain") {
  json report{{"config", {{"domains", json::array({{{"name", "../Evil Name.com"}}})}}}};
  CHECK(exports::file_name(report, "md") == "relaycheck-report-evilname.com.md");
  CHECK(exports::file_name(json::object(), "html") == "relaycheck-report.html");
}

TEST_CASE("report.render refuses a format it does not write") {
  const json response =
      json::parse(call("report.render", json{{"config", example()}, {"format", "pdf"}}.dump()));
  CHECK(response["ok"] == false);
  CHECK(response["error"]["path"] == "/format");
}

TEST_CASE("rendering the example takes well under a second") {
  const auto start = std::chrono::steady_clock::now();
  const json r = render(example(), "html");
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  CHECK(ms < 1000);
  CHECK(r["text"].get<std::string>().size() < 200000);
}

TEST_CASE("an SPF record that does not parse is still shown in the report, with why") {
  json config = example();
  config["dns"]["zylker.com"] =
      json::array({{{"type", "TXT"}, {"data", json::array({"v=spf1 <img src=x> ~all"})}}});
  const std::string md = render(config, "markdown")["text"];
  CHECK(contains(md, "SPF: syntax: \"v=spf1 \\<img src=x\\> \\~all\""));
  const std::string html = render(config, "html")["text"];
  CHECK(contains(html, "SPF: syntax: &quot;v=spf1 &lt;img src=x&gt; ~all&quot;"));
}
