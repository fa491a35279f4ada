#include "spf/dns_view.hpp"

#include <algorithm>
#include <cstring>

#include <nlohmann/json.hpp>

#include "config/finding.hpp"
#include "text/ascii.hpp"

namespace relaycheck::spf {
namespace {

using json = nlohmann::json;

/// A CNAME loop, or more aliases than this in one chain, is a server failure (as a resolver
/// answers SERVFAIL).
constexpr int kMaxCnameHops = 10;

constexpr std::size_t index_of(RrType type) { return static_cast<std::size_t>(type); }

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

/// A type name we do not use but accept: letters and digits, starting with a letter.
bool is_other_type_name(std::string_view type) {
  if (type.empty() || !((type[0] >= 'A' && type[0] <= 'Z'))) return false;
  return std::all_of(type.begin(), type.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

struct LoadError {
  std::string message;
  std::string path;
};

std::string read_name(const json& data, const std::string& path, const char* what) {
  if (!data.is_string())
    throw LoadError{std::string(what) + " data must be a domain name string", path};
  return data.get<std::string>();
}

ip::Address read_address(const json& data, const std::string& path, ip::Family family) {
  const char* what = family == ip::Family::v4 ? "an IPv4 address" : "an IPv6 address";
  if (!data.is_string())
    throw LoadError{std::string("A/AAAA data must be ") + what + " string", path};
  auto parsed = ip::parse_address(data.get<std::string>());
  if (!parsed)
    throw LoadError{"'" + data.get<std::string>() + "' is not an address: " + parsed.error, path};
  if (parsed.value->family != family) {
    throw LoadError{"'" + data.get<std::string>() + "' is not " + what, path};
  }
  return *parsed.value;
}

TxtRecord read_txt(const json& data, const std::string& path) {
  if (data.is_string()) return TxtRecord{data.get<std::string>()};
  if (!data.is_array()) throw LoadError{"TXT data must be a list of strings", path};
  TxtRecord strings;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (!data[i].is_string()) {
      throw LoadError{"TXT data must be a list of strings", path + "/" + std::to_string(i)};
    }
    strings.push_back(data[i].get<std::string>());
  }
  return strings;
}

MxRecord read_mx(const json& data, const std::string& path) {
  if (!data.is_array() || data.size() != 2 || !data[0].is_number_integer() ||
      !data[1].is_string()) {
    throw LoadError{"MX data must be [preference, exchange]", path};
  }
  const auto preference = data[0].get<long long>();
  if (preference < 0 || preference > 65535) {
    throw LoadError{"MX preference must be 0 to 65535", path + "/0"};
  }
  return MxRecord{static_cast<std::uint16_t>(preference), data[1].get<std::string>()};
}

/// True when a lowercased name equals a name in any case, without allocating.
bool equal_folded(std::string_view lower, std::string_view name) {
  if (lower.size() != name.size()) return false;
  for (std::size_t k = 0; k < name.size(); ++k) {
    if (lower[k] != text::to_lower(name[k])) return false;
  }
  return true;
}

/// A hash of the name that ignores ASCII case: eight bytes at a time, each with bit 0x20 set
/// (which lowercases letters and merges a few other pairs; equal_folded() settles those).
std::uint64_t folded_hash(std::string_view name) {
  std::uint64_t hash = 0x9e3779b97f4a7c15ull ^ name.size();
  std::size_t k = 0;
  for (; k + 8 <= name.size(); k += 8) {
    std::uint64_t word;
    std::memcpy(&word, name.data() + k, 8);
    hash = (hash ^ (word | 0x2020202020202020ull)) * 0xff51afd7ed558ccdull;
    hash ^= hash >> 32;
  }
  std::uint64_t tail = 0;
  for (std::size_t shift = 0; k < name.size(); ++k, shift += 8) {
    tail |= static_cast<std::uint64_t>(static_cast<unsigned char>(name[k]) | 0x20u) << shift;
  }
  hash = (hash ^ tail) * 0xc4ceb9fe1a85ec53ull;
  return hash ^ (hash >> 29);
}

void mark(DnsStatus (&status)[5], RrType type, DnsStatus value) {
  DnsStatus& s = status[index_of(type)];
  if (s == DnsStatus::unknown) s = value;
}

/// "TXT", "A", "AAAA", "MX", "PTR" (case-insensitive); nullopt for anything else.
std::optional<RrType> rr_type_from_string(std::string_view text) {
  const std::string t = upper(text);
  if (t == "TXT") return RrType::txt;
  if (t == "A") return RrType::a;
  if (t == "AAAA") return RrType::aaaa;
  if (t == "MX") return RrType::mx;
  if (t == "PTR") return RrType::ptr;
  return std::nullopt;
}

/// The types a TIMEOUT or NODATA entry (`what`) names: one type or a list of them.
std::vector<RrType> read_types(const json& data, const std::string& path, const char* what) {
  const json list = data.is_string() ? json::array({data}) : data;
  if (!list.is_array() || list.empty()) {
    throw LoadError{std::string(what) + " data must be a type or a list of types", path};
  }
  std::vector<RrType> out;
  for (const auto& t : list) {
    auto parsed = t.is_string() ? rr_type_from_string(t.get<std::string>()) : std::nullopt;
    if (!parsed) throw LoadError{std::string(what) + " names TXT, A, AAAA, MX or PTR", path};
    out.push_back(*parsed);
  }
  return out;
}

}  // namespace

std::string_view to_string(RrType type) {
  switch (type) {
    case RrType::txt:
      return "TXT";
    case RrType::a:
      return "A";
    case RrType::aaaa:
      return "AAAA";
    case RrType::mx:
      return "MX";
    case RrType::ptr:
      return "PTR";
  }
  return "TXT";
}

std::string_view to_string(DnsStatus status) {
  switch (status) {
    case DnsStatus::records:
      return "records";
    case DnsStatus::no_data:
      return "no data";
    case DnsStatus::nxdomain:
      return "NXDOMAIN";
    case DnsStatus::temp_error:
      return "temporary error";
    case DnsStatus::unknown:
      return "unknown";
  }
  return "unknown";
}

std::string normalize_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  std::string out(name);
  for (char& c : out) c = text::to_lower(c);
  return out;
}

void ZoneView::read_entry(Node& node, const std::string& owner, const json& entry,
                          const std::string& path) {
  if (!entry.is_object() || !entry.contains("type") || !entry["type"].is_string()) {
    throw LoadError{"a record must be an object with a \"type\" string", path};
  }
  const std::string type = upper(entry["type"].get<std::string>());
  const json no_data;
  const json& data = entry.contains("data") ? entry["data"] : no_data;
  const std::string data_path = path + "/data";
  if (type == "TXT") {
    node.txt.push_back(read_txt(data, data_path));
    mark(node.status, RrType::txt, DnsStatus::records);
  } else if (type == "A") {
    node.a.push_back(read_address(data, data_path, ip::Family::v4));
    mark(node.status, RrType::a, DnsStatus::records);
  } else if (type == "AAAA") {
    node.aaaa.push_back(read_address(data, data_path, ip::Family::v6));
    mark(node.status, RrType::aaaa, DnsStatus::records);
  } else if (type == "MX") {
    node.mx.push_back(read_mx(data, data_path));
    mark(node.status, RrType::mx, DnsStatus::records);
  } else if (type == "PTR") {
    node.ptr.push_back(read_name(data, data_path, "PTR"));
    mark(node.status, RrType::ptr, DnsStatus::records);
  } else if (type == "CNAME") {
    if (node.cname) throw LoadError{"'" + owner + "' has more than one CNAME", path};
    node.cname = read_name(data, data_path, "CNAME");
  } else if (type == "TIMEOUT") {
    if (data.is_null()) {
      for (DnsStatus& s : node.status) {
        if (s == DnsStatus::unknown) s = DnsStatus::temp_error;
      }
    } else {
      // A lookup of these types failed (a live answer's SERVFAIL or timeout): the others
      // at the name stay as the entries say.
      for (RrType t : read_types(data, data_path, "TIMEOUT")) {
        mark(node.status, t, DnsStatus::temp_error);
      }
    }
  } else if (type == "NXDOMAIN") {
    node.nxdomain = true;
  } else if (type == "NODATA") {
    for (RrType t : read_types(data, data_path, "NODATA")) mark(node.status, t, DnsStatus::no_data);
  } else if (type == "SPF" || is_other_type_name(type)) {
    // Type SPF (99) is obsolete (RFC 7208 §3.1) and other types are not used by SPF.
  } else {
    throw LoadError{"unknown record type '" + entry["type"].get<std::string>() + "'",
                    path + "/type"};
  }
}

ZoneView::Loaded ZoneView::load(const json& zone, MissingName missing) {
  Loaded loaded;
  if (!zone.is_object()) {
    loaded.error = "the zone must be a JSON object from domain name to a list of records";
    return loaded;
  }
  ZoneView view(missing);
  Nodes nodes;
  try {
    for (const auto& [owner, entries] : zone.items()) {
      const std::string owner_path = "/" + pointer_token(owner);
      if (!entries.is_array()) {
        throw LoadError{"the records of '" + owner + "' must be a list", owner_path};
      }
      Node& node = nodes[normalize_name(owner)];
      for (std::size_t i = 0; i < entries.size(); ++i) {
        read_entry(node, owner, entries[i], owner_path + "/" + std::to_string(i));
      }
      const bool has_records = std::any_of(std::begin(node.status), std::end(node.status),
                                           [](DnsStatus s) { return s == DnsStatus::records; });
      if (node.nxdomain && (has_records || node.cname)) {
        throw LoadError{"'" + owner + "' is listed as NXDOMAIN but has records", owner_path};
      }
    }
  } catch (const LoadError& e) {
    loaded.error = e.message;
    loaded.path = e.path;
    return loaded;
  }
  // Names in the order of their hashes (then text), so that a query is a search over integers.
  std::vector<std::pair<std::uint64_t, std::string>> keyed;
  keyed.reserve(nodes.size());
  for (const auto& entry : nodes) keyed.emplace_back(folded_hash(entry.first), entry.first);
  std::sort(keyed.begin(), keyed.end());
  view.hashes_.reserve(keyed.size());
  view.names_.reserve(keyed.size());
  for (auto& [hash, owner] : keyed) {
    view.hashes_.push_back(hash);
    view.names_.push_back(std::move(owner));
  }
  view.answers_.reserve(nodes.size());
  for (const auto& owner : view.names_) {
    auto& answers = view.answers_.emplace_back();
    for (std::size_t t = 0; t < Node::kTypes; ++t) {
      answers[t] = resolve(nodes, owner, static_cast<RrType>(t), missing);
    }
  }
  loaded.zone = std::move(view);
  return loaded;
}

ZoneView::ZoneView(MissingName missing) {
  missing_answer_.status =
      missing == MissingName::nxdomain ? DnsStatus::nxdomain : DnsStatus::unknown;
}

DnsAnswer ZoneView::resolve(const Nodes& nodes, const std::string& owner, RrType type,
                            MissingName missing) {
  DnsAnswer answer;
  std::string key = owner;
  for (int hops = 0;; ++hops) {
    auto it = nodes.find(key);
    if (it == nodes.end()) {
      answer.status = missing == MissingName::nxdomain ? DnsStatus::nxdomain : DnsStatus::unknown;
      return answer;
    }
    const Node& node = it->second;
    const DnsStatus status = node.status[index_of(type)];
    if (status == DnsStatus::unknown && node.cname) {
      const std::string target = normalize_name(*node.cname);
      const bool loop = target == owner || std::any_of(answer.cnames.begin(), answer.cnames.end(),
                                                       [&](const std::string& seen) {
                                                         return normalize_name(seen) == target;
                                                       });
      answer.cnames.push_back(*node.cname);
      if (loop || hops >= kMaxCnameHops) {
        answer.status = DnsStatus::temp_error;
        return answer;
      }
      key = target;
      continue;
    }
    if (status == DnsStatus::records) {
      switch (type) {
        case RrType::txt:
          answer.txt = node.txt;
          break;
        case RrType::a:
          answer.addresses = node.a;
          break;
        case RrType::aaaa:
          answer.addresses = node.aaaa;
          break;
        case RrType::mx:
          answer.mx = node.mx;
          break;
        case RrType::ptr:
          answer.names = node.ptr;
          break;
      }
      answer.status = DnsStatus::records;
    } else if (status != DnsStatus::unknown) {
      answer.status = status;
    } else if (node.nxdomain) {
      answer.status = DnsStatus::nxdomain;
    } else {
      answer.status = missing == MissingName::nxdomain ? DnsStatus::no_data : DnsStatus::unknown;
    }
    return answer;
  }
}

const DnsAnswer& ZoneView::query(std::string_view name, RrType type) const {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  // The hash of the name as normalize_name() would make it, then the names with that hash.
  const std::uint64_t hash = folded_hash(name);
  for (auto it = std::lower_bound(hashes_.begin(), hashes_.end(), hash);
       it != hashes_.end() && *it == hash; ++it) {
    const auto k = static_cast<std::size_t>(it - hashes_.begin());
    if (equal_folded(names_[k], name)) return answers_[k][index_of(type)];
  }
  return missing_answer_;
}

}  // namespace relaycheck::spf
