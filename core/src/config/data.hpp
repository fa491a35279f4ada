#pragma once
/// Data files compiled into core (see relaycheck_embed in core/CMakeLists.txt).

#include <string_view>

namespace relaycheck::data {

/// The worked example of the domain source: zylker.com on the US data centre
/// (core/data/example-zylker.json).
extern const std::string_view example_config;

}  // namespace relaycheck::data
