#pragma once
/// The DNS wire format (RFC 1035 §4, EDNS0 of RFC 6891): queries are encoded here, responses are
/// decoded here, and a response becomes entries of the zone format (spf/dns_view.hpp) here. Core
/// sends nothing: the CLI (UDP/TCP) and the page (DNS-over-HTTPS, RFC 8484) carry the bytes.
///
/// A response is hostile input. decode_response() reads it with bounds on everything: at most
/// kMaxMessage bytes, record counts no larger than the bytes could hold, at most kMaxPointerJumps
/// compression pointers per name, each pointing strictly before the pointer itself (so a loop or
/// a forward pointer is an error, never a hang). Every malformation is an error value naming the
/// byte offset where reading stopped ("at byte 37: compression pointer to 512 is past the end of
/// the 61-byte message"); nothing aborts or throws.
///
/// Truncation: a response with the TC bit set (Message::truncated) decodes like any other, with
/// whatever records it holds, but it is not the whole answer: the caller must ask again over TCP
/// (RFC 7766) and use that answer. to_zone_entries() refuses a truncated response for that reason.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ip/ip.hpp"

namespace relaycheck::dns {

/// The largest DNS message (a TCP message's 2-byte length prefix); larger input is refused.
constexpr std::size_t kMaxMessage = 65535;
/// The most compression pointers followed while reading one name.
constexpr int kMaxPointerJumps = 64;
/// The most CNAMEs followed inside one answer (as ZoneView, spf/dns_view.cpp).
constexpr int kMaxCnameChain = 10;
/// The EDNS0 UDP payload size a query advertises by default (the DNS Flag Day 2020 value).
constexpr std::uint16_t kDefaultUdpPayload = 1232;

/// Record types (RFC 1035 §3.2.2, RFC 3596, RFC 6891).
namespace type {
constexpr std::uint16_t A = 1;
constexpr std::uint16_t NS = 2;
constexpr std::uint16_t CNAME = 5;
constexpr std::uint16_t SOA = 6;
constexpr std::uint16_t PTR = 12;
constexpr std::uint16_t MX = 15;
constexpr std::uint16_t TXT = 16;
constexpr std::uint16_t AAAA = 28;
constexpr std::uint16_t OPT = 41;
}  // namespace type

/// Response codes (RFC 1035 §4.1.1; RFC 6891 extends them to 12 bits with the OPT record).
namespace rcode {
constexpr std::uint16_t NOERROR = 0;
constexpr std::uint16_t FORMERR = 1;
constexpr std::uint16_t SERVFAIL = 2;
constexpr std::uint16_t NXDOMAIN = 3;
constexpr std::uint16_t NOTIMP = 4;
constexpr std::uint16_t REFUSED = 5;
}  // namespace rcode

/// "A", "TXT", ... for the types above and NS/SOA/OPT; "TYPE65" (RFC 3597) for others.
std::string type_name(std::uint16_t type);
/// The code of a type name (any case; "TYPE65" too); nullopt when it is not one.
std::optional<std::uint16_t> type_code(std::string_view name);
/// "NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED", ...; "RCODE23" for others.
std::string rcode_name(std::uint16_t code);

/// A value or the reason it could not be made; `offset` is the byte offset of a decoding error
/// (0 for an encoding error).
template <typename T>
struct Result {
  std::optional<T> value;
  std::string error;
  std::size_t offset = 0;

