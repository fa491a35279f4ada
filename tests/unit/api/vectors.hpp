#pragma once
// The shared vector format (tests/README.md): a case names a façade method, a request and what
// the response must contain. The Node suite (tests/node/vectors.mjs) applies the same rules.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace relaycheck::testing {

/// Empty when `actual` contains `expected`: objects as key subsets, recursively; arrays of equal
/// length, element by element; scalars equal. Otherwise the JSON Pointer of the first difference.
std::string find_mismatch(const nlohmann::json& expected, const nlohmann::json& actual,
                          const std::string& path = "");

/// The `code`s of the findings in a response, sorted (for `expectCodes`), without those that
/// start with one of `ignored` (a case's `ignoreCodePrefixes`).
std::vector<std::string> finding_codes(const nlohmann::json& response,
                                       const std::vector<std::string>& ignored = {});

}  // namespace relaycheck::testing
