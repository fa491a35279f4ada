// libFuzzer target for the DNS wire codec (core/src/dns/message.hpp). Any bytes are decoded as a
// response; whatever comes in, the codec must answer without a crash, a hang or undefined
// behaviour (built with ASan + UBSan), and its answer must hold together:
//   - an error names a byte offset inside the input (or its end), and its message says so;
//   - a decoded message encodes again (or is refused only for the 65,535-byte limit) and decodes
//     to the same message: names, types, records and the RCODE survive the round trip;
//   - its zone entries for its first question load as a zone and merge into an empty section;
//   - the bytes as a name either encode as a query that decodes to one question, or are refused.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "dns/lookup_plan.hpp"
#include "dns/message.hpp"
#include "spf/dns_view.hpp"

namespace {

namespace dns = relaycheck::dns;

void require(bool condition) {
  if (!condition) std::abort();
}

bool same_records(const std::vector<dns::Record>& a, const std::vector<dns::Record>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const dns::Record& x = a[i];
    const dns::Record& y = b[i];
    if (x.name != y.name || x.type != y.type || x.klass != y.klass || x.ttl != y.ttl ||
        x.txt != y.txt || x.target != y.target || x.preference != y.preference ||
        x.rdata != y.rdata || x.address.has_value() != y.address.has_value() ||
        x.soa.has_value() != y.soa.has_value()) {
      return false;
    }
    if (x.address && *x.address != *y.address) return false;
    if (x.soa && (x.soa->mname != y.soa->mname || x.soa->rname != y.soa->rname ||
                  x.soa->serial != y.soa->serial || x.soa->minimum != y.soa->minimum)) {
      return false;
    }
  }
  return true;
}

void check_round_trip(const dns::Message& m) {
  const auto bytes = dns::encode_message(m);
  if (!bytes) {
    require(bytes.error.find("at most 65535") != std::string::npos);
    return;
  }
  const auto again = dns::decode_response(*bytes.value);
  require(static_cast<bool>(again));
  const dns::Message& n = *again.value;
  require(n.id == m.id && n.response == m.response && n.opcode == m.opcode &&
          n.truncated == m.truncated && n.rcode == m.rcode && n.udp_payload == m.udp_payload);
  require(n.questions.size() == m.questions.size());
  for (std::size_t i = 0; i < m.questions.size(); ++i) {
    require(n.questions[i].name == m.questions[i].name &&
            n.questions[i].type == m.questions[i].type);
  }
  require(same_records(n.answers, m.answers) && same_records(n.authority, m.authority) &&
          same_records(n.additional, m.additional));
}

void check_zone(const dns::Message& m) {
  if (m.questions.empty()) return;
  const auto zone = dns::to_zone_entries(m.questions.front(), m);
  if (!zone) {
    require(!zone.error.empty());
    return;
  }
  // Strict dump: the entries are valid UTF-8 whatever the bytes were.
  require(!zone.value->dump().empty());
  auto loaded = relaycheck::spf::ZoneView::load(*zone.value, relaycheck::spf::MissingName::unknown);
  require(static_cast<bool>(loaded));
  const auto merged = dns::merge_answers(
      nlohmann::json::object(), {{m.questions.front().name, m.questions.front().type, *zone.value}},
      "192.0.2.53", "2026-12-02T10:00:00Z");
  require(static_cast<bool>(merged));
  require(static_cast<bool>(
      relaycheck::spf::ZoneView::load(merged.value->dns, relaycheck::spf::MissingName::unknown)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto decoded = dns::decode_response(data, size);
  if (!decoded) {
    require(decoded.offset <= size || size > dns::kMaxMessage);
    require(decoded.error.rfind("at byte " + std::to_string(decoded.offset) + ": ", 0) == 0);
  } else {
    check_round_trip(*decoded.value);
    check_zone(*decoded.value);
  }
  // The same bytes as a name to ask for.
  const std::string_view name(reinterpret_cast<const char*>(data), size);
  const auto query = dns::encode_query(name, dns::type::TXT, 0x4242);
  if (query) {
    const auto back = dns::decode_response(*query.value);
    require(back && back.value->questions.size() == 1 && !back.value->response &&
            back.value->udp_payload == dns::kDefaultUdpPayload);
    const auto again =
        dns::encode_query(back.value->questions.front().name, dns::type::TXT, 0x4242);
    require(again && *again.value == *query.value);
  } else {
    require(!query.error.empty());
  }
  return 0;
}
