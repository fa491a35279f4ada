// Steps 5 and 6 of outcomes.hpp: alignment under the domain's DMARC record, and the verdict.
#include "orgdomain/alignment.hpp"
#include "outcomes/detail.hpp"

namespace relaycheck::outcomes {
namespace {

const dmarc::Record* found_record(const Context& context, std::size_t domain) {
  const dmarc::Discovery& found = context.dmarc[domain];
  return found.status == dmarc::DiscoveryStatus::found && found.record ? &*found.record : nullptr;
}

/// The aligned passes of a path, in words ("the CRM's DKIM (d=zylker.com)"); empty when none.
std::vector<std::string> aligned_passes(const Outcome& outcome) {
  std::vector<std::string> passes;
  if (outcome.spf && outcome.spf->aligned) passes.push_back("SPF (" + outcome.spf->domain + ")");
  for (const DkimOutcome& sig : outcome.dkim) {
    if (sig.aligned) {
      passes.push_back(std::string(sig.signer == "crm" ? "the CRM's" : "the relay's") +
                       " DKIM (d=" + sig.domain + ")");
    }
  }
  return passes;
}

bool rests_on_assumption(const Outcome& outcome) {
  if (outcome.spf && outcome.spf->assumed && outcome.spf->aligned) return true;
  for (const DkimOutcome& sig : outcome.dkim) {
    if (sig.aligned && sig.assumed) return true;
  }
  return false;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  }
  return out;
}

}  // namespace

bool has_aligned_pass(const Outcome& outcome) { return !aligned_passes(outcome).empty(); }

bool aligns(const Context& context, std::size_t domain, const std::string& identifier, bool dkim) {
  auto mode = orgdomain::Mode::relaxed;
  if (const dmarc::Record* record = found_record(context, domain)) {
    const auto tag = dkim ? record->adkim : record->aspf;
    if (tag == dmarc::Alignment::strict) mode = orgdomain::Mode::strict;
  }
  std::string key = std::to_string(domain) + (dkim ? "\nd\n" : "\ns\n") + identifier;
  const auto [it, fresh] = context.alignment.try_emplace(std::move(key), false);
  if (fresh) it->second = orgdomain::aligned(identifier, context.from_domains[domain], mode);
  return it->second;
}

DmarcOutcome evaluate_dmarc(const Context& context, const Outcome& outcome) {
  DmarcOutcome out;
  const dmarc::Discovery& found = context.dmarc[outcome.path.domain];
  const std::vector<std::string> passes = aligned_passes(outcome);
  const bool pass = !passes.empty();
  std::string because =
      pass ? joined(passes) + (passes.size() == 1 ? " passes and aligns" : " pass and align")
           : "no SPF or DKIM pass aligns";
  if (because.front() >= 'a' && because.front() <= 'z') {
    because.front() = static_cast<char>(because.front() - ('a' - 'A'));
  }
  switch (found.status) {
    case dmarc::DiscoveryStatus::found:
      out.result = pass ? "pass" : "fail";
      out.policy = std::string(dmarc::to_string(found.applied));
      out.source = std::string(dmarc::to_string(found.source));
      out.declared = std::string(dmarc::to_string(found.policy));
      out.record_domain = found.record_domain;
      if (found.record) out.pct = found.record->pct;
      out.disposition = pass                                   ? "deliver"
                        : found.applied == dmarc::Policy::none ? "deliver"
                                                               : out.policy;
      out.reason = because + ". " + found.reason;
      break;
    case dmarc::DiscoveryStatus::unknown:
    case dmarc::DiscoveryStatus::temp_error:
      out.result = pass ? "pass" : "fail";
      out.assumed = true;
      out.disposition = "deliver";
      out.reason = because + ". The DMARC record of " + context.from_domains[outcome.path.domain] +
                   " is not in the DNS data (evaluated as if there were none: fetch _dmarc." +
                   context.from_domains[outcome.path.domain] + ").";
      break;
    case dmarc::DiscoveryStatus::none:
    case dmarc::DiscoveryStatus::no_policy:
      out.result = "none";
      out.disposition = "deliver";
      out.reason = because + ". " + found.reason;
      break;
  }
  // A pass that rests on an assumed identifier is assumed; "none" (no record) rests on nothing.
  if (out.result == "pass" && rests_on_assumption(outcome)) out.assumed = true;
  return out;
}

}  // namespace relaycheck::outcomes
