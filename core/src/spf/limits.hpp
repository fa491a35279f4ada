#pragma once
/// The numbers SPF is bound by, each written once: the processing limits of RFC 7208 §4.6.4 that
/// check_host() enforces and lint predicts, and the sizes a published record must fit (§3.3,
/// §3.4, RFC 1035). Messages print these constants rather than repeat the figures.

#include <cstddef>

namespace relaycheck::spf {

/// Terms that cause DNS queries (include, a, mx, ptr, exists, redirect) in one check; the 11th
/// is permerror (§4.6.4). `exp` never counts.
constexpr unsigned kLookupLimit = 10;

/// Void lookups (a term's query answers NXDOMAIN or no data) in one check; the 3rd is
/// permerror (§4.6.4).
constexpr unsigned kVoidLimit = 2;

/// MX names an `mx` may look up: an MX answer with more is permerror (§4.6.4).
constexpr std::size_t kMxLimit = 10;

/// PTR names a `ptr` (or %{p}) looks at; the rest are ignored (§4.6.4).
constexpr std::size_t kPtrLimit = 10;

/// Octets in one TXT character-string (RFC 1035 §3.3): a longer record is published as several
/// strings, which SPF joins without separators (§3.3).
constexpr std::size_t kStringSizeLimit = 255;

/// A DNS message over UDP without EDNS0 (RFC 1035 §4.2.1).
constexpr std::size_t kUdpMessageSize = 512;

/// Octets of record that keep its DNS answer within kUdpMessageSize (§3.4).
constexpr std::size_t kRecordSizeLimit = 450;
static_assert(kRecordSizeLimit < kUdpMessageSize, "the answer carries the record and more");

/// Octets of a domain name in text without its trailing dot, and of one label (RFC 1035 §2.3.4):
/// a domain-spec's expansion is cut to kNameSizeLimit (§7.3).
constexpr std::size_t kNameSizeLimit = 253;
constexpr std::size_t kLabelSizeLimit = 63;

}  // namespace relaycheck::spf
