// The record to publish so that a relay's outbound IPs pass SPF: the smallest change, re-checked.
#include <algorithm>

#include "spf/lint.hpp"

namespace relaycheck::spf {
namespace {

constexpr std::string_view kVersion = "v=spf1";

bool is_host(const ip::Prefix& prefix) { return prefix.length == ip::max_length(prefix.family); }

/// `ip4:1.2.3.4` for a host, `ip4:10.0.0.0/24` for a network.
std::string term_for(const ip::Prefix& prefix) {
  const std::string mechanism = prefix.family == ip::Family::v4 ? "ip4:" : "ip6:";
  return mechanism + (is_host(prefix) ? ip::to_string(prefix.network()) : ip::to_string(prefix));
}

/// The base view with `domain`'s SPF record replaced: to re-check a proposal.
class ProposedView final : public DnsView {
 public:
  ProposedView(const DnsView& base, std::string domain, const std::string& record)
      : base_(base), domain_(std::move(domain)), answer_(base.query(domain_, RrType::txt)) {
    std::vector<TxtRecord> txt;
    for (auto& r : answer_.txt) {
      if (!is_spf_record(join_strings(r))) txt.push_back(std::move(r));
    }
    txt.push_back(split_strings(record));
    answer_.txt = std::move(txt);
    answer_.status = DnsStatus::records;
  }

  const DnsAnswer& query(std::string_view name, RrType type) const override {
    if (type == RrType::txt && normalize_name(name) == domain_) return answer_;
    return base_.query(name, type);
  }

