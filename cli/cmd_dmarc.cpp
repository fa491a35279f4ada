// `relaycheck dmarc parse RECORD`: a DMARC record read as RFC 9989 says, as the façade's JSON: the
// tags with defaults applied, or the reasons it is not valid.
#include <string>

#include "cli.hpp"
#include "commands.hpp"
#include "relaycheck/facade.hpp"

namespace relaycheck::cli {

int run_dmarc_parse(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--domain", "--zone", "--format"}, {});
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
  nlohmann::json request{{"record", record}};
  if (args.has("--domain")) request["domain"] = args.value("--domain");
  // The zone goes to core as text, so that core can name the line of a JSON syntax error.
  if (args.has("--zone")) {
    if (!args.has("--domain")) {
      throw Unusable("--zone needs --domain: the domain the record is published for");
    }
    request["zone"] = read_input(args.value("--zone"));
  }
  const std::string body = request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const nlohmann::json response = nlohmann::json::parse(call("dmarc.parse", body));
  if (!response.value("ok", false)) {
    const auto& error = response["error"];
    const std::string path = error.value("path", "");
    std::string where;
    if (path.rfind("/zone", 0) == 0) {
      where = args.value("--zone") + (path.size() > 5 ? ": " + path.substr(5) : "");
    } else if (path == "/domain") {
      where = "--domain";
    } else if (path.rfind("/record", 0) == 0) {
      where = "RECORD";
    } else {
      where = path;
    }
    throw Unusable((where.empty() ? "" : where + ": ") + error.value("message", "unknown error"));
  }
  const nlohmann::json& result = response["result"];
  print(result.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  return result.value("valid", false) ? kAnswered : kAnsweredNo;
}

}  // namespace relaycheck::cli
