#include "relaycheck/rules.hpp"

#include <string>

namespace relaycheck {
namespace {

/// At most this many relay servers per domain (the domain source).
constexpr std::size_t kMaxRelays = 3;

std::string relay_path(std::size_t domain, std::size_t relay) {
  return "/domains/" + std::to_string(domain) + "/relays/" + std::to_string(relay);
}

void check_relay(const Relay& relay, const std::string& path, std::vector<Finding>& out) {
  if (relay.host.empty()) {
    out.push_back({"relay.host.missing", Severity::error, path + "/host",
                   "the relay has no host, so the CRM cannot connect to it and its mail will not be relayed.",
                   "Enter the relay's fully qualified host name or public IP address."});
  }
  if (relay.port != 25 && relay.port != 465 && relay.port != 587) {
    out.push_back({"relay.port.unsupported", Severity::error, path + "/port",
                   "port " + std::to_string(relay.port) +
                       " is not one the CRM connects to; it relays only through ports 25, 465 and 587.",
                   "Use 587 with STARTTLS (submission), 465 with implicit TLS, or 25 with STARTTLS."});
  }
}

}  // namespace

std::vector<Finding> check_setup(const Config& config) {
  std::vector<Finding> out;
  for (std::size_t d = 0; d < config.domains.size(); ++d) {
    const Domain& domain = config.domains[d];
    if (domain.relays.size() > kMaxRelays) {
      out.push_back({"domain.relays.too_many", Severity::error,
                     relay_path(d, kMaxRelays),
                     "the domain " + domain.name + " has " + std::to_string(domain.relays.size()) +
                         " relay servers; the CRM allows at most three per domain.",
                     "Remove relay servers until three remain, or move one to another domain."});
    }
    for (std::size_t r = 0; r < domain.relays.size(); ++r) {
      check_relay(domain.relays[r], relay_path(d, r), out);
    }
  }
  return out;
}

}  // namespace relaycheck
