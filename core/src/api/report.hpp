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

/// Throws RequestError response.too_large when `findings` and `outcome_paths` paths alone cannot
/// fit in kMaxResponseBytes, counted at the fewest bytes the report writes for them, so that an
/// answer that must be refused is refused before it is built (analyze_config calls it).
void refuse_too_large(const std::vector<Finding>& findings, std::size_t outcome_paths);

/// The report as a person reads it: findings grouped by account, domain and relay, each with its
/// fix.
std::string format_report_text(const nlohmann::json& report);

}  // namespace relaycheck
