#include "cli.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "relaycheck/facade.hpp"

namespace relaycheck::cli {
namespace {

/// The length of the UTF-8 sequence at `text[i]` and its code point, or 0 when the bytes there
/// are not UTF-8 (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF).
std::size_t utf8_sequence(const std::string& text, std::size_t i, std::uint32_t& code) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  std::uint32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code = lead & 0x1Fu;
    min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code = lead & 0x0Fu;
    min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code = lead & 0x07u;
    min = 0x10000;
  } else {
    return 0;
  }
  if (text.size() - i < length) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0u) != 0x80u) return 0;
    code = (code << 6) | (byte(i + k) & 0x3Fu);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

/// Whether a code point changes what a terminal shows beyond itself: a control (C0 other than
/// tab and line feed, DEL, C1) or a bidirectional mark, override or isolate.
bool unsafe_code_point(std::uint32_t code) {
  return (code < 0x20 && code != '\t' && code != '\n') || (code >= 0x7F && code <= 0x9F) ||
         code == 0x061C || code == 0x200E || code == 0x200F || (code >= 0x202A && code <= 0x202E) ||
         (code >= 0x2066 && code <= 0x2069);
}

bool needs_escape(const std::string& text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x7F || (byte < 0x20 && c != '\t' && c != '\n')) return true;
  }
  return false;
}

/// Output goes out as the façade gave it (relaycheck api), unless standard output is a terminal.
bool facade_bytes = false;

/// Writes all of `text` to `file` and flushes it; false with errno set when it did not arrive.
bool write_all(std::FILE* file, const std::string& text) {
  errno = 0;
  if (std::fwrite(text.data(), 1, text.size(), file) != text.size()) return false;
  if (std::fflush(file) != 0) return false;
  return std::ferror(file) == 0;
}

std::string reason(int error) {
  return error == 0 ? std::string("an unknown error") : std::string(std::strerror(error));
}

std::string too_large(std::size_t size) {
  return "the answer is " + std::to_string(size) + " bytes, over the limit of " +
         std::to_string(kMaxOutputBytes) + " (64 MiB) that relaycheck writes";
}

}  // namespace

std::string terminal_safe(const std::string& text) {
  if (!needs_escape(text)) return text;
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::uint32_t code = byte;
    std::size_t length = byte < 0x80 ? 1 : utf8_sequence(text, i, code);
    if (length == 0) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xFu];
      ++i;
      continue;
    }
    if (unsafe_code_point(code)) {
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(code >> shift) & 0xFu];
    } else {
      out.append(text, i, length);
    }
    i += length;
  }
  return out;
}

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
  if (text.size() > kMaxOutputBytes)
    throw Unusable(path + ": not written: " + too_large(text.size()));
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) throw Unusable(path + ": cannot write: " + reason(errno));
  // errno is read where the write fails: after fclose it may say "Success".
  bool written = write_all(file, text);
  int error = errno;
  if (std::fclose(file) != 0 && written) {
    written = false;
    error = errno;
  }
  if (!written) throw Unusable(path + ": cannot write: " + reason(error));
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

void print(const std::string& text) {
  if (text.size() > kMaxOutputBytes) throw Unusable(too_large(text.size()));
  std::cout.flush();  // what was written through std::cout goes first
  // Written as it is, not through a copy (the conditional of a string and terminal_safe's
  // answer was one: 6% of a 500-domain `api analyze`, perf 2026-12-03).
  const bool raw = facade_bytes && ::isatty(STDOUT_FILENO) == 0;
  if (!(raw ? write_all(stdout, text) : write_all(stdout, terminal_safe(text)))) {
    const int error = errno;
    std::clearerr(stdout);
    throw Unusable("standard output: cannot write: " + reason(error));
  }
}

void print_facade_bytes() { facade_bytes = true; }

bool standard_streams_open() {
  // A closed descriptor 0, 1 or 2 would be the next file opened: a --attachment-out file would
  // then receive what is printed. Standard input and error get /dev/null opened the wrong way
  // round (reading gives EBADF, so a closed stdin still reads as an error, not as empty).
  if (::fcntl(STDIN_FILENO, F_GETFD) == -1 && errno == EBADF) ::open("/dev/null", O_WRONLY);
  const bool out_open = !(::fcntl(STDOUT_FILENO, F_GETFD) == -1 && errno == EBADF);
  if (!out_open) ::open("/dev/null", O_RDONLY);
  if (::fcntl(STDERR_FILENO, F_GETFD) == -1 && errno == EBADF) ::open("/dev/null", O_WRONLY);
  return out_open;
}

bool close_standard_output() {
  errno = 0;
  std::cout.flush();
  const bool flushed = std::fflush(stdout) == 0 && std::ferror(stdout) == 0;
  int error = errno;
  const bool closed = std::fclose(stdout) == 0;
  if (flushed && closed) return true;
  if (flushed) error = errno;
  std::fprintf(stderr, "relaycheck: standard output: cannot write: %s\n", reason(error).c_str());
  return false;
}

}  // namespace relaycheck::cli
