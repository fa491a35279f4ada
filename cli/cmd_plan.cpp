#include "cli.hpp"
#include "commands.hpp"

namespace relaycheck::cli {

int run_plan(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--format"}, {});
  const std::string format = format_option(args, {"text", "json", "csv"});
  if (args.positional.size() != 1) throw Unusable("expected one CONFIG.json (or - for stdin)");
  const std::string& path = args.positional[0];
  // The config goes to core as text, so that core can name the line of a JSON syntax error.
  nlohmann::json request{{"config", read_input(path)}, {"format", format}};
  nlohmann::json result = call_facade("plan", request, path);
  if (format == "json") {
    print(result.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  } else {
    print(result.value(format, ""));
  }
  return result.value("hasErrors", false) ? kAnsweredNo : kAnswered;
}

}  // namespace relaycheck::cli
