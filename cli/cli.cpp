#include "cli.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "relaycheck/facade.hpp"

namespace relaycheck::cli {

std::string Args::value(const std::string& option, const std::string& fallback) const {
  auto it = values.find(option);
  return it == values.end() || it->second.empty() ? fallback : it->second.back();
}

bool Args::has(const std::string& option) const { return values.count(option) != 0; }

Args parse_args(int argc, char** argv, int first, const std::set<std::string>& value_options,
                const std::set<std::string>& flag_options) {
  Args args;
  bool options_ended = false;
  for (int i = first; i < argc; ++i) {
    std::string word = argv[i];
    if (options_ended || word.size() < 2 || word[0] != '-' || word == "-") {
      args.positional.push_back(word);
      continue;
    }
    if (word == "--") {
      options_ended = true;
      continue;
    }
    if (word == "--help" || word == "-h") {
      args.help = true;
      continue;
    }
    std::string name = word;
    std::string inline_value;
    bool has_inline = false;
    if (auto eq = word.find('='); eq != std::string::npos && word.rfind("--", 0) == 0) {
      name = word.substr(0, eq);
      inline_value = word.substr(eq + 1);
      has_inline = true;
    }
    if (value_options.count(name)) {
      if (has_inline) {
        args.values[name].push_back(inline_value);
      } else if (i + 1 < argc) {
        args.values[name].push_back(argv[++i]);
      } else {
        throw Unusable("option " + name + " needs a value");
      }
    } else if (flag_options.count(name) && !has_inline) {
      args.flags.insert(name);
    } else {
      throw Unusable("unknown option '" + word + "' (see --help)");
    }
  }
  return args;
}

std::string read_input(const std::string& path) {
  std::FILE* file = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  const std::string name = path == "-" ? "standard input" : path;
  if (file == nullptr) throw Unusable(name + ": cannot read: " + std::strerror(errno));
  // Read in large blocks: a list of a million prefixes is tens of megabytes. Reading stops just
  // past what core would accept, so that an endless input (a device, a pipe) cannot exhaust memory.
  constexpr std::size_t kMaxInput = relaycheck::kMaxRequestBytes;
  std::string text;
  std::size_t used = 0;
  for (;;) {
    text.resize(std::min(std::max<std::size_t>(text.size() * 2, 1u << 16), kMaxInput + 1));
    used += std::fread(text.data() + used, 1, text.size() - used, file);
    if (used < text.size() || used > kMaxInput) break;
  }
  const bool failed = std::ferror(file) != 0;
  const int error = errno;
  if (file != stdin) std::fclose(file);
  if (failed) throw Unusable(name + ": cannot read: " + std::strerror(error));
  if (used > kMaxInput) throw Unusable(name + ": larger than the 64 MiB that relaycheck reads");
  text.resize(used);
  return text;
}

void write_output(const std::string& path, const std::string& text) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) throw Unusable(path + ": cannot write: " + std::strerror(errno));
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  const int error = errno;
  if (std::fclose(file) != 0 || !written)
    throw Unusable(path + ": cannot write: " + std::strerror(error));
}

nlohmann::json call_facade(const std::string& method, const nlohmann::json& request,
                           const std::string& source) {
  const std::string body = request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  nlohmann::json response = nlohmann::json::parse(call(method, body));
  if (response.value("ok", false)) return response["result"];
  const auto& error = response["error"];
  std::string where = source;
  const std::string path = error.value("path", "");
  if (!path.empty()) where += (where.empty() ? "" : ": ") + path;
  throw Unusable((where.empty() ? "" : where + ": ") + error.value("message", "unknown error"));
}

std::string format_option(const Args& args, const std::vector<std::string>& allowed) {
  const std::string format = args.value("--format", allowed.front());
  for (const auto& a : allowed) {
    if (a == format) return format;
  }
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  throw Unusable("unknown --format '" + format + "'; choose one of: " + list);
}

void print(const std::string& text) { std::cout << text << std::flush; }

}  // namespace relaycheck::cli
