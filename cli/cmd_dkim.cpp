// `relaycheck dkim parse RECORD`: the verdict on a DKIM key record, as the façade's JSON.
#include <string>

#include "cli.hpp"
#include "command_input.hpp"
#include "commands.hpp"

namespace relaycheck::cli {

int run_dkim_parse(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--format"}, {});
  format_option(args, {"json"});
  const std::string record = record_argument(args);
  const nlohmann::json result = call_facade("dkim.parse", nlohmann::json{{"record", record}}, "");
  print(result.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  return result.value("verdict", "") == "ok" ? kAnswered : kAnsweredNo;
}

}  // namespace relaycheck::cli
