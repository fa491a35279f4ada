// The façade's export method: `report.render`, the analysis as a report for a change ticket
// (export/document.hpp states the model).
#include <nlohmann/json.hpp>

#include "api/config_request.hpp"
#include "api/methods.hpp"
#include "api/report.hpp"
#include "api/request_reader.hpp"
#include "export/document.hpp"

namespace relaycheck::methods {

using json = nlohmann::json;

json report_render(const json& request) {
  const std::string format = choice_field(request, "format", {"markdown", "html"}, "html");
  const json report = analyze_config(request_config(request));
  const exports::Document document = exports::build_document(report);
  const bool html = format == "html";
  return json{{"text", html ? exports::write_html(document) : exports::write_markdown(document)},
              {"filename", exports::file_name(report, html ? "html" : "md")},
              {"mediaType", html ? "text/html;charset=utf-8" : "text/markdown;charset=utf-8"},
              {"format", format},
              {"summary", report.at("summary")},
              {"hasErrors", report.at("hasErrors")}};
}

}  // namespace relaycheck::methods
