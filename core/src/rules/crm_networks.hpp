#pragma once
/// The CRM's source ranges per data centre: versioned data (core/data/crm-networks.json, from the
/// table in the domain source) compiled into core, aggregated on the way out. Ranges change and
/// the CRM runs data centres beyond the five of the source, so an admin can paste a list instead.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/finding.hpp"
#include "ip/prefix_set.hpp"

namespace relaycheck::crm {

/// Where the compiled-in table comes from.
struct NetworksInfo {
  int version = 0;
  std::string date;    ///< when the table was taken from its source (YYYY-MM-DD)
  std::string source;  ///< the document it was taken from
};

NetworksInfo networks_info();

/// The data centres of the table, in its order ("US", "EU", "IN", "AU", "CN").
std::vector<std::string> data_centers();

/// The CRM's web address of data centre `name` (case-insensitive) in the table, e.g.
/// "crm.zoho.eu"; empty when the table has no such data centre.
std::string data_center_host(std::string_view name);

/// The ranges of data centre `name` (case-insensitive), aggregated; nullopt when the table has
/// no such data centre.
std::optional<ip::PrefixSet> data_center_networks(std::string_view name);

/// The ranges a relay must admit, and the problems of a pasted list.
struct RequiredNetworks {
  ip::PrefixSet networks;
  /// "US" etc., or "custom" for a pasted list: named in messages and snippets.
  std::string label;
  std::vector<Finding> findings;
};

/// The pasted list `custom` when it is not empty (each entry strict; a bad one is an error
/// finding at `pointer`/INDEX and is left out), else data centre `name`'s ranges; an unknown
/// data centre without a list is an error finding at `pointer` and an empty set.
RequiredNetworks required_networks(std::string_view name, const std::vector<std::string>& custom,
                                   std::string_view pointer);

}  // namespace relaycheck::crm
