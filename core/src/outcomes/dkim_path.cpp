// Step 4 of outcomes.hpp: the DKIM signatures that reach the receiver, and whether they verify.
#include "dkim/key_record.hpp"
#include "outcomes/detail.hpp"
#include "text/hostname.hpp"

namespace relaycheck::outcomes {
namespace {

/// The signing domain of a signer: its `d=`, or the From domain when none is entered.
std::string signing_domain(const Context& context, std::size_t domain, const DkimSigner& signer) {
  if (signer.domain.empty()) return context.from_domains[domain];
  const auto host = parse_host_name(signer.domain);
  return host ? host.value->ascii : std::string();
}

/// Reads the key record `<selector>._domainkey.<domain>` from the DNS data when it is there.
void check_key(const Context& context, DkimOutcome& sig) {
  if (sig.selector.empty() || sig.domain.empty()) {
    sig.assumed = true;
    sig.reason += "; key record assumed published and valid (the selector is not entered)";
    return;
  }
  const std::string name = sig.selector + "._domainkey." + sig.domain;
  const spf::DnsAnswer& answer = context.dns().query(name, spf::RrType::txt);
  if (answer.status == spf::DnsStatus::unknown || answer.status == spf::DnsStatus::temp_error) {
    sig.assumed = true;
    sig.reason += "; key record " + name + " assumed published and valid (not in the DNS data)";
    return;
  }
  if (answer.status != spf::DnsStatus::records || answer.txt.empty()) {
    sig.result = "permerror";
    sig.reason = "the key record " + name + " does not exist: every signature fails (PERMFAIL)";
    return;
  }
  const auto key = dkim::parse_key_record(spf::join_strings(answer.txt.front()));
  if (key.verdict != dkim::Verdict::ok) {
    sig.result = "permerror";
    sig.reason = "the key record " + name + " is " + std::string(dkim::to_string(key.verdict)) +
                 ": " + key.reason;
    return;
  }
  sig.reason += "; key record " + name + " is valid";
}

DkimOutcome signature(const Context& context, const Outcome& outcome, const DkimSigner& signer,
                      const char* who) {
  DkimOutcome sig;
  sig.signer = who;
  sig.domain = signing_domain(context, outcome.path.domain, signer);
  sig.selector = signer.selector;
  sig.result = "pass";
  sig.reason = std::string(who == std::string("crm") ? "the CRM" : "the relay") +
               " signs with d=" + (sig.domain.empty() ? signer.domain : sig.domain);
  check_key(context, sig);
  sig.aligned = sig.result == "pass" && !sig.domain.empty() &&
                aligns(context, outcome.path.domain, sig.domain, true);
  return sig;
}

}  // namespace

std::vector<DkimOutcome> evaluate_dkim(const Context& context, const Outcome& outcome) {
  std::vector<DkimOutcome> signatures;
  const Domain& domain = context.config.domains[outcome.path.domain];
  const Relay* relay = relay_of(context.config, outcome.path);
  if (domain.crm_dkim.signs) {
    DkimOutcome crm = signature(context, outcome, domain.crm_dkim, "crm");
    if (relay && relay->modifies_messages && crm.result == "pass") {
      // The break does not rest on the key record: the signature fails whatever it says.
      crm.result = "fail";
      crm.aligned = false;
      crm.assumed = false;
      crm.reason =
          "the relay changes the message after the CRM signed it (a footer or disclaimer changes "
          "the body hash, RFC 6376 §3.7), so the CRM's signature with d=" +
          crm.domain + " fails";
    }
    signatures.push_back(std::move(crm));
  }
  if (relay && relay->dkim.signs)
    signatures.push_back(signature(context, outcome, relay->dkim, "relay"));
  return signatures;
}

}  // namespace relaycheck::outcomes
