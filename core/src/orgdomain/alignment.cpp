#include "orgdomain/alignment.hpp"

#include "orgdomain/name_forms.hpp"
#include "orgdomain/tree_walk.hpp"

namespace relaycheck::orgdomain {
namespace {

/// The common start: both names checked and compared. Returns true when `out` is final.
bool compare_names(std::string_view identifier, std::string_view from, Mode mode, Alignment& out,
                   std::string& identifier_ascii, std::string& from_ascii) {
  auto id = split_name(identifier);
  auto author = split_name(from);
  if (!id || !author) {
    out.verdict = Verdict::not_aligned;
    out.reason = !author ? "the From domain is not a domain name: " + author.error
                         : "the identifier is not a domain name: " + id.error;
    return true;
  }
  identifier_ascii = id.value->ascii_suffix(id.value->size());
  from_ascii = author.value->ascii_suffix(author.value->size());
  if (identifier_ascii == from_ascii) {
    out.verdict = Verdict::aligned;
    out.reason = mode == Mode::strict
                     ? "the names are identical (strict alignment)"
                     : "the names are identical, which relaxed alignment accepts too";
    return true;
  }
  if (mode == Mode::strict) {
    out.verdict = Verdict::not_aligned;
    out.reason =
        "strict alignment needs identical names; " + identifier_ascii + " is not " + from_ascii;
    return true;
  }
  return false;
}

void compare_orgs(Alignment& out) {
  if (!out.identifier_org || !out.from_org) {
    out.verdict = Verdict::not_aligned;
    out.reason = !out.from_org
                     ? "the From domain is a public suffix, which has no organizational domain"
                     : "the identifier is a public suffix, which has no organizational domain";
    return;
  }
  if (*out.identifier_org == *out.from_org) {
    out.verdict = Verdict::aligned;
    out.reason = "both have the organizational domain " + *out.from_org + " (relaxed alignment)";
  } else {
    out.verdict = Verdict::not_aligned;
    out.reason =
        "the organizational domains differ: " + *out.identifier_org + " and " + *out.from_org;
  }
}

}  // namespace

std::string_view to_string(Mode mode) { return mode == Mode::strict ? "strict" : "relaxed"; }

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::aligned:
      return "aligned";
    case Verdict::not_aligned:
      return "not-aligned";
    case Verdict::unknown:
      return "unknown";
  }
  return "unknown";
}

Alignment check_alignment(std::string_view identifier_domain, std::string_view from_domain,
                          Mode mode, Sections sections) {
  Alignment out;
  std::string identifier_ascii;
  std::string from_ascii;
  if (compare_names(identifier_domain, from_domain, mode, out, identifier_ascii, from_ascii))
    return out;
  auto id = psl_lookup(identifier_ascii, sections);
  auto author = psl_lookup(from_ascii, sections);
  if (id) out.identifier_org = id.value->organizational_domain_ascii;
  if (author) out.from_org = author.value->organizational_domain_ascii;
  compare_orgs(out);
  return out;
}

Alignment check_alignment(std::string_view identifier_domain, std::string_view from_domain,
                          Mode mode, const spf::DnsView& dns) {
  Alignment out;
  std::string identifier_ascii;
  std::string from_ascii;
  if (compare_names(identifier_domain, from_domain, mode, out, identifier_ascii, from_ascii))
    return out;
  auto id = tree_walk(identifier_ascii, dns);
  auto author = tree_walk(from_ascii, dns);
  if (!id || !author) {  // cannot happen: both names were checked above
    out.verdict = Verdict::not_aligned;
    out.reason = "a name is not a domain name";
    return out;
  }
  for (const auto* walk : {&*id.value, &*author.value}) {
    for (const auto& name : walk->needed) {
      bool listed = false;
      for (const auto& have : out.needed) listed = listed || have == name;
      if (!listed) out.needed.push_back(name);
    }
  }
  if (!id.value->complete() || !author.value->complete()) {
    out.verdict = Verdict::unknown;
    out.reason = !id.value->complete() ? "the identifier's tree walk: " + id.value->reason
                                       : "the From domain's tree walk: " + author.value->reason;
    return out;
  }
  out.identifier_org = id.value->organizational_domain_ascii;
  out.from_org = author.value->organizational_domain_ascii;
  compare_orgs(out);
  return out;
}

bool aligned(std::string_view identifier_domain, std::string_view from_domain, Mode mode) {
  return check_alignment(identifier_domain, from_domain, mode).verdict == Verdict::aligned;
}

}  // namespace relaycheck::orgdomain
