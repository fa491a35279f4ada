// The record to publish so that a relay's outbound IPs pass SPF: the smallest change, re-checked.
#include <algorithm>
#include <optional>

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

/// Which addresses need a term, and where the terms go: before whatever decides against them.
struct Placement {
  std::vector<ip::Prefix> missing;
  std::size_t position = std::string::npos;  ///< a byte offset in the record; npos: at the end
};

/// The proposal for one domain, step by step.
class Proposer {
 public:
  Proposer(const DnsView& dns, const std::vector<ip::Prefix>& ips, const ProposeOptions& options,
           Proposal& p)
      : dns_(dns), ips_(ips), options_(options), p_(p), path_(zone_path(p.domain)) {}

  void run() {
    const LintResult before = lint(dns_, p_.domain);
    p_.lookups_before = before.lookups;
    merge_needed(p_.needed, before.needed);
    const RecordStatus status = before.tree.status;
    if (status != RecordStatus::ok && status != RecordStatus::none) {
      refuse(before);
      return;
    }
    p_.current = before.tree.record;
    base_ = p_.current.empty() ? std::string() : clean(before.tree);
    // The addresses are judged against the cleaned record, in a view that publishes it.
    std::optional<ProposedView> cleaned;
    if (base_ != p_.current) cleaned.emplace(dns_, p_.domain, base_);
    const DnsView& view = cleaned ? *cleaned : dns_;
    base_lookups_ = cleaned ? lint(view, p_.domain).lookups : before.lookups;
    const ParsedRecord parsed = parse_record(base_.empty() ? std::string(kVersion) : base_);
    const Record& record = *parsed.record;
    Placement placement = place(record, view);
    std::vector<std::string> terms = vendor_terms(placement.missing);
    for (const auto& prefix : placement.missing) terms.push_back(term_for(prefix));
    if (terms.empty()) {
      p_.record = base_;
    } else {
      write(record, placement.position, terms);
    }
    p_.changed = p_.record != p_.current;
    if (p_.changed) {
      const LintResult after = lint(ProposedView(dns_, p_.domain, p_.record), p_.domain);
      report(before, after);
    } else {
      report(before, before);
    }
    check_sizes();
    p_.strings = split_strings(p_.record);
    sort_findings(p_.findings);
  }

 private:
  void add(Finding finding) { p_.findings.push_back(std::move(finding)); }

  /// No record can be proposed over what receivers reject: lint's errors, and why (in lint's
  /// order, then this step's).
  void refuse(const LintResult& before) {
    p_.usable = false;
    for (const auto& f : before.findings) {
      if (f.severity == Severity::error || f.code == "spf.dns_temperror" ||
          f.code == "spf.lookups_needed") {
        add(f);
      }
    }
    if (before.tree.status == RecordStatus::unknown) {
      add({"spf.lookups_needed", Severity::info, path_,
           "the TXT records of " + p_.domain + " are not known yet",
           "Check live DNS, then ask again."});
    } else if (before.tree.status == RecordStatus::malformed) {
      add({"spf.bad_domain", Severity::error, path_,
           "'" + p_.domain + "' is not a domain that can publish SPF", "Give the domain name."});
    }
  }

  /// The current record without what receivers never evaluate or what makes every check that
  /// reaches it fail: mechanisms after the `all` (§5.1), includes of a domain without an SPF
  /// record (permerror, §5.2), and an `all` that passes every sender, replaced by `~all`.
  /// `tree` is lint's tree of the current record: its first terms are the record's directives.
  std::string clean(const RecordNode& tree) const {
    const ParsedRecord parsed = parse_record(p_.current);
    if (!parsed) return p_.current;
    const std::vector<Directive>& directives = parsed.record->directives;
    std::string out(kVersion);
    bool edited = false;
    bool after_all = false;
    std::size_t next = 0;  // the next directive in the record
    std::size_t pos = kVersion.size();
    while (pos < p_.current.size()) {
      if (p_.current[pos] == ' ') {
        ++pos;
        continue;
      }
      const std::size_t end = std::min(p_.current.find(' ', pos), p_.current.size());
      std::string_view keep = std::string_view(p_.current).substr(pos, end - pos);
      if (next < directives.size() && directives[next].offset == pos) {
        const Directive& d = directives[next];
        if (after_all || (d.mechanism == Mechanism::include && no_record(tree, next, d))) {
          keep = {};
        } else if (d.mechanism == Mechanism::all) {
          after_all = true;
          if (d.qualifier == Qualifier::pass) keep = "~all";
        }
        edited = edited || keep != d.text;
        ++next;
      }
      if (!keep.empty()) {
        out += ' ';
        out += keep;
      }
      pos = end;
    }
    return edited ? out : p_.current;
  }

