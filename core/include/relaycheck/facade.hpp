#pragma once
/// The JSON façade: the single entry point through which the CLI, the wasm module and the tests
/// reach core. A method name and a request document go in; a response document comes out:
///   {"ok": true,  "result": {...}}
///   {"ok": false, "error": {"code": "...", "message": "...", "path": "..."}}
/// It never throws and never aborts, whatever the bytes of the request.

#include <string>
#include <string_view>
#include <vector>

namespace relaycheck {

std::string call(std::string_view method, std::string_view request);

/// The names of the façade's methods, in the order they are listed.
std::vector<std::string_view> method_names();

}  // namespace relaycheck
