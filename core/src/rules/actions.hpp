#pragma once
/// What a finding's fix asks the admin to do with one of relaycheck's own tools, as data: the
/// page renders it as a link to the tool (the whitelist panel's snippet), the CLI's text report
/// as the command line. Fix text never holds a command line.

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "config/finding.hpp"

namespace relaycheck::rules {

/// The action of a finding of the analysis, or null when its fix needs none. The one kind so far:
///   {"kind": "whitelist", "dataCenter": "US", "snippetKind": "allow-connection" | "grant-relay",
///    "snippetFormat": "postfix" (optional), "ranges": "config" (optional: the config's own CRM
///    ranges replace the built-in table)}
/// — the CRM's ranges as a relay snippet of that kind (and format), from the whitelist panel or
/// `relaycheck whitelist`.
nlohmann::json finding_action(const Finding& finding, const Config& config);

}  // namespace relaycheck::rules