  /// True when lint followed directive `index` of the top record to a domain without an SPF
  /// record (none, or not a valid domain name).
  static bool no_record(const RecordNode& tree, std::size_t index, const Directive& d) {
    if (index >= tree.terms.size() || tree.terms[index].term != d.text) return false;
    const std::vector<RecordNode>& branch = tree.terms[index].branch;
    return branch.size() == 1 && (branch.front().status == RecordStatus::none ||
                                  branch.front().status == RecordStatus::malformed);
  }

  /// The findings lint makes of the current record that the proposal fixes (an `all` that
  /// passes everyone, includes without a record, terms after the `all`), and the errors lint
  /// still finds in the proposed record (the lookup limit is checked below, as proposed).
  void report(const LintResult& before, const LintResult& after) {
    p_.lookups_after = after.lookups;
    for (const auto& f : before.findings) {
      if (f.path == path_ && (f.code == "spf.plus_all" || f.code == "spf.include_no_record" ||
                              f.code == "spf.terms_after_all")) {
        add(f);
      }
    }
    for (const auto& f : after.findings) {
      if (f.severity != Severity::error || f.code == "spf.lookup_limit") continue;
      const bool known = std::any_of(p_.findings.begin(), p_.findings.end(), [&](const Finding& g) {
        return g.code == f.code && g.path == f.path && g.message == f.message;
      });
      if (!known) add(f);
    }
  }

  /// The addresses that do not pass yet in `view`, and the position before the record's `all`
  /// or before an earlier term that decides against one of them.
  Placement place(const Record& record, const DnsView& view) {
    Placement out;
    for (const auto& d : record.directives) {
      if (d.mechanism == Mechanism::all) {
        out.position = d.offset;
        break;
      }
    }
    for (const ip::Prefix& prefix : ips_) {
      if (std::find(out.missing.begin(), out.missing.end(), prefix) != out.missing.end()) continue;
      const std::string shown =
          is_host(prefix) ? ip::to_string(prefix.network()) : ip::to_string(prefix);
      if (is_host(prefix)) {
        const CheckResult r = check_as_domain(view, prefix.network(), p_.domain);
        merge_needed(p_.needed, r.needed);
        if (r.result == Result::pass) {
          p_.already.push_back({shown, r.matched.empty() ? "" : r.matched.front().term});
          continue;
        }
        if (!r.matched.empty() && r.matched.front().depth == 0 && r.matched.front().offset > 0 &&
            r.matched.front().offset < out.position) {
          out.position = r.matched.front().offset;  // a term before the all decides against it
        }
      } else if (const Directive* covering = covering_term(record, prefix)) {
        p_.already.push_back({shown, covering->text});
        continue;
      }
      out.missing.push_back(prefix);
    }
    return out;
  }

  /// The record's ip4/ip6 pass term that holds the whole network, if any.
  static const Directive* covering_term(const Record& record, const ip::Prefix& prefix) {
    for (const Directive& d : record.directives) {
      if ((d.mechanism == Mechanism::ip4 || d.mechanism == Mechanism::ip6) &&
          d.qualifier == Qualifier::pass && ip::contains(d.network, prefix)) {
        return &d;
      }
    }
    return nullptr;
  }

  /// The vendor's include, when it authorises some of `missing` within the lookup limit;
  /// `missing` keeps what it does not cover. Otherwise nothing, and a finding says why.
  std::vector<std::string> vendor_terms(std::vector<ip::Prefix>& missing) {
    if (missing.empty() || options_.vendor_include.empty()) return {};
    const std::string vendor = normalize_name(options_.vendor_include);
    const LintResult v = lint(dns_, vendor);
    merge_needed(p_.needed, v.needed);
    const unsigned with_vendor = base_lookups_ + 1 + v.lookups;
    const bool usable = v.tree.status == RecordStatus::ok;
    std::vector<ip::Prefix> not_covered;
    for (const auto& prefix : missing) {
      const bool covered =
          usable && check_as_domain(dns_, prefix.network(), vendor).result == Result::pass &&
          check_as_domain(dns_, ip::last_address(prefix), vendor).result == Result::pass;
      if (!covered) not_covered.push_back(prefix);
    }
    if (!usable) {
      add({"spf.vendor_include_unusable", Severity::warning, path_,
           "include:" + vendor + " cannot be used: its SPF record is " +
               std::string(to_string(v.tree.status)),
           "Ask the vendor for its SPF include name; IP terms are proposed instead."});
    } else if (not_covered.size() == missing.size()) {
      add({"spf.vendor_include_misses", Severity::warning, path_,
           "include:" + vendor + " does not authorise the relay's addresses",
           "Check the vendor's documented include; IP terms are proposed instead."});
    } else if (with_vendor > kLookupLimit) {
      add({"spf.vendor_include_over_limit", Severity::warning, path_,
           "include:" + vendor + " costs " + std::to_string(1 + v.lookups) +
               " DNS lookups and would take " + p_.domain + " to " + std::to_string(with_vendor) +
               ", over the limit of " + std::to_string(kLookupLimit),
           "Publish the relay's IP terms instead (they cost no lookup), as proposed."});
    } else {
      missing = std::move(not_covered);
      return {"include:" + vendor};
    }
    return {};
  }

