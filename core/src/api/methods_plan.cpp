// The façade method `plan`: the day plan of a config alone, as JSON, text or CSV.
#include <nlohmann/json.hpp>

#include "api/config_request.hpp"
#include "api/methods.hpp"
#include "api/request_error.hpp"
#include "plan/plan.hpp"

namespace relaycheck::methods {

nlohmann::json plan(const nlohmann::json& request) {
  const std::string format = request.value("format", "json");
  if (format != "json" && format != "text" && format != "csv") {
    throw RequestError("request.bad_value", "\"format\" must be \"json\", \"text\" or \"csv\"",
                       "/format");
  }
  const LoadedConfig loaded = request_config(request);
  const relaycheck::plan::Plan day = relaycheck::plan::make_plan(loaded.config);
  std::vector<Finding> findings = loaded.findings;
  add_derived(findings, day.findings, loaded.findings);
  sort_findings(findings);
  nlohmann::json result = nlohmann::json::object();
  result["summary"] = severity_counts(findings);
  result["hasErrors"] = has_errors(findings);
  // Moved in, not copied: the plan document is the bulk of the response.
  result["plan"] = relaycheck::plan::to_json(day, loaded.config);
  if (format == "text") {
    // The config's own findings too: they explain a surprising plan.
    result["text"] = relaycheck::plan::format_plan_text(day, loaded.config, findings);
  } else if (format == "csv") {
    result["csv"] = relaycheck::plan::format_plan_csv(day, loaded.config);
  }
  result["findings"] = findings;
  return result;
}

}  // namespace relaycheck::methods
