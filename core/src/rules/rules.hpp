#pragma once
/// The relay setup rules: every check an admin needs before the first email goes out, each a
/// finding with a stable code. core/rules.md documents every code.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "config/finding.hpp"
#include "ip/ip.hpp"

namespace relaycheck {

/// The ports the CRM connects to a relay on (the domain source); any other is
/// relay.port.unsupported.
inline constexpr std::array kRelayPorts{25, 465, 587};

/// Checks domains, relays, ports and TLS, email-type routing, return paths and daily limits.
/// When `whitelist` is given, it receives the whitelist part of the report: the CRM's ranges a
/// relay must admit ("dataCenter", "ranges"), the snippets that add them to a relay
/// ("snippets": plain, postfix, exim, sendmail, exchange), and the check of every relay that
/// authenticates by IP ("relays").
std::vector<Finding> check_setup(const Config& config, nlohmann::json* whitelist = nullptr);

/// Every domain's name in both forms, for the report: [{"name": as written, "ascii": A-labels,
/// "unicode": U-labels}], with null forms when the name is not valid.
nlohmann::json domain_forms(const Config& config);

namespace rules {
/// The special-purpose block `address` lies in, described ("10.0.0.0/8, a private network (RFC
/// 1918)"), or nullopt for a public address: the table the static relay rules use, also for the
/// addresses a relay host resolves to (dns::relay_dns_findings).
std::optional<std::string> describe_reserved(const ip::Address& address);
}  // namespace rules

}  // namespace relaycheck
