#include "relaycheck/facade.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <exception>
#include <new>

#include <nlohmann/json.hpp>

#include "api/methods.hpp"
#include "api/request_error.hpp"
#include "config/finding.hpp"
#include "config/json_text.hpp"
#include "text/json_writer.hpp"
#include "text/quote.hpp"
#include "text/utf8.hpp"

namespace relaycheck {
namespace {

using json = nlohmann::json;

struct Method {
  std::string_view name;
  /// The method, answering with the result document; null when `text_handler` answers.
  json (*handler)(const json& request);
  /// The result member that holds the answer as text, which "output": "attachment" moves out
  /// of the document; empty for methods that do not answer in text.
  std::string_view text_answer;
  /// The method, answering with the result as JSON text appended to the answer (`analyze`: its
  /// report is written without building a tree, text/json_writer.hpp).
  void (*text_handler)(const json& request, std::string& out) = nullptr;
};

// The methods the page needs for its first analysis, one definition each, shared by both tables.
constexpr Method kAnalyze{"analyze", nullptr, "", &methods::analyze};
constexpr Method kExample{"example", &methods::example, ""};
constexpr Method kForm{"form", &methods::form, ""};

constexpr std::array kMethods{
    kAnalyze,
    kExample,
    kForm,
    Method{"cidr.parse", &methods::cidr_parse, ""},
    Method{"cidr.aggregate", &methods::cidr_aggregate, "text"},
    Method{"cidr.missing", &methods::cidr_missing, "text"},
    Method{"cidr.contains", &methods::cidr_contains, "text"},
    Method{"cidr.extract", &methods::cidr_extract, ""},
    Method{"whitelist", &methods::whitelist, ""},
    Method{"plan", &methods::plan, ""},
    Method{"spf.check", &methods::spf_check, "resultsText"},
    Method{"spf.lint", &methods::spf_lint, ""},
    Method{"spf.propose", &methods::spf_propose, ""},
    Method{"spf.ranges", &methods::spf_ranges, "text"},
    Method{"dkim.parse", &methods::dkim_parse, ""},
    Method{"dmarc.parse", &methods::dmarc_parse, ""},
    Method{"orgDomain", &methods::org_domain, ""},
    Method{"dns.query", &methods::dns_query, ""},
    Method{"dns.answer", &methods::dns_answer, ""},
    Method{"dns.plan", &methods::dns_plan, ""},
    Method{"dns.merge", &methods::dns_merge, ""},
    Method{"report.render", &methods::report_render, "text"},
};

/// The page module's methods (call_page): what the page asks for before anything is clicked.
/// The linker keeps only the code these reach, so the page's first download leaves the rest out.
constexpr std::array kPageMethods{kAnalyze, kExample, kForm};

/// A table of methods: the whole façade's or the page module's.
struct Methods {
  const Method* first;
  const Method* last;
  const Method* begin() const { return first; }
  const Method* end() const { return last; }
};

template <std::size_t N>
constexpr Methods methods_of(const std::array<Method, N>& table) {
  return {table.data(), table.data() + N};
}

// An answer's first bytes: {"ok":true,"result":…} as nlohmann writes it, members in key order and
// no white space (an error is {"error":…,"ok":false}).
constexpr std::string_view kAnsweredStart = "{\"ok\":true,\"result\":";

std::string respond_error(std::string_view code, std::string_view message,
                          std::string_view path = {}) {
  json response{{"ok", false}, {"error", {{"code", code}, {"message", message}, {"path", path}}}};
  return text::json_text(response);
}

std::vector<std::string_view> names_of(Methods table) {
  std::vector<std::string_view> names;
  for (const auto& m : table) names.push_back(m.name);
  return names;
}

std::string method_list(Methods table, bool text_answers_only = false) {
  std::string names;
  for (const auto& m : table) {
    if (text_answers_only && m.text_answer.empty()) continue;
    if (!names.empty()) names += ", ";
    names += m.name;
  }
  return names;
}

/// The offset of the first byte of `text` from `from` on that is not part of well-formed UTF-8
/// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or npos. ASCII is
/// checked 8 bytes at a time, since attachments are long and nearly always ASCII.
std::size_t invalid_utf8_at(std::string_view text, std::size_t from = 0) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = from;
  while (i < n) {
    if (n - i >= 8) {
      std::uint64_t block;
      std::memcpy(&block, s + i, 8);
      if ((block & 0x8080808080808080u) == 0) {
        i += 8;
        continue;
      }
    }
    const std::size_t length = text::utf8_sequence_length(text, i);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

/// Replaces every byte of `text` that is not part of well-formed UTF-8 by U+FFFD, as the JSON of a
/// request is written: the bytes of a file are not always UTF-8, and a Latin-1 comment must not
/// make a list unreadable (an entry with such a byte is still refused, by its line).
void replace_invalid_utf8(std::string& text) {
  std::size_t at = invalid_utf8_at(text);
  if (at == std::string_view::npos) return;
  std::string out;
  out.reserve(text.size() + 16);
  std::size_t from = 0;
  while (at != std::string_view::npos) {
    out.append(text, from, at - from);
    out += "\xEF\xBF\xBD";
    from = at + 1;
    at = invalid_utf8_at(text, from);
  }
  out.append(text, from, std::string::npos);
  text = std::move(out);
}

/// The index of an attachment reference: an object whose only member is "attachment".
const json* attachment_index(const json& node) {
  if (!node.is_object() || node.size() != 1) return nullptr;
  const auto it = node.find("attachment");
  return it == node.end() ? nullptr : &*it;
}

/// Replaces every attachment reference in `request` with the text it names, moved out of
/// `attachments`. Iterative, so that a deeply nested request cannot exhaust the stack; each node
/// keeps only its own JSON Pointer token, so that deep nesting costs linear memory, and a path is
/// spelled out only for an error.
void resolve_attachments(json& request, std::vector<std::string>& attachments) {
  struct Node {
    json* value;
    std::size_t parent;  ///< index in `nodes`; npos for the request itself
    std::string token;
  };
  std::vector<Node> nodes{{&request, std::string::npos, ""}};
  const auto pointer = [&](std::size_t k) {
    std::vector<const std::string*> tokens;
    for (; k != std::string::npos && nodes[k].parent != std::string::npos; k = nodes[k].parent) {
      tokens.push_back(&nodes[k].token);
    }
    std::string path;
    for (auto it = tokens.rbegin(); it != tokens.rend(); ++it) path += "/" + **it;
    return path;
  };
  std::vector<bool> used(attachments.size(), false);
  std::vector<std::size_t> pending{0};
  while (!pending.empty()) {
    const std::size_t k = pending.back();
    pending.pop_back();
    json& node = *nodes[k].value;
    if (const json* index = attachment_index(node)) {
      const std::string where = pointer(k) + "/attachment";
      if (k == 0)
        throw RequestError("request.bad_attachment",
                           "the request itself must be an object, not an attachment", where);
      if (!index->is_number_unsigned() || index->get<std::uint64_t>() >= attachments.size()) {
        const std::size_t n = attachments.size();
        throw RequestError(
            "request.bad_attachment",
            "an attachment is named by its number from 0, and the request came with " +
                std::to_string(n) + (n == 1 ? " attachment" : " attachments"),
            where);
      }
      const auto a = index->get<std::size_t>();
      if (used[a]) {
        throw RequestError("request.bad_attachment",
                           "attachment " + std::to_string(a) + " is used twice", where);
      }
      used[a] = true;
      node = std::move(attachments[a]);
      continue;
    }
    const auto visit = [&](json& child, std::string token) {
      if (!child.is_structured()) return;
      pending.push_back(nodes.size());
      nodes.push_back(Node{&child, k, std::move(token)});
    };
    if (node.is_object()) {
      for (auto it = node.begin(); it != node.end(); ++it) visit(*it, pointer_token(it.key()));
    } else if (node.is_array()) {
      for (std::size_t i = 0; i < node.size(); ++i) visit(node[i], std::to_string(i));
    }
  }
  for (std::size_t a = 0; a < used.size(); ++a) {
    if (!used[a]) {
      throw RequestError("request.bad_attachment",
                         "attachment " + std::to_string(a) +
                             " is not used: refer to it as {\"attachment\": " + std::to_string(a) +
                             "}");
    }
  }
}

/// True when the request asks for its text answer as an attachment; checks that it can have one.
bool wants_attachment_output(Methods table, const Method& method, json& request,
                             bool caller_takes_attachments) {
  const auto it = request.find("output");
  if (it == request.end() || *it != "attachment") return false;
  if (method.text_answer.empty()) {
    const std::string text_methods = method_list(table, true);
    throw RequestError(
        "request.bad_value",
        text_methods.empty()
            ? "\"output\": \"attachment\" is for the methods that answer in "
              "text, and this module has none"
            : "\"output\": \"attachment\" is for the methods that answer in text: " + text_methods,
        "/output");
  }
  if (!caller_takes_attachments) {
    throw RequestError("request.bad_value",
                       "\"output\": \"attachment\" needs a caller that takes attachments "
                       "(callWithAttachments in JavaScript, relaycheck api --attachment-out)",
                       "/output");
  }
  *it = "text";  // the method answers in text; the façade moves that text out
  return true;
}

/// Throws response.too_large when the answer, attachments included, exceeds kMaxResponseBytes.
void refuse_if_too_large(const Response& response) {
  std::size_t answer = response.document.size();
  for (const auto& a : response.attachments) answer += a.size();
  if (answer > kMaxResponseBytes) {
    throw RequestError("response.too_large",
                       "the answer is " + std::to_string(answer) + " bytes, over the limit of " +
                           std::to_string(kMaxResponseBytes) +
                           " (64 MiB) for an answer; ask about less at a time");
  }
}

Response respond(Methods table, std::string_view method_name, std::string_view request_text,
                 std::vector<std::string> attachments, bool caller_takes_attachments) {
  Response response;
  try {
    const Method* found = nullptr;
    for (const auto& m : table) {
      if (m.name == method_name) found = &m;
    }
    if (found == nullptr) {
      response.document =
          respond_error("request.unknown_method", "unknown method " + text::quote(method_name) +
                                                      "; the methods are: " + method_list(table));
      return response;
    }
    std::size_t size = request_text.size();
    for (const auto& a : attachments) size += a.size();
    if (size > kMaxRequestBytes) {
      response.document = respond_error(
          "request.too_large", "the request is " + std::to_string(size) + " bytes; the limit is " +
                                   std::to_string(kMaxRequestBytes));
      return response;
    }
    json request = parse_json_or_throw(
        request_text, {"request.not_json", "request.too_deep", "request.number_out_of_range"},
        "the request", "");
    if (!request.is_object()) {
      response.document = respond_error("request.not_object", "the request must be a JSON object");
      return response;
    }
    for (auto& attachment : attachments) replace_invalid_utf8(attachment);
    // A request without the word cannot refer to an attachment: skip the walk.
    if (!attachments.empty() || request_text.find("\"attachment\"") != std::string_view::npos) {
      resolve_attachments(request, attachments);
    }
    const bool attach_output =
        wants_attachment_output(table, *found, request, caller_takes_attachments);
    if (found->handler == nullptr) {
      response.document = kAnsweredStart;
      found->text_handler(request, response.document);
      response.document += '}';
      refuse_if_too_large(response);
      return response;
    }
    json result = found->handler(request);
    if (attach_output) {
      const auto it = result.find(found->text_answer);
      if (it == result.end() || !it->is_string()) {
        throw RequestError("request.bad_value",
                           "\"output\": \"attachment\": this request's answer has no text",
                           "/output");
      }
      response.attachments.push_back(std::move(it->get_ref<std::string&>()));
      *it = json{{"attachment", 0}};
    }
    json document{{"ok", true}, {"result", std::move(result)}};
    response.document = text::json_text(document);
    refuse_if_too_large(response);
  } catch (const RequestError& e) {
    response.attachments.clear();
    response.document = respond_error(e.code(), e.message(), e.path());
  } catch (const std::bad_alloc&) {
    response.attachments.clear();
    response.document =
        respond_error("internal.out_of_memory", "out of memory while answering the request");
  } catch (const std::exception& e) {
    response.attachments.clear();
    response.document = respond_error("internal.error", std::string("internal error: ") + e.what());
  } catch (...) {
    response.attachments.clear();
    response.document = respond_error("internal.error", "internal error");
  }
  return response;
}

}  // namespace

std::vector<std::string_view> method_names() { return names_of(methods_of(kMethods)); }

std::string call(std::string_view method, std::string_view request) {
  return respond(methods_of(kMethods), method, request, {}, false).document;
}

std::string error_response(std::string_view code, std::string_view message) {
  return respond_error(code, message);
}

bool answered(std::string_view document) {
  return document.substr(0, kAnsweredStart.size()) == kAnsweredStart;
}

Response call(std::string_view method, std::string_view request,
              std::vector<std::string> attachments) {
  return respond(methods_of(kMethods), method, request, std::move(attachments), true);
}

std::vector<std::string_view> page_method_names() { return names_of(methods_of(kPageMethods)); }

std::string call_page(std::string_view method, std::string_view request) {
  return respond(methods_of(kPageMethods), method, request, {}, false).document;
}

Response call_page(std::string_view method, std::string_view request,
                   std::vector<std::string> attachments) {
  return respond(methods_of(kPageMethods), method, request, std::move(attachments), true);
}

}  // namespace relaycheck
