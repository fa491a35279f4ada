#pragma once
/// Data files compiled into core (see relaycheck_embed in core/CMakeLists.txt).

#include <string_view>

namespace relaycheck::data {

/// The worked example of the domain source: zylker.com on the US data centre
/// (core/data/example-zylker.json).
extern const std::string_view example_config;

/// The CRM's outbound ranges per data centre (core/data/crm-networks.json).
extern const std::string_view crm_networks;

/// Well-known hosted SMTP services, their documented rules and sources
/// (core/data/hosted-relays.json).
extern const std::string_view hosted_relays;

}  // namespace relaycheck::data
