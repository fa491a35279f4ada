#pragma once
// Shared pieces of the relay setup rules (rules.cpp, rules_relay.cpp, rules_return_path.cpp).
// Private to core: the public entry point is check_setup in relaycheck/rules.hpp.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "config/finding.hpp"
#include "config/names.hpp"
#include "ip/ip.hpp"
#include "rules/crm_networks.hpp"
#include "text/hostname.hpp"
#include "text/quote.hpp"

namespace relaycheck::rules {

std::string domain_path(std::size_t domain);
std::string relay_path(std::size_t domain, std::size_t relay);

/// What a relay's host field holds once read: an IP literal, a host name, or nothing usable
/// (the host rules have already reported why).
struct RelayHost {
  std::optional<ip::Address> address;
  std::optional<HostName> name;
  /// The normalised form, for comparing hosts: canonical address or lowercased ASCII name.
  std::string key;
};

/// Reads a relay's host the way the host rules do, without reporting anything.
RelayHost read_relay_host(const std::string& host);

/// Host, port, TLS, certificate, authentication, whitelist, return-path rewriting and daily
/// limit rules of one relay. `required`: the CRM's ranges a whitelist must admit. The whitelist
/// check of an IP-authenticated relay is appended to `whitelist_results` when it is given.
void check_relay(const crm::RequiredNetworks& required, const Relay& relay, const std::string& path,
                 std::vector<Finding>& out, nlohmann::json* whitelist_results = nullptr);

/// Return path and bounce rules of one domain (which has at least one relay). `relay_domains`:
/// the ASCII names of the configured domains that have a relay (a custom return path belongs
/// under one of them).
void check_return_path(const Config& config, const Names& names,
                       const std::vector<std::string>& relay_domains, std::size_t domain,
                       std::vector<Finding>& out);

}  // namespace relaycheck::rules
