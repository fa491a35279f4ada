// The façade methods that work on a whole config: analyze, example.
#include <nlohmann/json.hpp>

#include "relaycheck/config.hpp"
#include "relaycheck/data.hpp"
#include "relaycheck/methods.hpp"
#include "relaycheck/report.hpp"
#include "relaycheck/request_error.hpp"

namespace relaycheck::methods {
namespace {

using json = nlohmann::json;

/// The request's config: a JSON object, or JSON text (so that core can name the line of a syntax error).
LoadedConfig request_config(const json& request) {
  auto it = request.find("config");
  if (it == request.end()) {
    throw RequestError("request.missing_field", "the request has no \"config\"", "/config");
  }
  if (it->is_string()) return load_config_text(it->get_ref<const std::string&>());
  if (it->dump().size() > kMaxConfigBytes) {
    throw RequestError("config.too_large", "the config is larger than the limit of " +
                                               std::to_string(kMaxConfigBytes) + " bytes");
  }
  return load_config(*it);
}

}  // namespace

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
