// `relaycheck cidr parse|aggregate|missing|contains` and `relaycheck whitelist`: read lists
// (one entry a line, from a file or -), call the address engine's façade methods, print.
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "commands.hpp"
#include "relaycheck/facade.hpp"

namespace relaycheck::cli {
namespace {

using nlohmann::json;

/// A façade request whose list files travel as attachments, so that a list of a million
/// entries is neither escaped into JSON nor scanned by a JSON parser.
struct ListCall {
  json request = json::object();
  std::vector<std::string> attachments;

  /// A list file as the façade reads it: core names the file and line of a bad entry.
  json list(const std::string& path) {
    attachments.push_back(read_input(path));
    return json{{"text", {{"attachment", attachments.size() - 1}}},
                {"source", path == "-" ? "standard input" : path}};
  }

  /// The result, and the text answer as attachment 0 when the request asked for it. An error
  /// becomes Unusable with core's message alone, which already names the file, line, entry and
  /// reason (the JSON Pointer into the request means nothing here).
  json send(const std::string& method, std::string* text_answer = nullptr) {
    if (text_answer != nullptr) request["output"] = "attachment";
    const std::string body = request.dump(-1, ' ', false, json::error_handler_t::replace);
    Response response = call(method, body, std::move(attachments));
    json document = json::parse(response.document);
    if (!document.value("ok", false))
      throw Unusable(document.at("error").value("message", "unknown error"));
    if (text_answer != nullptr) *text_answer = std::move(response.attachments.at(0));
    return std::move(document.at("result"));
  }
};

/// Sends a cidr.aggregate or cidr.missing request and prints its answer: the façade's document
/// for --format json, or one canonical CIDR a line.
void print_prefixes(ListCall& request, const std::string& method, const std::string& format) {
  if (format == "json") {
    print(request.send(method).dump(2) + "\n");
    return;
  }
  std::string text;
  request.send(method, &text);
  print(text);
}

}  // namespace

int run_cidr_parse(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--format"}, {"--lenient"});
  const std::string format = format_option(args, {"text", "json"});
  if (args.positional.size() != 1) throw Unusable("expected one TEXT, e.g. 192.0.2.0/24");
  ListCall parse{{{"text", args.positional[0]}, {"lenient", args.flag("--lenient")}}, {}};
  const json result = parse.send("cidr.parse");
  print(format == "json" ? result.dump(2) + "\n" : result.at("prefix").get<std::string>() + "\n");
  return kAnswered;
}

int run_cidr_aggregate(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--format"}, {"--lenient"});
  const std::string format = format_option(args, {"text", "json"});
  if (args.positional.size() > 1) throw Unusable("expected at most one FILE (or - for stdin)");
  ListCall aggregate;
  aggregate.request = aggregate.list(args.positional.empty() ? "-" : args.positional[0]);
  aggregate.request["lenient"] = args.flag("--lenient");
  print_prefixes(aggregate, "cidr.aggregate", format);
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
  ListCall missing;
  missing.request["required"] = missing.list(args.value("--required"));
  missing.request["allowed"] = missing.list(args.value("--allowed"));
  missing.request["lenient"] = args.flag("--lenient");
  print_prefixes(missing, "cidr.missing", format);
  return kAnswered;
}

int run_cidr_contains(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--set", "--format"}, {"--lenient"});
  const std::string format = format_option(args, {"text", "json"});
  if (!args.has("--set")) throw Unusable("expected --set FILE");
  if (args.positional.empty()) throw Unusable("expected at least one ADDRESS");
  ListCall contains;
  contains.request["set"] = contains.list(args.value("--set"));
  contains.request["addresses"] = args.positional;
  contains.request["lenient"] = args.flag("--lenient");
  const json result = contains.send("cidr.contains");
  if (format == "json") {
    print(result.dump(2) + "\n");
    return kAnswered;
  }
  std::string out;
  for (const auto& r : result.at("results")) {
    out +=
        r.at("address").get<std::string>() + (r.at("contained").get<bool>() ? " yes\n" : " no\n");
  }
  print(out);
  return kAnswered;
}

int run_whitelist(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--dc", "--ranges", "--format", "--kind"}, {});
  const std::string format =
      format_option(args, {"plain", "postfix", "exim", "sendmail", "exchange", "json"});
  if (args.has("--dc") == args.has("--ranges")) {
    throw Unusable("expected --dc US|EU|IN|AU|CN, or --ranges FILE with the CRM's current ranges");
  }
  if (!args.positional.empty()) throw Unusable("unexpected argument '" + args.positional[0] + "'");
  ListCall whitelist;
  whitelist.request["format"] = format == "json" ? "plain" : format;
  // allow-connection (the default: SMTP AUTH stays required) or grant-relay (IP-whitelist
  // relays only); the façade refuses anything else with a message that names both.
  if (args.has("--kind")) whitelist.request["kind"] = args.value("--kind");
  if (args.has("--dc")) {
    whitelist.request["dc"] = args.value("--dc");
  } else {
    whitelist.request["ranges"] = whitelist.list(args.value("--ranges"));
  }
  const json result = whitelist.send("whitelist");
  print(format == "json" ? result.dump(2) + "\n" : result.at("snippet").get<std::string>());
  return kAnswered;
}

}  // namespace relaycheck::cli

namespace relaycheck::cli {

int run_cidr_extract(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--format"}, {"--addresses-only"});
  const std::string format = format_option(args, {"text", "json"});
  if (args.positional.size() > 1) throw Unusable("expected at most one FILE (or - for stdin)");
  ListCall extract;
  extract.attachments.push_back(read_input(args.positional.empty() ? "-" : args.positional[0]));
  extract.request["text"] = {{"attachment", 0}};
  extract.request["addressesOnly"] = args.flag("--addresses-only");
  const json result = extract.send("cidr.extract");
  if (format == "json") {
    print(result.dump(2) + "\n");
  } else {
    std::string entries;
    for (const auto& entry : result.at("entries")) entries += entry.get<std::string>() + "\n";
    print(entries);
    std::string notes = result.at("message").get<std::string>() + "\n";
    for (const auto& u : result.at("unreadable")) {
      notes += "line " + std::to_string(u.at("line").get<std::size_t>()) + ": " +
               u.at("text").get<std::string>() + " " + u.at("reason").get<std::string>() + "\n";
    }
    std::cerr << terminal_safe(notes);
  }
  return result.at("unreadableCount").get<std::size_t>() == 0 ? kAnswered : kAnsweredNo;
}

}  // namespace relaycheck::cli
