#pragma once
/// How every message names a domain and a relay, so that one relay reads the same in a setup
/// finding, a plan finding and the plan's tables, and no two relays of a config read alike:
///   a domain: its name as people read it (U-labels); its text as written (shortened) when it is
///     not a valid name; "domain N" when it is empty;
///   a relay: its host as written (shortened); "#N of DOMAIN" when the host is empty;
///     "HOST (#N of DOMAIN)" when another relay of the config has the same host.
/// Messages put "relay" or "the relay" before a relay's name.

#include <cstddef>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace relaycheck {

class Names {
 public:
  explicit Names(const Config& config);

  const std::string& domain(std::size_t d) const { return domains_[d]; }
  const std::string& relay(std::size_t d, std::size_t r) const { return relays_[d][r]; }

 private:
  std::vector<std::string> domains_;
  std::vector<std::vector<std::string>> relays_;
};

}  // namespace relaycheck
