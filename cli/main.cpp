// `relaycheck`: the native face of core. It parses arguments, reads files, calls the JSON façade
// and prints what the façade answered; every decision is made in core.
#include <array>
#include <cstring>
#include <iostream>
#include <string>

#include "cli.hpp"
#include "commands.hpp"

namespace relaycheck::cli {
namespace {

constexpr std::array kCommands{
    Command{"analyze", "the full analysis of a config: findings, outcomes, plan, whitelists",
            "usage: relaycheck analyze CONFIG.json [--format text|json]\n"
            "\n"
            "Loads the config (a file, or - for standard input) and prints its analysis.\n"
            "  --format text   findings grouped by domain and relay, each with its fix (default)\n"
            "  --format json   the façade's report document\n"
            "Exit: 0 no error finding, 1 error findings, 2 the file cannot be a config at all.\n",
            &run_analyze},
    Command{"api", "the façade's raw response to a request read on standard input",
            "usage: relaycheck api METHOD < REQUEST.json\n"
            "\n"
            "Sends the request to the façade method and prints its response document: the same\n"
            "bytes the wasm module returns for the same call.\n"
            "Exit: 0 when the response is ok, 2 when it carries an error.\n",
            &run_api},
};

void print_overview() {
  std::cout << "relaycheck: checks how a CRM's outbound mail goes through your SMTP relays.\n\n"
               "usage: relaycheck COMMAND [ARGS...]\n"
               "       relaycheck COMMAND --help\n\ncommands:\n";
  for (const auto& c : kCommands) {
    std::string name = c.name;
    name.resize(std::max<std::size_t>(name.size() + 2, 18), ' ');
    std::cout << "  " << name << c.summary << "\n";
  }
  std::cout << "\nexit codes: 0 answered (no error finding), 1 answered \"no\" (error findings),\n"
               "            2 could not answer (bad input or arguments; stderr says why)\n";
}

/// Finds the command whose words match argv best (multi-word commands such as "cidr parse"),
/// and returns the index of the first argument after its words, or 0 when none matches.
const Command* find_command(int argc, char** argv, int& first) {
  const Command* best = nullptr;
  int best_words = 0;
  for (const auto& c : kCommands) {
    int words = 0;
    const char* p = c.name;
    int i = 1;
    bool match = true;
    while (*p != '\0') {
      const char* space = std::strchr(p, ' ');
      std::size_t len = space ? static_cast<std::size_t>(space - p) : std::strlen(p);
      if (i >= argc || std::strlen(argv[i]) != len || std::strncmp(argv[i], p, len) != 0) {
        match = false;
        break;
      }
      ++words;
      ++i;
      p += len;
      if (*p == ' ') ++p;
    }
    if (match && words > best_words) {
      best = &c;
      best_words = words;
    }
  }
  first = 1 + best_words;
  return best;
}

/// Lists the subcommands of a group word such as "cidr" when it is given alone.
bool print_group(const std::string& group) {
  bool any = false;
  for (const auto& c : kCommands) {
    if (std::string(c.name).rfind(group + " ", 0) == 0) {
      if (!any) std::cout << "relaycheck " << group << " subcommands:\n";
      std::cout << "  relaycheck " << c.name << "\n      " << c.summary << "\n";
      any = true;
    }
  }
  return any;
}

}  // namespace
}  // namespace relaycheck::cli

int main(int argc, char** argv) {
  using namespace relaycheck::cli;
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    print_overview();
    return argc < 2 ? kUnusable : kAnswered;
  }
  int first = 0;
  const Command* command = find_command(argc, argv, first);
  if (command == nullptr) {
    if (print_group(argv[1])) return argc > 2 && std::strcmp(argv[2], "--help") == 0 ? kAnswered : kUnusable;
    std::cerr << "relaycheck: unknown command '" << argv[1] << "' (see relaycheck --help)\n";
    return kUnusable;
  }
  for (int i = first; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::cout << command->usage;
      return kAnswered;
    }
    if (std::strcmp(argv[i], "--") == 0) break;
  }
  try {
    return command->run(argc, argv, first);
  } catch (const Unusable& e) {
    std::cerr << "relaycheck " << command->name << ": " << e.what() << "\n";
    return kUnusable;
  } catch (const std::exception& e) {
    std::cerr << "relaycheck " << command->name << ": " << e.what() << "\n";
    return kUnusable;
  }
}
