// The relay checks on live DNS data (relay_dns.hpp): the host's addresses, and forward-confirmed
// reverse DNS of each outbound address.
#include "dns/relay_dns.hpp"

#include <algorithm>

#include "config/names.hpp"
#include "dns/message.hpp"
#include "dns/sources.hpp"
#include "text/hostname.hpp"
#include "text/quote.hpp"

namespace relaycheck::dns {
namespace {

/// The most PTR names whose forward lookups are read (as the lookup plan asks for them).
constexpr std::size_t kPtrNames = 10;

std::string list(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  }
  return out;
}

std::string void_words(const spf::DnsAnswer& answer) {
  return answer.status == spf::DnsStatus::nxdomain ? "the name does not exist (NXDOMAIN)"
                                                   : "no record";
}

/// True when `resolver` answers what the Internet sees: a DNS-over-HTTPS service, or a server at
/// a public address. A resolver inside the admin's network may hold an internal view of the
/// zone (split-horizon DNS) that the CRM, resolving in public DNS, never sees.
bool public_resolver(const std::string& resolver, const ReservedBlockFn& reserved) {
  if (resolver.rfind("https://", 0) == 0) return true;
  std::string host = resolver;
  if (!host.empty() && host.front() == '[') {
    host = host.substr(
        1, host.find(']') == std::string::npos ? std::string::npos : host.find(']') - 1);
  } else if (std::count(host.begin(), host.end(), ':') == 1) {
    host = host.substr(0, host.find(':'));
  }
  const auto address = ip::parse_address(host);
  return address && !reserved(*address.value);
}

void check_host(const Relay& relay, const std::string& who, const std::string& path,
                const spf::DnsView& dns, const DnsSources& sources, const ReservedBlockFn& reserved,
                std::vector<Finding>& out) {
  if (ip::parse_address(relay.host)) return;  // an IP literal: the static rules judge it
  const auto host = parse_host_name(relay.host);
  if (!host) return;
  const std::string& name = host.value->ascii;
  const spf::DnsAnswer& a = dns.query(name, spf::RrType::a);
  const spf::DnsAnswer& aaaa = dns.query(name, spf::RrType::aaaa);
  if (a.status == spf::DnsStatus::temp_error || aaaa.status == spf::DnsStatus::temp_error) {
    out.push_back({"relay.dns.temporary", Severity::info, path,
                   "The lookup of " + name + " (the host of " + who +
                       ") failed temporarily, so whether the CRM can reach it is not known yet; "
                       "this is not a failure of the relay.",
                   "Check live DNS again later."});
    return;
  }
  if (a.status == spf::DnsStatus::unknown || aaaa.status == spf::DnsStatus::unknown) return;
  if (a.is_void() && aaaa.is_void()) {
    out.push_back({"relay.host.unresolved", Severity::error, path,
                   "The host " + name + " of " + who + " has no A or AAAA record (" +
                       void_words(a) +
                       "), so the CRM cannot connect to it and no email will be "
                       "relayed.",
                   "Publish an A record (and AAAA for IPv6) for " + name +
                       " with the relay's public address, or correct the host name."});
    return;
  }
  std::vector<std::string> blocked;
  std::size_t total = 0;
  for (const auto* answer : {&a, &aaaa}) {
    for (const ip::Address& address : answer->addresses) {
      ++total;
      if (auto block = reserved(address))
        blocked.push_back(ip::to_string(address) + " (" + *block + ")");
    }
  }
  if (blocked.empty()) return;
  const bool all = blocked.size() == total;
  // Records fetched from a resolver inside the admin's network may be its internal view: what
  // the CRM sees in public DNS is then unknown, so this is a warning that says so.
  // The resolver that answered the host's addresses, when live DNS fetched them.
  const std::string resolver = sources.source(name, {"A", "AAAA"}).resolver.value_or("");
  if (!resolver.empty() && !public_resolver(resolver, reserved)) {
    out.push_back(
        {"relay.host.resolves_private", Severity::warning, path,
         "The resolver " + quote(resolver) + " answered that the host " + name + " of " + who +
             " resolves to " + list(blocked) +
             ", which the CRM cannot reach from its cloud. That resolver is inside your "
             "network and may answer with an internal view (split-horizon DNS); the CRM "
             "resolves " +
             name + " in public DNS, which may differ.",
         "Check live DNS again with a public resolver. If public DNS gives the same addresses, "
         "publish the relay's public addresses for " +
             name + " there (keep internal addresses in an internal view)."});
    return;
  }
  out.push_back(
      {"relay.host.resolves_private", all ? Severity::error : Severity::warning, path,
       "The host " + name + " of " + who + " resolves to " + list(blocked) +
           (all ? ", which the CRM cannot reach from its cloud over the Internet, so no email will "
                  "be relayed."
                : ", which the CRM cannot reach from its cloud; when it picks that address, the "
                  "connection fails and mail waits for a retry."),
       "Publish only the relay's public addresses for " + name +
           " in public DNS (keep internal addresses in an internal view)."});
}

void check_outbound(const std::string& text, const std::string& who, const std::string& path,
                    const spf::DnsView& dns, std::vector<Finding>& out) {
  const auto prefix = ip::parse_prefix(text, ip::HostBits::mask);
  if (!prefix || prefix.value->length != ip::max_length(prefix.value->family)) return;
  const ip::Address address = prefix.value->network();
  const std::string shown = ip::to_string(address);
  const std::string reverse = reverse_name(address);
  const spf::DnsAnswer& ptr = dns.query(reverse, spf::RrType::ptr);
  if (ptr.status == spf::DnsStatus::unknown) return;
  if (ptr.status == spf::DnsStatus::temp_error) {
    out.push_back({"relay.dns.temporary", Severity::info, path,
                   "The reverse lookup of " + shown + " (an outbound address of " + who +
                       ") failed temporarily, so whether it has a PTR record is not known yet; "
                       "this is not a failure of the relay.",
                   "Check live DNS again later."});
    return;
  }
  if (ptr.status != spf::DnsStatus::records || ptr.names.empty()) {
    out.push_back({"relay.ptr.missing", Severity::warning, path,
                   "The outbound address " + shown + " of " + who + " has no PTR record (" +
                       reverse + ": " + void_words(ptr) +
                       "); Gmail, Yahoo and Outlook.com require reverse DNS of sending addresses "
                       "and reject or junk mail from it.",
                   "Ask whoever runs the address (the hosting provider or ISP) for a PTR record "
                   "naming the relay, with an A record of that name pointing back at " +
                       shown + "."});
    return;
  }
  const auto forward = address.family == ip::Family::v4 ? spf::RrType::a : spf::RrType::aaaa;
  bool unknown = false;
  for (std::size_t i = 0; i < ptr.names.size() && i < kPtrNames; ++i) {
    const spf::DnsAnswer& back = dns.query(ptr.names[i], forward);
    if (back.status == spf::DnsStatus::unknown || back.status == spf::DnsStatus::temp_error) {
      unknown = true;
      continue;
    }
    if (std::find(back.addresses.begin(), back.addresses.end(), address) != back.addresses.end()) {
      return;  // confirmed
    }
  }
  if (unknown) return;
  std::vector<std::string> names(
      ptr.names.begin(),
      ptr.names.begin() + static_cast<std::ptrdiff_t>(std::min(ptr.names.size(), kPtrNames)));
  out.push_back({"relay.ptr.unconfirmed", Severity::warning, path,
                 "The outbound address " + shown + " of " + who + " has the PTR name" +
                     (names.size() == 1 ? " " : "s ") + list(names) + ", which " +
                     (names.size() == 1 ? "does" : "do") + " not resolve back to " + shown +
                     ": forward-confirmed reverse DNS fails, and Gmail, Yahoo and Outlook.com "
                     "reject or junk mail from it.",
                 "Publish an " + std::string(address.family == ip::Family::v4 ? "A" : "AAAA") +
                     " record of " + names.front() + " pointing at " + shown +
                     ", or have the PTR record changed to a name that does."});
}

}  // namespace

std::vector<Finding> relay_dns_findings(const Config& config, const spf::DnsView& dns,
                                        const ReservedBlockFn& reserved) {
  std::vector<Finding> out;
  const Names names(config);
  const DnsSources sources(config.dns);
  for (std::size_t d = 0; d < config.domains.size(); ++d) {
    const Domain& domain = config.domains[d];
    for (std::size_t r = 0; r < domain.relays.size(); ++r) {
      const Relay& relay = domain.relays[r];
      const std::string base = "/domains/" + std::to_string(d) + "/relays/" + std::to_string(r);
      const std::string who = "relay " + names.relay(d, r);
      check_host(relay, who, base + "/host", dns, sources, reserved, out);
      for (std::size_t i = 0; i < relay.outbound_ips.size(); ++i) {
        check_outbound(relay.outbound_ips[i], who, base + "/outboundIps/" + std::to_string(i), dns,
                       out);
      }
    }
  }
  return out;
}

}  // namespace relaycheck::dns
