// The address engine's façade methods: cidr.parse, cidr.aggregate, cidr.missing, cidr.contains
// and whitelist (the CRM's ranges as a snippet of one kind: "allow-connection", the default, or
// "grant-relay"). A list is given as text (one entry a line, blank lines and # comments allowed,
// so that errors carry line numbers), as {"text": ..., "source": "name.txt"}, or as an array
// of strings; errors name the source, the line (or the index), the entry and the reason.
// With "output": "text", cidr.aggregate, cidr.missing and cidr.contains answer in text too (one
// canonical CIDR, or one yes/no, a line): a million entries then cost one string, not a million
// JSON values, which is what makes long lists fast through the wasm module.
#include <string>

#include <nlohmann/json.hpp>

#include "api/methods.hpp"
#include "api/request_error.hpp"
#include "api/request_reader.hpp"
#include "ip/prefix_set.hpp"
#include "relaycheck/facade.hpp"
#include "rules/crm_networks.hpp"
#include "rules/whitelist.hpp"
#include "text/quote.hpp"

namespace relaycheck::methods {
namespace {

using nlohmann::json;

ip::HostBits host_bits(const json& request) {
  return bool_field_or(request, "lenient", false) ? ip::HostBits::mask : ip::HostBits::reject;
}

/// The text of a list given as text or {"text", "source"}, with where it is in the request.
struct ListText {
  const std::string* content = nullptr;
  std::string source;
  std::string path;
};

ListText list_text(const json& list, const std::string& path) {
  ListText text;
  text.path = path;
  if (list.is_object()) {
    if (list.contains("source")) text.source = string_field(list, "source", path);
    text.path = path + "/text";
    text.content = &string_field(list, "text", path);
  } else if (list.is_string()) {
    text.content = &list.get_ref<const std::string&>();
  } else {
    throw RequestError("request.bad_type",
                       "a list must be text, {\"text\": ...} or an array of strings", path);
  }
  return text;
}

[[noreturn]] void throw_list_error(const ip::ListError& error, const ListText& text) {
  throw RequestError("cidr.invalid",
                     (text.source.empty() ? "" : text.source + ": ") + "line " +
                         std::to_string(error.line) + ": " + quote(error.text) + ": " +
                         error.reason,
                     text.path);
}

/// The prefix of one entry of a list given as an array; `where` is its JSON Pointer.
ip::Prefix array_entry(const json& entry, const std::string& where, ip::HostBits mode) {
  if (!entry.is_string()) throw RequestError("request.bad_type", "entries must be strings", where);
  const auto& text = entry.get_ref<const std::string&>();
  auto parsed = ip::parse_prefix(text, mode);
  if (!parsed) throw RequestError("cidr.invalid", quote(text) + ": " + parsed.error, where);
  return *parsed.value;
}

/// Reads a list given as text, {"text", "source"} or an array of strings into `builder`.
/// `path` is the JSON Pointer of the list in the request.
void read_list(const json& list, const std::string& path, ip::HostBits mode,
               ip::PrefixSet::Builder& builder) {
  if (list.is_array()) {
    builder.reserve(list.size(), 0);
    for (std::size_t i = 0; i < list.size(); ++i) {
      builder.add(array_entry(list[i], path + "/" + std::to_string(i), mode));
    }
    return;
  }
  const ListText text = list_text(list, path);
  if (auto error = ip::parse_list_into(*text.content, mode, builder))
    throw_list_error(*error, text);
}

/// True for "output": "text", false for "json" or no "output".
bool text_output(const json& request) {
  return choice_field(request, "output", {"json", "text"}, "json") == "text";
}

/// The list at `key`, or the request itself when it holds "text"/"prefixes" (cidr.aggregate).
ip::PrefixSet list_field(const json& request, const std::string& key, ip::HostBits mode) {
  const auto it = request.find(key);
  if (it == request.end())
    throw RequestError("request.missing_field", "the request has no \"" + key + "\"", "/" + key);
  ip::PrefixSet::Builder builder;
  read_list(*it, "/" + key, mode, builder);
  return builder.build();
}

json texts(const std::vector<ip::Prefix>& prefixes) {
  json list = json::array();
  for (const auto& p : prefixes) list.push_back(ip::to_string(p));
  return list;
}

/// Refuses, before it is written, an answer of `prefixes` over kMaxResponseBytes: a few holes in
/// ::/0 make millions of prefixes, which as JSON strings would take gigabytes. Each prefix is at
/// most 46 bytes as a JSON string with its comma (43 of text); only a list that may be too long
/// is measured, and measuring stops at the limit.
void check_answer_size(const std::vector<ip::Prefix>& prefixes, bool text) {
  const std::size_t per_entry = text ? 1 : 3;  // a newline, or two quotes and a comma
  if (prefixes.size() <= kMaxResponseBytes / (43 + per_entry)) return;
  std::size_t bytes = 0;
  for (const auto& p : prefixes) {
    bytes += ip::to_string(p).size() + per_entry;
    if (bytes > kMaxResponseBytes) {
      throw RequestError("response.too_large",
                         "the answer of " + std::to_string(prefixes.size()) +
                             " prefixes would be over the limit of " +
                             std::to_string(kMaxResponseBytes) +
                             " (64 MiB) for an answer; ask about a smaller range");
    }
  }
}

/// The answer of cidr.aggregate and cidr.missing: the prefixes as an array, or as text.
json prefix_result(const std::vector<ip::Prefix>& prefixes, bool text) {
  check_answer_size(prefixes, text);
  if (text) return json{{"text", ip::to_text(prefixes)}, {"count", prefixes.size()}};
  return json{{"prefixes", texts(prefixes)}, {"count", prefixes.size()}};
}

}  // namespace

json cidr_parse(const json& request) {
  const std::string& text = string_field(request, "text");
  auto parsed = ip::parse_prefix(text, host_bits(request));
  if (!parsed) throw RequestError("cidr.invalid", quote(text) + ": " + parsed.error, "/text");
  const ip::Prefix& p = *parsed.value;
  return json{{"prefix", ip::to_string(p)},
              {"family", p.family == ip::Family::v4 ? "ipv4" : "ipv6"},
              {"length", p.length},
              {"addresses", ip::address_count(p)},
              {"v4Mapped", ip::is_v4_mapped(p.network())}};
}

json cidr_aggregate(const json& request) {
  const ip::HostBits mode = host_bits(request);
  ip::PrefixSet::Builder builder;
  if (request.contains("prefixes")) {
    read_list(request["prefixes"], "/prefixes", mode, builder);
  } else if (request.contains("text")) {
    read_list(request, "", mode, builder);
  } else {
    throw RequestError("request.missing_field", "the request needs \"text\" or \"prefixes\"");
  }
  return prefix_result(builder.build().prefixes(), text_output(request));
}

json cidr_missing(const json& request) {
  const ip::HostBits mode = host_bits(request);
  const ip::PrefixSet required = list_field(request, "required", mode);
  const ip::PrefixSet allowed = list_field(request, "allowed", mode);
  json result = prefix_result(subtract(required, allowed).prefixes(), text_output(request));
  result["covered"] = result["count"] == 0;
  return result;
}

json cidr_contains(const json& request) {
  const ip::HostBits mode = host_bits(request);
  const ip::PrefixSet set = list_field(request, "set", mode);
  const bool text = text_output(request);
  const auto it = request.find("addresses");
  if (it == request.end()) {
    throw RequestError("request.missing_field",
                       "the request needs \"addresses\": text (one a line) or an array of strings",
                       "/addresses");
  }
  // An address, or a prefix when it has a length: containment of the whole prefix.
  std::string answers;
  json results = json::array();
  std::size_t count = 0;
  std::size_t contained = 0;
  const auto answer = [&](const ip::Prefix& prefix, const std::string* written) {
    const bool in = set.contains(prefix);
    ++count;
    contained += in ? 1 : 0;
    if (text) {
      answers += in ? "yes\n" : "no\n";
      return;
    }
    json item{{"canonical", ip::to_string(prefix)}, {"contained", in}};
    if (written != nullptr) item["address"] = *written;
    results.push_back(std::move(item));
  };
  if (it->is_array()) {
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string where = "/addresses/" + std::to_string(i);
      const ip::Prefix prefix = array_entry((*it)[i], where, mode);
      answer(prefix, &(*it)[i].get_ref<const std::string&>());
    }
  } else {
    const ListText list = list_text(*it, "/addresses");
    if (text) answers.reserve(list.content->size() / 8);
    const auto error =
        ip::for_each_prefix(*list.content, mode, [&](const ip::Prefix& p) { answer(p, nullptr); });
    if (error) throw_list_error(*error, list);
  }
  if (text) return json{{"text", std::move(answers)}, {"count", count}, {"contained", contained}};
  return json{{"results", std::move(results)}};
}

