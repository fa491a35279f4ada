// The tables compiled from core/data by core/tools/data_tables.py hold exactly what the data
// files say, and an analysis reads the hosted-services file only when a relay can be one.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "config/data.hpp"
#include "hosted/hosted.hpp"

using namespace relaycheck;

TEST_CASE("The compiled data centres are those of crm-networks.json, in its order") {
  const auto file = nlohmann::ordered_json::parse(data::crm_networks);
  const auto& centres = file.at("dataCenters");
  REQUIRE(data::crm_data_center_count == centres.size());
  std::size_t i = 0;
  for (const auto& item : centres.items()) {
    const data::CrmDataCenter& compiled = data::crm_data_centers[i++];
    CHECK(compiled.name == item.key());
    CHECK(compiled.host == item.value().at("host").get<std::string>());
    const auto& ranges = item.value().at("ranges");
    REQUIRE(compiled.range_count == ranges.size());
    for (std::size_t r = 0; r < ranges.size(); ++r) {
      CHECK(compiled.ranges[r] == ranges[r].get<std::string>());
    }
  }
  CHECK(data::crm_networks_version == file.at("version").get<int>());
  CHECK(data::crm_networks_date == file.at("date").get<std::string>());
  CHECK(data::crm_networks_source == file.at("source").get<std::string>());
}

TEST_CASE("The compiled host patterns are every pattern of hosted-relays.json") {
  std::vector<std::string> expected;
  for (const auto& service : hosted::load().services) {
    for (const auto& host : service.hosts) expected.push_back(host.pattern);
  }
  REQUIRE(data::hosted_host_pattern_count == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(data::hosted_host_patterns[i] == expected[i]);
  }
}

TEST_CASE("An analysis reads the hosted services only for a relay that can be one") {
  Config config;
  config.domains.emplace_back();
  config.domains[0].relays.emplace_back();
  config.domains[0].relays[0].host = "smtp.zylker.com";
  CHECK(hosted::load_for(config).services.empty());

  config.domains[0].relays.emplace_back();
  config.domains[0].relays[1].host = "email-smtp.eu-west-1.amazonaws.com";
  const hosted::Catalog catalog = hosted::load_for(config);
  CHECK(catalog.services.size() == hosted::load().services.size());
  REQUIRE(hosted::match(catalog, "email-smtp.eu-west-1.amazonaws.com") != nullptr);

  config.domains[0].relays[1].host = "SMTP.SendGrid.net.";
  CHECK_FALSE(hosted::load_for(config).services.empty());
}
