// `relaycheck cidr parse|aggregate|missing|contains` and `relaycheck whitelist`: read lists
// (one entry a line, from a file or -), call the address engine's façade methods, print.
#include <string>

#include "cli.hpp"
#include "commands.hpp"
#include "relaycheck/facade.hpp"

namespace relaycheck::cli {
namespace {

using nlohmann::json;

/// Calls the façade; an error becomes Unusable with core's message alone, which already names
/// the file, line, entry and reason (the JSON Pointer into the request means nothing here).
json call_core(const std::string& method, const json& request) {
  const std::string body = request.dump(-1, ' ', false, json::error_handler_t::replace);
  const json response = json::parse(call(method, body));
  if (response.value("ok", false)) return response.at("result");
  throw Unusable(response.at("error").value("message", "unknown error"));
}

/// A list file as the façade reads it: core names the file and line of a bad entry.
json list_request(const std::string& path) {
  return json{{"text", read_input(path)}, {"source", path == "-" ? "standard input" : path}};
}

/// Prints the façade's document for --format json, or one canonical CIDR a line.
void print_prefixes(const json& result, const std::string& format) {
  if (format == "json") {
    print(result.dump(2) + "\n");
    return;
  }
  std::string out;
  for (const auto& p : result.at("prefixes")) out += p.get<std::string>() + "\n";
  print(out);
}

}  // namespace

int run_cidr_parse(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--format"}, {"--lenient"});
  const std::string format = format_option(args, {"text", "json"});
  if (args.positional.size() != 1) throw Unusable("expected one TEXT, e.g. 192.0.2.0/24");
  const json result =
      call_core("cidr.parse", {{"text", args.positional[0]}, {"lenient", args.flag("--lenient")}});
  print(format == "json" ? result.dump(2) + "\n" : result.at("prefix").get<std::string>() + "\n");
  return kAnswered;
}

int run_cidr_aggregate(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--format"}, {"--lenient"});
  const std::string format = format_option(args, {"text", "json"});
  if (args.positional.size() > 1) throw Unusable("expected at most one FILE (or - for stdin)");
  json request = list_request(args.positional.empty() ? "-" : args.positional[0]);
  request["lenient"] = args.flag("--lenient");
  print_prefixes(call_core("cidr.aggregate", request), format);
  return kAnswered;
}

int run_cidr_missing(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--required", "--allowed", "--format"}, {"--lenient"});
  const std::string format = format_option(args, {"text", "json"});
  if (!args.has("--required") || !args.has("--allowed")) {
    throw Unusable("expected --required FILE and --allowed FILE");
  }
  if (!args.positional.empty()) throw Unusable("unexpected argument '" + args.positional[0] + "'");
  if (args.value("--required") == "-" && args.value("--allowed") == "-") {
    throw Unusable("only one of --required and --allowed can be standard input");
  }
  const json request{{"required", list_request(args.value("--required"))},
                     {"allowed", list_request(args.value("--allowed"))},
                     {"lenient", args.flag("--lenient")}};
  print_prefixes(call_core("cidr.missing", request), format);
  return kAnswered;
}

int run_cidr_contains(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--set", "--format"}, {"--lenient"});
  const std::string format = format_option(args, {"text", "json"});
  if (!args.has("--set")) throw Unusable("expected --set FILE");
  if (args.positional.empty()) throw Unusable("expected at least one ADDRESS");
  const json request{{"set", list_request(args.value("--set"))},
                     {"addresses", args.positional},
                     {"lenient", args.flag("--lenient")}};
  const json result = call_core("cidr.contains", request);
  if (format == "json") {
    print(result.dump(2) + "\n");
    return kAnswered;
  }
  std::string out;
  for (const auto& r : result.at("results")) {
    out += r.at("address").get<std::string>() + (r.at("contained").get<bool>() ? " yes\n" : " no\n");
  }
  print(out);
  return kAnswered;
}

int run_whitelist(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--dc", "--ranges", "--format"}, {});
  const std::string format =
      format_option(args, {"plain", "postfix", "exim", "sendmail", "exchange", "json"});
  if (args.has("--dc") == args.has("--ranges")) {
    throw Unusable("expected --dc US|EU|IN|AU|CN, or --ranges FILE with the CRM's current ranges");
  }
  if (!args.positional.empty()) throw Unusable("unexpected argument '" + args.positional[0] + "'");
  json request{{"format", format == "json" ? "plain" : format}};
  if (args.has("--dc")) {
    request["dc"] = args.value("--dc");
  } else {
    request["ranges"] = list_request(args.value("--ranges"));
  }
  const json result = call_core("whitelist", request);
  print(format == "json" ? result.dump(2) + "\n" : result.at("snippet").get<std::string>());
  return kAnswered;
}

}  // namespace relaycheck::cli
