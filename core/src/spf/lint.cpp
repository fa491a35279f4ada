// SPF record analysis: the include tree costed in evaluation order, void lookups, findings.
#include <algorithm>
#include <iterator>

#include "spf/lint.hpp"

namespace relaycheck::spf {
namespace {

/// Branches are not followed once the running total passes this: the verdict (over the limit)
/// is certain by then, and a hostile zone must not make the walk unbounded.
constexpr unsigned kFollowLimit = 40;

enum class Role { top, include, redirect };

/// The ordinal of kVoidLimit in words, for messages.
constexpr const char* kVoidLimitOrdinal = "second";
static_assert(kVoidLimit == 2, "kVoidLimitOrdinal names the limit in words");

class Walker {
 public:
  /// With a client, terms whose targets depend on the message are followed for the message
  /// lint evaluates: postmaster@DOMAIN from that client, HELO DOMAIN.
  Walker(const DnsView& dns, std::string_view domain, const LintOptions& options, LintResult& out)
      : dns_(dns), ipv6_(options.ip && ip::unmap(*options.ip).family == ip::Family::v6), out_(out) {
    if (options.ip) {
      const std::string sender = "postmaster@" + normalize_name(domain);
      message_ = message_macros(*options.ip, sender, normalize_name(domain), CheckOptions{});
      message_label_ = "for " + sender + " from " + ip::to_string(ip::unmap(*options.ip));
    }
  }

  void walk(std::string_view domain, RecordNode& node, Role role) {
    node.domain = normalize_name(domain);
    const unsigned start = total_;
    if (!is_checkable_domain(domain)) {
      node.status = RecordStatus::malformed;
      node.error = "'" + std::string(domain) + "' is not a valid multi-label domain name";
      if (role != Role::top) {
        add({"spf.include_no_record", Severity::error, zone_path(stack_.back()),
             "'" + std::string(domain) +
                 "' is not a valid domain name: evaluation ends in permerror",
             "Correct the domain name of the include or redirect."});
      }
      return;
    }
    if (std::find(stack_.begin(), stack_.end(), node.domain) != stack_.end()) {
      node.status = RecordStatus::loop;
      node.error = node.domain + " includes itself (directly or through other records)";
      add({"spf.include_loop", Severity::error, zone_path(stack_.back()),
           node.error + ": receivers run into the " + std::to_string(kLookupLimit) +
               "-lookup limit and return permerror",
           "Remove the include or redirect that leads back to " + node.domain + "."});
      return;
    }
    const DnsAnswer& answer = ask(node.domain, RrType::txt);
    if (answer.status == DnsStatus::unknown) {
      node.status = RecordStatus::unknown;
      return;
    }
    if (answer.status == DnsStatus::temp_error) {
      node.status = RecordStatus::temperror;
      add({"spf.dns_temperror", Severity::warning, zone_path(node.domain),
           "the TXT lookup of " + node.domain +
               " fails: receivers return temperror and defer the mail",
           "Fix the DNS servers of " + node.domain + "."});
      return;
    }
    std::vector<const TxtRecord*> spf;
    for (const auto& txt : answer.txt) {
      if (is_spf_record(join_strings(txt))) spf.push_back(&txt);
    }
    if (spf.empty()) {
      node.status = RecordStatus::none;
      if (role == Role::top) {
        add({"spf.no_record", Severity::warning, zone_path(node.domain),
             node.domain + " publishes no SPF record: receivers get SPF none for mail from it",
             "Publish a TXT record \"v=spf1 ... -all\" that lists every server sending as " +
                 node.domain + "."});
      } else {
        add({"spf.include_no_record", Severity::error, zone_path(stack_.back()),
             node.domain + " has no SPF record: every evaluation that reaches it ends in permerror",
             "Remove the include or redirect of " + node.domain + ", or correct its name."});
      }
      return;
    }
    if (spf.size() > 1) {
      node.status = RecordStatus::multiple;
      add({"spf.multiple_records", Severity::error, zone_path(node.domain),
           node.domain + " publishes " + std::to_string(spf.size()) +
               " SPF records: receivers return permerror for every message",
           "Merge them into one record and delete the others."});
      return;
    }
    node.record = join_strings(*spf.front());
    for (const auto& s : *spf.front()) {
      if (s.size() > kStringSizeLimit) {
        add({"spf.string_too_long", Severity::error, zone_path(node.domain),
             "a string of the SPF record of " + node.domain + " is " + std::to_string(s.size()) +
                 " octets; a TXT string holds at most " + std::to_string(kStringSizeLimit),
             "Publish the record as several quoted strings of at most " +
                 std::to_string(kStringSizeLimit) + " octets each."});
      }
    }
    if (node.record.size() > kRecordSizeLimit) {
      add({"spf.record_too_long", Severity::warning, zone_path(node.domain),
           "the SPF record of " + node.domain + " is " + std::to_string(node.record.size()) +
               " octets; over " + std::to_string(kRecordSizeLimit) +
               " the DNS answer may not fit in UDP and some receivers fail it",
           "Shorten it: merge ip4/ip6 terms into covering prefixes, or move terms into an "
           "include."});
    }
    const ParsedRecord parsed = parse_record(node.record);
    if (!parsed) {
      node.status = RecordStatus::syntax;
      node.error = (parsed.error.term.empty() ? "" : "at '" + parsed.error.term + "': ") +
                   parsed.error.message;
      add({"spf.syntax", Severity::error, zone_path(node.domain),
           "the SPF record of " + node.domain + " is not valid (" + node.error +
               "): receivers return permerror",
           "Correct the term; the whole record is rejected for one bad term."});
      return;
    }
    node.status = RecordStatus::ok;
    stack_.push_back(node.domain);
    evaluate_terms(*parsed.record, node, role);
    stack_.pop_back();
    node.cost = total_ - start;
  }

