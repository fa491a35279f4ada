// libFuzzer target: any bytes, as a request to any façade method, as config text, and split into
// a request and an attachment (raw bytes, not checked to be UTF-8 by anyone but core). Whatever
// comes in, the façade must answer with a JSON document that says ok or error, and never crash,
// leak or hit undefined behaviour (built with ASan + UBSan).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "relaycheck/facade.hpp"

namespace {

void require_answer(const std::string& response) {
  const auto document = nlohmann::json::parse(response, nullptr, false);
  if (document.is_discarded() || !document.is_object() || !document.contains("ok")) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const auto names = relaycheck::method_names();
  const std::string_view method = names[data[0] % names.size()];
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  require_answer(relaycheck::call(method, body));
  // The same bytes as the text of a config, so that the loader sees them below the request layer.
  nlohmann::json wrapped{{"config", std::string(body)}};
  require_answer(relaycheck::call(
      "analyze", wrapped.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  // Split at the first NUL: before it the request, after it one attachment.
  const std::size_t split = body.find('\0');
  if (split != std::string_view::npos) {
    const relaycheck::Response answer =
        relaycheck::call(method, body.substr(0, split), {std::string(body.substr(split + 1))});
    require_answer(answer.document);
    if (answer.attachments.size() > 1) std::abort();
  }
  return 0;
}
