// The façade's SPF methods: spf.check, spf.lint, spf.propose. Requests carry the DNS data as a
// zone map (an object, or its JSON text so that core can name the line of a syntax error).
#include <nlohmann/json.hpp>

#include "api/methods.hpp"
#include "api/request_error.hpp"
#include "api/request_reader.hpp"
#include "spf/limits.hpp"
#include "spf/lint.hpp"
#include "spf/spf.hpp"

namespace relaycheck::methods {
namespace {

using json = nlohmann::json;

ip::Address address_field(const json& request, const char* name) {
  const std::string text = string_field(request, name);
  auto parsed = ip::parse_address(text);
  if (!parsed) {
    throw RequestError("spf.bad_ip", "'" + text + "' is not an IP address: " + parsed.error,
                       std::string("/") + name);
  }
  return *parsed.value;
}

json needed_json(const std::vector<spf::Lookup>& needed) {
  json out = json::array();
  for (const auto& l : needed) out.push_back({{"name", l.name}, {"type", spf::to_string(l.type)}});
  return out;
}

json findings_json(const std::vector<Finding>& findings) {
  json out = json::array();
  for (const auto& f : findings) out.push_back(f);
  return out;
}

json check_json(const spf::CheckResult& r) {
  json matched = json::array();
  for (const auto& m : r.matched) {
    matched.push_back(
        {{"domain", m.domain}, {"term", m.term}, {"depth", m.depth}, {"offset", m.offset}});
  }
  json trace = json::array();
  for (const auto& s : r.trace) {
    trace.push_back({{"depth", s.depth},
                     {"domain", s.domain},
                     {"event", s.event},
                     {"term", s.term},
                     {"detail", s.detail},
                     {"lookups", s.lookups},
                     {"voidLookups", s.voids}});
  }
  return json{{"result", spf::to_string(r.result)},
              {"explanation", r.explanation},
              {"reason", r.reason},
              {"code", r.code},
              {"domain", r.domain},
              {"sender", r.sender},
              {"matched", matched},
              {"lookups", r.lookups},
              {"voidLookups", r.void_lookups},
              {"trace", trace},
              {"needed", needed_json(r.needed)},
              {"complete", r.complete()}};
}

std::string trace_text(const spf::CheckResult& r) {
  std::string out;
  for (const auto& s : r.trace) {
    out += std::string(2 * s.depth, ' ') + s.domain + " " + s.event;
    if (!s.term.empty()) out += " '" + s.term + "'";
    out += ": " + s.detail + " [lookups " + std::to_string(s.lookups) + "/" +
           std::to_string(spf::kLookupLimit) + ", void " + std::to_string(s.voids) + "/" +
           std::to_string(spf::kVoidLimit) + "]\n";
  }
  return out;
}

json node_json(const spf::RecordNode& node);

json term_json(const spf::TermNode& t) {
  json out{{"term", t.term},
           {"cost", t.cost},
           {"total", t.total},
           {"void", t.void_lookup},
           {"note", t.note}};
  if (!t.branch.empty()) out["branch"] = node_json(t.branch.front());
  return out;
}

json node_json(const spf::RecordNode& node) {
  json terms = json::array();
  for (const auto& t : node.terms) terms.push_back(term_json(t));
  return json{{"domain", node.domain}, {"status", spf::to_string(node.status)},
              {"record", node.record}, {"error", node.error},
              {"cost", node.cost},     {"terms", terms}};
}

void tree_text(const spf::RecordNode& node, unsigned depth, std::string& out) {
  const std::string indent(2 * depth, ' ');
  out += indent + node.domain + ": " +
         (node.status == spf::RecordStatus::ok
              ? "\"" + node.record + "\""
              : std::string(spf::to_string(node.status)) +
                    (node.error.empty() ? "" : " (" + node.error + ")")) +
         "\n";
  for (const auto& t : node.terms) {
    std::string line = indent + "  " + t.term;
    if (t.cost > 0) line += "  +" + std::to_string(t.cost) + " = " + std::to_string(t.total);
    if (!t.note.empty()) line += "  (" + t.note + ")";
    out += line + "\n";
    if (!t.branch.empty()) tree_text(t.branch.front(), depth + 2, out);
  }
}

std::string findings_text(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings) {
    out +=
        std::string(to_string(f.severity)) + " " + f.code + " " + f.path + ": " + f.message + "\n";
    if (!f.fix.empty()) out += "  fix: " + f.fix + "\n";
  }
  return out;
}

std::string needed_text(const std::vector<spf::Lookup>& needed) {
  std::string out;
  for (const auto& l : needed)
    out += "needed: " + std::string(spf::to_string(l.type)) + " " + l.name + "\n";
  return out;
}

/// One check of a spf.check request (or of one element of its "checks").
json check_one(const spf::ZoneView& zone, const json& request, const spf::CheckOptions& defaults,
               bool compact = false) {
  const ip::Address ip = address_field(request, "ip");
  const std::string identity = choice_field(request, "identity", {"mailfrom", "helo"}, "mailfrom");
  const std::string helo =
      identity == "helo" ? string_field(request, "helo") : string_field_or(request, "helo", "");
  const std::string domain = string_field_or(request, "domain", "");
  const std::string sender = identity == "mailfrom" && domain.empty()
                                 ? string_field(request, "sender")
                                 : string_field_or(request, "sender", "");
  spf::CheckOptions options = defaults;
  options.default_explanation =
      string_field_or(request, "defaultExplanation", options.default_explanation);
  options.receiver = string_field_or(request, "receiver", options.receiver);
  options.trace = bool_field_or(request, "trace", options.trace);
  if (const json* t = find_field(request, "timestamp")) {
    if (!t->is_number_integer())
      throw RequestError("request.bad_type", "\"timestamp\" must be an integer (seconds)",
                         "/timestamp");
    options.timestamp = t->get<std::int64_t>();
  }
  if (compact) options.details = false;
  spf::CheckResult r;
  if (!domain.empty()) {
    r = spf::check_host(zone, ip, domain, sender.empty() ? "postmaster@" + domain : sender, helo,
                        options);
  } else if (identity == "helo") {
    r = spf::check_helo(zone, ip, helo, options);
  } else {
    r = spf::check_mail_from(zone, ip, sender, helo, options);
  }
  if (compact) return json{{"result", spf::to_string(r.result)}, {"explanation", r.explanation}};
  json out = check_json(r);
  out["text"] = std::string(spf::to_string(r.result)) + "\n" +
                (r.result == spf::Result::fail ? r.explanation + "\n" : "");
  out["traceText"] = trace_text(r) + needed_text(r.needed);
  return out;
}

/// Appends an explanation to a results text: tab, newline and backslash written as \t, \n, \\.
void append_escaped(std::string& out, const std::string& text) {
  for (char c : text) {
    if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\\') {
      out += "\\\\";
    } else {
      out += c;
    }
  }
}

