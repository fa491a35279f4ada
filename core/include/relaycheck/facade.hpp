#pragma once
/// The JSON façade: the single entry point through which the CLI, the wasm module and the tests
/// reach core. A method name and a request document go in; a response document comes out:
///   {"ok": true,  "result": {...}}
///   {"ok": false, "error": {"code": "...", "message": "...", "path": "..."}}
/// It never throws and never aborts, whatever the bytes of the request.
///
/// Long texts (a million prefixes, a batch of SPF checks) may travel beside the document as
/// attachments, so that they are neither escaped into JSON nor scanned by its parser:
///  - in the request, an object {"attachment": N} anywhere stands for the text of attachment N
///    (UTF-8, where a byte that is not reads as U+FFFD; every attachment given must be used);
///  - with "output": "attachment", a method that answers in text (cidr.aggregate, cidr.missing,
///    cidr.contains, spf.check with "checksText") puts that text in the response's attachment 0
///    and {"attachment": 0} in its place.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace relaycheck {

/// The largest request the façade reads, attachments included (64 MiB). The CLI and the wasm
/// binding stop reading, or copying, just past it. A config is limited further by its loader.
constexpr std::size_t kMaxRequestBytes = 64u * 1024u * 1024u;

/// The largest answer the façade gives, attachments included (64 MiB): past it the answer is the
/// error response.too_large, so that no caller has to hold, print or copy into JavaScript more.
constexpr std::size_t kMaxResponseBytes = 64u * 1024u * 1024u;

std::string call(std::string_view method, std::string_view request);

/// True when `document`, an answer of the façade, answers the request ({"ok":true,"result":…}),
/// false when it is an error ({"error":…,"ok":false}). Read from the first bytes, which the
/// façade writes the same way for every answer, so that a caller need not parse an answer of
/// many megabytes to learn which it is (the CLI's exit code: 14 MB for 500 domains).
bool answered(std::string_view document);

/// A response document with the texts it refers to as {"attachment": N}.
struct Response {
  std::string document;
  std::vector<std::string> attachments;
};

/// The façade with attachments: `attachments` are moved into the request where it refers to them.
Response call(std::string_view method, std::string_view request,
              std::vector<std::string> attachments);

/// The error document the façade answers with, for a layer that fails before it reaches the
/// façade (the wasm binding, when its arguments cannot be carried into wasm memory).
std::string error_response(std::string_view code, std::string_view message);

/// The names of the façade's methods, in the order they are listed.
std::vector<std::string_view> method_names();

/// The page's part of the façade: `analyze`, `example` and `form`, the methods the page calls
/// before anything is clicked, answered exactly as `call` answers them; any other method is
/// `request.unknown_method`, naming these. A wasm module bound to this alone leaves the rest of
/// core out (the linker keeps only what it reaches), so the page's first download is smaller
/// (issue 16); the page asks the whole module for the others when they are first needed.
std::string call_page(std::string_view method, std::string_view request);
Response call_page(std::string_view method, std::string_view request,
                   std::vector<std::string> attachments);

/// The names of the page's methods (call_page), in the order they are listed.
std::vector<std::string_view> page_method_names();

}  // namespace relaycheck
