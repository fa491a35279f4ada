#pragma once
/// What every `relaycheck` command shares: argument parsing, reading input files, calling the
/// façade, and the exit codes of the command-line table in the design.

#include <cstddef>
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

/// `text` safe to show on a terminal: C0 controls other than tab and line feed, DEL, the C1
/// controls and the bidirectional overrides and isolates (U+202A-202E, U+2066-2069, U+200E,
/// U+200F, U+061C) become `\uXXXX`, and a byte that is not UTF-8 becomes `\xHH`. Inside a JSON
/// document those escapes are JSON's own, so a document stays the same document.
std::string terminal_safe(const std::string& text);

/// Thrown for anything that makes a command unable to answer; main prints it and exits 2. The
/// message is made terminal_safe: it quotes outside text, and a NUL in it would end what() early.
class Unusable : public std::runtime_error {
 public:
  explicit Unusable(const std::string& message) : std::runtime_error(terminal_safe(message)) {}
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

/// The largest answer relaycheck prints or writes to one file (64 MiB, as much as it reads).
constexpr std::size_t kMaxOutputBytes = 64u * 1024u * 1024u;

/// Writes `text` to the file at `path`, replacing it; throws Unusable naming the file and the
/// reason when it cannot be written whole, or when `text` is over kMaxOutputBytes.
void write_output(const std::string& path, const std::string& text);

/// Calls the façade and returns the result, or throws Unusable with the error's message,
/// prefixed by `source` (a file name) and the error's JSON Pointer when there is one.
nlohmann::json call_facade(const std::string& method, const nlohmann::json& request,
                           const std::string& source);

/// Checks that `--format` is one of `allowed`, and returns it (the first is the default).
std::string format_option(const Args& args, const std::vector<std::string>& allowed);

/// Writes `text` to standard output, terminal_safe, and flushes it; throws Unusable with the
/// reason when it cannot be written (a full disk, a closed pipe) or is over kMaxOutputBytes.
/// After print_facade_bytes(), output goes out as given unless standard output is a terminal.
void print(const std::string& text);

/// For `relaycheck api`, whose output is the façade's document byte for byte: print() leaves
/// it as it is, except on a terminal.
void print_facade_bytes();

/// Makes sure that standard input, output and error are open before any file is opened, so that
/// no file lands on their descriptors. Returns false when standard output is closed.
bool standard_streams_open();

/// Flushes and closes standard output; false (with the reason on stderr) when what was written
/// to it did not all arrive.
bool close_standard_output();

}  // namespace relaycheck::cli