/// A batch given as text: one check a line, "IP<TAB>MAIL FROM<TAB>HELO" (an empty MAIL FROM is
/// the null reverse path). The answer is text too, one line a check: the result, and for fail a
/// tab and the explanation. Neither side builds a JSON value per check, so a batch of thousands
/// of checks (every path of an outcome matrix) crosses the façade as two strings.
json check_text_batch(const spf::ZoneView& zone, const std::string& text,
                      const spf::CheckOptions& options) {
  std::string out;
  out.reserve(text.size() / 4);
  std::size_t count = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + start, end - start);
    ++count;
    const std::size_t tab1 = line.find('\t');
    const std::size_t tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
    if (tab2 == std::string_view::npos || line.find('\t', tab2 + 1) != std::string_view::npos) {
      throw RequestError(
          "request.bad_value",
          "line " + std::to_string(count) + " of \"checksText\" is not IP<TAB>MAIL FROM<TAB>HELO",
          "/checksText");
    }
    const auto ip = ip::parse_address(line.substr(0, tab1));
    if (!ip) {
      throw RequestError("spf.bad_ip",
                         "line " + std::to_string(count) + " of \"checksText\": '" +
                             std::string(line.substr(0, tab1)) +
                             "' is not an IP address: " + ip.error,
                         "/checksText");
    }
    const spf::CheckResult r = spf::check_mail_from(
        zone, *ip.value, line.substr(tab1 + 1, tab2 - tab1 - 1), line.substr(tab2 + 1), options);
    out += spf::to_string(r.result);
    if (r.result == spf::Result::fail) {
      out += '\t';
      append_escaped(out, r.explanation);
    }
    out += '\n';
    start = end + 1;
  }
  return json{{"resultsText", std::move(out)}, {"count", count}};
}

}  // namespace

json spf_check(const json& request) {
  const spf::ZoneView zone = zone_field(request);
  if (const json* text = find_field(request, "checksText")) {
    if (!text->is_string())
      throw RequestError("request.bad_type", "\"checksText\" must be a string", "/checksText");
    spf::CheckOptions options;
    options.default_explanation =
        string_field_or(request, "defaultExplanation", options.default_explanation);
    options.receiver = string_field_or(request, "receiver", options.receiver);
    options.trace = false;
    options.details = false;
    spf::RecordCache cache;
    options.cache = &cache;
    return check_text_batch(zone, text->get_ref<const std::string&>(), options);
  }
  const json* checks = find_field(request, "checks");
  if (checks == nullptr) return check_one(zone, request, spf::CheckOptions{});
  // A batch: many checks against one zone, which is read once. Each element takes the fields
  // of a single check; the request's own options are the defaults.
  if (!checks->is_array())
    throw RequestError("request.bad_type", "\"checks\" must be a list of checks", "/checks");
  spf::CheckOptions defaults;
  defaults.default_explanation =
      string_field_or(request, "defaultExplanation", defaults.default_explanation);
  defaults.receiver = string_field_or(request, "receiver", defaults.receiver);
  defaults.trace = bool_field_or(request, "trace", true);
  // One parse cache for the whole batch; "compact" answers each check with its result and
  // explanation only.
  spf::RecordCache cache;
  defaults.cache = &cache;
  const bool compact = bool_field_or(request, "compact", false);
  json results = json::array();
  for (std::size_t i = 0; i < checks->size(); ++i) {
    const json& one = (*checks)[i];
    if (!one.is_object())
      throw RequestError("request.bad_type", "a check must be an object",
                         "/checks/" + std::to_string(i));
    try {
      results.push_back(check_one(zone, one, defaults, compact));
    } catch (const RequestError& e) {
      throw RequestError(e.code(), e.message(), "/checks/" + std::to_string(i) + e.path());
    }
  }
  return json{{"results", std::move(results)}};
}

