// libFuzzer target for SPF over address ranges (core/src/spf/ranges.cpp). The bytes are an
// spf.ranges or spf.check request ({"zone", "domain" or "sender", "helo", "zoneMode", "ip",
// "prefixes"}), as tests/fuzz/seed-corpus.mjs writes them; any other bytes are TXT records, one
// a line (a tab splits a line into character-strings), of example.com (the first line) and of
// a.example.com, b.example.com, ... in a small fixed zone with A, AAAA and MX records. The
// invariant is the differential one of tests/unit/spf/test_spf_ranges.cpp: the parts are
// disjoint and with `undecided` cover both families, and at up to 96 addresses (the request's,
// ones the bytes pick, the edges of the partition's prefixes) every decided address has
// check_host()'s result and code. Built with ASan + UBSan; a broken invariant aborts.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "spf/ranges.hpp"

namespace {

using namespace relaycheck;
using nlohmann::json;

void require(bool condition) {
  if (!condition) std::abort();
}

constexpr std::size_t kProbes = 96;

const char* const kBaseZone = R"({
  "example.com": [{"type": "A", "data": "192.0.2.10"}, {"type": "AAAA", "data": "2001:db8::10"},
                  {"type": "MX", "data": [10, "mx.example.com"]},
                  {"type": "MX", "data": [20, "slow.example.com"]}],
  "mx.example.com": [{"type": "A", "data": "198.51.100.25"}, {"type": "A", "data": "10.1.2.3"},
                     {"type": "AAAA", "data": "2001:db8:25::1"}],
  "slow.example.com": [{"type": "TIMEOUT"}],
  "exists.example.com": [{"type": "A", "data": "127.0.0.2"}],
  "user.example.com": [{"type": "A", "data": "127.0.0.2"}],
  "10.2.0.192.in-addr.arpa": [{"type": "PTR", "data": "example.com"}]
})";

/// The zone of raw bytes: each line a TXT record of example.com, a.example.com, ...
json text_zone(std::string_view text) {
  json zone = json::parse(kBaseZone);
  std::size_t start = 0;
  for (unsigned line = 0; start <= text.size() && line < 16; ++line) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    json strings = json::array();
    std::size_t s = start;
    while (s <= end) {
      const std::size_t tab = std::min(text.find('\t', s), end);
      strings.push_back(std::string(text.substr(s, tab - s)));
      s = tab + 1;
    }
    const std::string owner =
        line == 0 ? "example.com"
                  : std::string(1, static_cast<char>('a' + line - 1)) + ".example.com";
    zone[owner].push_back({{"type", "TXT"}, {"data", strings}});
    start = end + 1;
  }
  return zone;
}

struct Input {
  json zone;
  spf::MissingName missing = spf::MissingName::nxdomain;
  std::string domain = "example.com";
  std::string sender = "user@example.com";
  std::string helo = "mail.example.org";
  std::vector<ip::Address> addresses;
};

std::string string_or(const json& request, const char* key, std::string fallback) {
  const auto it = request.find(key);
  return it != request.end() && it->is_string() ? it->get<std::string>() : fallback;
}

void add_address_text(const json& value, std::vector<ip::Address>& out) {
  if (!value.is_string()) return;
  const std::string text = value.get<std::string>();
  if (auto a = ip::parse_address(text)) out.push_back(*a.value);
  if (auto p = ip::parse_prefix(text, ip::HostBits::mask)) {
    out.push_back(p.value->network());
    out.push_back(ip::last_address(*p.value));
  }
}

Input read_input(std::string_view bytes) {
  Input in;
  const json request = json::parse(bytes, nullptr, false);
  if (!request.is_object() || !request.contains("zone") || !request["zone"].is_object()) {
    in.zone = text_zone(bytes);
    return in;
  }
  in.zone = request["zone"];
  if (string_or(request, "zoneMode", "") == "unknown") in.missing = spf::MissingName::unknown;
  in.sender = string_or(request, "sender", in.sender);
  const std::size_t at = in.sender.rfind('@');
  in.domain =
      string_or(request, "domain", at == std::string::npos ? in.sender : in.sender.substr(at + 1));
  in.helo = string_or(request, "helo", in.helo);
  if (request.contains("ip")) add_address_text(request["ip"], in.addresses);
  if (request.contains("prefixes") && request["prefixes"].is_array()) {
    for (const auto& p : request["prefixes"]) add_address_text(p, in.addresses);
  }
  return in;
}

void check_shape(const spf::Partition& p) {
  ip::PrefixSet all = p.undecided;
  for (std::size_t i = 0; i < p.parts.size(); ++i) {
    require(!p.parts[i].addresses.empty());
    require(intersect(p.parts[i].addresses, all).empty());
    all = unite(all, p.parts[i].addresses);
  }
  const ip::PrefixSet everything(
      {ip::Prefix{0, 0, ip::Family::v4, 0}, ip::Prefix{0, 0, ip::Family::v6, 0}});
  require(all == everything);
  require(p.exact() == p.approximate_term.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Input in = read_input(bytes);
  auto loaded = spf::ZoneView::load(in.zone, in.missing);
  if (!loaded) return 0;
  const spf::ZoneView& view = *loaded.zone;
  const spf::Partition p = spf::partition(view, in.domain, in.sender, in.helo);
  check_shape(p);

  std::uint64_t hash = 1469598103934665603ull;
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ data[i]) * 1099511628211ull;
  std::vector<ip::Address> probes = in.addresses;
  for (unsigned k = 0; k < 8; ++k, hash = hash * 6364136223846793005ull + 1442695040888963407ull) {
    probes.push_back(ip::Address::v4(static_cast<std::uint32_t>(hash >> 32)));
    probes.push_back(ip::Address::v6(hash, hash >> 7));
    probes.push_back(ip::Address::v6(0, 0xffff00000000ull | (hash >> 32)));
  }
  for (const auto& part : p.parts) {
    for (const auto& prefix : part.addresses.prefixes()) {
      if (probes.size() >= kProbes) break;
      probes.push_back(prefix.network());
      probes.push_back(ip::last_address(prefix));
    }
  }
  spf::CheckOptions options;
  options.trace = false;
  options.details = false;
  for (std::size_t k = 0; k < probes.size() && k < kProbes; ++k) {
    const spf::RangeResult* part = p.find(probes[k]);
    if (part == nullptr) {
      require(p.undecided.contains(probes[k]));
      continue;
    }
    const spf::CheckResult r =
        spf::check_host(view, probes[k], in.domain, in.sender, in.helo, options);
    require(r.result == part->result && r.code == part->code);
  }
  const auto c = spf::coverage(p, {ip::Prefix{0, 0xc0000200u, ip::Family::v4, 24}});
  require(c.size() == 1 && spf::summarize(c).total == 1);
  return 0;
}
