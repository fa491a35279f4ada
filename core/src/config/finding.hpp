#pragma once
/// Findings: the one shape in which relaycheck reports a problem with a configuration.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace relaycheck {
namespace text {
class JsonWriter;
}

/// How bad a finding is. Declaration order is report order: errors first.
enum class Severity { error, warning, info };

std::string_view to_string(Severity severity);

/// One problem: a stable dotted `code`, a severity, a JSON Pointer to the field it is about,
/// a message that says what will happen to the mail, and a fix that says what to change.
struct Finding {
  std::string code;
  Severity severity = Severity::error;
  std::string path;
  std::string message;
  std::string fix;
};

/// The report's order: by severity, then path, then code.
bool finding_before(const Finding& a, const Finding& b);

/// Sorts findings by finding_before (stable), so that reports are stable and diffable.
void sort_findings(std::vector<Finding>& findings);

/// True when any finding is an error.
bool has_errors(const std::vector<Finding>& findings);

/// {"code", "severity", "path", "message", "fix"}: as a tree, and written as JSON text by a
/// report's writer (the second for the large parts of a report; a test holds them equal).
void to_json(nlohmann::json& out, const Finding& finding);
void write_json(text::JsonWriter& w, const Finding& finding);
/// An array of write_json's objects.
void write_json(text::JsonWriter& w, const std::vector<Finding>& findings);

/// Appends to `findings` those of `derived` (findings of an analysis of the loaded model) that are
/// not about a field that `loader` (the loader's findings) reports as an error, at or below its
/// path: the model holds a default in place of such a value, so a finding there would be about
/// the default, not about what was written. The loader's error stands alone.
void add_derived(std::vector<Finding>& findings, const std::vector<Finding>& derived,
                 const std::vector<Finding>& loader);

/// {"errors": n, "warnings": n, "infos": n}.
nlohmann::json severity_counts(const std::vector<Finding>& findings);

/// Escapes one reference token for a JSON Pointer (RFC 6901: `~` → `~0`, `/` → `~1`).
std::string pointer_token(std::string_view token);

}  // namespace relaycheck
