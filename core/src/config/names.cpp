#include "config/names.hpp"

#include <map>
#include <vector>

#include "text/hostname.hpp"
#include "text/quote.hpp"

namespace relaycheck {
namespace {

std::string domain_name(const Domain& domain, std::size_t d) {
  if (domain.name.empty()) return "domain " + std::to_string(d + 1);
  if (auto name = parse_host_name(domain.name)) return name.value->unicode;
  return shorten(domain.name);
}

/// The form in which two hosts are the same: a valid name's ASCII form, else the text itself.
std::string host_key(const std::string& host) {
  if (auto name = parse_host_name(host)) return name.value->ascii;
  return host;
}

}  // namespace

Names::Names(const Config& config) {
  // Each host is parsed once: a report builds Names several times over every relay.
  std::vector<std::vector<std::string>> keys(config.domains.size());
  std::map<std::string, std::size_t> hosts;
  for (std::size_t d = 0; d < config.domains.size(); ++d) {
    for (const Relay& relay : config.domains[d].relays) {
      keys[d].push_back(relay.host.empty() ? std::string() : host_key(relay.host));
      if (!relay.host.empty()) ++hosts[keys[d].back()];
    }
  }
  for (std::size_t d = 0; d < config.domains.size(); ++d) {
    const Domain& domain = config.domains[d];
    domains_.push_back(domain_name(domain, d));
    relays_.emplace_back();
    for (std::size_t r = 0; r < domain.relays.size(); ++r) {
      const std::string& host = domain.relays[r].host;
      const std::string place = "#" + std::to_string(r + 1) + " of " + domains_[d];
      if (host.empty()) {
        relays_[d].push_back(place);
      } else if (hosts[keys[d][r]] > 1) {
        relays_[d].push_back(shorten(host) + " (" + place + ")");
      } else {
        relays_[d].push_back(shorten(host));
      }
    }
  }
}

}  // namespace relaycheck
