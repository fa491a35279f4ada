// libFuzzer target for the DMARC engine (core/src/dmarc/). The bytes are a record, as
// tests/fuzz/seed-corpus.mjs writes the records of the dmarc.parse vectors (a JSON request with a
// "record" is read for that record too). They are parsed with and without a domain and DNS data,
// and served as the TXT records (one a line; a tab splits a line into character-strings) of a
// _dmarc name in a small fixed zone, on which discovery runs three times: the record at
// mail.example.com, at example.com for a name that does not exist, and as a hash of the bytes
// picks. Built with ASan + UBSan; a crash, a leak, undefined behaviour or a broken invariant
// aborts.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "dmarc/discovery.hpp"
#include "dmarc/record.hpp"
#include "spf/dns_view.hpp"

namespace {

using namespace relaycheck;
using nlohmann::json;

void require(bool condition) {
  if (!condition) std::abort();
}

const spf::ZoneView& base_zone() {
  static const spf::ZoneView zone = [] {
    const json doc = json::parse(R"({
      "_dmarc.example.com": [{"type": "TXT",
                              "data": ["v=DMARC1; p=reject; sp=quarantine; np=none; ",
                                       "rua=mailto:d@example.com"]}],
      "mail.example.com": [{"type": "A", "data": "192.0.2.1"}],
      "_dmarc.slow.example.com": [{"type": "TIMEOUT"}],
      "example.com._report._dmarc.vendor.example": [{"type": "TXT", "data": ["v=DMARC1;"]}],
      "example.com._report._dmarc.slow.example": [{"type": "TIMEOUT"}],
      "example.com._report._dmarc.other.example": [{"type": "TXT", "data": ["v=spf1 -all"]}]
    })");
    auto loaded = spf::ZoneView::load(doc, spf::MissingName::nxdomain);
    require(loaded.zone.has_value());
    return std::move(*loaded.zone);
  }();
  return zone;
}

/// The fixed zone, with the fuzzed TXT records at one name.
class FuzzView final : public spf::DnsView {
 public:
  FuzzView(std::string name, std::vector<spf::TxtRecord> records) : name_(std::move(name)) {
    answer_.status = records.empty() ? spf::DnsStatus::no_data : spf::DnsStatus::records;
    answer_.txt = std::move(records);
  }

  const spf::DnsAnswer& query(std::string_view name, spf::RrType type) const override {
    if (type == spf::RrType::txt && spf::normalize_name(name) == name_) return answer_;
    return base_zone().query(name, type);
  }

 private:
  std::string name_;
  spf::DnsAnswer answer_;
};

void check_record(const dmarc::Record& r) {
  require(r.valid == r.errors.empty());
  require(!r.valid || r.dmarc);
  require(r.findings.size() <= 400);
  for (const auto& f : r.findings) require(f.message.size() < 4096);
  const json j = r;
  (void)j.dump(-1, ' ', false, json::error_handler_t::replace);
}

/// A stand-in for the organizational-domain engine: the last two labels.
std::optional<std::string> org_domain(std::string_view name) {
  const std::size_t last = name.rfind('.');
  if (last == std::string_view::npos || last == 0) return std::nullopt;
  const std::size_t before = name.rfind('.', last - 1);
  return std::string(before == std::string_view::npos ? name : name.substr(before + 1));
}

std::string record_text(std::string_view body) {
  if (!body.empty() && body.front() == '{') {
    const json request = json::parse(body, nullptr, false);
    if (request.is_object()) {
      const auto it = request.find("record");
      if (it != request.end() && it->is_string()) return it->get<std::string>();
      if (it != request.end() && it->is_array()) {
        std::string joined;
        for (const auto& part : *it) {
          if (part.is_string()) joined += part.get<std::string>();
        }
        return joined;
      }
    }
  }
  return std::string(body);
}

/// One discovery. `selector` bits: 0-2 the From domain, 3 the record at the organizational domain
/// (else at the From domain), 4 existence given, 5 its value, 6 an organizational-domain function
/// for the report check, 7 no organizational domain.
void run_discovery(const std::string& text, unsigned selector) {
  static const char* const kFrom[] = {
      "example.com",      "mail.example.com", "ghost.example.com",         "a.b.c.example.com",
      "slow.example.com", "EXAMPLE.com.",     "xn--bcher-kva.example.com", "bad..name"};
  const std::string from = kFrom[selector & 7u];
  const bool at_org = (selector & 8u) != 0;
  std::vector<spf::TxtRecord> records;
  std::size_t start = 0;
  while (start <= text.size() && records.size() < 64) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    spf::TxtRecord strings;
    std::size_t s = start;
    while (s <= end) {
      const std::size_t tab = std::min(text.find('\t', s), end);
      strings.push_back(text.substr(s, tab - s));
      s = tab + 1;
    }
    records.push_back(std::move(strings));
    start = end + 1;
  }
  const FuzzView view(at_org ? "_dmarc.example.com" : "_dmarc." + spf::normalize_name(from),
                      std::move(records));
  dmarc::DiscoveryOptions options;
  if ((selector & 0x10u) != 0) options.from_exists = (selector & 0x20u) != 0;
  if ((selector & 0x40u) != 0) options.organizational_domain = org_domain;
  const std::optional<std::string> org =
      (selector & 0x80u) != 0 ? std::nullopt : std::optional<std::string>("example.com");
  const dmarc::Discovery d = dmarc::discover(view, from, org, options);
  if (d.status == dmarc::DiscoveryStatus::found) require(d.record.has_value() && d.record->valid);
  if (d.record) check_record(*d.record);
  require(d.queries.size() <= 3);
  const json j = d;
  (void)j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = record_text(std::string_view(reinterpret_cast<const char*>(data), size));
  std::uint32_t hash = 2166136261u;
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ data[i]) * 16777619u;

  check_record(dmarc::parse_record(text));
  dmarc::ParseOptions options;
  options.domain = "example.com";
  options.dns = &base_zone();
  if ((hash & 1u) != 0) options.organizational_domain = org_domain;
  check_record(dmarc::parse_record(text, options));

  for (const unsigned selector : {0x01u, 0x0Au, (hash >> 8) & 0xFFu}) {
    run_discovery(text, selector);
  }
  return 0;
}