 private:
  const DnsView& base_;
  std::string domain_;
  DnsAnswer answer_;  ///< TXT at domain_: the base's other TXT records and the proposed record
};

CheckResult check_as_domain(const DnsView& dns, const ip::Address& ip, const std::string& domain) {
  CheckOptions options;
  options.trace = false;
  return check_mail_from(dns, ip, "postmaster@" + domain, domain, options);
}

void merge_needed(std::vector<Lookup>& into, const std::vector<Lookup>& from) {
  for (const auto& lookup : from) add_needed(into, lookup.name, lookup.type);
}

/// Inserts `terms` into `record` at byte `position` (the start of a term, or the end).
std::string insert_terms(const std::string& record, std::size_t position,
                         const std::string& terms) {
  if (position >= record.size()) {
    std::string base = record;
    while (!base.empty() && base.back() == ' ') base.pop_back();
    return base + " " + terms;
  }
  return record.substr(0, position) + terms + " " + record.substr(position);
}

}  // namespace

Proposal propose(const DnsView& dns, std::string_view domain_text,
                 const std::vector<ip::Prefix>& ips, const ProposeOptions& options) {
  Proposal p;
  p.domain = normalize_name(domain_text);
  const std::string path = zone_path(p.domain);
  const LintResult before = lint(dns, p.domain);
  p.lookups_before = before.lookups;
  merge_needed(p.needed, before.needed);

  const std::string& status = before.tree.status;
  if (status != "ok" && status != "none") {
    p.usable = false;
    for (const auto& f : before.findings) {
      if (f.severity == Severity::error || f.code == "spf.dns_temperror" ||
          f.code == "spf.lookups_needed") {
        p.findings.push_back(f);
      }
    }
    if (status == "unknown") {
      p.findings.push_back({"spf.lookups_needed", Severity::info, path,
                            "the TXT records of " + p.domain + " are not known yet",
                            "Check live DNS, then ask again."});
    } else if (status == "malformed") {
      p.findings.push_back({"spf.bad_domain", Severity::error, path,
                            "'" + p.domain + "' is not a domain that can publish SPF",
                            "Give the domain name."});
    }
    return p;
  }
  p.current = before.tree.record;
  const ParsedRecord parsed = parse_record(p.current.empty() ? std::string(kVersion) : p.current);
  const Record& record = *parsed.record;

  // Which addresses need a term, and where the term must go: before whatever decides against them.
  std::size_t position = std::string::npos;
  for (const auto& d : record.directives) {
    if (d.mechanism == Mechanism::all) {
      position = d.offset;
      break;
    }
  }
  std::vector<ip::Prefix> missing;
  for (const ip::Prefix& prefix : ips) {
    if (std::find(missing.begin(), missing.end(), prefix) != missing.end()) continue;
    const std::string shown =
        is_host(prefix) ? ip::to_string(prefix.network()) : ip::to_string(prefix);
    if (is_host(prefix)) {
      const CheckResult r = check_as_domain(dns, prefix.network(), p.domain);
      merge_needed(p.needed, r.needed);
      if (r.result == Result::pass) {
        p.already.push_back({shown, r.matched.empty() ? "" : r.matched.front().term});
        continue;
      }
      if (!r.matched.empty() && r.matched.front().depth == 0 && r.matched.front().offset > 0 &&
          r.matched.front().offset < position) {
        position = r.matched.front().offset;  // a term before the all decides against it
      }
    } else {
      const auto covering =
          std::find_if(record.directives.begin(), record.directives.end(), [&](const Directive& d) {
            return (d.mechanism == Mechanism::ip4 || d.mechanism == Mechanism::ip6) &&
                   d.qualifier == Qualifier::pass && ip::contains(d.network, prefix);
          });
      if (covering != record.directives.end()) {
        p.already.push_back({shown, covering->text});
        continue;
      }
    }
    missing.push_back(prefix);
  }

  std::vector<std::string> terms;
  if (!missing.empty() && !options.vendor_include.empty()) {
    const std::string vendor = normalize_name(options.vendor_include);
    const LintResult v = lint(dns, vendor);
    merge_needed(p.needed, v.needed);
    const unsigned with_vendor = p.lookups_before + 1 + v.lookups;
    std::vector<ip::Prefix> not_covered;
    for (const auto& prefix : missing) {
      const bool covered =
          v.tree.status == "ok" &&
          check_as_domain(dns, prefix.network(), vendor).result == Result::pass &&
          check_as_domain(dns, ip::last_address(prefix), vendor).result == Result::pass;
      if (!covered) not_covered.push_back(prefix);
    }
    if (v.tree.status != "ok") {
      p.findings.push_back(
          {"spf.vendor_include_unusable", Severity::warning, path,
           "include:" + vendor + " cannot be used: its SPF record is " + v.tree.status,
           "Ask the vendor for its SPF include name; IP terms are proposed instead."});
    } else if (not_covered.size() == missing.size()) {
      p.findings.push_back(
          {"spf.vendor_include_misses", Severity::warning, path,
           "include:" + vendor + " does not authorise the relay's addresses",
           "Check the vendor's documented include; IP terms are proposed instead."});
    } else if (with_vendor > kLookupLimit) {
      p.findings.push_back(
          {"spf.vendor_include_over_limit", Severity::warning, path,
           "include:" + vendor + " costs " + std::to_string(1 + v.lookups) +
               " DNS lookups and would take " + p.domain + " to " + std::to_string(with_vendor) +
               ", over the limit of " + std::to_string(kLookupLimit),
           "Publish the relay's IP terms instead (they cost no lookup), as proposed."});
    } else {
      terms.push_back("include:" + vendor);
      missing = std::move(not_covered);
    }
  }
  for (const auto& prefix : missing) terms.push_back(term_for(prefix));

  if (terms.empty()) {
    p.record = p.current;
    p.lookups_after = p.lookups_before;
  } else {
    std::string joined;
    for (const auto& t : terms) joined += (joined.empty() ? "" : " ") + t;
    if (p.current.empty()) {
      p.record = std::string(kVersion) + " " + joined + " ~all";
      p.findings.push_back(
          {"spf.new_record", Severity::info, path,
           p.domain + " has no SPF record; this one authorises only the relay",
           "Add every other server that sends as " + p.domain +
               " (mailbox provider, CRM) before publishing; move to -all once complete."});
    } else {
      if (position == std::string::npos) {
        // No all: after the last mechanism (modifiers may follow anywhere).
        position = record.directives.empty()
                       ? kVersion.size() + 1
                       : record.directives.back().offset + record.directives.back().text.size() + 1;
      }
      p.record = insert_terms(p.current, position, joined);
    }
    p.added = terms;
    p.changed = true;
    // Re-check: every address must pass with the new record; if something earlier in the record
    // still decides against one (a permerror past the lookup limit), put the terms first.
    auto all_pass = [&](const std::string& candidate) {
      ProposedView view(dns, p.domain, candidate);
      for (const auto& prefix : ips) {
        if (check_as_domain(view, prefix.network(), p.domain).result != Result::pass) return false;
      }
      return true;
    };
    if (!all_pass(p.record) && !p.current.empty()) {
      const std::string first = insert_terms(p.current, kVersion.size() + 1, joined);
      if (all_pass(first)) p.record = first;
    }
    ProposedView view(dns, p.domain, p.record);
    for (const auto& prefix : ips) {
      const CheckResult r = check_as_domain(view, prefix.network(), p.domain);
      if (r.result != Result::pass && r.complete()) {
        p.findings.push_back({"spf.proposal_fails", Severity::error, path,
                              ip::to_string(prefix.network()) + " still gets " +
                                  std::string(to_string(r.result)) +
                                  " with the proposed record: " + r.reason,
                              "Fix the record's errors first (see spf lint)."});
      }
    }
    p.lookups_after = lint(view, p.domain).lookups;
  }
  if (p.lookups_after > kLookupLimit) {
    p.findings.push_back({"spf.lookup_limit", Severity::error, path,
                          "the record takes " + std::to_string(p.lookups_after) +
                              " DNS-lookup terms; receivers stop at " +
                              std::to_string(kLookupLimit) + " and return permerror",
                          "Replace includes and a/mx terms by ip4/ip6 terms."});
  }
  if (p.record.size() > kRecordSizeLimit) {
    p.findings.push_back(
        {"spf.record_too_long", Severity::warning, path,
         "the record is " + std::to_string(p.record.size()) + " octets; over " +
             std::to_string(kRecordSizeLimit) + " the DNS answer may not fit in UDP",
         "Merge ip4/ip6 terms into covering prefixes, or move terms into an include."});
  }
  p.strings = split_strings(p.record);
  sort_findings(p.findings);
  return p;
}

}  // namespace relaycheck::spf
