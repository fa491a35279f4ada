// The façade's DNS methods (issue 17): build a query, read an answer, plan the lookups the
// analysis still needs, and merge fetched answers into a config. Core never sends anything: the
// page carries the bytes over DNS-over-HTTPS, the CLI over UDP and TCP.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/config_request.hpp"
#include "api/methods.hpp"
#include "api/request_error.hpp"
#include "api/request_reader.hpp"
#include "dns/lookup_plan.hpp"
#include "dns/message.hpp"

namespace relaycheck::methods {
namespace {

using json = nlohmann::json;

/// A record type: its name ("TXT", "type65") or its number.
std::uint16_t type_field(const json& object, const std::string& base) {
  const json* field = find_field(object, "type");
  if (field == nullptr) {
    throw RequestError("request.missing_field", "\"type\" is required", base + "/type");
  }
  if (field->is_number_integer() && field->get<std::int64_t>() >= 0 &&
      field->get<std::int64_t>() <= 0xffff) {
    return static_cast<std::uint16_t>(field->get<std::int64_t>());
  }
  if (field->is_string()) {
    if (const auto code = dns::type_code(field->get<std::string>())) return *code;
    throw RequestError("request.bad_value",
                       "\"type\" must be a record type such as TXT, A, AAAA, MX or PTR",
                       base + "/type");
  }
  throw RequestError("request.bad_type", "\"type\" must be a type name or a number 0 to 65535",
                     base + "/type");
}

/// An optional integer in [low, high], `fallback` when absent.
std::uint64_t integer_field_or(const json& object, std::string_view key, std::uint64_t low,
                               std::uint64_t high, std::uint64_t fallback) {
  const json* field = find_field(object, key);
  if (field == nullptr) return fallback;
  const std::string path = "/" + std::string(key);
  if (!field->is_number_integer() || field->is_number_float()) {
    throw RequestError("request.bad_type", "\"" + std::string(key) + "\" must be an integer", path);
  }
  if (field->is_number_unsigned() || field->get<std::int64_t>() >= 0) {
    const auto value = field->get<std::uint64_t>();
    if (value >= low && value <= high) return value;
  }
  throw RequestError(
      "request.bad_value",
      "\"" + std::string(key) + "\" must be " + std::to_string(low) + " to " + std::to_string(high),
      path);
}

json lookups_json(const std::vector<dns::Lookup>& lookups) {
  json out = json::array();
  for (const dns::Lookup& l : lookups) {
    out.push_back({{"name", l.name}, {"type", dns::type_name(l.type)}});
  }
  return out;
}

/// The request's config document as given (object, or its text parsed), for returning it with
/// only `dns` changed.
json config_document(const json& request) {
  const json& given = request.at("config");
  if (given.is_string()) return json::parse(given.get<std::string>(), nullptr, false);
  return given;
}

/// The entries of one owner and type as people read them: `TXT ["v=spf1 -all"]`, `NXDOMAIN`.
std::string entries_text(const json& entries) {
  std::string out;
  for (const json& e : entries) {
    if (!out.empty()) out += ", ";
    out += e.value("type", "?");
    if (e.contains("data"))
      out += " " + e["data"].dump(-1, ' ', false, json::error_handler_t::replace);
  }
  return out.empty() ? "nothing" : out;
}

/// `dns.records.changed`: a fetched answer differs from what the config held (pasted or fetched
/// before), except a temporary error that now has an answer, or an answer now a temporary error.
std::vector<Finding> change_findings(const std::vector<dns::Change>& changes, const json& section) {
  std::vector<Finding> out;
  auto only_timeouts = [](const json& entries) {
    return std::all_of(entries.begin(), entries.end(),
                       [](const json& e) { return e.value("type", "") == "TIMEOUT"; });
  };
  for (const dns::Change& c : changes) {
    if (c.change != "changed" || only_timeouts(c.before) || only_timeouts(c.after)) continue;
    std::string owner = c.name;
    for (const auto& item : section.items()) {
      if (dns::normalize(item.key()) == c.name) owner = item.key();
    }
    out.push_back({"dns.records.changed", Severity::info, "/dns/" + pointer_token(owner),
                   "the " + c.type + " answer for " + c.name +
                       " differs from the one the config held: it was " + entries_text(c.before) +
                       ", it is now " + entries_text(c.after) +
                       "; the analysis uses what was fetched now.",
                   "Check that the change was intended; an analysis attached to a change ticket "
                   "with the old records no longer holds."});
  }
  return out;
}

}  // namespace

json dns_query(const json& request) {
  const std::string& name = string_field(request, "name");
  const std::uint16_t qtype = type_field(request, "");
  const auto id = static_cast<std::uint16_t>(integer_field_or(request, "id", 0, 0xffff, 0));
  const auto payload = static_cast<std::uint16_t>(
      integer_field_or(request, "udpPayload", 512, 0xffff, dns::kDefaultUdpPayload));
  const auto query = dns::encode_query(name, qtype, id, payload);
  if (!query)
    throw RequestError("dns.bad_name", "the name cannot be asked: " + query.error, "/name");
  const auto get = dns::doh_get_parameter(name, qtype);
  return {{"name", dns::normalize(name)},
          {"type", dns::type_name(qtype)},
          {"id", id},
          {"bytes", dns::base64_encode(*query.value)},
          {"dohGet", *get.value}};
}

json dns_answer(const json& request) {
  const json* question = find_field(request, "question");
  if (question == nullptr) {
    throw RequestError("request.missing_field", "\"question\" is required", "/question");
  }
  if (!question->is_object()) {
    throw RequestError("request.bad_type", "\"question\" must be {\"name\", \"type\"}",
                       "/question");
  }
  const dns::Question asked{string_field(*question, "name", "/question"),
                            type_field(*question, "/question"), 1};
  const auto bytes = dns::base64_decode(string_field(request, "response"));
  if (!bytes) {
    throw RequestError("dns.not_base64", "the response is not base64: " + bytes.error, "/response");
  }
  const auto message = dns::decode_response(*bytes.value);
  if (!message) {
    throw RequestError("dns.malformed", "the response is not a DNS message: " + message.error,
                       "/response");
  }
  const dns::Message& m = *message.value;
  json result{{"id", m.id},
              {"rcode", m.rcode},
              {"rcodeName", dns::rcode_name(m.rcode)},
              {"truncated", m.truncated},
              {"entries", nullptr}};
  if (m.truncated) return result;  // ask again over TCP; nothing to keep from this one
  const auto entries = dns::to_zone_entries(asked, m);
  if (!entries) throw RequestError("dns.mismatch", entries.error, "/response");
  result["entries"] = *entries.value;
  return result;
}

json dns_plan(const json& request) {
  LoadedConfig loaded = request_config(request);
  if (const json* dns = find_field(request, "dns")) {
    if (!dns->is_object()) {
      throw RequestError("request.bad_type", "\"dns\" must be a map from DNS names to records",
                         "/dns");
    }
    loaded.config.dns = *dns;
  }
  const auto limit = static_cast<std::size_t>(integer_field_or(
      request, "limit", 1, 10 * dns::kMaxLookupsPerRound, dns::kMaxLookupsPerRound));
  const dns::LookupPlan plan = dns::plan_lookups(loaded.config, limit);
  return {{"lookups", lookups_json(plan.lookups)},
          {"total", plan.total},
          {"done", plan.done()},
          {"limit", plan.limit}};
}

json dns_merge(const json& request) {
  // With a config, its `dns` section; without one (spf check|lint --live), a bare zone map.
  const bool has_config = find_field(request, "config") != nullptr;
  json section = json::object();
  if (has_config) {
    section = request_config(request).config.dns;
  } else if (const json* dns = find_field(request, "dns")) {
    if (!dns->is_object()) {
      throw RequestError("request.bad_type", "\"dns\" must be a map from DNS names to records",
                         "/dns");
    }
    section = *dns;
  } else {
    throw RequestError("request.missing_field", "\"config\" or \"dns\" is required", "/config");
  }
  const json* list = find_field(request, "answers");
  if (list == nullptr) {
    throw RequestError("request.missing_field", "\"answers\" is required", "/answers");
  }
  if (!list->is_array()) {
    throw RequestError("request.bad_type", "\"answers\" must be a list of {name, type, entries}",
                       "/answers");
  }
  std::vector<dns::Answer> answers;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& item = (*list)[i];
    const std::string base = "/answers/" + std::to_string(i);
    if (!item.is_object()) {
      throw RequestError("request.bad_type", "an answer must be {name, type, entries}", base);
    }
    dns::Answer answer;
    answer.name = string_field(item, "name", base);
    answer.type = type_field(item, base);
    const json* entries = find_field(item, "entries");
    if (entries == nullptr || !entries->is_object()) {
      throw RequestError(entries == nullptr ? "request.missing_field" : "request.bad_type",
                         "\"entries\" must be the zone entries of the answer (dns.answer's)",
                         base + "/entries");
    }
    answer.entries = *entries;
    answers.push_back(std::move(answer));
  }
  const std::string resolver = string_field_or(request, "resolver", "");
  const std::string at = string_field_or(request, "at", "");
  const auto merged = dns::merge_answers(section, answers, resolver, at);
  if (!merged) throw RequestError("dns.bad_answer", merged.error, "/answers");
  json changes = json::array();
  std::size_t added = 0, changed = 0, unchanged = 0;
  for (const dns::Change& c : merged.value->changes) {
    (c.change == "added" ? added : c.change == "changed" ? changed : unchanged) += 1;
    changes.push_back({{"name", c.name},
                       {"type", c.type},
                       {"change", c.change},
                       {"before", c.before},
                       {"after", c.after}});
  }
  json result{{"dns", merged.value->dns},
              {"findings", change_findings(merged.value->changes, merged.value->dns)},
              {"changes", std::move(changes)},
              {"summary", {{"added", added}, {"changed", changed}, {"unchanged", unchanged}}}};
  if (has_config) {
    json config = config_document(request);
    if (config.is_object()) config["dns"] = merged.value->dns;
    result["config"] = std::move(config);
  }
  return result;
}

}  // namespace relaycheck::methods
