#pragma once
/// The CLI's DNS transport: sends a query that core encoded to a resolver and returns the bytes
/// it answered, over UDP with TCP when the answer is truncated (RFC 1035 §4.2, RFC 7766). It
/// reads no DNS message beyond its header and question, which it checks so that a stray or
/// spoofed datagram is not taken for the answer: what the answer says is core's to decode.
/// Also the resolver list: `--server IP[:PORT]` and resolv.conf's `nameserver` lines.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relaycheck::cli::dns {

using Bytes = std::vector<std::uint8_t>;

/// A resolver: a numeric IPv4 or IPv6 address and a port. `scope` is the interface of a
/// link-local IPv6 address written `fe80::1%eth0` in resolv.conf (0 for none).
struct Server {
  std::string address;  ///< as written, without brackets or zone: "192.0.2.53", "2001:db8::53"
  std::uint16_t port = 53;
  bool ipv6 = false;
  std::uint32_t scope = 0;
  std::string zone;  ///< the interface name after '%', for messages

  /// "192.0.2.53", "192.0.2.53:5353", "[2001:db8::53]:5353"; the port only when it is not 53.
  std::string display() const;
};

/// A server or the reason the text is not one.
struct ParsedServer {
  std::optional<Server> server;
  std::string error;
};

/// Reads the `--server` syntax: `IPv4`, `IPv4:PORT`, `IPv6`, `[IPv6]`, `[IPv6]:PORT`. Names are
/// refused (a resolver is needed to look them up); a port is 1-65535 in decimal.
ParsedServer parse_server(std::string_view text);

/// What a resolv.conf lists: the `nameserver` addresses in order (at most the first
/// kMaxResolvConfServers, as the C library reads them), and the lines it could not use.
struct ResolvConf {
  std::vector<Server> servers;
  std::vector<std::string> warnings;  ///< "line 4: 'nameserver fe80::1%nope': ..." per bad line
};

/// The C library uses the first three nameserver lines (MAXNS); so does relaycheck.
constexpr std::size_t kMaxResolvConfServers = 3;

/// Reads resolv.conf text (resolv.conf(5)): `nameserver ADDRESS` lines, port 53; comments start
/// with '#' or ';'; other keywords (search, domain, options, sortlist) are ignored.
ResolvConf parse_resolv_conf(std::string_view text);

/// How one exchange with one server ended.
enum class Status {
  answered,  ///< `response` holds a message whose id and question match the query
  timeout,   ///< no matching answer before the deadline
  failed     ///< the network refused (connection refused, no route, ...) or a TCP answer
             ///< was cut or did not match: `error` says how
};

struct Exchange {
  Status status = Status::timeout;
  Bytes response;
  bool tcp = false;  ///< the answer came over TCP (the UDP answer had TC set)
  std::string error;
};

/// Sends `query` (a whole DNS message with one question, as core encodes it) to `server` over
/// UDP and waits up to `timeout` for a datagram from that server whose id, QR bit and question
/// match; others are ignored. A matching answer with TC set is asked again over TCP (a two-byte
/// length before each message), with a fresh `timeout`. The query is sent again once, halfway
/// through the timeout, in case a datagram was lost.
Exchange exchange(const Server& server, const Bytes& query, std::chrono::milliseconds timeout);

/// The most UDP queries exchange_all() keeps waiting at once.
constexpr std::size_t kMaxInFlight = 32;

/// exchange() for many queries to one server at once: all are sent (at most kMaxInFlight wait
/// at a time) and their answers read as they come, so a round of lookups costs about one round
/// trip rather than one per lookup. Each result is what exchange() would give for that query.
std::vector<Exchange> exchange_all(const Server& server, const std::vector<Bytes>& queries,
                                   std::chrono::milliseconds timeout);

/// The same over TCP only.
Exchange exchange_tcp(const Server& server, const Bytes& query, std::chrono::milliseconds timeout);

/// Whether `response` answers `query`: at least a header, the same id, QR set, the same opcode,
/// and (when the response has a question) the same question: type, class and name, the name
/// compared without regard to ASCII case (RFC 4343). A response with no question is accepted
/// only when its RCODE is not NOERROR (a FORMERR or SERVFAIL may omit it).
bool answers(const Bytes& query, const Bytes& response);

/// Whether the TC bit of a message's header is set.
bool truncated(const Bytes& message);

/// Base64 (RFC 4648 §4, with padding) and its inverse, for the façade's byte fields. decode
/// accepts the URL-safe alphabet too and ignores missing padding; nullopt for anything else.
std::string base64_encode(const Bytes& bytes);
std::optional<Bytes> base64_decode(std::string_view text);

}  // namespace relaycheck::cli::dns