json spf_lint(const json& request) {
  const spf::ZoneView zone = zone_field(request);
  const std::string domain = string_field(request, "domain");
  spf::LintOptions options;
  if (find_field(request, "ip") != nullptr) options.ip = address_field(request, "ip");
  const spf::LintResult r = spf::lint(zone, domain, options);
  json out{{"domain", r.domain},
           {"tree", node_json(r.tree)},
           {"lookups", r.lookups},
           {"lookupLimit", spf::kLookupLimit},
           {"voidLookups", r.void_lookups},
           {"voidLimit", spf::kVoidLimit},
           {"findings", findings_json(r.findings)},
           {"hasErrors", has_errors(r.findings)},
           {"needed", needed_json(r.needed)},
           {"complete", r.needed.empty()}};
  std::string text;
  tree_text(r.tree, 0, text);
  text += "DNS-lookup terms: " + std::to_string(r.lookups) + " of " +
          std::to_string(spf::kLookupLimit) + "; void lookups: " + std::to_string(r.void_lookups) +
          " of " + std::to_string(spf::kVoidLimit) + "\n";
  if (r.check) {
    out["check"] = check_json(*r.check);
    text += ip::to_string(*options.ip) + ": " + std::string(spf::to_string(r.check->result));
    if (!r.check->matched.empty()) {
      text += " by";
      for (const auto& m : r.check->matched) text += " '" + m.term + "' (" + m.domain + ")";
    }
    text += "\n";
  }
  out["text"] = text + findings_text(r.findings) + needed_text(r.needed);
  return out;
}

json spf_propose(const json& request) {
  const spf::ZoneView zone = zone_field(request);
  const std::string domain = string_field(request, "domain");
  const json* ips = find_field(request, "ips");
  if (ips == nullptr || !ips->is_array() || ips->empty()) {
    throw RequestError("request.missing_field",
                       "the request needs \"ips\": the relay's outbound addresses", "/ips");
  }
  std::vector<ip::Prefix> prefixes;
  for (std::size_t i = 0; i < ips->size(); ++i) {
    const std::string path = "/ips/" + std::to_string(i);
    if (!(*ips)[i].is_string())
      throw RequestError("spf.bad_ip", "an address must be a string", path);
    const std::string text = (*ips)[i].get<std::string>();
    auto parsed = ip::parse_prefix(text);
    if (!parsed)
      throw RequestError("spf.bad_ip",
                         "'" + text + "' is not an address or prefix: " + parsed.error, path);
    ip::Prefix prefix = *parsed.value;
    if (prefix.family == ip::Family::v6 && prefix.length == 128 &&
        ip::is_v4_mapped(prefix.network())) {
      prefix = *ip::make_prefix(ip::unmap(prefix.network()), 32);  // SPF sees it as IPv4 (§5)
    }
    prefixes.push_back(prefix);
  }
  spf::ProposeOptions options;
  options.vendor_include = string_field_or(request, "vendorInclude", "");
  const spf::Proposal p = spf::propose(zone, domain, prefixes, options);
  json already = json::array();
  for (const auto& a : p.already) already.push_back({{"ip", a.ip}, {"by", a.by}});
  json out{{"domain", p.domain},
           {"current", p.current},
           {"record", p.record},
           {"strings", p.strings},
           {"changed", p.changed},
           {"added", p.added},
           {"already", already},
           {"lookupsBefore", p.lookups_before},
           {"lookupsAfter", p.lookups_after},
           {"usable", p.usable},
           {"findings", findings_json(p.findings)},
           {"hasErrors", has_errors(p.findings)},
           {"needed", needed_json(p.needed)},
           {"complete", p.needed.empty()}};
  std::string text;
  if (p.usable) {
    text +=
        p.changed ? "publish at " + p.domain + ":\n" : "no change needed at " + p.domain + ":\n";
    std::string quoted;
    for (const auto& s : p.strings) quoted += (quoted.empty() ? "" : " ") + ("\"" + s + "\"");
    text += "  " + p.domain + ". TXT " + quoted + "\n";
    if (p.changed)
      text += "was:\n  " + (p.current.empty() ? "(no SPF record)" : "\"" + p.current + "\"") + "\n";
    for (const auto& a : p.already)
      text += a.ip + " passes already" + (a.by.empty() ? "" : " by '" + a.by + "'") + "\n";
    text += "DNS-lookup terms: " + std::to_string(p.lookups_before) + " before, " +
            std::to_string(p.lookups_after) + " after (limit " + std::to_string(spf::kLookupLimit) +
            ")\n";
  }
  out["text"] = text + findings_text(p.findings) + needed_text(p.needed);
  return out;
}

}  // namespace relaycheck::methods
