#pragma once
// Zone documents for the SPF tests (test_spf.cpp, test_spf_lint.cpp): records written as the
// JSON zone map, loaded into a view that a failing test explains.

#include <string>
#include <utility>

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

inline nlohmann::json txt(const std::string& text) {
  return nlohmann::json{{"type", "TXT"}, {"data", nlohmann::json::array({text})}};
}

inline nlohmann::json a(const std::string& address) {
  return nlohmann::json{{"type", "A"}, {"data", address}};
}

}  // namespace relaycheck::testing
