// libFuzzer target for the CLI's DNS transport parts that read outside bytes (cli/dns_client.cpp):
// the check that a datagram answers a query (a resolver's, or anyone's on the network), the
// resolv.conf reader, the --server syntax and base64. The first byte picks the part; the rest is
// the input. Besides never crashing, leaking or hitting undefined behaviour (ASan + UBSan):
//  - answers() is true only for a whole header with the query's id and QR set, and truncated()
//    only reads the header;
//  - every server resolv.conf or --server gives reads back the same from its display() form;
//    resolv.conf gives at most three, each on port 53;
//  - base64: what decodes encodes to a text that decodes to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dns_client.hpp"

namespace {

using namespace relaycheck::cli::dns;

void require(bool condition) {
  if (!condition) std::abort();
}

/// A query for zylker.com TXT with id 0x1234, as core encodes one (EDNS0 OPT included).
const Bytes& query() {
  static const Bytes q{0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
                       0x00, 0x01, 6,    'z',  'y',  'l',  'k',  'e',  'r',  3,
                       'c',  'o',  'm',  0,    0x00, 0x10, 0x00, 0x01, 0x00, 0x00,
                       0x29, 0x04, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  return q;
}

void same_server(const Server& a, const Server& b) {
  require(a.address == b.address);
  require(a.port == b.port);
  require(a.ipv6 == b.ipv6);
  require(a.zone == b.zone);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0] % 4;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (mode) {
    case 0: {
      const Bytes response(data + 1, data + size);
      if (answers(query(), response)) {
        require(response.size() >= 12);
        require(response[0] == 0x12 && response[1] == 0x34);
        require((response[2] & 0x80) != 0);
      }
      (void)truncated(response);
      break;
    }
    case 1: {
      const ResolvConf conf = parse_resolv_conf(text);
      require(conf.servers.size() <= kMaxResolvConfServers);
      for (const Server& s : conf.servers) {
        require(s.port == 53);
        const ParsedServer again = parse_server(s.display());
        require(again.server.has_value());
        same_server(s, *again.server);
      }
      break;
    }
    case 2: {
      const ParsedServer parsed = parse_server(text);
      require(parsed.server.has_value() != !parsed.error.empty());
      if (parsed.server) {
        const ParsedServer again = parse_server(parsed.server->display());
        require(again.server.has_value());
        same_server(*parsed.server, *again.server);
      }
      break;
    }
    default: {
      const auto decoded = base64_decode(text);
      if (decoded) {
        const auto again = base64_decode(base64_encode(*decoded));
        require(again.has_value() && *again == *decoded);
      }
      break;
    }
  }
  return 0;
}
