// The façade methods that work on a whole config: analyze, example.
#include <nlohmann/json.hpp>

#include "api/config_request.hpp"
#include "api/methods.hpp"
#include "api/report.hpp"
#include "api/request_error.hpp"
#include "config/config.hpp"
#include "config/data.hpp"
#include "text/json_writer.hpp"

namespace relaycheck::methods {

using json = nlohmann::json;

void analyze(const json& request, std::string& out) {
  const LoadedConfig loaded = request_config(request);
  const std::string format = request.value("format", "json");
  if (format == "json") {
    write_report(loaded, out);
    return;
  }
  if (format != "text") {
    throw RequestError("request.bad_value", "\"format\" must be \"json\" or \"text\"", "/format");
  }
  json report = analyze_config(loaded);
  report["text"] = format_report_text(report);
  out += text::json_text(report);
}

json example(const json&) { return json{{"config", json::parse(data::example_config)}}; }

}  // namespace relaycheck::methods
