#include "dmarc/discovery.hpp"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "text/ascii.hpp"
#include "text/hostname.hpp"
#include "text/json_writer.hpp"
#include "text/quote.hpp"

namespace relaycheck::dmarc {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxNameLength = 253;

/// What one `_dmarc.<domain>` query gave.
struct NameResult {
  enum class Kind { one, none, several, temp_error, unknown } kind = Kind::none;
  std::string text;  ///< the DMARC record, when there is one
};

NameResult query_name(const spf::DnsView& dns, const std::string& domain, Discovery& d) {
  DiscoveryQuery q;
  q.name = "_dmarc." + domain;
  NameResult result;
  if (q.name.size() > kMaxNameLength) {
    q.status = spf::DnsStatus::nxdomain;
    q.outcome = "the name is longer than DNS allows, so no record can exist there";
    d.queries.push_back(std::move(q));
    return result;
  }
  const spf::DnsAnswer& answer = dns.query(q.name, spf::RrType::txt);
  q.status = answer.status;
  switch (answer.status) {
    case spf::DnsStatus::unknown:
      result.kind = NameResult::Kind::unknown;
      d.needed.push_back(Lookup{q.name});
      q.outcome = "not fetched yet";
      break;
    case spf::DnsStatus::temp_error:
      result.kind = NameResult::Kind::temp_error;
      q.outcome = "the query failed with a temporary error";
      break;
    case spf::DnsStatus::no_data:
    case spf::DnsStatus::nxdomain:
      q.outcome = "no TXT record";
      break;
    case spf::DnsStatus::records: {
      std::vector<std::string> dmarc;
      for (const auto& record : answer.txt) {
        std::string joined;
        for (const auto& s : record) joined += s;
        if (is_dmarc_record(joined)) {
          dmarc.push_back(std::move(joined));
          continue;
        }
        ++q.other_records;
        // A record that reads like a broken DMARC record is worth a word; any other TXT is not.
        std::string head;
        for (std::size_t i = 0; i < joined.size() && head.size() < 7; ++i) {
          const char c = joined[i];
          if (c == ' ' || c == '\t') continue;
          head += text::to_lower(c);
        }
        if (head == "v=dmarc") {
          const Record broken = parse_record(joined);
          d.findings.push_back(
              Finding{"dmarc.record.ignored", Severity::warning, "",
                      "The TXT record " + quote(joined) + " at " + q.name +
                          " looks like a DMARC record but is not one (" +
                          (broken.errors.empty() ? std::string("it does not open with v=DMARC1")
                                                 : broken.errors.front().message) +
                          "), so receivers ignore it.",
                      "Publish it starting exactly with v=DMARC1; (then p=...)."});
        }
      }
      q.dmarc_records = dmarc.size();
      if (dmarc.size() == 1) {
        result.kind = NameResult::Kind::one;
        result.text = std::move(dmarc.front());
        q.outcome = "one DMARC record";
      } else if (dmarc.size() > 1) {
        result.kind = NameResult::Kind::several;
        q.outcome = std::to_string(dmarc.size()) + " DMARC records, all discarded";
        d.findings.push_back(
            Finding{"dmarc.record.multiple", Severity::error, "",
                    std::to_string(dmarc.size()) + " DMARC records are published at " + q.name +
                        ": receivers discard them all (RFC 9989 §4.10), as if there were none; "
                        "receivers that follow RFC 7489 "
                        "apply no DMARC policy at all (RFC 7489 §6.6.3).",
                    "Publish exactly one TXT record starting with v=DMARC1 at " + q.name + "."});
      } else {
        q.outcome = "no DMARC record among " + std::to_string(q.other_records) + " TXT record" +
                    (q.other_records == 1 ? "" : "s");
      }
      break;
    }
  }
  d.queries.push_back(std::move(q));
  return result;
}

/// Whether the From domain exists, from the view (any answer but NXDOMAIN says it does).
std::optional<bool> read_existence(const spf::DnsView& dns, const std::string& name, Discovery& d,
                                   bool& temp_error) {
  const spf::DnsAnswer& answer = dns.query(name, spf::RrType::txt);
  DiscoveryQuery q;
  q.name = name;
  q.status = answer.status;
  std::optional<bool> exists;
  switch (answer.status) {
    case spf::DnsStatus::nxdomain:
      exists = false;
      q.outcome = "NXDOMAIN: the From domain does not exist";
      break;
    case spf::DnsStatus::records:
    case spf::DnsStatus::no_data:
      exists = true;
      q.outcome = "the From domain exists";
      break;
    case spf::DnsStatus::temp_error:
      temp_error = true;
      q.outcome = "the query failed with a temporary error";
      break;
    case spf::DnsStatus::unknown:
      d.needed.push_back(Lookup{name});
      q.outcome = "not fetched yet";
      break;
  }
  d.queries.push_back(std::move(q));
  return exists;
}

void finish(Discovery& d) { sort_findings(d.findings); }

void use_record(Discovery& d, const std::string& domain, std::string text, const spf::DnsView& dns,
                const DiscoveryOptions& options) {
  d.record_domain = domain;
  d.record_name = "_dmarc." + domain;
  d.record_text = std::move(text);
  ParseOptions parse;
  parse.domain = domain;
  parse.dns = options.check_report_authorization ? &dns : nullptr;
  parse.organizational_domain = options.organizational_domain;
  d.record = parse_record(d.record_text, parse);
  for (const auto& l : d.record->needed) d.needed.push_back(l);
  if (!d.record->valid) {
    d.status = DiscoveryStatus::no_policy;
    const std::string why =
        d.record->errors.empty() ? "it is not valid" : d.record->errors.front().message;
    d.reason = "The DMARC record at " + d.record_name + " applies, but it is not usable: " + why;
    d.findings.push_back(
        Finding{"dmarc.record.unusable", Severity::error, "",
                "The DMARC record at " + d.record_name +
                    " is not usable, so receivers apply no DMARC policy to mail from " +
                    d.from_domain + ": " + why,
                "Correct the record (see its findings)."});
  }
}

/// The finding of a DNS lookup that failed temporarily, saying d.reason.
void add_temp_error(Discovery& d) {
  d.findings.push_back(Finding{"dmarc.discovery.temp_error", Severity::warning, "", d.reason,
                               "Check that the domain's DNS servers answer."});
}

/// When `_dmarc.<domain>` gave no answer (not fetched yet, or a temporary error), sets the status
/// and reason that end discovery there and returns true.
bool stopped_at(Discovery& d, const NameResult& result, const std::string& domain) {
  if (result.kind != NameResult::Kind::unknown && result.kind != NameResult::Kind::temp_error)
    return false;
  const bool unknown = result.kind == NameResult::Kind::unknown;
  d.status = unknown ? DiscoveryStatus::unknown : DiscoveryStatus::temp_error;
  d.reason = unknown ? "_dmarc." + domain + " was not fetched yet."
                     : "Looking up _dmarc." + domain +
                           " failed with a temporary error: receivers decide themselves whether to "
                           "deliver or defer "
                           "(RFC 9989 §4.10.1).";
  if (!unknown) add_temp_error(d);
  return true;
}

/// Reads the From domain and the organizational domain given into d; false (with the status,
/// reason and finding set) when either is not usable.
bool read_domains(Discovery& d, std::string_view from_domain,
                  const std::optional<std::string>& organizational_domain,
                  std::optional<std::string>& org) {
  const auto from = parse_host_name(from_domain);
  if (!from) {
    d.from_domain = std::string(from_domain);
    d.status = DiscoveryStatus::none;
    d.reason = "The From domain " + quote(from_domain) + " is not a domain name (" + from.error +
               "), so no DMARC policy can be found.";
    d.findings.push_back(Finding{"dmarc.discovery.bad_domain", Severity::error, "", d.reason,
                                 "Use a valid From domain."});
    return false;
  }
  d.from_domain = from.value->ascii;
  if (organizational_domain) {
    const auto parsed = parse_host_name(*organizational_domain);
    if (!parsed || !is_same_or_subdomain(d.from_domain, parsed.value->ascii)) {
      d.status = DiscoveryStatus::none;
      d.reason = "The organizational domain " + quote(*organizational_domain) + " is not " +
                 d.from_domain + " or a parent of it.";
      d.findings.push_back(Finding{"dmarc.discovery.bad_domain", Severity::error, "", d.reason,
                                   "Give the From domain's organizational domain."});
      return false;
    }
    org = parsed.value->ascii;
    d.organizational_domain = *org;
  }
  return true;
}

/// When the organizational domain's record `r` has sp and np that differ, whether the From domain
/// exists decides between them (RFC 8020: a name with something below it exists). False (with
/// the status and reason set) when that is not known yet.
bool settle_existence(Discovery& d, const Record& r, const spf::DnsView& dns) {
  if (d.from_exists || r.sp == r.np) return true;
  const auto& first = d.queries.front();
  if (first.status == spf::DnsStatus::records || first.status == spf::DnsStatus::no_data) {
    d.from_exists = true;
    return true;
  }
  bool temp_error = false;
  d.from_exists = read_existence(dns, d.from_domain, d, temp_error);
  if (d.from_exists) return true;
  d.status = temp_error ? DiscoveryStatus::temp_error : DiscoveryStatus::unknown;
  d.reason = "The record at " + d.record_name +
             " applies, with sp=" + std::string(to_string(r.sp)) + " if " + d.from_domain +
             " exists and np=" + std::string(to_string(r.np)) +
             " if it does not, and whether it exists is not known yet" +
             (temp_error ? " (a temporary DNS error)." : ".");
  if (temp_error) add_temp_error(d);
  return false;
}

/// The organizational domain's record applies to the From domain (which has none of its own):
/// its sp or np decides. False when discovery stops before a policy is known.
bool apply_organizational_record(Discovery& d, const NameResult& own, const spf::DnsView& dns) {
  const Record& r = *d.record;
  if (!settle_existence(d, r, dns)) return false;
  const bool exists = d.from_exists.value_or(true);
  d.status = DiscoveryStatus::found;
  d.source = exists ? PolicySource::sp : PolicySource::np;
  d.policy = exists ? r.sp : r.np;
  const bool own_tag = std::find(r.written.begin(), r.written.end(),
                                 std::string(to_string(d.source))) != r.written.end();
  d.reason = std::string(own.kind == NameResult::Kind::several ? "No single" : "No") +
             " DMARC record at _dmarc." + d.from_domain +
             ", so the organizational domain's record at " + d.record_name + " applies; " +
             d.from_domain +
             (!d.from_exists ? " may or may not exist (sp and np agree, so it does not matter)"
              : exists       ? " exists"
                             : " does not exist (NXDOMAIN)") +
             ", so its " + std::string(to_string(d.source)) +
             " policy decides: " + std::string(to_string(d.policy)) +
             (own_tag             ? ""
              : r.policy_fallback ? " (p=none in place of an unusable policy)"
              : d.source == PolicySource::np &&
                      std::find(r.written.begin(), r.written.end(), "sp") != r.written.end()
                  ? " (np is not written, so sp's)"
                  : " (" + std::string(to_string(d.source)) + " is not written, so p's)") +
             ".";
  return true;
}

/// What testing changes, or the finding that no policy applies, once the status is settled.
void conclude(Discovery& d, const std::optional<std::string>& org) {
  if (d.status == DiscoveryStatus::found) {
    d.testing = d.record->testing;
    d.applied = d.testing ? weaker(d.policy) : d.policy;
    if (d.testing && d.applied != d.policy) {
      d.reason += " With t=y, receivers apply " + std::string(to_string(d.applied)) + ".";
    }
  }
  if (d.status == DiscoveryStatus::none) {
    d.findings.push_back(Finding{
        "dmarc.record.missing", Severity::warning, "",
        "No DMARC policy applies to mail from " + d.from_domain +
            ": receivers do not check that its From domain is authenticated, anyone can send as @" +
            d.from_domain +
            " without a DMARC verdict against it, and large mailbox providers expect bulk senders "
            "to publish one.",
        "Publish _dmarc." + (org ? *org : d.from_domain) +
            " TXT \"v=DMARC1; p=none; rua=mailto:<reports mailbox>\", then move to p=quarantine "
            "and p=reject."});
  }
}

}  // namespace

