// The return-path and bounce rules of one domain. The domain source ties the return path to
// bounce management: the CRM as return path keeps it on; the From address or a custom address
// turns it off. core/rules.md documents every code.
#include "config/fields.hpp"
#include "rules/detail.hpp"
#include "text/email_address.hpp"
#include "text/quote.hpp"

namespace relaycheck::rules {
namespace {

/// The bounce domains as a message lists them, each shown as quote() shows text (shortened, with
/// hidden characters marked), so that an override in one cannot reorder the sentence.
std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + text::shorten(n);
  return out;
}

/// The CRM as return path: the relay sees the CRM's bounce domain as envelope sender.
void check_crm_return_path(const Config& config, const std::string& at, std::vector<Finding>& out) {
  const auto& bounce = config.account.bounce_domains;
  out.push_back(
      {"domain.return_path.crm_envelope", Severity::info, at,
       "The CRM stays the return path, so the relay receives mail whose envelope sender "
       "is a CRM bounce domain" +
           (bounce.empty() ? std::string(" (not entered yet)") : " (" + joined(bounce) + ")") +
           "; a relay that accepts only its own domains as senders refuses that mail.",
       bounce.empty()
           ? "Enter the CRM's bounce domains for your data centre under " +
                 account_field("/account/bounceDomains") +
                 " (the CRM's relay settings list them), and allow them as envelope senders on "
                 "the relay."
           : "Allow " + joined(bounce) + " as envelope senders on the relay."});

  // What SPF, DKIM and DMARC then make of the mail is computed per path in outcomes/.
}

void check_custom_address(const std::vector<std::string>& relay_domains, const Domain& domain,
                          const std::string& name, const std::string& path,
                          std::vector<Finding>& out) {
  const std::string at = path + "/returnPathAddress";
  if (domain.return_path_address.empty()) {
    out.push_back(
        {"domain.return_path_address.missing", Severity::error, at,
         "The return path is a custom address, but none is entered: the CRM has no address "
         "to put in the envelope of " +
             name + "'s emails.",
         "Enter a mailbox of " + name + " that collects bounces, such as bounce@" + name + "."});
    return;
  }
  const auto address = parse_email_address(domain.return_path_address);
  if (!address) {
    out.push_back({"domain.return_path_address.invalid", Severity::error, at,
                   "The return-path address " + quote(domain.return_path_address, '"') +
                       " is not a valid email address: " + address.error +
                       "; relays refuse such an envelope sender.",
                   "Enter a plain address such as bounce@" + name + "."});
    return;
  }
  const std::string& host = address.value->domain.ascii;
  for (const std::string& parent : relay_domains) {
    if (is_same_or_subdomain(host, parent)) return;
  }
  out.push_back(
      {"domain.return_path_address.foreign", Severity::error, at,
       "The return-path address " + quote(domain.return_path_address, '"') + " belongs to \"" +
           address.value->domain.unicode +
           "\", which is neither a domain configured with a "
           "relay nor a subdomain of one: the relay may refuse it, and SPF and DMARC "
           "alignment are judged against a foreign domain.",
       "Use an address of " + name + " or of a subdomain of it (bounce@bounces." + name + ")."});
}

}  // namespace

void check_return_path(const Config& config, const Names& names,
                       const std::vector<std::string>& relay_domains, std::size_t index,
                       std::vector<Finding>& out) {
  const Domain& domain = config.domains[index];
  const std::string path = domain_path(index);
  const std::string at = path + "/returnPath";
  const std::string& name = names.domain(index);
  if (domain.return_path == ReturnPathMode::crm) {
    check_crm_return_path(config, at, out);
  } else {
    out.push_back(
        {"domain.bounces.unmanaged", Severity::warning, at,
         "With the return path at " +
             std::string(domain.return_path == ReturnPathMode::from_address ? "the From address"
                                                                            : "a custom address") +
             ", bounce management in the CRM is off: the CRM no longer marks emails of " + name +
             " as bounced.",
         "Keep the CRM as return path if your relay accepts the CRM's bounce domains; "
         "otherwise watch bounces in the mailbox that receives them."});
  }
  if (domain.return_path == ReturnPathMode::from_address) {
    out.push_back(
        {"domain.return_path.sender_mailbox", Severity::info, at,
         "Bounces go to each sender's own mailbox (the From address of each email), "
         "not to one place.",
         "Choose a custom address to collect every bounce of " + name + " in one mailbox."});
  }
  if (domain.return_path == ReturnPathMode::custom_address) {
    check_custom_address(relay_domains, domain, name, path, out);
  } else if (!domain.return_path_address.empty()) {
    out.push_back({"domain.return_path_address.ignored", Severity::warning,
                   path + "/returnPathAddress",
                   "A return-path address is entered, but the return path is " +
                       std::string(domain.return_path == ReturnPathMode::crm ? "the CRM"
                                                                             : "the From address") +
                       ", so the address is not used.",
                   "Set the return path to a custom address to use it, or clear the address."});
  }
}

}  // namespace relaycheck::rules
