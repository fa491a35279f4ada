#include "api/report.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "api/report_dns.hpp"
#include "api/request_error.hpp"
#include "config/fields.hpp"
#include "config/names.hpp"
#include "dns/relay_dns.hpp"
#include "hosted/hosted.hpp"
#include "outcomes/outcomes.hpp"
#include "plan/plan.hpp"
#include "relaycheck/facade.hpp"
#include "rules/actions.hpp"
#include "rules/rules.hpp"
#include "text/json_writer.hpp"
#include "text/text_builder.hpp"

namespace relaycheck {
namespace {

using json = nlohmann::json;

/// Leading index of `/domains/N` or `/domains/N/relays/M` in a pointer, or -1.
long index_after(const std::string& path, const std::string& prefix) {
  if (path.rfind(prefix, 0) != 0) return -1;
  std::size_t pos = prefix.size();
  std::size_t end = path.find('/', pos);
  std::string digits = path.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
  if (digits.empty() || digits.size() > 6 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return -1;
  }
  return std::stol(digits);
}

std::string plural(std::size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

/// Where each finding of `derived` (the outcomes' findings) landed in the report's sorted
/// `findings`, found by the sort key and then the message; empty for one that add_derived left
/// out. A finding that two analyses both report is written once, and every path links to it.
std::vector<std::optional<std::size_t>> report_indexes(const std::vector<Finding>& derived,
                                                       const std::vector<Finding>& findings) {
  std::vector<std::optional<std::size_t>> out;
  out.reserve(derived.size());
  for (const Finding& f : derived) {
    auto [it, last] = std::equal_range(findings.begin(), findings.end(), f, finding_before);
    while (it != last && (it->message != f.message || it->fix != f.fix)) ++it;
    out.push_back(
        it == last ? std::nullopt
                   : std::optional<std::size_t>(static_cast<std::size_t>(it - findings.begin())));
  }
  return out;
}

/// The findings as the report writes them: each with its `location` in the admin's words (the
/// domain and relay as messages name them, then the field's label), that location as one line
/// (`locationText`), and the `action` its fix asks for, when it asks for one.
void write_findings(text::JsonWriter& w, const std::vector<Finding>& findings,
                    const Config& config) {
  const Names names(config);
  w.array();
  for (const Finding& f : findings) {
    w.object()
        .member("code", f.code)
        .member("severity", to_string(f.severity))
        .member("path", f.path)
        .member("message", f.message)
        .member("fix", f.fix);
    const std::vector<std::string> location = field_location(f.path, config, names);
    w.member("locationText", location_text(location)).key("location").array();
    for (const std::string& part : location) w.value(part);
    w.end();
    if (json action = rules::finding_action(f, config); !action.is_null()) {
      w.member("action", action);
    }
    w.end();
  }
  w.end();
}

/// The command line of `relaycheck` that does what a finding's `action` asks, for the text
/// report (the page links to its own panel instead).
std::string action_command(const json& action) {
  if (action.value("kind", "") != "whitelist") return {};
  std::string command =
      "relaycheck whitelist " + (action.value("ranges", "") == "config"
                                     ? std::string("--ranges FILE")
                                     : "--dc " + action.value("dataCenter", std::string("US")));
  command += " --kind " + action.value("snippetKind", std::string("allow-connection"));
  if (action.contains("snippetFormat")) {
    command += " --format " + action.value("snippetFormat", std::string("plain"));
  }
  return command;
}

/// The one-line verdict the page and the text report lead with: "empty" when there is nothing
/// to relay yet (no domain, or no relay in any domain: then no finding can say the setup works),
/// "errors" when an error finding stands, else "ok" (warnings are counted, not hidden).
json verdict(const Config& config, const json& summary) {
  const bool any_relay = std::any_of(config.domains.begin(), config.domains.end(),
                                     [](const Domain& d) { return !d.relays.empty(); });
  const auto errors = summary.value("errors", std::size_t{0});
  const auto warnings = summary.value("warnings", std::size_t{0});
  if (config.domains.empty() || !any_relay) {
    return {{"kind", "empty"},
            {"text", config.domains.empty()
                         ? "Nothing to check yet: add a domain and the relay its mail goes through."
                         : "Nothing to check yet: no domain has a relay, so all mail goes out "
                           "through the CRM's own servers. Add a relay to a domain."}};
  }
  if (errors > 0) {
    return {{"kind", "errors"},
            {"text",
             "Fix the " + plural(errors, "error") + " before the CRM sends through this setup."}};
  }
  return {{"kind", "ok"},
          {"text", "No errors: the CRM can send through this setup" +
                       (warnings == 0 ? std::string(".")
                                      : "; read the " + plural(warnings, "warning") + ".")}};
}

}  // namespace

// The findings and outcome paths are counted at the fewest bytes the report writes for them:
// each finding's texts plus its member names; an outcome path's members alone take more than
// 400 bytes. Without this, 500 domains of 20 relays each built an 85 MB answer in 662 MB of
// memory before the façade refused it (2026-12-02); a config within the loader's limits can
// still amplify that far, since every relay brings its own findings.
std::size_t refuse_too_large(const std::vector<Finding>& findings, std::size_t outcome_paths) {
  constexpr std::size_t kFindingMembers = 90;  // "code", "severity", "path", ..., "locationText"
  constexpr std::size_t kOutcomeMembers = 400;
  std::size_t bytes = outcome_paths * kOutcomeMembers;
  for (const Finding& f : findings) {
    bytes += kFindingMembers + f.code.size() + 2 * f.path.size() + f.message.size() + f.fix.size();
  }
  if (bytes > kMaxResponseBytes) {
    throw RequestError("response.too_large",
                       "the answer would be at least " + std::to_string(bytes) +
                           " bytes, over the limit of " + std::to_string(kMaxResponseBytes) +
                           " (64 MiB) for an answer; ask about less at a time");
  }
  return bytes;
}

// The room made for the answer before it is written. Growing it by doubling copied it and took
// fresh pages at every step (perf, 2026-12-02), and a room short by a little is the worst case:
// with twice the lower bound alone, the 500-domain answer of scripts/gen-config (13.95 MB)
// outgrew its 11.8 MB while the DNS panel was written and moved into 23.5 MB. Each domain's
// DNS panel, plan and config come on top of the lower bound: about 8 KB in that answer, 12 KB
// counted here; 28.6 KB of the example's answer against 85 KB. Room not written costs address
// space only, in wasm memory as in glibc's mmap: its pages are never touched.
namespace {
std::size_t answer_capacity(std::size_t lower_bound, std::size_t domains) {
  constexpr std::size_t kPerDomain = 12 * 1024;
  constexpr std::size_t kBase = 64 * 1024;
  return std::min<std::size_t>(2 * lower_bound + kPerDomain * domains + kBase, kMaxResponseBytes);
}
}  // namespace

void write_report(const LoadedConfig& loaded, std::string& text) {
  json whitelist;
  const std::vector<Finding> setup = check_setup(loaded.config, &whitelist);
  const plan::Plan day = plan::make_plan(loaded.config);
  const outcomes::Outcomes outcomes = outcomes::derive(loaded.config, day);
  std::vector<Finding> findings = loaded.findings;
  add_derived(findings, setup, loaded.findings);
  add_derived(findings, day.findings, loaded.findings);
  add_derived(findings, outcomes.findings, loaded.findings);
  const hosted::Catalog services = hosted::load_for(loaded.config);
  add_derived(findings, hosted::check(services, loaded.config, day), loaded.findings);
  if (const auto zone = spf::ZoneView::load(loaded.config.dns, spf::MissingName::unknown)) {
    add_derived(findings,
                dns::relay_dns_findings(loaded.config, *zone.zone, rules::describe_reserved),
                loaded.findings);
  }
  sort_findings(findings);
  text.reserve(text.size() + answer_capacity(refuse_too_large(findings, outcomes.paths.size()),
                                             loaded.config.domains.size()));

  const json summary = severity_counts(findings);
  text::JsonWriter w(text);
  w.object()
      .member("schema", kConfigSchema)
      .member("summary", summary)
      .member("verdict", verdict(loaded.config, summary))
      .member("hasErrors", has_errors(findings))
      .key("findings");
  write_findings(w, findings, loaded.config);
  w.member("domains", domain_forms(loaded.config)).key("plan");
  plan::write(w, day, loaded.config);
  w.key("outcomes");
  outcomes::write(w, outcomes, loaded.config, report_indexes(outcomes.findings, findings));
  w.member("whitelist", whitelist)
      .member("hosted", hosted::report(services, loaded.config))
      .key("dnsPanel");
  write_dns_panel(w, loaded.config);
  w.key("limits").object().member("maxRelaysPerDomain", kMaxRelaysPerDomain).end().key("config");
  write_json(w, loaded.config);
  w.end();
}

json analyze_config(const LoadedConfig& loaded) {
  std::string text;
  write_report(loaded, text);
  return json::parse(text);
}

std::string format_report_text(const json& report) {
  const json& summary = report.at("summary");
  text::TextBuilder out;
  out << "relaycheck: " << plural(summary.value("errors", 0u), "error") << ", "
      << plural(summary.value("warnings", 0u), "warning") << ", "
      << plural(summary.value("infos", 0u), "info") << "\n"
      << report.at("verdict").value("text", "") << "\n";

  // Group by where the finding points: the account and file, each domain, each relay.
  std::map<std::pair<long, long>, std::vector<const json*>> groups;
  for (const auto& f : report.at("findings")) {
    const std::string path = f.value("path", "");
    long domain = index_after(path, "/domains/");
    long relay =
        domain < 0 ? -1 : index_after(path, "/domains/" + std::to_string(domain) + "/relays/");
    groups[{domain, relay}].push_back(&f);
  }
  const json& domains = report.at("config").at("domains");
  for (const auto& [key, items] : groups) {
    auto [domain, relay] = key;
    out << "\n";
    if (domain < 0) {
      out << "Account and file\n";
    } else {
      const auto d = static_cast<std::size_t>(domain);
      std::string name = d < domains.size() ? domains[d].value("name", "") : "";
      // An internationalised domain shows both forms: "bücher.example (xn--bcher-kva.example)".
      if (const json forms = report.value("domains", json::array()); d < forms.size()) {
        const json unicode = forms[d].value("unicode", json());
        const json ascii = forms[d].value("ascii", json());
        if (unicode.is_string() && ascii.is_string() && unicode != ascii) {
          name = unicode.get<std::string>() + " (" + ascii.get<std::string>() + ")";
        }
      }
      if (relay < 0) {
        out << "Domain " << (name.empty() ? "#" + std::to_string(domain) : name) << "\n";
      } else {
        const auto r = static_cast<std::size_t>(relay);
        std::string host;
        int port = 0;
        if (d < domains.size() && r < domains[d].at("relays").size()) {
          host = domains[d]["relays"][r].value("host", "");
          port = domains[d]["relays"][r].value("port", 0);
        }
        out << "Domain " << name << ", relay "
            << (host.empty() ? "#" + std::to_string(relay) : host + ":" + std::to_string(port))
            << "\n";
      }
    }
    for (const json* f : items) {
      out << "  " << f->value("severity", "") << " " << f->value("code", "") << " at "
          << f->value("locationText", f->value("path", "")) << "\n"
          << "    " << f->value("message", "") << "\n"
          << "    fix: " << f->value("fix", "") << "\n";
      if (const auto action = f->find("action"); action != f->end()) {
        if (const std::string command = action_command(*action); !command.empty()) {
          out << "    run: " << command << "\n";
        }
      }
    }
  }
  if (const auto it = report.find("outcomes"); it != report.end() && !it->empty()) {
    out << "\n" << outcomes::format_matrix(*it);
  }
  return std::move(out).str();
}

}  // namespace relaycheck
