#pragma once
/// What several commands share beyond cli.hpp: a record given as an argument or on standard
/// input, and a façade call whose errors name the argument or file at fault. Header-only, so
/// that commands can share it without a source of its own.

#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "relaycheck/facade.hpp"

namespace relaycheck::cli {

/// The one RECORD argument of `dkim parse` and `dmarc parse`, or standard input for "-" without
/// the line break that ended its line; throws Unusable for any other number of arguments.
inline std::string record_argument(const Args& args) {
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
  return record;
}

/// A request field and what a person typed for it: a path the error names ("/ip", or "/ips" and
/// anything below it) and the argument or option to name instead ("--ip").
struct FieldName {
  const char* path;
  const char* argument;
};

/// Calls the façade and returns the result; an error throws Unusable naming what the user gave:
/// the zone file (and the place in it) for a path under /zone, the argument of `fields` for its
/// path, else the path itself. Text that is not UTF-8 reaches core with U+FFFD in place of its
/// bad bytes.
inline nlohmann::json call_facade_naming(const std::string& method, const nlohmann::json& request,
                                         const Args& args,
                                         std::initializer_list<FieldName> fields) {
  const std::string body = request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const nlohmann::json response = nlohmann::json::parse(call(method, body));
  if (response.value("ok", false)) return response["result"];
  const auto& error = response["error"];
  const std::string path = error.value("path", "");
  std::string where = path;
  if (path.rfind("/zone", 0) == 0) {
    where = args.value("--zone") + (path.size() > 5 ? ": " + path.substr(5) : "");
  } else {
    for (const FieldName& field : fields) {
      const std::string key = field.path;
      if (path == key || path.rfind(key + "/", 0) == 0) {
        where = field.argument;
        break;
      }
    }
  }
  throw Unusable((where.empty() ? "" : where + ": ") + error.value("message", "unknown error"));
}

}  // namespace relaycheck::cli
