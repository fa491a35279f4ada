#include <iostream>

#include "cli.hpp"
#include "commands.hpp"
#include "live_dns.hpp"
#include "relaycheck/facade.hpp"

namespace relaycheck::cli {

int run_analyze(int argc, char** argv, int first) {
  std::set<std::string> options = kLiveValueOptions;
  options.insert("--format");
  Args args = parse_args(argc, argv, first, options, {"--live", "--missing-only"});
  const std::string format = format_option(args, {"text", "json", "markdown", "html"});
  if (args.positional.size() != 1) throw Unusable("expected one CONFIG.json (or - for stdin)");
  const std::string& path = args.positional[0];
  // The config goes to core as text, so that core can name the line of a JSON syntax error.
  std::string config = read_input(path);
  if (args.flag("--live")) {
    config = fetch_config(args, config, path).dump();
  } else {
    reject_live_options_without_live(args);
  }
  nlohmann::json request{{"config", config}, {"format", format}};
  if (format == "markdown" || format == "html") {
    const nlohmann::json report = call_facade("report.render", request, path);
    print(report.value("text", ""));
    return report.value("hasErrors", false) ? kAnsweredNo : kAnswered;
  }
  nlohmann::json result = call_facade("analyze", request, path);
  if (format == "text") {
    print(result.value("text", ""));
  } else {
    result.erase("text");
    print(result.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  }
  return result.value("hasErrors", false) ? kAnsweredNo : kAnswered;
}

int run_api(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--attach", "--attachment-out"}, {});
  if (args.positional.size() != 1)
    throw Unusable("expected one METHOD; the request is read from stdin");
  const auto named = [&](const char* option) {
    const auto it = args.values.find(option);
    return it == args.values.end() ? std::vector<std::string>{} : it->second;
  };
  const std::vector<std::string> inputs = named("--attach");
  const std::vector<std::string> outputs = named("--attachment-out");
  for (const auto& path : inputs) {
    if (path == "-") throw Unusable("standard input holds the request: give --attach a file");
  }
  const std::string request = read_input("-");
  if (inputs.empty() && outputs.empty()) {
    const std::string response = call(args.positional[0], request);
    print(response);
    print("\n");
    return answered(response) ? kAnswered : kUnusable;
  }
  std::vector<std::string> attachments;
  for (const auto& path : inputs) attachments.push_back(read_input(path));
  Response response = call(args.positional[0], request, std::move(attachments));
  if (response.attachments.size() > outputs.size()) {
    const std::size_t n = response.attachments.size();
    throw Unusable("the response has " + std::to_string(n) +
                   (n == 1 ? " attachment" : " attachments") +
                   ": name a file for each with --attachment-out");
  }
  for (std::size_t k = 0; k < response.attachments.size(); ++k)
    write_output(outputs[k], response.attachments[k]);
  print(response.document);
  print("\n");
  return answered(response.document) ? kAnswered : kUnusable;
}

}  // namespace relaycheck::cli