  unsigned total() const { return total_; }
  unsigned voids() const { return voids_; }

 private:
  void add(Finding finding) { out_.findings.push_back(std::move(finding)); }

  const DnsAnswer& ask(const std::string& name, RrType type) {
    const DnsAnswer& answer = dns_.query(name, type);
    if (answer.status == DnsStatus::unknown) add_needed(out_.needed, name, type);
    return answer;
  }

  /// The name a domain-spec makes at `domain`; for one that depends on the message, the name
  /// for the message evaluated (see the constructor), or nullopt without a client.
  std::optional<std::string> target(const std::optional<MacroString>& spec,
                                    const std::string& domain) {
    if (!spec) return domain;
    if (!spec->is_static() && !message_) return std::nullopt;
    MacroValues values = spec->is_static() ? MacroValues{} : *message_;
    values.d = domain;
    return target_name(expand(*spec, values));
  }

  /// A term's note once its target was known only for the message evaluated.
  void note_message_dependence(TermNode& t) const {
    t.note = message_label_ + " (the target depends on the message)" +
             (t.note.empty() ? "" : ": " + t.note);
  }

  /// The query of `a`, `mx` or `exists`: a note, and whether it was void.
  void lookup(TermNode& t, const std::string& name, RrType type) {
    if (!is_valid_query_name(name)) {
      t.note = "'" + name + "' is not a valid domain name (treated as non-existent)";
      t.void_lookup = true;
      ++voids_;
      return;
    }
    const DnsAnswer& answer = ask(name, type);
    switch (answer.status) {
      case DnsStatus::records: {
        const std::size_t n = type == RrType::mx ? answer.mx.size() : answer.addresses.size();
        t.note = std::string(to_string(type)) + " " + name + ": " + std::to_string(n) +
                 (n == 1 ? " record" : " records");
        if (type == RrType::mx && n > kMxLimit) {
          add({"spf.mx_limit", Severity::error, zone_path(stack_.back()),
               "'" + t.term + "': " + name + " has " + std::to_string(n) + " MX records; over " +
                   std::to_string(kMxLimit) + " the mx mechanism is a permerror",
               "Replace the mx term by ip4/ip6 terms for the servers that send mail."});
        }
        break;
      }
      case DnsStatus::no_data:
      case DnsStatus::nxdomain:
        t.note = std::string(to_string(type)) + " " + name + ": " +
                 std::string(to_string(answer.status)) + " (void lookup)";
        t.void_lookup = true;
        ++voids_;
        break;
      case DnsStatus::temp_error:
        t.note = std::string(to_string(type)) + " " + name +
                 ": temporary error (receivers return temperror)";
        break;
      case DnsStatus::unknown:
        t.note = std::string(to_string(type)) + " " + name + ": not fetched yet";
        break;
    }
  }

  void follow(TermNode& t, const std::string& target, Role role) {
    if (total_ > kFollowLimit) {
      t.note = "not followed: the lookup limit is already far exceeded";
      return;
    }
    RecordNode child;
    walk(target, child, role);
    // The include's or redirect's own query is a term's query: a void answer counts (§4.6.4).
    if (child.status == RecordStatus::none) {
      const DnsAnswer& answer = dns_.query(child.domain, RrType::txt);
      if (answer.is_void()) {
        t.note =
            "TXT " + child.domain + ": " + std::string(to_string(answer.status)) + " (void lookup)";
        t.void_lookup = true;
        ++voids_;
      }
    }
    t.cost += child.cost;
    t.branch.push_back(std::move(child));
  }

