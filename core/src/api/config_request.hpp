#pragma once
/// The config of a façade request, shared by every method that works on a whole config.

#include <nlohmann/json_fwd.hpp>

#include "config/config.hpp"

namespace relaycheck {

/// Loads the request's "config": a JSON object, or JSON text (so that core can name the line of
/// a syntax error). Throws RequestError when it is missing, too large or cannot be a config.
LoadedConfig request_config(const nlohmann::json& request);

}  // namespace relaycheck
