#include "rules/crm_networks.hpp"

#include "config/data.hpp"
#include "rules/whitelist.hpp"
#include "text/quote.hpp"

namespace relaycheck {
namespace crm {
namespace {

/// The compiled table (core/tools/data_tables.py), in the file's order of data centres (the
/// source's).
const data::CrmDataCenter* find(std::string_view name);

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto upper = [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; };
    if (upper(a[i]) != upper(b[i])) return false;
  }
  return true;
}

const data::CrmDataCenter* find(std::string_view name) {
  for (std::size_t i = 0; i < data::crm_data_center_count; ++i) {
    if (same_name(data::crm_data_centers[i].name, name)) return &data::crm_data_centers[i];
  }
  return nullptr;
}

std::string known_list() {
  std::string names;
  for (const auto& name : data_centers()) names += (names.empty() ? "" : ", ") + name;
  return names;
}

}  // namespace

NetworksInfo networks_info() {
  return NetworksInfo{data::crm_networks_version, std::string(data::crm_networks_date),
                      std::string(data::crm_networks_source)};
}

std::vector<std::string> data_centers() {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < data::crm_data_center_count; ++i) {
    names.emplace_back(data::crm_data_centers[i].name);
  }
  return names;
}

std::string data_center_host(std::string_view name) {
  const data::CrmDataCenter* centre = find(name);
  return centre == nullptr ? std::string() : std::string(centre->host);
}

std::optional<ip::PrefixSet> data_center_networks(std::string_view name) {
  const data::CrmDataCenter* centre = find(name);
  if (centre == nullptr) return std::nullopt;
  std::vector<ip::Prefix> prefixes;
  for (std::size_t i = 0; i < centre->range_count; ++i) {
    // The table is checked by the tests: every entry is strict CIDR.
    prefixes.push_back(*ip::parse_prefix(centre->ranges[i]).value);
  }
  return ip::PrefixSet(prefixes);
}

RequiredNetworks required_networks(std::string_view name, const std::vector<std::string>& custom,
                                   std::string_view pointer) {
  RequiredNetworks out;
  if (custom.empty()) {
    auto networks = data_center_networks(name);
    if (networks) {
      out.networks = std::move(*networks);
      out.label = std::string(name);
      for (char& c : out.label) c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
    } else {
      out.label = "custom";
      out.findings.push_back(
          Finding{"crm.unknown_data_center", Severity::error, std::string(pointer),
                  "There are no built-in source ranges for data centre '" + std::string(name) +
                      "', so whether the relay admits the CRM's servers cannot be told.",
                  "Paste the CRM's current source ranges for that data centre, or choose one of: " +
                      known_list() + "."});
    }
    return out;
  }
  out.label = "custom";
  std::vector<ip::Prefix> prefixes;
  for (std::size_t i = 0; i < custom.size(); ++i) {
    const std::string where = std::string(pointer) + "/" + std::to_string(i);
    auto parsed = ip::parse_prefix(custom[i]);
    if (!parsed) {
      auto masked = ip::parse_prefix(custom[i], ip::HostBits::mask);
      out.findings.push_back(
          Finding{"crm.invalid_range", Severity::error, where,
                  "The CRM range " + quote(custom[i]) + " is not valid: " + parsed.error +
                      (masked ? "; " + ip::to_string(*masked.value) + " is used meanwhile."
                              : "; it is left out, so the whitelist check may miss a range."),
                  "Write the range as an address or CIDR network, such as 204.141.42.0/23."});
      if (!masked) continue;
      parsed = masked;
    }
    // A pasted range flows into every snippet: one that admits all or a wide part of the
    // Internet would make each relay that pastes it an open relay, so it is left out.
    const ip::Prefix& p = *parsed.value;
    const whitelist::Reach reach = whitelist::reach(p);
    if (reach == whitelist::Reach::limited) {
      prefixes.push_back(p);
      continue;
    }
    const bool is_v4 = p.family == ip::Family::v4 || ip::is_v4_mapped(p.network());
    out.findings.push_back(Finding{
        "crm.range_too_broad", Severity::error, where,
        "The CRM range " + ip::to_string(p) + " admits " +
            (reach == whitelist::Reach::everything
                 ? std::string("every ") + (is_v4 ? "IPv4" : "IPv6") + " address"
                 : std::string("public address space wider than a /") + (is_v4 ? "16" : "32")) +
            " (" + ip::address_count(p) +
            " addresses): a relay that trusts it would relay for anyone there, so it is left out "
            "of the whitelist checks and snippets.",
        "Paste the CRM's published ranges for your data centre (the domain source lists /23 and "
        "/24 networks and single addresses)."});
  }
  out.networks = ip::PrefixSet(prefixes);
  return out;
}

}  // namespace crm
}  // namespace relaycheck
