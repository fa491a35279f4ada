// `relaycheck org-domain [--method psl|tree-walk --zone ZONE.json] NAME`: call the façade's
// orgDomain method and print the organizational domain, or an empty line when there is none.
#include <iostream>

#include "cli.hpp"
#include "command_input.hpp"
#include "commands.hpp"

namespace relaycheck::cli {
int run_org_domain(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--method", "--zone", "--format"}, {});
  const std::string format = format_option(args, {"text", "json"});
  if (args.positional.size() != 1) throw Unusable("expected one NAME (see --help)");
  const std::string method = args.value("--method", "psl");
  if (method != "psl" && method != "tree-walk") {
    throw Unusable("unknown --method '" + method + "'; choose one of: psl, tree-walk");
  }
  nlohmann::json request{{"name", args.positional[0]}, {"method", method}};
  if (method == "tree-walk") {
    if (!args.has("--zone"))
      throw Unusable("--method tree-walk needs --zone ZONE.json (the _dmarc TXT records)");
    // The zone goes to core as text, so that core can name the line of a JSON syntax error.
    request["zone"] = read_input(args.value("--zone"));
  } else if (args.has("--zone")) {
    throw Unusable(
        "--zone is read by --method tree-walk only; the Public Suffix List needs no DNS data");
  }
  const nlohmann::json result = call_facade_naming("orgDomain", request, args, {{"/name", "NAME"}});
  if (format == "json") {
    print(result.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    return kAnswered;
  }
  // A zone with a TIMEOUT on the walk leaves the answer open: that is no answer, not "none".
  if (!result.value("complete", true))
    throw Unusable("no answer: " + result.value("reason", "the walk is incomplete"));
  const auto& org = result["organizationalDomain"];
  print((org.is_string() ? org.get<std::string>() : std::string()) + "\n");
  return kAnswered;
}

}  // namespace relaycheck::cli
