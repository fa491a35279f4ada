#pragma once
/// The analysis report: what `analyze` answers, as a document for the page and as text for people.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "config/finding.hpp"

namespace relaycheck {

/// Runs every analysis on a loaded config and writes the report as JSON text: `findings`
/// (sorted), `summary` counts, `hasErrors`, the plan, the outcomes, the DNS panel, and the
/// normalised `config` (never with a password). Written as it goes, without a tree: for 30
/// domains × 3 relays the report is most of a megabyte (text/json_writer.hpp says why).
/// Appended to `out` (the façade's answer, which already holds its opening).
void write_report(const LoadedConfig& loaded, std::string& out);

/// The same report as a document, for the renderers and the text report.
nlohmann::json analyze_config(const LoadedConfig& loaded);

/// Throws RequestError response.too_large when `findings` and `outcome_paths` paths alone cannot
/// fit in kMaxResponseBytes, counted at the fewest bytes the report writes for them, so that an
/// answer that must be refused is refused before it is built (analyze_config calls it).
/// Returns that count, the least the report will take.
std::size_t refuse_too_large(const std::vector<Finding>& findings, std::size_t outcome_paths);

/// The report as a person reads it: findings grouped by account, domain and relay, each with its
/// fix.
std::string format_report_text(const nlohmann::json& report);

}  // namespace relaycheck
