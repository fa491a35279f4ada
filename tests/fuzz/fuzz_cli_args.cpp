// libFuzzer target for the CLI's argument handling (cli/cli.cpp), the part of the command line
// that can be fuzzed without touching files: parse_args() with the option sets of every command,
// format_option(), and terminal_safe(), which every byte the CLI prints or reports goes through.
// The commands themselves open the files their arguments name, so they are not run here; their
// arguments are tested with a catalogue instead (tests/node/cli-io.test.mjs).
//
// Bytes: the first picks a command's option set; the rest are argv words split at NUL. Besides
// never crashing, leaking or hitting undefined behaviour (ASan + UBSan):
//  - parse_args either throws cli::Unusable or gives options of the command's set only, and
//    positionals that are words as given;
//  - terminal_safe leaves no C0 control but tab and line feed, no DEL, no C1 control, no bidi
//    override, isolate or mark, and no byte that is not UTF-8, and changes nothing else.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"

namespace {

using namespace relaycheck::cli;

void require(bool condition) {
  if (!condition) std::abort();
}

struct OptionSet {
  std::set<std::string> values;
  std::set<std::string> flags;
  std::vector<std::string> formats;
};

// The option sets of the commands (cli/cmd_*.cpp), as of this writing.
const std::vector<OptionSet>& option_sets() {
  static const std::vector<OptionSet> sets{
      {{"--format"}, {}, {"text", "json", "markdown", "html"}},                    // analyze
      {{"--attach", "--attachment-out"}, {}, {"json"}},                            // api
      {{"--format"}, {"--lenient"}, {"text", "json"}},                             // cidr parse
      {{"--required", "--allowed", "--format"}, {"--lenient"}, {"text", "json"}},  // cidr missing
      {{"--set", "--format"}, {"--lenient"}, {"text", "json"}},                    // cidr contains
      {{"--format"}, {"--addresses-only"}, {"text", "json"}},                      // cidr extract
      {{"--dc", "--ranges", "--format", "--kind"},
       {},
       {"plain", "postfix", "exim", "sendmail", "exchange", "json"}},  // whitelist
      {{"--format"}, {}, {"text", "json", "csv"}},                     // plan
      {{"--zone", "--ip", "--sender", "--helo", "--default-explanation", "--format"},
       {"--trace"},
       {"text", "json"}},                                                          // spf check
      {{"--zone", "--ip", "--vendor-include", "--format"}, {}, {"text", "json"}},  // spf propose
      {{"--domain", "--zone", "--format"}, {}, {"json"}},                          // dmarc parse
      {{"--method", "--zone", "--format"}, {}, {"text", "json"}},                  // org-domain
      // Appended, so that the generated seeds keep their indexes: the live-DNS options.
      {{"--format", "--server", "--resolv-conf", "--timeout"},
       {"--live", "--missing-only"},
       {"text", "json"}},  // analyze --live
      {{"--server", "--resolv-conf", "--timeout", "--output"},
       {"--missing-only"},
       {"json"}},  // dns fetch
  };
  return sets;
}

/// The length of a valid UTF-8 sequence at `i` and its code point, or 0.
std::size_t utf8_at(const std::string& s, std::size_t i, std::uint32_t& code) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  std::size_t n = 0;
  std::uint32_t min = 0;
  if (b(i) < 0x80) {
    code = b(i);
    return 1;
  }
  if (b(i) >= 0xC2 && b(i) <= 0xDF) {
    n = 2;
    code = b(i) & 0x1Fu;
    min = 0x80;
  } else if (b(i) >= 0xE0 && b(i) <= 0xEF) {
    n = 3;
    code = b(i) & 0x0Fu;
    min = 0x800;
  } else if (b(i) >= 0xF0 && b(i) <= 0xF4) {
    n = 4;
    code = b(i) & 0x07u;
    min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() - i < n) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0u) != 0x80u) return 0;
    code = code << 6 | (b(i + k) & 0x3Fu);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return n;
}

bool unsafe(std::uint32_t c) {
  return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c <= 0x9F) || c == 0x061C ||
         c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

void check_terminal_safe(const std::string& text) {
  const std::string safe = terminal_safe(text);
  bool changed = false;
  for (std::size_t i = 0; i < safe.size();) {
    std::uint32_t code = 0;
    const std::size_t n = utf8_at(safe, i, code);
    require(n != 0 && !unsafe(code));
    i += n;
  }
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t code = 0;
    const std::size_t n = utf8_at(text, i, code);
    if (n == 0 || unsafe(code)) changed = true;
    i += n == 0 ? 1 : n;
  }
  if (!changed) require(safe == text);
  require(safe.size() <= text.size() * 6);
  // Escaping twice changes nothing more: the escapes are plain ASCII.
  require(terminal_safe(safe) == safe);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const OptionSet& set = option_sets()[data[0] % option_sets().size()];
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  check_terminal_safe(std::string(rest));

  std::vector<std::string> words{"relaycheck", "command"};
  std::size_t start = 0;
  while (words.size() < 256) {
    const std::size_t end = rest.find('\0', start);
    words.emplace_back(rest.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  const int argc = static_cast<int>(words.size());

  Args args;
  try {
    args = parse_args(argc, argv.data(), 2, set.values, set.flags);
  } catch (const Unusable& e) {
    require(std::string_view(e.what()).size() > 0);
    return 0;
  }
  // Every word is accounted for.
  std::size_t values = 0;
  for (const auto& [name, given] : args.values) {
    require(set.values.count(name) == 1);
    values += given.size();
  }
  for (const auto& flag : args.flags) require(set.flags.count(flag) == 1);
  // A help request is a --help or -h in option position: before a "--" that ends the options,
  // and not the value of an option that takes the next word (`--ip -- -h` is help, `--ip -h`
  // is not: found by a 10-minute run, input kept in seed-generated.mjs).
  bool help_seen = false;
  for (std::size_t k = 2; k < words.size() && words[k] != "--"; ++k) {
    if (words[k] == "--help" || words[k] == "-h") {
      help_seen = true;
    } else if (set.values.count(words[k]) == 1) {
      ++k;  // the option's value, whatever it looks like
    }
  }
  if (args.help) require(help_seen);
  // Each positional is one of the words, as given.
  std::multiset<std::string> given(words.begin() + 2, words.end());
  for (const auto& p : args.positional) {
    const auto it = given.find(p);
    require(it != given.end());
    given.erase(it);
  }
  require(args.positional.size() + values <= words.size() - 2);
  try {
    const std::string format = format_option(args, set.formats);
    bool known = false;
    for (const auto& f : set.formats) known = known || f == format;
    require(known);
  } catch (const Unusable& e) {
    require(std::string_view(e.what()).find("--format") != std::string_view::npos);
  }
  return 0;
}
