#pragma once
/// The façade's methods, one declaration each. Every method takes the parsed request document
/// and returns the result document; it throws RequestError when the request cannot be answered.
/// The table that names them is in facade.cpp.

#include <nlohmann/json_fwd.hpp>

namespace relaycheck::methods {

/// `analyze`: {"config": <object or JSON text>} → {"findings": [...], ...}; {"format": "text"}
/// adds the report as readable text under "text".
nlohmann::json analyze(const nlohmann::json& request);

/// `example`: {} → {"config": the built-in worked example (zylker.com, from the domain source)}.
nlohmann::json example(const nlohmann::json& request);

}  // namespace relaycheck::methods
