#include "dns/sources.hpp"

#include <algorithm>

#include "spf/dns_view.hpp"

namespace relaycheck::dns {

using json = nlohmann::json;

namespace {

/// The string at `key` of `record`, if it is one.
std::optional<std::string> text_at(const json& record, const char* key) {
  const auto it = record.find(key);
  if (it == record.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

bool answers_for_name(std::string_view type) {
  return type == "NXDOMAIN" || type == "NODATA" || type == "CNAME";
}

}  // namespace

DnsSources::DnsSources(const json& section) {
  if (!section.is_object()) return;
  for (const auto& [owner, records] : section.items()) {
    if (records.is_array()) owners_[spf::normalize_name(owner)].push_back(&records);
  }
}

RecordSource DnsSources::source(std::string_view name,
                                std::initializer_list<std::string_view> types) const {
  const auto it = owners_.find(spf::normalize_name(name));
  if (it == owners_.end()) return {};
  for (const json* records : it->second) {
    for (const json& r : *records) {
      if (!r.is_object()) continue;
      const auto t = r.find("type");
      if (t == r.end() || !t->is_string()) continue;
      const std::string& type = t->get_ref<const std::string&>();
      if (!answers_for_name(type) && std::find(types.begin(), types.end(), type) == types.end()) {
        continue;
      }
      RecordSource out{RecordSource::Kind::config, text_at(r, "fetched"), text_at(r, "resolver")};
      if (out.fetched || out.resolver) out.kind = RecordSource::Kind::live;
      return out;
    }
  }
  return {};
}

}  // namespace relaycheck::dns
