// The façade methods that work on a whole config: analyze, example.
#include <nlohmann/json.hpp>

#include "api/config_request.hpp"
#include "api/methods.hpp"
#include "api/report.hpp"
#include "api/request_error.hpp"
#include "config/config.hpp"
#include "config/data.hpp"

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

json example(const json&) { return json{{"config", json::parse(data::example_config)}}; }

}  // namespace relaycheck::methods
