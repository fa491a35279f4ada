// The browser face of core: the JSON façade, bound with Embind and nothing else. The façade never
// throws, so every failure reaches JavaScript as an error document, never as an abort.
#include <cstddef>
#include <string>

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "relaycheck/facade.hpp"

namespace {

/// The request arrives as UTF-8 bytes (a Uint8Array from TextEncoder) and is copied into wasm
/// memory in one `set`: for a long request (a million prefixes) that is many times faster than
/// Embind's character-by-character conversion of a JavaScript string.
std::string call(const std::string& method, const emscripten::val& request_bytes) {
  const auto length = request_bytes["length"].as<std::size_t>();
  std::string request(length, '\0');
  emscripten::val memory(emscripten::typed_memory_view(length, reinterpret_cast<unsigned char*>(request.data())));
  memory.call<void>("set", request_bytes);
  return relaycheck::call(method, request);
}

}  // namespace

EMSCRIPTEN_BINDINGS(relaycheck_facade) { emscripten::function("call", &call); }
