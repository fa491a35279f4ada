// `relaycheck spf check|lint|propose`: read the zone file, call the façade, print its answer.
#include <ctime>
#include <iostream>

#include "cli.hpp"
#include "command_input.hpp"
#include "commands.hpp"
#include "live_dns.hpp"

namespace relaycheck::cli {
namespace {

/// The zone goes to core as text, so that core can name the line of a JSON syntax error.
nlohmann::json zone_request(const Args& args) {
  if (!args.has("--zone") && args.flag("--live"))
    return nlohmann::json{{"zone", nlohmann::json::object()}};
  if (!args.has("--zone"))
    throw Unusable("--zone ZONE.json is required (the DNS data as a zone map)");
  return nlohmann::json{{"zone", read_input(args.value("--zone"))}};
}

/// Calls the façade; an error about the zone names the zone file, any other the option at fault.
nlohmann::json call_spf(const std::string& method, const nlohmann::json& request,
                        const Args& args) {
  return call_facade_naming(method, request, args, {{"/ip", "--ip"}, {"/ips", "--ip"}});
}

std::string dump(const nlohmann::json& result) {
  nlohmann::json copy = result;
  copy.erase("text");
  copy.erase("traceText");
  return copy.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

int run_spf_check(int argc, char** argv, int first) {
  std::set<std::string> options = kLiveValueOptions;
  options.insert({"--zone", "--ip", "--sender", "--helo", "--default-explanation", "--format"});
  Args args = parse_args(argc, argv, first, options, {"--trace", "--live"});
  const std::string format = format_option(args, {"text", "json"});
  if (!args.positional.empty())
    throw Unusable("unexpected argument '" + args.positional[0] + "' (see --help)");
  for (const char* option : {"--ip", "--sender", "--helo"}) {
    if (!args.has(option)) throw Unusable(std::string(option) + " is required (see --help)");
  }
  nlohmann::json request = zone_request(args);
  request["ip"] = args.value("--ip");
  request["sender"] = args.value("--sender");
  request["helo"] = args.value("--helo");
  request["trace"] = args.flag("--trace");
  request["timestamp"] = static_cast<std::int64_t>(std::time(nullptr));
  if (args.has("--default-explanation"))
    request["defaultExplanation"] = args.value("--default-explanation");
  if (args.flag("--live")) {
    request["trace"] = false;  // only the last evaluation is traced
    fetch_spf_zone("spf.check", request, args);
    request["trace"] = args.flag("--trace");
  } else {
    reject_live_options_without_live(args);
  }
  const nlohmann::json result = call_spf("spf.check", request, args);
  if (args.flag("--trace")) std::cerr << result.value("traceText", "") << std::flush;
  print(format == "text" ? result.value("text", "") : dump(result));
  return kAnswered;
}

int run_spf_lint(int argc, char** argv, int first) {
  std::set<std::string> options = kLiveValueOptions;
  options.insert({"--zone", "--ip", "--format"});
  Args args = parse_args(argc, argv, first, options, {"--live"});
  const std::string format = format_option(args, {"text", "json"});
  if (args.positional.size() != 1) throw Unusable("expected one DOMAIN (see --help)");
  nlohmann::json request = zone_request(args);
  request["domain"] = args.positional[0];
  if (args.has("--ip")) request["ip"] = args.value("--ip");
  if (args.flag("--live")) {
    fetch_spf_zone("spf.lint", request, args);
  } else {
    reject_live_options_without_live(args);
  }
  const nlohmann::json result = call_spf("spf.lint", request, args);
  print(format == "text" ? result.value("text", "") : dump(result));
  return result.value("hasErrors", false) ? kAnsweredNo : kAnswered;
}

int run_spf_propose(int argc, char** argv, int first) {
  Args args = parse_args(argc, argv, first, {"--zone", "--ip", "--vendor-include", "--format"}, {});
  const std::string format = format_option(args, {"text", "json"});
  if (args.positional.empty()) throw Unusable("expected a DOMAIN (see --help)");
  // `--ip A B C`: the words after the domain are more addresses.
  nlohmann::json ips = nlohmann::json::array();
  if (args.has("--ip")) {
    for (const auto& ip : args.values.at("--ip")) ips.push_back(ip);
  }
  for (std::size_t i = 1; i < args.positional.size(); ++i) ips.push_back(args.positional[i]);
  if (ips.empty()) throw Unusable("--ip IP... is required: the relay's outbound addresses");
  nlohmann::json request = zone_request(args);
  request["domain"] = args.positional[0];
  request["ips"] = ips;
  if (args.has("--vendor-include")) request["vendorInclude"] = args.value("--vendor-include");
  const nlohmann::json result = call_spf("spf.propose", request, args);
  print(format == "text" ? result.value("text", "") : dump(result));
  return result.value("hasErrors", false) ? kAnsweredNo : kAnswered;
}

}  // namespace relaycheck::cli
