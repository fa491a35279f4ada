#pragma once
/// DKIM key records: the TXT record at SELECTOR._domainkey.DOMAIN (RFC 6376 §3.6.1, in the
/// tag=value syntax of §3.2), read as a verifier reads it today (RFC 8301: no rsa-sha1, no RSA
/// key under 1024 bits; RFC 8463: ed25519 keys). Four verdicts:
///   - invalid:  the record or its key cannot be parsed; verifiers answer PERMFAIL (key syntax
///               error) for every signature that names the selector. `reason` says why.
///   - revoked:  `p=` is empty (PERMFAIL, key revoked).
///   - unusable: it parses, but no signature made with it verifies under current rules: an
///               unknown `k=`, an `h=` without sha256, an RSA key under 1024 bits, an `s=` that
///               leaves out email.
///   - ok.
/// The parser is for outside text: it reads at most kMaxRecordBytes, in one pass, without
/// recursion; the key's DER is read to a fixed depth with every length checked against the
/// bytes that remain.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/finding.hpp"

namespace relaycheck::dkim {

/// The longest record read: a TXT record's data is at most 65,535 bytes, so a longer text cannot
/// have come from the DNS.
constexpr std::size_t kMaxRecordBytes = 65535;

enum class Verdict : std::uint8_t { ok, invalid, revoked, unusable };
std::string_view to_string(Verdict verdict);

/// How `p=` holds the key: an RSA SubjectPublicKeyInfo (what `openssl rsa -pubout` writes and
/// verifiers expect), a bare PKCS#1 RSAPublicKey (what RFC 6376 §3.6.1 literally names; OpenDKIM
/// and others read it too), or the raw 32 bytes of an Ed25519 key (RFC 8463 §4.2).
enum class KeyForm : std::uint8_t { none, spki, pkcs1, raw };
std::string_view to_string(KeyForm form);

/// A parsed key record and the verdict on it.
struct KeyRecord {
  Verdict verdict = Verdict::invalid;
  /// k= ("rsa" when absent); empty when the record is unreadable before k= is known.
  std::string key_type;
  KeyForm key_form = KeyForm::none;
  /// RSA modulus bits (a leading zero octet not counted); 256 for Ed25519; 0 when unknown.
  unsigned key_bits = 0;
  bool testing = false;  ///< t=y
  bool strict = false;   ///< t=s
  /// Recognised h= algorithms (sha1, sha256), in the record's order; both when h= is absent.
  std::vector<std::string> hashes;
  /// Recognised s= types (*, email), in the record's order; "*" when s= is absent.
  std::vector<std::string> services;
  std::string notes;  ///< n=, as written
  std::vector<Finding> findings;
  std::string reason;  ///< why the verdict is not ok; empty when it is
};

/// Parses the record: the TXT record's strings joined without separators (RFC 6376 §3.6.2.2).
KeyRecord parse_key_record(std::string_view text);

/// {"verdict", "keyType", "keyForm", "keyBits" (null when unknown), "testing", "strict",
/// "hashes", "services", "notes", "findings", "reason"}.
void to_json(nlohmann::json& out, const KeyRecord& record);

// ---------------------------------------------------------------------------------------------
// The parts, for tests and the fuzz target
// ---------------------------------------------------------------------------------------------

/// Decoded `p=` text, or why it is not base64.
struct Base64Result {
  bool ok = false;
  std::string bytes;
  std::string error;
};

/// Standard base64 (RFC 2045 §6.8 alphabet, `=` padding required), with the whitespace that
/// RFC 6376's base64string allows (FWS: space, tab, CR, LF) anywhere between characters.
Base64Result decode_base64(std::string_view text);

/// An RSA public key read from DER far enough to know its size.
struct RsaKeyInfo {
  bool ok = false;
  KeyForm form = KeyForm::none;
  unsigned bits = 0;
  std::string error;
};

/// Reads a SubjectPublicKeyInfo { AlgorithmIdentifier { rsaEncryption, NULL }, BIT STRING
/// { RSAPublicKey } } or a bare RSAPublicKey { INTEGER n, INTEGER e }. Strict DER: definite,
/// minimal lengths; minimal, positive integers; nothing after the key.
RsaKeyInfo read_rsa_key(std::string_view der);

}  // namespace relaycheck::dkim
