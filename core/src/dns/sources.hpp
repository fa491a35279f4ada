#pragma once
/// Where the config's `dns` section says a name's records came from: typed into the config, or
/// fetched by live DNS (`relaycheck dns fetch` and the page's "Check live DNS" write `fetched`, the
/// time, and `resolver`, who answered, on every record they fetch). One home for reading those
/// fields: the DNS panel shows each record's source (api/report_dns.cpp), and the relay checks
/// ask which resolver answered a host's addresses (relay_dns.cpp: a resolver inside the admin's
/// network may answer with an internal view).
///
/// Owner names are compared as the zone loader compares them (spf::normalize_name: case and a
/// final dot aside), and a name listed under several spellings is read in the order listed, as
/// the loader merges them.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace relaycheck::dns {

struct RecordSource {
  enum class Kind { config, live, unknown };
  Kind kind = Kind::unknown;  ///< unknown: the section has no record of the kind asked for
  /// live: when it was fetched and who answered, as far as the record says (a record with either
  /// is live).
  std::optional<std::string> fetched;
  std::optional<std::string> resolver;
};

/// The `dns` section indexed by owner name, built once: a config may list thousands of names, and
/// the panel looks one up per record it shows.
class DnsSources {
 public:
  explicit DnsSources(const nlohmann::json& section);

  /// The source of the first record at `name` whose type is one of `types`, or that answers for
  /// the whole name (NXDOMAIN, NODATA, CNAME).
  RecordSource source(std::string_view name, std::initializer_list<std::string_view> types) const;

 private:
  std::unordered_map<std::string, std::vector<const nlohmann::json*>> owners_;
};

}  // namespace relaycheck::dns
