// Step 3 of outcomes.hpp: SPF of one path, computed from the config's DNS data where it has the
// records, implied by the setup (and marked assumed) where it does not.
#include <algorithm>
#include <array>

#include "outcomes/detail.hpp"
#include "spf/ranges.hpp"

namespace relaycheck::outcomes {
namespace {

using spf::Result;

/// How bad a result is for the mail, worst last: a path passes SPF only if every client does.
int badness(Result result) {
  constexpr std::array order{Result::pass, Result::none,      Result::neutral,  Result::softfail,
                             Result::fail, Result::temperror, Result::permerror};
  return static_cast<int>(std::find(order.begin(), order.end(), result) - order.begin());
}

/// The worst result over a prefix's parts (a range passes only if all of it passes), with the
/// code of an error result.
std::pair<Result, std::string> worst_of(const spf::Coverage& c) {
  if (c.uniform && c.split.size() <= 1) {
    return {*c.uniform, c.split.empty() ? std::string() : c.split.front().code};
  }
  std::pair<Result, std::string> worst{Result::pass, {}};
  for (const spf::RangeResult& part : c.split) {
    if (badness(part.result) > badness(worst.first)) worst = {part.result, part.code};
  }
  if (!c.undecided.empty() && worst.first == Result::pass) worst = {Result::neutral, {}};
  return worst;
}

std::string count_of(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

/// "authorises 7 of the 9 clients; missing 136.143.190.0/23 (softfail)".
std::string coverage_words(const std::string& domain, const spf::CoverageSummary& summary) {
  std::string out = "the SPF record of " + domain + " authorises " +
                    std::to_string(summary.authorised) + " of " +
                    count_of(summary.total, "client", "clients");
  if (summary.missing.empty()) return out;
  out += "; missing ";
  for (std::size_t i = 0; i < summary.missing.size() && i < 4; ++i) {
    out += (i == 0 ? "" : ", ") + client_text(summary.missing[i]);
  }
  if (summary.missing.size() > 4)
    out += " and " + std::to_string(summary.missing.size() - 4) + " more";
  if (summary.missing_result)
    out += " (" + std::string(spf::to_string(*summary.missing_result)) + ")";
  return out;
}

std::string needed_text(const spf::Lookup& lookup) {
  static constexpr std::array kTypes{"TXT", "A", "AAAA", "MX", "PTR"};
  return lookup.name + " " + kTypes[static_cast<std::size_t>(lookup.type)];
}

/// True when the envelope domain is a rewriting relay's own: while its record is not in the DNS
/// data, the result is implied the way the domain source states its second case (SPF passes).
bool is_relay_bounce_domain(const Context& context, const Outcome& outcome) {
  const Relay* relay = relay_of(context.config, outcome.path);
  return relay && relay->rewrites_return_path;
}

bool is_crm_bounce_domain(const Context& context, const Outcome& outcome) {
  const Relay* relay = relay_of(context.config, outcome.path);
  return context.config.domains[outcome.path.domain].return_path == ReturnPathMode::crm &&
         !(relay && relay->rewrites_return_path);
}

/// The result the setup implies when the DNS data cannot say it (outcomes.hpp, step 3).
void imply(const Context& context, const Outcome& outcome, SpfOutcome& out) {
  const Relay* relay = relay_of(context.config, outcome.path);
  out.assumed = true;
  if (is_crm_bounce_domain(context, outcome)) {
    if (relay) {
      out.result = "fail";
      out.basis =
          "assumed: the CRM's bounce domain authorises the CRM's servers, not the relay, so SPF "
          "fails at the relay hop, as the domain source says";
    } else {
      out.result = "pass";
      out.basis = "assumed: the CRM's bounce domain authorises the CRM's own servers";
    }
    return;
  }
  if (relay && relay->rewrites_return_path && !outcome.client_ips.empty()) {
    out.result = "pass";
    out.basis = out.domain.empty() ? "assumed: the relay's own bounce domain (not entered as "
                                     "returnPathDomain) authorises the relay's servers"
                                   : "assumed: the relay's own bounce domain " + out.domain +
                                         " authorises the relay's servers (its SPF record is not "
                                         "in the DNS data)";
    return;
  }
  out.result = "none";
  out.basis =
      outcome.client_ips.empty()
          ? "unknown: the relay's outbound IPs are not entered, so no SPF check can be "
            "made; taken as none"
          : "unknown: the SPF record of " + out.domain + " is not in the DNS data; taken as none";
}

/// True unless every client is a single address whose check_host() needs no lookup the DNS data
/// lacks (the partition's `needed` is for all addresses; a range cannot be told apart).
bool depends_on_needed(const Context& context, const std::vector<ip::Prefix>& prefixes,
                       const std::string& domain, const std::string& sender,
                       const std::string& helo) {
  if (prefixes.empty()) return true;
  for (const ip::Prefix& p : prefixes) {
    if (p.length != ip::max_length(p.family)) return true;
    if (!spf::check_host(context.dns(), p.network(), domain, sender, helo).complete()) return true;
  }
  return false;
}

/// True when the DNS data has the domain's TXT records (or knows it has none).
bool has_own_record(const Context& context, const std::string& domain) {
  return context.dns().query(domain, spf::RrType::txt).status != spf::DnsStatus::unknown;
}

/// check_host() over the clients, as ranges (spf/ranges.hpp): exact per address. Fills the
/// result, each client's result, the basis and the names still needed; it depends only on the
/// envelope domain, the HELO name and the clients.
void check_clients(Context& context, const std::vector<ip::Prefix>& prefixes,
                   const std::string& helo, SpfOutcome& out) {
  const std::string sender = "postmaster@" + out.domain;
  const spf::Partition partition =
      spf::partition(context.dns(), out.domain, sender, helo, &context.cache);
  const auto coverages = spf::coverage(partition, prefixes,
                                       {&context.dns(), out.domain, sender, helo, &context.cache});
  Result worst = Result::pass;
  for (const spf::Coverage& c : coverages) {
    const auto [result, code] = worst_of(c);
    const bool split = !(c.uniform && c.split.size() <= 1);
    out.clients.push_back(
        {client_text(c.prefix), std::string(spf::to_string(result)) + (split ? " (in part)" : "")});
    if (badness(result) > badness(worst)) {
      worst = result;
      out.code = code;
    }
  }
  out.result = std::string(spf::to_string(worst));
  out.basis = coverage_words(out.domain, spf::summarize(coverages));
  for (const auto& lookup : partition.needed) out.needed.push_back(needed_text(lookup));
}

/// SPF of a path from the DNS data. The partition of the address space is a path's costliest
/// step and many paths share its inputs (a relay's three email types), so check_clients runs
/// once per envelope domain, HELO name and client list (Context::spf_checked).
void compute(Context& context, const Outcome& outcome, const std::string& helo, SpfOutcome& out) {
  const std::string sender = "postmaster@" + out.domain;
  std::vector<ip::Prefix> prefixes;
  for (const std::string& text : outcome.client_ips) {
    if (const auto p = ip::parse_prefix(text, ip::HostBits::mask)) prefixes.push_back(*p.value);
  }
  std::string key = out.domain + '\n' + helo;
  for (const std::string& text : outcome.client_ips) key += '\n' + text;
  auto [checked, fresh] = context.spf_checked.try_emplace(std::move(key));
  if (fresh) {
    checked->second.domain = out.domain;
    check_clients(context, prefixes, helo, checked->second);
  }
  out.clients = checked->second.clients;
  out.code = checked->second.code;
  out.result = checked->second.result;
  out.basis = checked->second.basis;
  out.needed = checked->second.needed;
  if (out.needed.empty()) return;
  if (is_crm_bounce_domain(context, outcome) ||
      (is_relay_bounce_domain(context, outcome) && !has_own_record(context, out.domain))) {
    out.clients.clear();
    out.code.clear();
    out.needed.clear();
    imply(context, outcome, out);
    return;
  }
  if (!depends_on_needed(context, prefixes, out.domain, sender, helo)) {
    // Every client is decided before the record reaches a name the DNS data lacks (an ip4: term
    // ahead of an include:): the result is exact for this path.
    out.needed.clear();
    return;
  }
  out.assumed = true;
  out.basis += " (assumed: the DNS data lacks " + out.needed.front() +
               (out.needed.size() > 1 ? " and more" : "") + ", taken as not matching)";
}

}  // namespace

SpfOutcome evaluate_spf(Context& context, const Outcome& outcome) {
  SpfOutcome out;
  out.domain = outcome.envelope_from;
  const Relay* relay = relay_of(context.config, outcome.path);
  const std::string helo = relay ? relay->host : std::string("unknown");
  if (out.domain.empty() || outcome.client_ips.empty() ||
      (outcome.client_ips_assumed && relay != nullptr)) {
    imply(context, outcome, out);
  } else {
    compute(context, outcome, helo, out);
  }
  if (outcome.client_ips_assumed && !out.assumed) {
    out.assumed = true;
    out.basis += " (assumed: the CRM sends from the ranges it connects to relays from)";
  }
  out.aligned = out.result == "pass" && !out.domain.empty() &&
                aligns(context, outcome.path.domain, out.domain, false);
  return out;
}

}  // namespace relaycheck::outcomes
