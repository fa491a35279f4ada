// The report for a change ticket, laid out once (document.hpp states the model).
#include "export/document.hpp"

#include <cstdint>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>

#include "text/visible.hpp"

namespace relaycheck::exports {
namespace {

using json = nlohmann::json;

/// The most findings, outcome rows and snippet blocks one report lists (a config has at most a
/// megabyte; a report that would list more says how many it left out).
constexpr std::size_t kMaxRows = 2000;

std::string str(const json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  if (it == object.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_unsigned()) return std::to_string(it->get<std::uint64_t>());
  if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  if (it->is_boolean()) return it->get<bool>() ? "yes" : "no";
  return {};
}

const json& member(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  const auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::uint64_t count(const json& object, const char* key) {
  const json& v = member(object, key);
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_integer() && v.get<std::int64_t>() > 0)
    return static_cast<std::uint64_t>(v.get<std::int64_t>());
  return 0;
}

/// 1234567 → "1,234,567".
std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string plural(std::uint64_t n, const std::string& word) {
  return grouped(n) + " " + word + (n == 1 ? "" : "s");
}

/// The index after `prefix` in a JSON Pointer ("/domains/3/..." → 3), or -1.
long index_after(const std::string& path, const std::string& prefix) {
  if (path.rfind(prefix, 0) != 0) return -1;
  const std::size_t start = prefix.size();
  std::size_t end = start;
  while (end < path.size() && end - start < 7 && path[end] >= '0' && path[end] <= '9') ++end;
  if (end == start || end - start > 6 || (end < path.size() && path[end] != '/')) return -1;
  return std::stol(path.substr(start, end - start));
}

Block heading(std::string text, int level) {
  Block b;
  b.kind = Block::Kind::heading;
  b.text = std::move(text);
  b.level = level;
  return b;
}

Block paragraph(std::string text, bool strong = false) {
  Block b;
  b.kind = Block::Kind::paragraph;
  b.text = std::move(text);
  b.strong = strong;
  return b;
}

Block pre(std::string label, std::string text) {
  Block b;
  b.kind = Block::Kind::pre;
  b.label = std::move(label);
  b.text = std::move(text);
  return b;
}

std::string domain_name(const json& report, std::size_t d) {
  const json& forms = member(report, "domains");
  if (forms.is_array() && d < forms.size()) {
    const std::string unicode = str(forms[d], "unicode");
    const std::string ascii = str(forms[d], "ascii");
    if (!unicode.empty() && !ascii.empty() && unicode != ascii) return unicode + " (" + ascii + ")";
    if (!str(forms[d], "name").empty()) return str(forms[d], "name");
  }
  const json& domains = member(member(report, "config"), "domains");
  if (domains.is_array() && d < domains.size() && !str(domains[d], "name").empty())
    return str(domains[d], "name");
  return "domain " + std::to_string(d + 1);
}

std::string relay_name(const json& report, std::size_t d, std::size_t r) {
  const json& domains = member(member(report, "config"), "domains");
  if (domains.is_array() && d < domains.size()) {
    const json& relays = member(domains[d], "relays");
    if (relays.is_array() && r < relays.size()) {
      const std::string host = str(relays[r], "host");
      const std::string port = str(relays[r], "port");
      if (!host.empty()) return host + (port.empty() ? "" : ":" + port);
    }
  }
  return "relay " + std::to_string(r + 1);
}

void add_summary(const json& report, Document& doc) {
  const json& summary = member(report, "summary");
  doc.blocks.push_back(heading("Verdict", 2));
  doc.blocks.push_back(paragraph(str(member(report, "verdict"), "text"), true));
  doc.blocks.push_back(paragraph(plural(count(summary, "errors"), "error") + ", " +
                                 plural(count(summary, "warnings"), "warning") + ", " +
                                 plural(count(summary, "infos"), "note") + "."));
  const json& domains = member(member(report, "config"), "domains");
  if (domains.is_array() && !domains.empty()) {
    Block list;
    list.kind = Block::Kind::list;
    for (std::size_t d = 0; d < domains.size() && d < kMaxRows; ++d) {
      const json& relays = member(domains[d], "relays");
      std::string relay_list;
      for (std::size_t r = 0; relays.is_array() && r < relays.size(); ++r) {
        relay_list += (r == 0 ? "" : ", ") + relay_name(report, d, r);
      }
      list.items.push_back(domain_name(report, d) + ": " +
                           (relay_list.empty() ? "no relay" : "relays " + relay_list));
    }
    doc.blocks.push_back(heading("Setup", 3));
    doc.blocks.push_back(std::move(list));
  }
}

void add_findings(const json& report, Document& doc) {
  doc.blocks.push_back(heading("Findings", 2));
  const json& findings = member(report, "findings");
  if (!findings.is_array() || findings.empty()) {
    doc.blocks.push_back(paragraph("No findings."));
    return;
  }
  std::map<std::pair<long, long>, std::vector<const json*>> groups;
  for (std::size_t i = 0; i < findings.size() && i < kMaxRows; ++i) {
    const json& f = findings[i];
    const std::string path = str(f, "path");
    const long d = index_after(path, "/domains/");
    const long r = d < 0 ? -1 : index_after(path, "/domains/" + std::to_string(d) + "/relays/");
    groups[{d, r}].push_back(&f);
  }
  for (const auto& [key, items] : groups) {
    const auto [d, r] = key;
    std::string title = "Account and file";
    if (d >= 0) {
      const auto du = static_cast<std::size_t>(d);
      title = "Domain " + domain_name(report, du);
      if (r >= 0) title += ", relay " + relay_name(report, du, static_cast<std::size_t>(r));
    }
    doc.blocks.push_back(heading(title, 3));
    Block table;
    table.kind = Block::Kind::table;
    table.header = {"Severity", "What happens", "Fix", "Code"};
    for (const json* f : items) {
      const std::string location = str(*f, "locationText");
      table.rows.push_back({str(*f, "severity"),
                            (location.empty() ? "" : location + ": ") + str(*f, "message"),
                            str(*f, "fix"), str(*f, "code")});
    }
    doc.blocks.push_back(std::move(table));
  }
  if (findings.size() > kMaxRows) {
    doc.blocks.push_back(
        paragraph("And " + plural(findings.size() - kMaxRows, "more finding") + "."));
  }
}

std::string mark(const json& cell, const std::string& text) {
  std::string out = text;
  if (member(cell, "aligned").is_boolean() && member(cell, "aligned").get<bool>())
    out += " (aligned)";
  if (member(cell, "assumed").is_boolean() && member(cell, "assumed").get<bool>()) out += " *";
  return out;
}

void add_outcomes(const json& report, Document& doc) {
  doc.blocks.push_back(heading("Outcomes", 2));
  const json& outcomes = member(report, "outcomes");
  if (!outcomes.is_array() || outcomes.empty()) {
    doc.blocks.push_back(paragraph("No message path to show: there is no mail to send yet."));
    return;
  }
  doc.blocks.push_back(
      paragraph("Each domain × email type × route: what SPF, DKIM and DMARC make of the mail. "
                "* marks a result assumed because the DNS data does not have the record that "
                "decides it."));
  Block table;
  table.kind = Block::Kind::table;
  table.header = {"Domain", "Type", "Route", "SPF", "DKIM", "DMARC", "Disposition", "Emails today"};
  for (std::size_t i = 0; i < outcomes.size() && i < kMaxRows; ++i) {
    const json& o = outcomes[i];
    const json& spf = member(o, "spf");
    std::string spf_cell = spf.is_object() ? mark(spf, str(spf, "result")) : "-";
    if (spf.is_object() && !str(spf, "domain").empty()) spf_cell += " (" + str(spf, "domain") + ")";
    std::string dkim_cell;
    const json& dkim = member(o, "dkim");
    for (std::size_t k = 0; dkim.is_array() && k < dkim.size(); ++k) {
      dkim_cell += (k == 0 ? "" : "; ") + str(dkim[k], "domain") + " " +
                   mark(dkim[k], str(dkim[k], "result"));
    }
    if (dkim_cell.empty()) dkim_cell = spf.is_object() ? "none" : "-";
    const json& dmarc = member(o, "dmarc");
    std::string dmarc_cell = dmarc.is_object() ? str(dmarc, "result") : "-";
    if (dmarc.is_object() && !str(dmarc, "policy").empty())
      dmarc_cell += " (p=" + str(dmarc, "policy") + ")";
    if (dmarc.is_object() && member(dmarc, "assumed").is_boolean() &&
        member(dmarc, "assumed").get<bool>())
      dmarc_cell += " *";
    const bool potential =
        member(o, "potential").is_boolean() && member(o, "potential").get<bool>();
    table.rows.push_back(
        {str(o, "domainName"), str(o, "type"), str(o, "routeLabel"), spf_cell, dkim_cell,
         dmarc_cell, dmarc.is_object() ? str(dmarc, "disposition") : "not sent",
         potential ? "0 (route used only on overflow or outage)" : grouped(count(o, "total"))});
  }
  doc.blocks.push_back(std::move(table));
}

void add_plan(const json& report, Document& doc) {
  doc.blocks.push_back(heading("Day plan", 2));
  const json& plan = member(report, "plan");
  const json& hours = member(plan, "hours");
  if (!hours.is_array() || hours.empty()) {
    doc.blocks.push_back(paragraph("No day plan: no traffic is entered."));
    return;
  }
  doc.blocks.push_back(paragraph(
      "Emails per hour (account time " +
      str(member(member(report, "config"), "account"), "timeZone") +
      ") by route: through the relays, through the CRM's own servers, and not sent (over the "
      "edition's daily limit)."));
  Block table;
  table.kind = Block::Kind::table;
  table.header = {"Hour", "Through relays", "Through the CRM", "Not sent"};
  std::uint64_t relay = 0;
  std::uint64_t crm = 0;
  std::uint64_t not_sent = 0;
  for (std::size_t i = 0; i < hours.size() && i < 24; ++i) {
    const json& h = hours[i];
    const std::uint64_t hour = count(h, "hour");
    relay += count(h, "relay");
    crm += count(h, "crm");
    not_sent += count(h, "notSent");
    table.rows.push_back({(hour < 10 ? "0" : "") + std::to_string(hour) + ":00",
                          grouped(count(h, "relay")), grouped(count(h, "crm")),
                          grouped(count(h, "notSent"))});
  }
  table.rows.push_back({"Day", grouped(relay), grouped(crm), grouped(not_sent)});
  doc.blocks.push_back(std::move(table));
}

std::string source_text(const json& entry) { return str(member(entry, "source"), "text"); }

/// A record as the panel read it: the text when there is one ("v=spf1 ..."), with the status
/// when it is not ok (a record that does not parse is shown too: the reader must see it).
std::string record_words(const json& node) {
  const std::string status = str(node, "status");
  const std::string record = str(node, "record");
  if (record.empty()) return status;
  return (status == "ok" ? std::string() : status + ": ") + "\"" + record + "\"" +
         (str(node, "error").empty() ? std::string() : " (" + str(node, "error") + ")");
}

/// The include tree as indented lines: "zylker.com (1 lookup)", "  include:zohomail.com +1".
void tree_lines(const json& node, std::vector<std::string>& lines) {
  // Iterative, with an explicit stack: the tree's depth is bounded by core, the walk by kMaxRows.
  std::vector<std::pair<const json*, std::size_t>> stack{{&node, 0}};
  while (!stack.empty() && lines.size() < kMaxRows) {
    const auto [n, depth] = stack.back();
    stack.pop_back();
    const std::string indent(2 * depth, ' ');
    std::string line = indent + str(*n, "domain") + ": ";
    line += record_words(*n);
    line += " (" + plural(count(*n, "cost"), "lookup") + "; " + source_text(*n) + ")";
    lines.push_back(line);
    const json& terms = member(*n, "terms");
    // Children are pushed in reverse so that they come out in the record's order.
    std::vector<const json*> branches;
    for (std::size_t i = 0; terms.is_array() && i < terms.size(); ++i) {
      const json& t = terms[i];
      if (count(t, "cost") > 0) {
        std::string note = str(t, "note");
        lines.push_back(indent + "  " + str(t, "term") + "  +" + grouped(count(t, "cost")) + " = " +
                        grouped(count(t, "total")) + (note.empty() ? "" : "  (" + note + ")"));
      }
      if (member(t, "branch").is_object() && depth < 24) branches.push_back(&member(t, "branch"));
    }
    for (auto it = branches.rbegin(); it != branches.rend(); ++it)
      stack.push_back({*it, depth + 2});
  }
}

void add_dns(const json& report, Document& doc) {
  doc.blocks.push_back(heading("DNS records", 2));
  const json& panel = member(report, "dnsPanel");
  if (!panel.is_array() || panel.empty()) {
    doc.blocks.push_back(paragraph("No domain to show."));
    return;
  }
  Block publish;
  publish.kind = Block::Kind::table;
  publish.header = {"Domain", "Name", "Type", "Value", "Why"};
  std::vector<std::string> missing;
  for (std::size_t d = 0; d < panel.size() && d < kMaxRows; ++d) {
    const json& p = panel[d];
    doc.blocks.push_back(heading(str(p, "name"), 3));
    if (!str(p, "text").empty()) doc.blocks.push_back(paragraph(str(p, "text")));
    const json& spf = member(p, "spf");
    if (spf.is_object()) {
      doc.blocks.push_back(paragraph("SPF: " + record_words(spf) + " (" + source_text(spf) + "); " +
                                     grouped(count(spf, "lookups")) + " of " +
                                     grouped(count(spf, "lookupLimit")) + " DNS lookups. " +
                                     str(spf, "scope")));
      std::vector<std::string> lines;
      tree_lines(member(spf, "tree"), lines);
      std::string text;
      for (const std::string& l : lines) text += l + "\n";
      doc.blocks.push_back(pre("SPF include tree", text));
    }
    const json& dmarc = member(p, "dmarc");
    if (dmarc.is_object()) {
      std::string line = "DMARC: " + str(dmarc, "reason");
      if (!str(dmarc, "record").empty())
        line += " Record: \"" + str(dmarc, "record") + "\" (" + source_text(dmarc) + ").";
      doc.blocks.push_back(paragraph(line));
    }
    const json& dkim = member(p, "dkim");
    for (std::size_t k = 0; dkim.is_array() && k < dkim.size() && k < kMaxRows; ++k) {
      std::string line =
          "DKIM (" +
          std::string(str(dkim[k], "signer") == "crm" ? "the CRM"
                                                      : "relay " + str(dkim[k], "relay")) +
          ", d=" + str(dkim[k], "domain") + "): " + str(dkim[k], "text");
      if (!source_text(dkim[k]).empty()) line += " (" + source_text(dkim[k]) + ")";
      doc.blocks.push_back(paragraph(line));
    }
    const json& records = member(p, "publish");
    for (std::size_t k = 0; records.is_array() && k < records.size(); ++k) {
      const json& r = records[k];
      publish.rows.push_back({str(p, "name"), str(r, "name"), str(r, "type"),
                              member(r, "value").is_string() ? str(r, "value") : "(none yet)",
                              str(r, "reason")});
    }
    const json& gaps = member(p, "missing");
    for (std::size_t k = 0; gaps.is_array() && k < gaps.size(); ++k)
      missing.push_back(str(gaps[k], "text"));
  }
  doc.blocks.push_back(heading("Records to publish", 3));
  if (publish.rows.empty()) {
    doc.blocks.push_back(
        paragraph("Nothing to publish: no relay has outbound IPs entered, and "
                  "every domain has a DMARC record."));
  } else {
    doc.blocks.push_back(std::move(publish));
  }
  if (!missing.empty()) {
    Block list;
    list.kind = Block::Kind::list;
    list.items = std::move(missing);
    doc.blocks.push_back(paragraph("Also needed, from whoever signs:"));
    doc.blocks.push_back(std::move(list));
  }
}

void add_whitelist(const json& report, Document& doc) {
  doc.blocks.push_back(heading("Whitelist snippets", 2));
  const json& whitelist = member(report, "whitelist");
  const json& snippets = member(whitelist, "snippets");
  const json& ranges = member(whitelist, "ranges");
  if (ranges.is_array() && !ranges.empty()) {
    std::string list;
    for (std::size_t i = 0; i < ranges.size() && i < kMaxRows; ++i)
      list += (i == 0 ? "" : ", ") + (ranges[i].is_string() ? ranges[i].get<std::string>() : "");
    doc.blocks.push_back(paragraph("The CRM's " + str(whitelist, "dataCenter") +
                                   " data centre connects to the relays from: " + list + "."));
  }
  if (!snippets.is_object() || snippets.empty()) {
    doc.blocks.push_back(paragraph("No snippet: no relay needs the CRM's ranges."));
    return;
  }
  static constexpr std::pair<const char*, const char*> kKinds[] = {{"postfix", "Postfix"},
                                                                   {"exim", "Exim"},
                                                                   {"sendmail", "Sendmail"},
                                                                   {"exchange", "Exchange"},
                                                                   {"plain", "Plain list"}};
  for (const auto& [key, label] : kKinds) {
    const std::string text = str(snippets, key);
    if (!text.empty()) doc.blocks.push_back(pre(label, text));
  }
}

}  // namespace

std::string visible(std::string_view text) {
  return text::visible(text, text::ShowOptions{true, false});
}

Document build_document(const json& report) {
  Document doc;
  const json& domains = member(member(report, "config"), "domains");
  std::string names;
  for (std::size_t d = 0; domains.is_array() && d < domains.size() && d < 3; ++d)
    names += (d == 0 ? "" : ", ") + domain_name(report, d);
  if (domains.is_array() && domains.size() > 3)
    names += " and " + plural(domains.size() - 3, "more domain");
  doc.title = "relaycheck report" + (names.empty() ? std::string() : ": " + names);
  add_summary(report, doc);
  add_findings(report, doc);
  add_outcomes(report, doc);
  add_plan(report, doc);
  add_dns(report, doc);
  add_whitelist(report, doc);
  return doc;
}

std::string file_name(const json& report, std::string_view extension) {
  std::string base;
  const json& domains = member(member(report, "config"), "domains");
  if (domains.is_array() && !domains.empty()) {
    const json& forms = member(report, "domains");
    std::string name = forms.is_array() && !forms.empty() ? str(forms[0], "ascii") : "";
    if (name.empty()) name = str(domains[0], "name");
    for (char c : name) {
      if (base.size() >= 63) break;
      const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '.' ||
          lower == '-')
        base += lower;
    }
    while (!base.empty() && base.front() == '.') base.erase(base.begin());
  }
  return "relaycheck-report" + (base.empty() ? std::string() : "-" + base) + "." +
         std::string(extension);
}

}  // namespace relaycheck::exports
