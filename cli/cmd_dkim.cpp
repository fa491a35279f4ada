// `relaycheck dkim parse RECORD`: the verdict on a DKIM key record, as the façade's JSON.
#include <string>

#include "cli.hpp"
#include "commands.hpp"

namespace relaycheck::cli {

int run_dkim_parse(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--format"}, {});
  format_option(args, {"json"});
  if (args.positional.size() != 1) {
    throw Unusable(
        "expected one RECORD, quoted as one argument (or - to read it from standard input)");
  }
  std::string record = args.positional[0];
  if (record == "-") {
    record = read_input("-");
    // A record read from a file or a pipe ends with the line break that ended its line.
    while (!record.empty() && (record.back() == '\n' || record.back() == '\r')) record.pop_back();
  }
  const nlohmann::json result = call_facade("dkim.parse", nlohmann::json{{"record", record}}, "");
  print(result.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  return result.value("verdict", "") == "ok" ? kAnswered : kAnsweredNo;
}

}  // namespace relaycheck::cli
