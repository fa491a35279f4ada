#pragma once
/// The DNS data the SPF engine reads. Core never touches the network: the evaluator asks a
/// DnsView, and the caller decides where the answers come from: a zone document (the CLI, the
/// tests, a config), or answers the page fetched over DNS-over-HTTPS. A view may also answer
/// "unknown" (not fetched yet); the evaluator then lists the lookups it still needs, so that a
/// caller without synchronous DNS can fetch them and run it again until nothing is missing.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ip/ip.hpp"

namespace relaycheck::spf {

/// The record types SPF evaluation queries (RFC 7208 §4.4, §5). Type SPF (99) is never queried.
enum class RrType : std::uint8_t { txt, a, aaaa, mx, ptr };

std::string_view to_string(RrType type);

/// What a query returned. `no_data` and `nxdomain` are both "void" answers (RFC 7208 §4.6.4);
/// `temp_error` is a server failure or timeout; `unknown` means the view does not know yet.
enum class DnsStatus : std::uint8_t { records, no_data, nxdomain, temp_error, unknown };

std::string_view to_string(DnsStatus status);

struct MxRecord {
  std::uint16_t preference = 0;
  std::string exchange;  ///< "" or "." is a null MX (RFC 7505): nothing to look up.
};

/// One TXT record: its character-strings in order. SPF joins them without separators (§3.3).
using TxtRecord = std::vector<std::string>;

/// The answer to one query, after any CNAMEs were followed. Only the vector of the queried
/// type is filled.
struct DnsAnswer {
  DnsStatus status = DnsStatus::unknown;
  std::vector<TxtRecord> txt;
  std::vector<ip::Address> addresses;  ///< A (IPv4) or AAAA (IPv6)
  std::vector<MxRecord> mx;
  std::vector<std::string> names;   ///< PTR targets
  std::vector<std::string> cnames;  ///< the aliases followed, in order (for the trace)

  bool is_void() const { return status == DnsStatus::no_data || status == DnsStatus::nxdomain; }
};

/// The evaluator's only source of DNS data. `name` is a domain name as SPF formed it (any case,
/// with or without a trailing dot); implementations compare names case-insensitively and follow
/// CNAMEs as a recursive resolver would. The answer is a reference into the view (no copy per
/// lookup): it stays valid as long as the view does.
class DnsView {
 public:
  virtual ~DnsView() = default;
  virtual const DnsAnswer& query(std::string_view name, RrType type) const = 0;
};

/// What a zone document says about a name it does not list.
enum class MissingName {
  nxdomain,  ///< the bare zone map of the CLI and the test suite: the name does not exist
  unknown,   ///< a config or the page: the name was not fetched yet
};

/// A DnsView over a zone document: a JSON object from owner name to a list of entries
/// `{"type": T, "data": D}` (the zone format of the RFC 7208 test suite,
/// tests/data/spf/rfc7208-tests.json):
///   TXT / SPF  data: a list of strings (or one string); SPF-type entries are ignored
///   A / AAAA   data: an address;   MX: [preference, exchange];   PTR / CNAME: a name
///   TIMEOUT    the query fails with a temporary error, unless a record of the queried type
///              is listed before it; with data (a type or a list of types, as a live lookup
///              writes it) only queries of those types fail
///   NXDOMAIN   the name is known not to exist
///   NODATA     data: a type or a list of types known to have no records at the name
/// Other type names of letters and digits (NS, SOA, CAA, ...) are accepted and ignored, and so
/// are members other than "type" and "data" (schema 2's "fetched" and "resolver").
/// With MissingName::unknown, a listed name answers "unknown" for a type it says nothing about.
class ZoneView final : public DnsView {
 public:
  /// A zone or the reason it is not one; `path` is a JSON Pointer into the zone document.
  struct Loaded;

  static Loaded load(const nlohmann::json& zone, MissingName missing);

  const DnsAnswer& query(std::string_view name, RrType type) const override;

 private:
  /// What the zone document lists at one name, while it is read.
  struct Node {
    static constexpr std::size_t kTypes = 5;
    /// Per RrType: records, no_data, temp_error, or unknown when the entries said nothing.
    DnsStatus status[kTypes] = {DnsStatus::unknown, DnsStatus::unknown, DnsStatus::unknown,
                                DnsStatus::unknown, DnsStatus::unknown};
    bool nxdomain = false;
    std::optional<std::string> cname;
    std::vector<TxtRecord> txt;
    std::vector<ip::Address> a;
    std::vector<ip::Address> aaaa;
    std::vector<MxRecord> mx;
    std::vector<std::string> ptr;
  };
  using Nodes = std::unordered_map<std::string, Node>;

  explicit ZoneView(MissingName missing);
  /// Adds one entry of the zone document (at JSON Pointer `path`) to `node`, the name `owner`'s;
  /// throws what load() reports.
  static void read_entry(Node& node, const std::string& owner, const nlohmann::json& entry,
                         const std::string& path);
  /// The answer to (owner, type), CNAMEs followed, as query() gives it.
  static DnsAnswer resolve(const Nodes& nodes, const std::string& owner, RrType type,
                           MissingName missing);

  /// Lowercased names in the order of their hashes, and per name the five answers, resolved
  /// once when the zone is loaded: a query is a search without allocation and returns a reference.
  std::vector<std::uint64_t> hashes_;
  std::vector<std::string> names_;
  std::vector<std::array<DnsAnswer, Node::kTypes>> answers_;
  DnsAnswer missing_answer_;  ///< for a name the zone does not list
};

struct ZoneView::Loaded {
  std::optional<ZoneView> zone;
  std::string error;
  std::string path;

  explicit operator bool() const { return zone.has_value(); }
};

/// Lowercases ASCII letters and drops one trailing dot: the form in which names are compared.
std::string normalize_name(std::string_view name);

}  // namespace relaycheck::spf