std::string_view to_string(DiscoveryStatus status) {
  switch (status) {
    case DiscoveryStatus::found:
      return "found";
    case DiscoveryStatus::no_policy:
      return "no_policy";
    case DiscoveryStatus::none:
      return "none";
    case DiscoveryStatus::temp_error:
      return "temperror";
    case DiscoveryStatus::unknown:
      return "unknown";
  }
  return "none";
}

std::string_view to_string(PolicySource source) {
  switch (source) {
    case PolicySource::p:
      return "p";
    case PolicySource::sp:
      return "sp";
    case PolicySource::np:
      return "np";
  }
  return "p";
}

Discovery discover(const spf::DnsView& dns, std::string_view from_domain,
                   const std::optional<std::string>& organizational_domain,
                   const DiscoveryOptions& options) {
  Discovery d;
  d.from_exists = options.from_exists;
  std::optional<std::string> org;
  if (!read_domains(d, from_domain, organizational_domain, org)) return d;

  // Step 1: the From domain itself.
  const NameResult own = query_name(dns, d.from_domain, d);
  if (stopped_at(d, own, d.from_domain)) {
    finish(d);
    return d;
  }
  if (own.kind == NameResult::Kind::one) {
    use_record(d, d.from_domain, own.text, dns, options);
    if (d.status != DiscoveryStatus::no_policy) {
      d.status = DiscoveryStatus::found;
      d.source = PolicySource::p;
      d.policy = d.record->p;
      d.reason = "The DMARC record at " + d.record_name + " applies to mail from " + d.from_domain +
                 " itself, so its p tag decides: " + std::string(to_string(d.policy)) + ".";
    }
  } else if (!org || *org == d.from_domain) {
    d.status = DiscoveryStatus::none;
    d.reason = std::string(own.kind == NameResult::Kind::several ? "No single" : "No") +
               " DMARC record at _dmarc." + d.from_domain +
               (org ? std::string(", which is its own organizational domain")
                    : std::string(", and no organizational domain is known")) +
               ", so no DMARC policy applies.";
  } else {
    // Step 2: the organizational domain.
    const NameResult parent = query_name(dns, *org, d);
    if (stopped_at(d, parent, *org)) {
      finish(d);
      return d;
    }
    if (parent.kind != NameResult::Kind::one) {
      d.status = DiscoveryStatus::none;
      d.reason = std::string(own.kind == NameResult::Kind::several ||
                                     parent.kind == NameResult::Kind::several
                                 ? "No single"
                                 : "No") +
                 " DMARC record at _dmarc." + d.from_domain + " nor at _dmarc." + *org +
                 ", so no DMARC policy applies.";
    } else {
      use_record(d, *org, parent.text, dns, options);
      if (d.status != DiscoveryStatus::no_policy && !apply_organizational_record(d, own, dns)) {
        finish(d);
        return d;
      }
    }
  }

  conclude(d, org);
  finish(d);
  return d;
}

