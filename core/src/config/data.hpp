#pragma once
/// Data files compiled into core (see relaycheck_embed in core/CMakeLists.txt).

#include <cstddef>
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

/// Every IANA time-zone name (Zones and Links of Debian's tzdata), one a line after `#` header
/// lines (core/data/timezones.txt, written by scripts/gen-timezones).
extern const std::string_view timezones;

// Tables read on every call, compiled from the same files into constants by
// core/tools/data_tables.py (see its header for why: parsing them per call cost as much as the
// analysis).

/// One data centre of core/data/crm-networks.json, in the file's order.
struct CrmDataCenter {
  std::string_view name;           ///< "US"
  std::string_view host;           ///< the CRM's web address there: "crm.zoho.com"
  const std::string_view* ranges;  ///< the ranges as the source lists them
  std::size_t range_count;
};
extern const CrmDataCenter crm_data_centers[];
extern const std::size_t crm_data_center_count;
extern const int crm_networks_version;
extern const std::string_view crm_networks_date;
extern const std::string_view crm_networks_source;

/// Every host pattern of core/data/hosted-relays.json, so that an analysis parses that file
/// only when a relay's host can be a hosted service.
extern const std::string_view hosted_host_patterns[];
extern const std::size_t hosted_host_pattern_count;

}  // namespace relaycheck::data
