// The façade methods that work on a whole config: analyze, example.
#include <nlohmann/json.hpp>

#include "relaycheck/config.hpp"
#include "relaycheck/config_request.hpp"
#include "relaycheck/data.hpp"
#include "relaycheck/methods.hpp"
#include "relaycheck/report.hpp"
#include "relaycheck/request_error.hpp"

namespace relaycheck::methods {

using json = nlohmann::json;

json analyze(const json& request) {
  json report = analyze_config(request_config(request));
  const std::string format = request.value("format", "json");
  if (format == "text") {
    report["text"] = format_report_text(report);
  } else if (format != "json") {
    throw RequestError("request.bad_value", "\"format\" must be \"json\" or \"text\"", "/format");
  }
  return report;
}

json example(const json&) {
  return json{{"config", json::parse(data::example_config)}};
}

}  // namespace relaycheck::methods
