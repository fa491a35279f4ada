#include <iostream>

#include "cli.hpp"
#include "commands.hpp"
#include "relaycheck/facade.hpp"

namespace relaycheck::cli {

int run_analyze(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--format"}, {});
  const std::string format = format_option(args, {"text", "json"});
  if (args.positional.size() != 1) throw Unusable("expected one CONFIG.json (or - for stdin)");
  const std::string& path = args.positional[0];
  // The config goes to core as text, so that core can name the line of a JSON syntax error.
  nlohmann::json request{{"config", read_input(path)}, {"format", format}};
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
  Args args = parse_args(argc, argv, first, {}, {});
  if (args.positional.size() != 1) throw Unusable("expected one METHOD; the request is read from stdin");
  const std::string response = call(args.positional[0], read_input("-"));
  print(response + "\n");
  return nlohmann::json::parse(response).value("ok", false) ? kAnswered : kUnusable;
}

}  // namespace relaycheck::cli