  void evaluate_terms(const Record& record, RecordNode& node, Role role) {
    const Directive* all = nullptr;
    std::vector<std::string_view> ignored;
    for (const Directive& d : record.directives) {
      if (all != nullptr) {
        // Mechanisms after "all" are never tested (§5.1): no cost, nothing followed.
        TermNode t;
        t.term = d.text;
        t.total = total_;
        t.note = "ignored: after '" + all->text + "' (RFC 7208 §5.1)";
        node.terms.push_back(std::move(t));
        ignored.push_back(d.text);
        continue;
      }
      if (d.mechanism == Mechanism::all) all = &d;
      node.terms.push_back(evaluate_term(d, node.domain, role));
    }
    if (!ignored.empty()) report_ignored(ignored, *all, node.domain, role);
    evaluate_modifiers(record, node);
  }

  /// One directive: its cost, its lookup or branch, and the findings about it.
  TermNode evaluate_term(const Directive& d, const std::string& domain, Role role) {
    TermNode t;
    t.term = d.text;
    if (costs_lookup(d.mechanism)) {
      ++total_;
      t.cost = 1;
    }
    const bool dynamic = d.domain && !d.domain->is_static();
    const std::optional<std::string> name = target(d.domain, domain);
    if (dynamic && !name)
      t.note = "depends on the message (macros): not followed; give a client IP to follow it";
    switch (d.mechanism) {
      case Mechanism::all:
        if (d.qualifier == Qualifier::pass) {
          add({"spf.plus_all", Severity::error, zone_path(domain),
               role == Role::include ? "'" + d.text + "' in " + domain + ": the include of " +
                                           domain + " matches every sender"
                                     : "'" + d.text + "' in " + domain +
                                           ": every server on the Internet may send as this domain",
               "End the record with -all (or ~all) after listing the real senders."});
        } else if (d.qualifier == Qualifier::neutral && role != Role::include) {
          add({"spf.neutral_all", Severity::warning, zone_path(domain),
               "'" + d.text + "' in " + domain +
                   ": any other server gets neutral, which protects nothing",
               "Use -all (or ~all while you check that every sender is listed)."});
        }
        break;
      case Mechanism::ptr:
        t.note = "deprecated (RFC 7208 §5.5): slow, unreliable, and many receivers skip it";
        add({"spf.ptr_deprecated", Severity::warning, zone_path(domain),
             "'" + d.text + "' in " + domain +
                 " uses the ptr mechanism, which RFC 7208 says not to use",
             "Replace ptr by ip4/ip6 terms (or a/mx) for the servers it is meant to match."});
        break;
      case Mechanism::include:
        if (name) follow(t, *name, Role::include);
        break;
      case Mechanism::a:
        if (name) lookup(t, *name, ipv6_ ? RrType::aaaa : RrType::a);
        break;
      case Mechanism::mx:
        if (name) lookup(t, *name, RrType::mx);
        break;
      case Mechanism::exists:
        if (name) lookup(t, *name, RrType::a);
        break;
      case Mechanism::ip4:
      case Mechanism::ip6:
        break;
    }
    if (dynamic && name) note_message_dependence(t);
    t.total = total_;
    return t;
  }

  /// Terms after the `all` of a record: never evaluated, so what they list never passes.
  void report_ignored(const std::vector<std::string_view>& terms, const Directive& all,
                      const std::string& domain, Role role) {
    std::string list;
    for (const auto term : terms) list += (list.empty() ? "'" : ", '") + std::string(term) + "'";
    const bool one = terms.size() == 1;
    add({"spf.terms_after_all", Severity::warning, zone_path(domain),
         list + " in " + domain + (one ? " comes" : " come") + " after '" + all.text + "' and " +
             (one ? "is" : "are") + " never evaluated (RFC 7208 §5.1): " +
             (role == Role::include
                  ? "the servers " + std::string(one ? "it lists" : "they list") +
                        " never match the include of " + domain
                  : "mail from the servers " + std::string(one ? "it lists" : "they list") +
                        " gets the result of '" + all.text + "'"),
         "Move " + std::string(one ? "it" : "them") + " before '" + all.text +
             "' if those servers send mail; otherwise remove " + (one ? "it" : "them") + "."});
  }

  /// redirect=, exp= and unknown modifiers, after the directives.
  void evaluate_modifiers(const Record& record, RecordNode& node) {
    const std::string& domain = node.domain;
    if (record.redirect) {
      TermNode t;
      t.term = record.redirect_text;
      if (record.has_all()) {
        t.note = "ignored: the record has an 'all' mechanism (RFC 7208 §5.1)";
        add({"spf.redirect_ignored", Severity::info, zone_path(domain),
             "'" + t.term + "' in " + domain + " is never used because the record has 'all'",
             "Remove the redirect, or the all."});
      } else {
        ++total_;
        t.cost = 1;
        if (const auto name = target(record.redirect, domain)) {
          follow(t, *name, Role::redirect);
          if (!record.redirect->is_static()) note_message_dependence(t);
        } else {
          t.note = "depends on the message (macros): not followed; give a client IP to follow it";
        }
      }
      t.total = total_;
      node.terms.push_back(std::move(t));
    }
    if (record.exp) {
      TermNode t;
      t.term = record.exp_text;
      t.total = total_;
      if (const auto name = target(record.exp, domain)) {
        t.note = explanation_note(*name, domain, t.term);
        if (!record.exp->is_static()) note_message_dependence(t);
      } else {
        t.note = "depends on the message (macros); give a client IP to resolve it";
      }
      node.terms.push_back(std::move(t));
    }
    for (const Modifier& m : record.modifiers) {
      TermNode t;
      t.term = m.text;
      t.total = total_;
      t.note = "unknown modifier: ignored";
      node.terms.push_back(std::move(t));
    }
  }

