#include "api/config_request.hpp"

#include <nlohmann/json.hpp>

#include "api/request_error.hpp"

namespace relaycheck {

LoadedConfig request_config(const nlohmann::json& request) {
  auto it = request.find("config");
  if (it == request.end()) {
    throw RequestError("request.missing_field", "the request has no \"config\"", "/config");
  }
  if (it->is_string()) return load_config_text(it->get_ref<const std::string&>());
  if (it->dump().size() > kMaxConfigBytes) {
    throw RequestError("config.too_large", "the config is larger than the limit of " +
                                               std::to_string(kMaxConfigBytes) + " bytes");
  }
  return load_config(*it);
}

}  // namespace relaycheck
