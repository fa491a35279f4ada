#pragma once
/// The analysis report: what `analyze` answers, as a document for the page and as text for people.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "config/finding.hpp"

namespace relaycheck {

/// Runs every analysis on a loaded config and builds the report document: `findings` (sorted),
/// `summary` counts, `hasErrors`, and the normalised `config` (never with a password).
nlohmann::json analyze_config(const LoadedConfig& loaded);

/// The report as a person reads it: findings grouped by account, domain and relay, each with its
/// fix.
std::string format_report_text(const nlohmann::json& report);

}  // namespace relaycheck
