// The browser face of core: the JSON façade, bound with Embind and nothing else. The façade never
// throws, so every failure reaches JavaScript as an error document, never as an abort.
#include <string>

#include <emscripten/bind.h>

#include "relaycheck/facade.hpp"

namespace {

std::string call(const std::string& method, const std::string& request) {
  return relaycheck::call(method, request);
}

}  // namespace

EMSCRIPTEN_BINDINGS(relaycheck_facade) { emscripten::function("call", &call); }
