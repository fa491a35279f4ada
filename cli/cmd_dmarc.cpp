// `relaycheck dmarc parse RECORD`: a DMARC record read as RFC 9989 says, as the façade's JSON: the
// tags with defaults applied, or the reasons it is not valid.
#include <string>

#include "cli.hpp"
#include "command_input.hpp"
#include "commands.hpp"

namespace relaycheck::cli {

int run_dmarc_parse(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--domain", "--zone", "--format"}, {});
  format_option(args, {"json"});
  const std::string record = record_argument(args);
  nlohmann::json request{{"record", record}};
  if (args.has("--domain")) request["domain"] = args.value("--domain");
  // The zone goes to core as text, so that core can name the line of a JSON syntax error.
  if (args.has("--zone")) {
    if (!args.has("--domain")) {
      throw Unusable("--zone needs --domain: the domain the record is published for");
    }
    request["zone"] = read_input(args.value("--zone"));
  }
  const nlohmann::json result = call_facade_naming(
      "dmarc.parse", request, args, {{"/domain", "--domain"}, {"/record", "RECORD"}});
  print(result.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  return result.value("valid", false) ? kAnswered : kAnsweredNo;
}

}  // namespace relaycheck::cli
