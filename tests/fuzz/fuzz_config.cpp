// libFuzzer target for the config loader (core/src/config/): any bytes as the text of a config
// file. tests/fuzz/config.dict gives the fuzzer the schema's words, and
// tests/fuzz/seed-corpus.mjs seeds it with every config of the vectors plus configs nested just
// within and just past the 64-level limit in every section (account, domains, relays, traffic,
// dns), which random mutation of a real config does not build on its own. Besides never
// crashing, leaking or hitting undefined behaviour (ASan + UBSan), the loader must hold
// together:
//  - input that cannot be a config at all is a RequestError with a config.* code, nothing else;
//  - every finding has a code, a severity, a JSON Pointer path ("" or "/..."), a message and a
//    fix, and a message quotes outside text in bounded length;
//  - the normalised config (to_json) loads again to the same normalised config (loading is
//    idempotent), and never carries a password;
//  - the parsed document, given to the loader as an object, loads to the same config.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/request_error.hpp"
#include "config/config.hpp"
#include "config/json_text.hpp"

namespace {

using namespace relaycheck;
using nlohmann::json;

void require(bool condition) {
  if (!condition) std::abort();
}

void check_findings(const std::vector<Finding>& findings, std::size_t input_size) {
  for (const auto& f : findings) {
    require(!f.code.empty() && f.code.find('.') != std::string::npos);
    require(f.path.empty() || f.path.front() == '/');
    require(!f.message.empty() && !f.fix.empty());
    // Outside text is quoted up to 64 bytes (text/quote.hpp): a message never grows with the
    // input beyond a few quotes of it.
    require(f.message.size() < 2048 + input_size / 4);
  }
}

/// True when `document` has a member named "password" at any depth (iteratively: the loader's
/// output is shallow, but the walk must not trust that).
bool has_password(const json& document) {
  std::vector<const json*> stack{&document};
  while (!stack.empty()) {
    const json* node = stack.back();
    stack.pop_back();
    if (node->is_object()) {
      for (auto it = node->begin(); it != node->end(); ++it) {
        if (it.key() == "password") return true;
        stack.push_back(&it.value());
      }
    } else if (node->is_array()) {
      for (const auto& item : *node) stack.push_back(&item);
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  LoadedConfig loaded;
  try {
    loaded = load_config_text(text);
  } catch (const RequestError& e) {
    require(std::string_view(e.code()).substr(0, 7) == "config.");
    return 0;
  }
  check_findings(loaded.findings, size);

  const json normalised = to_json(loaded.config);
  require(!has_password(normalised));
  LoadedConfig again;
  try {
    again = load_config(normalised);
  } catch (const RequestError&) {
    std::abort();  // the loader's own output is always a config
  }
  check_findings(again.findings, size);
  require(to_json(again.config) == normalised);

  // The same document as an object (a request's "config": {...}) loads to the same config.
  const ParsedJson parsed = parse_json_text(text);
  require(!parsed.error);  // load_config_text accepted the text
  try {
    const LoadedConfig as_object = load_config(parsed.document);
    require(to_json(as_object.config) == normalised);
  } catch (const RequestError&) {
    std::abort();
  }
  return 0;
}
