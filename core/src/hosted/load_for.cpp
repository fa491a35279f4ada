// hosted::load_for: the data file is parsed only for a config that can use it.
#include "config/config.hpp"
#include "config/data.hpp"
#include "hosted/hosted.hpp"

namespace relaycheck::hosted {
namespace {

bool may_be_hosted(std::string_view host) {
  for (std::size_t i = 0; i < data::hosted_host_pattern_count; ++i) {
    if (host_matches(data::hosted_host_patterns[i], host)) return true;
  }
  return false;
}

}  // namespace

Catalog load_for(const Config& config) {
  for (const Domain& domain : config.domains) {
    for (const Relay& relay : domain.relays) {
      if (may_be_hosted(relay.host)) return load();
    }
  }
  return Catalog{};
}

}  // namespace relaycheck::hosted
