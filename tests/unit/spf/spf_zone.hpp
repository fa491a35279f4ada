#pragma once
// Zone documents for the tests that read DNS data (spf/, dmarc/, orgdomain/): records written as
// the JSON zone map, loaded into a view that a failing test explains. Tests in other folders
// include it as "../spf/spf_zone.hpp".

#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "spf/dns_view.hpp"

namespace relaycheck::testing {

inline spf::ZoneView zone(const nlohmann::json& doc,
                          spf::MissingName missing = spf::MissingName::nxdomain) {
  auto loaded = spf::ZoneView::load(doc, missing);
  INFO(loaded.error << " at " << loaded.path);
  REQUIRE(loaded);
  return std::move(*loaded.zone);
}

/// A TXT record of one string.
inline nlohmann::json txt(const std::string& text) {
  return nlohmann::json{{"type", "TXT"}, {"data", nlohmann::json::array({text})}};
}

/// A TXT record of several strings, which receivers join.
inline nlohmann::json txt_strings(const std::vector<std::string>& strings) {
  return nlohmann::json{{"type", "TXT"}, {"data", strings}};
}

inline nlohmann::json a(const std::string& address) {
  return nlohmann::json{{"type", "A"}, {"data", address}};
}

/// The records at a `_dmarc.` name: one DMARC record with `tags` after the version.
inline nlohmann::json dmarc_rrset(const std::string& tags = "p=none") {
  return nlohmann::json::array({txt("v=DMARC1; " + tags)});
}

}  // namespace relaycheck::testing
