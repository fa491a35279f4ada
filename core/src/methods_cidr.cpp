// The address engine's façade methods: cidr.parse, cidr.aggregate, cidr.missing, cidr.contains
// and whitelist. A list is given as text (one entry a line, blank lines and # comments allowed,
// so that errors carry line numbers), as {"text": ..., "source": "name.txt"}, or as an array
// of strings; errors name the source, the line (or the index), the entry and the reason.
#include <string>

#include <nlohmann/json.hpp>

#include "relaycheck/crm_networks.hpp"
#include "relaycheck/methods.hpp"
#include "relaycheck/prefix_set.hpp"
#include "relaycheck/request_error.hpp"
#include "relaycheck/whitelist.hpp"

namespace relaycheck::methods {
namespace {

using nlohmann::json;

ip::HostBits host_bits(const json& request) {
  const auto it = request.find("lenient");
  if (it == request.end()) return ip::HostBits::reject;
  if (!it->is_boolean()) throw RequestError("request.bad_type", "\"lenient\" must be true or false", "/lenient");
  return it->get<bool>() ? ip::HostBits::mask : ip::HostBits::reject;
}

const std::string& string_field(const json& object, const std::string& key, const std::string& path) {
  const auto it = object.find(key);
  if (it == object.end()) throw RequestError("request.missing_field", "the request has no \"" + key + "\"", path);
  if (!it->is_string()) throw RequestError("request.bad_type", "\"" + key + "\" must be a string", path);
  return it->get_ref<const std::string&>();
}

/// Reads a list given as text, {"text", "source"} or an array of strings into `builder`.
/// `path` is the JSON Pointer of the list in the request.
void read_list(const json& list, const std::string& path, ip::HostBits mode,
               ip::PrefixSet::Builder& builder) {
  if (list.is_array()) {
    builder.reserve(list.size(), 0);
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string where = path + "/" + std::to_string(i);
      if (!list[i].is_string()) throw RequestError("request.bad_type", "entries must be strings", where);
      const auto& text = list[i].get_ref<const std::string&>();
      auto parsed = ip::parse_prefix(text, mode);
      if (!parsed) throw RequestError("cidr.invalid", "'" + text + "': " + parsed.error, where);
      builder.add(*parsed.value);
    }
    return;
  }
  std::string source;
  std::string text_path = path;
  const std::string* content = nullptr;
  if (list.is_object()) {
    if (list.contains("source")) source = string_field(list, "source", path + "/source");
    text_path = path + "/text";
    content = &string_field(list, "text", text_path);
  } else if (list.is_string()) {
    content = &list.get_ref<const std::string&>();
  } else {
    throw RequestError("request.bad_type",
                       "a list must be text, {\"text\": ...} or an array of strings", path);
  }
  if (auto error = ip::parse_list_into(*content, mode, builder)) {
    throw RequestError("cidr.invalid",
                       (source.empty() ? "" : source + ": ") + "line " + std::to_string(error->line) +
                           ": '" + error->text + "': " + error->reason,
                       text_path);
  }
}

/// The list at `key`, or the request itself when it holds "text"/"prefixes" (cidr.aggregate).
ip::PrefixSet list_field(const json& request, const std::string& key, ip::HostBits mode) {
  const auto it = request.find(key);
  if (it == request.end()) throw RequestError("request.missing_field", "the request has no \"" + key + "\"", "/" + key);
  ip::PrefixSet::Builder builder;
  read_list(*it, "/" + key, mode, builder);
  return builder.build();
}

json texts(const std::vector<ip::Prefix>& prefixes) {
  json list = json::array();
  for (const auto& p : prefixes) list.push_back(ip::to_string(p));
  return list;
}

json prefix_result(const std::vector<ip::Prefix>& prefixes) {
  return json{{"prefixes", texts(prefixes)}, {"count", prefixes.size()}};
}

}  // namespace

json cidr_parse(const json& request) {
  const std::string& text = string_field(request, "text", "/text");
  auto parsed = ip::parse_prefix(text, host_bits(request));
  if (!parsed) throw RequestError("cidr.invalid", "'" + text + "': " + parsed.error, "/text");
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
  return prefix_result(builder.build().prefixes());
}

json cidr_missing(const json& request) {
  const ip::HostBits mode = host_bits(request);
  const ip::PrefixSet required = list_field(request, "required", mode);
  const ip::PrefixSet allowed = list_field(request, "allowed", mode);
  json result = prefix_result(subtract(required, allowed).prefixes());
  result["covered"] = result["count"] == 0;
  return result;
}

json cidr_contains(const json& request) {
  const ip::HostBits mode = host_bits(request);
  const ip::PrefixSet set = list_field(request, "set", mode);
  const auto it = request.find("addresses");
  if (it == request.end() || !it->is_array()) {
    throw RequestError("request.missing_field", "the request needs \"addresses\": an array of strings", "/addresses");
  }
  json results = json::array();
  for (std::size_t i = 0; i < it->size(); ++i) {
    const std::string where = "/addresses/" + std::to_string(i);
    if (!(*it)[i].is_string()) throw RequestError("request.bad_type", "addresses must be strings", where);
    const auto& text = (*it)[i].get_ref<const std::string&>();
    // An address, or a prefix when it has a length: containment of the whole prefix.
    auto parsed = ip::parse_prefix(text, mode);
    if (!parsed) throw RequestError("cidr.invalid", "'" + text + "': " + parsed.error, where);
    results.push_back({{"address", text},
                       {"canonical", ip::to_string(*parsed.value)},
                       {"contained", set.contains(*parsed.value)}});
  }
  return json{{"results", results}};
}

json whitelist(const json& request) {
  ip::PrefixSet ranges;
  std::string label;
  json result = json::object();
  if (request.contains("ranges")) {
    ranges = list_field(request, "ranges", host_bits(request));
    label = "your list of the CRM's ranges";
    result["dataCenter"] = "custom";
  } else {
    const std::string& dc = string_field(request, "dc", "/dc");
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
    label = "the CRM's " + name + " data-centre ranges, as of " + info.date;
    result["dataCenter"] = name;
    result["data"] = {{"version", info.version}, {"date", info.date}, {"source", info.source}};
  }
  auto format = whitelist::SnippetFormat::plain;
  if (request.contains("format")) {
    const std::string& name = string_field(request, "format", "/format");
    auto parsed = whitelist::parse_snippet_format(name);
    if (!parsed) {
      throw RequestError("request.bad_value",
                         "\"format\" must be plain, postfix, exim, sendmail or exchange", "/format");
    }
    format = *parsed;
  }
  result["ranges"] = texts(ranges.prefixes());
  result["addresses"] = {{"ipv4", ranges.address_count(ip::Family::v4)},
                         {"ipv6", ranges.address_count(ip::Family::v6)}};
  result["format"] = whitelist::to_string(format);
  result["snippet"] = whitelist::snippet(ranges, format, label);
  if (request.contains("allowed")) {
    const auto& allowed = request["allowed"];
    if (!allowed.is_array()) throw RequestError("request.bad_type", "\"allowed\" must be an array of strings", "/allowed");
    std::vector<std::string> entries;
    for (std::size_t i = 0; i < allowed.size(); ++i) {
      if (!allowed[i].is_string()) {
        throw RequestError("request.bad_type", "entries must be strings", "/allowed/" + std::to_string(i));
      }
      entries.push_back(allowed[i].get<std::string>());
    }
    result["check"] = whitelist::check(ranges, entries, "/allowed", result["dataCenter"].get<std::string>());
  }
  return result;
}

}  // namespace relaycheck::methods
