#pragma once
/// The relay setup rules: every check an admin needs before the first email goes out, each a
/// finding with a stable code. core/rules.md documents every code.

#include <vector>

#include "relaycheck/config.hpp"
#include "relaycheck/finding.hpp"

namespace relaycheck {

/// Checks domains, relays, ports and TLS, email-type routing, return paths and daily limits.
std::vector<Finding> check_setup(const Config& config);

}  // namespace relaycheck
