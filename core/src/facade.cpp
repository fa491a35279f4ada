#include "relaycheck/facade.hpp"

#include <array>
#include <exception>
#include <new>

#include <nlohmann/json.hpp>

#include "relaycheck/methods.hpp"
#include "relaycheck/request_error.hpp"

namespace relaycheck {
namespace {

using json = nlohmann::json;

/// The largest request the façade reads. A config is limited further by its own loader.
constexpr std::size_t kMaxRequestBytes = 64u * 1024u * 1024u;

struct Method {
  std::string_view name;
  json (*handler)(const json& request);
};

constexpr std::array kMethods{
    Method{"analyze", &methods::analyze},
    Method{"example", &methods::example},
    Method{"cidr.parse", &methods::cidr_parse},
    Method{"cidr.aggregate", &methods::cidr_aggregate},
    Method{"cidr.missing", &methods::cidr_missing},
    Method{"cidr.contains", &methods::cidr_contains},
    Method{"whitelist", &methods::whitelist},
    Method{"plan", &methods::plan},
    Method{"spf.check", &methods::spf_check},
    Method{"spf.lint", &methods::spf_lint},
    Method{"spf.propose", &methods::spf_propose},
};

std::string respond_error(std::string_view code, std::string_view message,
                          std::string_view path = {}) {
  json response{{"ok", false},
                {"error", {{"code", code}, {"message", message}, {"path", path}}}};
  return response.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string method_list() {
  std::string names;
  for (const auto& m : kMethods) {
    if (!names.empty()) names += ", ";
    names += m.name;
  }
  return names;
}

}  // namespace

std::vector<std::string_view> method_names() {
  std::vector<std::string_view> names;
  for (const auto& m : kMethods) names.push_back(m.name);
  return names;
}

std::string call(std::string_view method, std::string_view request) {
  try {
    const Method* found = nullptr;
    for (const auto& m : kMethods) {
      if (m.name == method) found = &m;
    }
    if (found == nullptr) {
      return respond_error("request.unknown_method", "unknown method '" + std::string(method) +
                                                         "'; the methods are: " + method_list());
    }
    if (request.size() > kMaxRequestBytes) {
      return respond_error("request.too_large",
                           "the request is " + std::to_string(request.size()) +
                               " bytes; the limit is " + std::to_string(kMaxRequestBytes));
    }
    json parsed;
    try {
      parsed = json::parse(request.begin(), request.end());
    } catch (const json::parse_error& e) {
      return respond_error("request.not_json", std::string("the request is not JSON: ") + e.what());
    }
    if (!parsed.is_object()) {
      return respond_error("request.not_object", "the request must be a JSON object");
    }
    json response{{"ok", true}, {"result", found->handler(parsed)}};
    return response.dump(-1, ' ', false, json::error_handler_t::replace);
  } catch (const RequestError& e) {
    return respond_error(e.code(), e.what(), e.path());
  } catch (const std::bad_alloc&) {
    return respond_error("internal.out_of_memory", "out of memory while answering the request");
  } catch (const std::exception& e) {
    return respond_error("internal.error", std::string("internal error: ") + e.what());
  } catch (...) {
    return respond_error("internal.error", "internal error");
  }
}

}  // namespace relaycheck