  /// The record with `terms` inserted at `position` (a new record when there is none),
  /// re-checked by evaluation.
  void write(const Record& record, std::size_t position, const std::vector<std::string>& terms) {
    std::string joined;
    for (const auto& t : terms) joined += (joined.empty() ? "" : " ") + t;
    if (base_.empty()) {
      p_.record = std::string(kVersion) + " " + joined + " ~all";
      add({"spf.new_record", Severity::info, path_,
           p_.domain + " has no SPF record; this one authorises only the relay",
           "Add every other server that sends as " + p_.domain +
               " (mailbox provider, CRM) before publishing; move to -all once complete."});
    } else {
      if (position == std::string::npos) {
        // No all: after the last mechanism (modifiers may follow anywhere).
        position = record.directives.empty()
                       ? kVersion.size() + 1
                       : record.directives.back().offset + record.directives.back().text.size() + 1;
      }
      p_.record = insert_terms(base_, position, joined);
    }
    p_.added = terms;
    // Re-check: every address must pass with the new record; if something earlier in the record
    // still decides against one (a permerror past the lookup limit), put the terms first.
    if (!all_pass(p_.record) && !base_.empty()) {
      const std::string first = insert_terms(base_, kVersion.size() + 1, joined);
      if (all_pass(first)) p_.record = first;
    }
    ProposedView view(dns_, p_.domain, p_.record);
    for (const auto& prefix : ips_) {
      const CheckResult r = check_as_domain(view, prefix.network(), p_.domain);
      if (r.result != Result::pass && r.complete()) {
        add({"spf.proposal_fails", Severity::error, path_,
             ip::to_string(prefix.network()) + " still gets " + std::string(to_string(r.result)) +
                 " with the proposed record: " + r.reason,
             "Fix the record's errors first (see spf lint)."});
      }
    }
  }

  bool all_pass(const std::string& candidate) const {
    ProposedView view(dns_, p_.domain, candidate);
    for (const auto& prefix : ips_) {
      if (check_as_domain(view, prefix.network(), p_.domain).result != Result::pass) return false;
    }
    return true;
  }

  /// The proposal against the lookup limit and the record size.
  void check_sizes() {
    if (p_.lookups_after > kLookupLimit) {
      add({"spf.lookup_limit", Severity::error, path_,
           "the record takes " + std::to_string(p_.lookups_after) +
               " DNS-lookup terms; receivers stop at " + std::to_string(kLookupLimit) +
               " and return permerror",
           "Replace includes and a/mx terms by ip4/ip6 terms."});
    }
    if (p_.record.size() > kRecordSizeLimit) {
      add({"spf.record_too_long", Severity::warning, path_,
           "the record is " + std::to_string(p_.record.size()) + " octets; over " +
               std::to_string(kRecordSizeLimit) + " the DNS answer may not fit in UDP",
           "Merge ip4/ip6 terms into covering prefixes, or move terms into an include."});
    }
  }

  const DnsView& dns_;
  const std::vector<ip::Prefix>& ips_;
  const ProposeOptions& options_;
  Proposal& p_;
  const std::string path_;
  std::string base_;           ///< the current record, cleaned; "" when there is none
  unsigned base_lookups_ = 0;  ///< its worst-case DNS-lookup terms
};

}  // namespace

Proposal propose(const DnsView& dns, std::string_view domain, const std::vector<ip::Prefix>& ips,
                 const ProposeOptions& options) {
  Proposal p;
  p.domain = normalize_name(domain);
  Proposer(dns, ips, options, p).run();
  return p;
}

}  // namespace relaycheck::spf