void write_members(text::JsonWriter& w, const Discovery& d, bool policy_source) {
  const bool found = d.status == DiscoveryStatus::found;
  w.member("status", to_string(d.status))
      .member("fromDomain", d.from_domain)
      .member("organizationalDomain", d.organizational_domain)
      .member("fromExists", d.from_exists)
      .member("recordDomain", d.record_domain)
      .member("recordName", d.record_name)
      .member("record", d.record_text);
  if (policy_source) {
    w.key("source");
    if (found) {
      w.value(to_string(d.source));
    } else {
      w.value(nullptr);
    }
  }
  if (found) {
    w.member("policy", to_string(d.policy)).member("applied", to_string(d.applied));
  } else {
    w.member("policy", nullptr).member("applied", nullptr);
  }
  w.member("testing", d.testing).member("reason", d.reason).key("queries").array();
  for (const DiscoveryQuery& q : d.queries) {
    w.object()
        .member("name", q.name)
        .member("status", spf::to_string(q.status))
        .member("dmarcRecords", q.dmarc_records)
        .member("otherRecords", q.other_records)
        .member("outcome", q.outcome)
        .end();
  }
  w.end().key("needed");
  write_lookups(w, d.needed);
  w.key("findings");
  write_json(w, d.findings);
  if (d.record) {
    w.key("parsed");
    write_json(w, *d.record);
  }
}

void write_json(text::JsonWriter& w, const Discovery& discovery) {
  w.object();
  write_members(w, discovery, true);
  w.end();
}

void to_json(nlohmann::json& out, const Discovery& discovery) {
  out = text::written_tree([&](text::JsonWriter& w) { write_json(w, discovery); });
}

}  // namespace relaycheck::dmarc