  std::string explanation_note(const std::string& name, const std::string& domain,
                               const std::string& term) {
    std::string problem;
    if (!is_valid_query_name(name)) {
      problem = "'" + name + "' is not a valid domain name";
    } else {
      const DnsAnswer& answer = ask(name, RrType::txt);
      if (answer.status == DnsStatus::unknown) return "TXT " + name + ": not fetched yet";
      if (answer.status != DnsStatus::records) {
        problem = "TXT " + name + ": " + std::string(to_string(answer.status));
      } else if (answer.txt.size() != 1) {
        problem = name + " has " + std::to_string(answer.txt.size()) +
                  " TXT records; exp= needs exactly one";
      } else {
        ParsedMacro text =
            parse_macro_string(join_strings(answer.txt.front()), MacroContext::explanation);
        if (text) return "explanation: " + text.value->text;
        problem = "the text at " + name + " is not a valid explanation: " + text.error.message;
      }
    }
    add({"spf.exp_unresolvable", Severity::warning, zone_path(domain),
         "'" + term + "' in " + domain + " cannot give an explanation (" + problem +
             "): receivers use their default text",
         "Publish exactly one TXT record of printable ASCII at the exp= name, or remove exp=."});
    return "cannot resolve: " + problem;
  }

  const DnsView& dns_;
  bool ipv6_;
  LintResult& out_;
  std::optional<MacroValues> message_;  ///< the message evaluated, when a client is given
  std::string message_label_;
  std::vector<std::string> stack_;
  unsigned total_ = 0;
  unsigned voids_ = 0;
};

}  // namespace

std::string_view to_string(RecordStatus status) {
  static constexpr std::string_view kNames[] = {"ok",        "none",    "multiple",  "syntax",
                                                "temperror", "unknown", "malformed", "loop"};
  static_assert(std::size(kNames) == static_cast<std::size_t>(RecordStatus::loop) + 1);
  return kNames[static_cast<std::size_t>(status)];
}

std::string zone_path(std::string_view domain) {
  return "/zone/" + pointer_token(normalize_name(domain));
}

LintResult lint(const DnsView& dns, std::string_view domain, const LintOptions& options) {
  LintResult out;
  out.domain = normalize_name(domain);
  Walker walker(dns, domain, options, out);
  walker.walk(domain, out.tree, Role::top);
  out.lookups = walker.total();
  out.void_lookups = walker.voids();
  const std::string path = zone_path(out.domain);
  if (out.lookups > kLookupLimit) {
    out.findings.push_back(
        {"spf.lookup_limit", Severity::error, path,
         "evaluating " + out.domain + " takes " + std::to_string(out.lookups) +
             " DNS-lookup terms when no earlier term matches; receivers stop at " +
             std::to_string(kLookupLimit) + " and return permerror",
         "Replace includes and a/mx terms by ip4/ip6 terms where the addresses are stable, and "
         "remove includes of services you no longer use."});
  }
  if (out.void_lookups > kVoidLimit) {
    out.findings.push_back(
        {"spf.void_limit", Severity::error, path,
         "evaluating " + out.domain + " makes " + std::to_string(out.void_lookups) +
             " lookups that find nothing; receivers return permerror after the " +
             kVoidLimitOrdinal,
         "Remove the a, mx, exists and include terms whose names do not exist or have no "
         "records."});
  }
  if (!out.needed.empty()) {
    out.findings.push_back(
        {"spf.lookups_needed", Severity::info, path,
         std::to_string(out.needed.size()) +
             (out.needed.size() == 1 ? " DNS lookup is not known yet; the analysis assumes it "
                                       "finds nothing."
                                     : " DNS lookups are not known yet; the analysis assumes "
                                       "they find nothing."),
         "Check live DNS to complete the analysis."});
  }
  if (options.ip) {
    CheckOptions check;
    out.check = check_mail_from(dns, *options.ip, "postmaster@" + out.domain, out.domain, check);
  }
  sort_findings(out.findings);
  return out;
}

}  // namespace relaycheck::spf
