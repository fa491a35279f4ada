// The browser face of core: the JSON façade, bound with Embind and nothing else. The façade never
// throws, so every failure reaches JavaScript as an error document, never as an abort.
//
// Texts cross the boundary in bulk, never character by character: requests arrive as UTF-8
// bytes or are encoded straight into wasm memory with TextEncoder.encodeInto, and answers are
// decoded with one TextDecoder call (Embind's own std::string conversion walks every byte in
// JavaScript, twice).
#include <cstddef>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "relaycheck/facade.hpp"

namespace {

using emscripten::val;

/// A view of `text` in wasm memory, valid until wasm memory next grows.
val memory_view(std::string& text) {
  return val(
      emscripten::typed_memory_view(text.size(), reinterpret_cast<unsigned char*>(text.data())));
}

/// The bytes of a Uint8Array, or the UTF-8 of a string, copied once into wasm memory.
std::string utf8_from(const val& value) {
  std::string out;
  if (!value.isString()) {
    out.resize(value["length"].as<std::size_t>());
    memory_view(out).call<void>("set", value);
    return out;
  }
  // encodeInto writes what fits; a text that is not all ASCII needs up to 3 bytes a UTF-16 unit.
  static const val encoder = val::global("TextEncoder").new_();
  val rest = value;
  std::size_t written = 0;
  out.resize(rest["length"].as<std::size_t>());
  for (;;) {
    const val view(emscripten::typed_memory_view(
        out.size() - written, reinterpret_cast<unsigned char*>(out.data() + written)));
    const val progress = encoder.call<val>("encodeInto", rest, view);
    written += progress["written"].as<std::size_t>();
    const auto read = progress["read"].as<std::size_t>();
    const auto length = rest["length"].as<std::size_t>();
    if (read == length) break;
    rest = rest.call<val>("substring", read);
    out.resize(written + 3 * (length - read));
  }
  out.resize(written);
  return out;
}

/// A JavaScript string of UTF-8 text in wasm memory, decoded in one call.
val js_string(std::string& text) {
  static const val decoder = val::global("TextDecoder").new_();
  return decoder.call<val>("decode", memory_view(text));
}

/// The most a request and its attachments may hold, as the façade counts it: a longer text is
/// refused before it is copied into wasm memory. A string counts its UTF-16 units, which is at
/// most its UTF-8 length.
constexpr double kMaxRequestUnits = static_cast<double>(relaycheck::kMaxRequestBytes);

bool is_text(const val& value) {
  return value.isString() || value.instanceof (val::global("Uint8Array"));
}

double length_of(const val& value) {
  return value[value.isString() ? "length" : "byteLength"].as<double>();
}

/// Why these arguments cannot be carried into wasm memory, as an error code and a message; an
/// empty code when they can.
std::pair<std::string_view, std::string> marshalling_problem(const val& request,
                                                             const val* attachments) {
  if (!is_text(request))
    return {"request.bad_argument", "the request must be a string or a Uint8Array"};
  double length = length_of(request);
  if (attachments != nullptr) {
    if (!val::global("Array").call<bool>("isArray", *attachments)) {
      return {"request.bad_argument", "the attachments must be an array"};
    }
    const auto count = (*attachments)["length"].as<std::size_t>();
    for (std::size_t k = 0; k < count; ++k) {
      if (!is_text((*attachments)[k])) {
        return {"request.bad_argument",
                "attachment " + std::to_string(k) + " must be a string or a Uint8Array"};
      }
      length += length_of((*attachments)[k]);
    }
  }
  if (length > kMaxRequestUnits)
    return {"request.too_large", "the request and its attachments are over the 64 MiB limit"};
  return {};
}

/// The façade's error document for arguments that never reached it.
val refused(std::string_view code, const std::string& message) {
  std::string document = relaycheck::error_response(code, message);
  return js_string(document);
}

/// The method name, or why it cannot be one: Embind's own std::string parameter throws a
/// TypeError into JavaScript for anything but a string, and the façade answers every call as
/// data. A string crosses as UTF-8 (a lone surrogate as U+FFFD), and the façade says whether it
/// names a method.
bool method_name(const val& method, std::string& name) {
  if (!method.isString()) return false;
  name = method.as<std::string>();
  return true;
}

#ifdef RELAYCHECK_PAGE_MODULE
// The page's module (relaycheck-page): core's page methods alone (call_page in facade.hpp).
constexpr auto* kCall =
    static_cast<std::string (*)(std::string_view, std::string_view)>(&relaycheck::call_page);
constexpr auto* kCallWithAttachments = static_cast<relaycheck::Response (*)(
    std::string_view, std::string_view, std::vector<std::string>)>(&relaycheck::call_page);
constexpr auto* kNames = &relaycheck::page_method_names;
#else
constexpr auto* kCall =
    static_cast<std::string (*)(std::string_view, std::string_view)>(&relaycheck::call);
constexpr auto* kCallWithAttachments = static_cast<relaycheck::Response (*)(
    std::string_view, std::string_view, std::vector<std::string>)>(&relaycheck::call);
constexpr auto* kNames = &relaycheck::method_names;
#endif

/// methods() → the names of the methods this module answers, as core lists them: the page's
/// worker asks the page module for these and the whole module for the others.
val methods() {
  val out = val::array();
  for (const auto name : kNames()) out.call<void>("push", val(std::string(name)));
  return out;
}

constexpr const char* kMethodNotText = "the method must be a string: the name of a façade method";

/// call(method, request as a string or bytes) → the response document as a string.
val call(const val& method_value, const val& request) {
  std::string method;
  if (!method_name(method_value, method)) return refused("request.bad_argument", kMethodNotText);
  if (const auto [code, problem] = marshalling_problem(request, nullptr); !code.empty())
    return refused(code, problem);
  try {
    std::string response = kCall(method, utf8_from(request));
    return js_string(response);
  } catch (const std::bad_alloc&) {
    return refused("internal.out_of_memory", "out of memory while reading the request");
  }
}

/// callWithAttachments(method, request, [text or bytes, ...]) → {response, attachments}: long
/// texts beside the request document (see core/include/relaycheck/facade.hpp).
val call_with_attachments(const val& method_value, const val& request, const val& attachments) {
  val out = val::object();
  std::string method;
  if (!method_name(method_value, method)) {
    out.set("response", refused("request.bad_argument", kMethodNotText));
    out.set("attachments", val::array());
    return out;
  }
  if (const auto [code, problem] = marshalling_problem(request, &attachments); !code.empty()) {
    out.set("response", refused(code, problem));
    out.set("attachments", val::array());
    return out;
  }
  relaycheck::Response response;
  try {
    std::vector<std::string> texts;
    const auto count = attachments["length"].as<std::size_t>();
    texts.reserve(count);
    for (std::size_t k = 0; k < count; ++k) texts.push_back(utf8_from(attachments[k]));
    response = kCallWithAttachments(method, utf8_from(request), std::move(texts));
  } catch (const std::bad_alloc&) {
    response = {relaycheck::error_response("internal.out_of_memory",
                                           "out of memory while reading the request"),
                {}};
  }
  out.set("response", js_string(response.document));
  val answers = val::array();
  for (auto& text : response.attachments) answers.call<void>("push", js_string(text));
  out.set("attachments", answers);
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(relaycheck_facade) {
  emscripten::function("call", &call);
  emscripten::function("callWithAttachments", &call_with_attachments);
  emscripten::function("methods", &methods);
}
