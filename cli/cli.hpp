#pragma once
/// What every `relaycheck` command shares: argument parsing, reading input files, calling the
/// façade, and the exit codes of the command-line table in the design.

#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace relaycheck::cli {

/// Exit codes: 0 answered (no error finding), 1 answered "no", 2 could not answer.
enum Exit : int { kAnswered = 0, kAnsweredNo = 1, kUnusable = 2 };

/// Thrown for anything that makes a command unable to answer; main prints it and exits 2.
class Unusable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Parsed arguments of one command: options that take a value, flags, and the rest in order.
struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> values;
  std::set<std::string> flags;
  bool help = false;

  /// The last value given for `option`, or `fallback` when it was not given.
  std::string value(const std::string& option, const std::string& fallback = {}) const;
  bool has(const std::string& option) const;
  bool flag(const std::string& name) const { return flags.count(name) != 0; }
};

/// Parses `argv` from `first`: `value_options` take the next word (or `--opt=value`),
/// `flag_options` take none. `--` ends options. Unknown options throw Unusable.
Args parse_args(int argc, char** argv, int first, const std::set<std::string>& value_options,
                const std::set<std::string>& flag_options);

/// Reads a whole file, or standard input for "-"; throws Unusable naming the file.
std::string read_input(const std::string& path);

/// Writes `text` to the file at `path`, replacing it; throws Unusable naming the file.
void write_output(const std::string& path, const std::string& text);

/// Calls the façade and returns the result, or throws Unusable with the error's message,
/// prefixed by `source` (a file name) and the error's JSON Pointer when there is one.
nlohmann::json call_facade(const std::string& method, const nlohmann::json& request,
                           const std::string& source);

/// Checks that `--format` is one of `allowed`, and returns it (the first is the default).
std::string format_option(const Args& args, const std::vector<std::string>& allowed);

/// Writes text to stdout exactly as given.
void print(const std::string& text);

}  // namespace relaycheck::cli
