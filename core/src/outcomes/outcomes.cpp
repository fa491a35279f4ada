// derive(): the steps of outcomes.hpp in order, then the findings of whole domains (the DNS data
// the outcomes assumed, the bulk senders' requirements).
#include "outcomes/outcomes.hpp"

#include <algorithm>

#include "orgdomain/psl.hpp"
#include "outcomes/detail.hpp"
#include "text/visible.hpp"

namespace relaycheck::outcomes {
namespace {

/// Google's and Yahoo's 2024 sender requirements apply from about this many messages a day.
constexpr std::int64_t kBulkSenderDaily = 5000;
/// The most names one finding lists.
constexpr std::size_t kNamesListed = 8;

void discover_policies(Context& context) {
  dmarc::DiscoveryOptions options;
  options.check_report_authorization = false;
  for (const std::string& from : context.from_domains) {
    if (from.empty()) {
      context.dmarc.emplace_back();
      continue;
    }
    context.dmarc.push_back(
        dmarc::discover(context.dns(), from, orgdomain::organizational_domain(from), options));
  }
}

void add_name(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

/// The DNS names whose records a domain's outcomes assumed.
std::vector<std::string> assumed_names(const Context& context, const std::vector<Outcome>& all,
                                       std::size_t d) {
  std::vector<std::string> names;
  for (const Outcome& o : all) {
    if (o.path.domain != d || !o.spf) continue;
    for (const std::string& n : o.spf->needed) add_name(names, n);
    for (const DkimOutcome& sig : o.dkim) {
      if (sig.assumed && !sig.selector.empty()) {
        add_name(names, sig.selector + "._domainkey." + sig.domain + " TXT");
      }
    }
  }
  for (const dmarc::Lookup& l : context.dmarc[d].needed) add_name(names, l.name + " TXT");
  return names;
}

void explain_missing_dns(const Context& context, std::vector<Outcome>& all,
                         std::vector<Finding>& findings) {
  for (std::size_t d = 0; d < context.config.domains.size(); ++d) {
    const std::vector<std::string> names = assumed_names(context, all, d);
    if (names.empty()) continue;
    std::string list;
    for (std::size_t i = 0; i < names.size() && i < kNamesListed; ++i) {
      list += (i == 0 ? "" : ", ") + names[i];
    }
    if (names.size() > kNamesListed) {
      list += " and " + std::to_string(names.size() - kNamesListed) + " more";
    }
    for (Outcome& o : all) {
      if (o.path.domain == d && o.spf) o.findings.push_back(findings.size());
    }
    findings.push_back({"outcome.dns.missing", Severity::info, "/dns",
                        "The outcomes of " + context.names.domain(d) +
                            " assume what these records say, which the DNS data does not "
                            "have: " +
                            text::visible(list) + ".",
                        "Fetch them with a live DNS check, or enter them in the config's DNS "
                        "records."});
  }
}

/// What of the bulk senders' requirements the sent paths of domain `d` lack.
std::vector<std::string> bulk_gaps(const Context& context, const std::vector<Outcome>& all,
                                   std::size_t d) {
  std::vector<std::string> gaps;
  for (const Outcome& o : all) {
    if (o.path.domain != d || !o.spf || o.path.total == 0) continue;
    const std::string route = route_words(context, o.path);
    if (o.spf->result != "pass") add_name(gaps, "an SPF pass for mail " + route);
    if (std::none_of(o.dkim.begin(), o.dkim.end(),
                     [](const DkimOutcome& s) { return s.result == "pass"; })) {
      add_name(gaps, "a DKIM pass for mail " + route);
    }
    if (!has_aligned_pass(o)) add_name(gaps, "an aligned pass for mail " + route);
  }
  if (context.dmarc[d].status != dmarc::DiscoveryStatus::found &&
      context.dmarc[d].status != dmarc::DiscoveryStatus::unknown) {
    gaps.insert(gaps.begin(), "a DMARC record");
  }
  return gaps;
}

void explain_bulk(const Context& context, std::vector<Outcome>& all,
                  std::vector<Finding>& findings) {
  for (std::size_t d = 0; d < context.config.domains.size(); ++d) {
    std::int64_t daily = 0;
    for (const Traffic& t : context.config.domains[d].traffic) daily += t.daily.value_or(0);
    if (daily < kBulkSenderDaily) continue;
    const std::vector<std::string> gaps = bulk_gaps(context, all, d);
    if (gaps.empty()) continue;
    std::string list;
    for (std::size_t i = 0; i < gaps.size(); ++i) list += (i == 0 ? "" : "; ") + gaps[i];
    findings.push_back(
        {"outcome.bulk.requirements", Severity::warning,
         "/domains/" + std::to_string(d) + "/traffic",
         "The domain " + context.names.domain(d) + " sends " + plan::format_count(daily) +
             " emails a day; Google and Yahoo require of senders of about 5,000 a day to their "
             "users (2024) SPF and DKIM both, a DMARC record and alignment, and this setup "
             "lacks: " +
             list +
             ". The whole volume is assumed to count: how much of it goes to them is not known.",
         "Sign every route with DKIM d=" + context.names.domain(d) +
             ", authorise every route's clients in the envelope domain's SPF record, and publish "
             "a DMARC record."});
  }
}

}  // namespace

std::string route_words(const Context& context, const plan::MessagePath& path) {
  const std::string relay =
      path.relay ? "relay " + context.names.relay(path.domain, *path.relay) : std::string();
  switch (path.reason) {
    case plan::RouteReason::none:
      return path.kind == plan::RouteKind::relay ? "through " + relay : "through the CRM's servers";
    case plan::RouteReason::relay_cap:
      return "through the CRM's servers once " + relay + " is full";
    case plan::RouteReason::relay_outage:
      return "through the CRM's servers while " + relay + " is down";
    case plan::RouteReason::no_relay:
      return "through the CRM's servers (no relay carries them)";
    case plan::RouteReason::edition_limit:
      return "not sent today (the edition's limit is used up)";
  }
  return {};
}

std::vector<Outcome> evaluate_paths(Context& context, const plan::Plan& day) {
  discover_policies(context);
  std::vector<Outcome> paths = enumerate_paths(context, day);
  for (Outcome& o : paths) {
    // Mail that is not sent, or whose From domain is not a domain name (an error of its own),
    // has no authentication outcome.
    if (o.path.kind == plan::RouteKind::not_sent || context.from_domains[o.path.domain].empty()) {
      continue;
    }
    o.spf = evaluate_spf(context, o);
    o.dkim = evaluate_dkim(context, o);
    o.dmarc = evaluate_dmarc(context, o);
  }
  return paths;
}

Outcomes derive(const Config& config, const plan::Plan& day) {
  Outcomes result;
  Context context(config);
  prepare(context, result.findings);
  result.paths = evaluate_paths(context, day);
  explain(context, result.paths, result.findings);
  explain_missing_dns(context, result.paths, result.findings);
  explain_bulk(context, result.paths, result.findings);
  return result;
}

}  // namespace relaycheck::outcomes