  explicit operator bool() const { return value.has_value(); }
};

using Bytes = std::vector<std::uint8_t>;

struct Question {
  /// The name in text: labels joined by '.', no trailing dot ("" is the root). Bytes outside
  /// '!'..'~', and '.' and '\' inside a label, are written \DDD / \. / \\ (RFC 1035 §5.1).
  std::string name;
  std::uint16_t type = type::TXT;
  std::uint16_t klass = 1;  ///< IN
};

struct Soa {
  std::string mname;
  std::string rname;
  std::uint32_t serial = 0, refresh = 0, retry = 0, expire = 0, minimum = 0;
};

/// One resource record. The fields for its type are filled; other types keep their RDATA as is.
struct Record {
  std::string name;  ///< as Question::name
  std::uint16_t type = 0;
  std::uint16_t klass = 1;       ///< for OPT: the requester's UDP payload size
  std::uint32_t ttl = 0;         ///< for OPT: extended RCODE, version, flags (RFC 6891 §6.1.3)
  std::vector<std::string> txt;  ///< TXT: the character-strings, bytes as sent
  std::optional<ip::Address> address;  ///< A, AAAA
  std::string target;                  ///< CNAME, PTR: the name; MX: the exchange
  std::uint16_t preference = 0;        ///< MX
  std::optional<Soa> soa;              ///< SOA
  Bytes rdata;                         ///< other types and OPT: the RDATA bytes
};

struct Message {
  std::uint16_t id = 0;
  bool response = false;  ///< QR
  std::uint8_t opcode = 0;
  bool authoritative = false;        ///< AA
  bool truncated = false;            ///< TC: ask again over TCP (see the header comment)
  bool recursion_desired = false;    ///< RD
  bool recursion_available = false;  ///< RA
  bool authentic_data = false;       ///< AD
  bool checking_disabled = false;    ///< CD
  /// The RCODE, with the OPT record's upper 8 bits when there is one (RFC 6891 §6.1.3).
  std::uint16_t rcode = rcode::NOERROR;
  std::vector<Question> questions;
  std::vector<Record> answers;
  std::vector<Record> authority;
  std::vector<Record> additional;  ///< includes the OPT record, if any
  /// From the OPT record: the sender's UDP payload size; nullopt without EDNS0.
  std::optional<std::uint16_t> udp_payload;
};

/// An RFC 1035 query for (name, type) in class IN with RD set and one OPT record (RFC 6891)
/// advertising `udp_payload` (at least 512). The name may end with one dot; "" or "." is the
/// root. Refused with an error: an empty label ("a..b"), a label over 63 octets, a name over
/// 255 octets in the wire form, bytes outside printable ASCII or a space (A-labels only: IDNs
/// are punycoded before they come here), a udp_payload under 512.
Result<Bytes> encode_query(std::string_view name, std::uint16_t type, std::uint16_t id,
                           std::uint16_t udp_payload = kDefaultUdpPayload);

/// Decodes a whole message (a response, or a query: `response` says which). The OPT record may
/// appear once, in the additional section, owned by the root.
Result<Message> decode_response(const std::uint8_t* data, std::size_t size);
Result<Message> decode_response(const Bytes& bytes);
Result<Message> decode_response(std::string_view bytes);

/// Encodes a message (the test server's and the fuzz target's inverse of decode_response; names
/// are compressed against earlier names). Records keep their fields as decode_response() fills
/// them. Errors as encode_query's, and a message over kMaxMessage bytes.
Result<Bytes> encode_message(const Message& message);

/// The answer to `question` in the zone format of spf/dns_view.hpp, as a zone fragment: a JSON
/// object from owner name (lowercased, no trailing dot) to its entries:
///   - NOERROR with records of the asked type, after following the CNAME chain inside the
///     answer section: `{"type":"CNAME","data":target}` at each alias, the records at the last
///     name (TXT data: the list of strings; A/AAAA: the address; MX: [preference, exchange];
///     PTR: the name);
///   - NOERROR without them (NODATA): `{"type":"NODATA","data":TYPE}` at the last name;
///   - NXDOMAIN: `{"type":"NXDOMAIN"}` at the last name (RFC 6604: the code is about the end
///     of the chain);
///   - SERVFAIL, REFUSED and any other code: `{"type":"TIMEOUT","data":TYPE}` at the asked
///     name: a temporary error of that lookup (retry), not a failure of the records, and not of
///     the name's other types; a CNAME loop inside the answer likewise, at the alias that loops.
/// Errors: a response that is not one (QR clear), truncated (TC: retry over TCP), whose question
/// is not `question` (names compared case-insensitively), or a type the zone format does not hold
/// (only TXT, A, AAAA, MX and PTR). Bytes of TXT strings that are not UTF-8 become U+FFFD.
Result<nlohmann::json> to_zone_entries(const Question& question, const Message& response);

/// RFC 4648 base64 with padding, and its inverse (no whitespace allowed; error names the offset).
std::string base64_encode(const Bytes& bytes);
Result<Bytes> base64_decode(std::string_view text);
/// RFC 4648 §5 base64url without padding: the `dns` parameter of an RFC 8484 §4.1 GET.
std::string base64url_encode(const Bytes& bytes);

/// A query for the RFC 8484 GET form: its id is 0 (§4.1, for HTTP caching) and the result is the
/// `dns` parameter's value (base64url, no padding).
Result<std::string> doh_get_parameter(std::string_view name, std::uint16_t type);

/// The reverse-lookup name of an address: "4.3.2.1.in-addr.arpa" or the 32 nibbles of
/// ".ip6.arpa" (RFC 1035 §3.5, RFC 3596 §2.5).
std::string reverse_name(const ip::Address& address);

/// Lowercases ASCII letters and drops one trailing dot (as spf::normalize_name).
std::string normalize(std::string_view name);

}  // namespace relaycheck::dns