json whitelist(const json& request) {
  ip::PrefixSet ranges;
  std::string label;
  json result = json::object();
  if (request.contains("ranges")) {
    ranges = list_field(request, "ranges", host_bits(request));
    // Pasted ranges flow into every snippet: refuse any that would open the relay to a wide
    // part of the Internet (as the config's account.crmRanges does).
    for (const auto& prefix : ranges.prefixes()) {
      if (whitelist::reach(prefix) != whitelist::Reach::limited) {
        throw RequestError("whitelist.range_too_broad",
                           ip::to_string(prefix) + " admits " + ip::address_count(prefix) +
                               " addresses, public space wider than a /16 (IPv4) or /32 (IPv6): "
                               "a relay that trusted it would relay for anyone there",
                           "/ranges");
      }
    }
    label = "your list of the CRM's ranges";
    result["dataCenter"] = "custom";
  } else {
    const std::string& dc = string_field(request, "dc");
    auto networks = crm::data_center_networks(dc);
    if (!networks) {
      std::string names;
      for (const auto& n : crm::data_centers()) names += (names.empty() ? "" : ", ") + n;
      throw RequestError("whitelist.unknown_data_center",
                         "no data centre '" + dc + "'; choose one of " + names +
                             ", or give the CRM's current ranges as \"ranges\"",
                         "/dc");
    }
    ranges = std::move(*networks);
    std::string name = dc;
    for (char& c : name) c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
    const auto info = crm::networks_info();
    label = "the CRM's " + name + " data-centre ranges (as of " + info.date + ")";
    result["dataCenter"] = name;
    result["data"] = {{"version", info.version}, {"date", info.date}, {"source", info.source}};
  }
  auto format = whitelist::SnippetFormat::plain;
  if (request.contains("format")) {
    const std::string& name = string_field(request, "format");
    auto parsed = whitelist::parse_snippet_format(name);
    if (!parsed) {
      throw RequestError("request.bad_value",
                         "\"format\" must be plain, postfix, exim, sendmail or exchange",
                         "/format");
    }
    format = *parsed;
  }
  // Without "kind" the snippet only lets the CRM connect: pasted into an IP-whitelist relay it
  // fails closed (the CRM's mail is refused, and the whitelist check says so), whereas a
  // relay-granting default pasted into a password relay would silently let every tenant of the
  // CRM's data centre relay without the password.
  auto kind = whitelist::SnippetKind::allow_connection;
  if (request.contains("kind")) {
    const std::string& name = string_field(request, "kind");
    auto parsed = whitelist::parse_snippet_kind(name);
    if (!parsed) {
      throw RequestError("request.bad_value",
                         "\"kind\" must be allow-connection (a relay that requires SMTP AUTH) or "
                         "grant-relay (a relay that authenticates the CRM by IP address)",
                         "/kind");
    }
    kind = *parsed;
  }
  result["ranges"] = texts(ranges.prefixes());
  result["addresses"] = {{"ipv4", ranges.address_count(ip::Family::v4)},
                         {"ipv6", ranges.address_count(ip::Family::v6)}};
  result["format"] = whitelist::to_string(format);
  result["kind"] = whitelist::to_string(kind);
  result["snippet"] = whitelist::snippet(ranges, format, label, kind);
  if (request.contains("allowed")) {
    const auto& allowed = request["allowed"];
    if (!allowed.is_array())
      throw RequestError("request.bad_type", "\"allowed\" must be an array of strings", "/allowed");
    std::vector<std::string> entries;
    for (std::size_t i = 0; i < allowed.size(); ++i) {
      if (!allowed[i].is_string()) {
        throw RequestError("request.bad_type", "entries must be strings",
                           "/allowed/" + std::to_string(i));
      }
      entries.push_back(allowed[i].get<std::string>());
    }
    result["check"] =
        whitelist::check(ranges, entries, "/allowed", result["dataCenter"].get<std::string>());
  }
  return result;
}

}  // namespace relaycheck::methods
