// DKIM key records: RFC 6376 §3.2 (tag=value lists) and §3.6.1 (the key record's tags), RFC 8301
// (no rsa-sha1, RSA keys of at least 1024 bits), RFC 8463 (ed25519 keys).
#include "dkim/key_record.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>

#include <nlohmann/json.hpp>

#include "text/ascii.hpp"
#include "text/base64.hpp"
#include "text/quote.hpp"

namespace relaycheck::dkim {
namespace {

// ---------------------------------------------------------------------------------------------
// Characters
// ---------------------------------------------------------------------------------------------

using text::is_alpha;
using text::is_digit;
using text::to_lower;

constexpr bool is_wsp(char c) { return c == ' ' || c == '\t'; }
/// Whitespace that FWS can leave inside a value once the tag-list is known to be well formed.
constexpr bool is_fws_char(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string hex_byte(unsigned value) {
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", value & 0xFFu);
  return hex;
}

/// A byte as a message shows it: 'x' when printable, else its kind and value.
std::string describe_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x80) return "a non-ASCII byte (" + hex_byte(u) + ")";
  if (c == ' ') return "a space";
  if (u < 0x20 || u == 0x7F) return "a control character (" + hex_byte(u) + ")";
  return std::string("'") + c + "'";
}

std::string trim_fws(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && is_fws_char(text[begin])) ++begin;
  while (end > begin && is_fws_char(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

/// hyphenated-word = ALPHA [ *(ALPHA / DIGIT / "-") (ALPHA / DIGIT) ]  (RFC 6376 §2.10)
bool is_hyphenated_word(std::string_view word) {
  if (word.empty() || !is_alpha(word.front())) return false;
  if (word.back() == '-') return false;
  return std::all_of(word.begin(), word.end(),
                     [](char c) { return is_alpha(c) || is_digit(c) || c == '-'; });
}

// ---------------------------------------------------------------------------------------------
// Why a record is not ok
// ---------------------------------------------------------------------------------------------

/// A reason the record is invalid: the finding code, where, why, and what to change.
struct Failure {
  std::string code;
  std::string path;
  std::string reason;
  std::string fix;
};

const char* const kRecordFix =
    "Publish the record as tag=value pairs separated by semicolons, each tag once, "
    "e.g. v=DKIM1; k=rsa; p=<the base64 public key>.";
const char* const kKeyFix =
    "Publish the public key of the signer's key pair again: for k=rsa the base64 of its DER "
    "SubjectPublicKeyInfo (openssl pkey -pubin -outform DER | base64 -w0), for k=ed25519 the "
    "base64 "
    "of the bare 32-byte key.";

Failure record_failure(std::string path, std::string reason, std::string fix = kRecordFix) {
  return Failure{"dkim.record.invalid", std::move(path), std::move(reason), std::move(fix)};
}

Failure key_failure(std::string reason, std::string fix = kKeyFix) {
  return Failure{"dkim.key.invalid", "/p", std::move(reason), std::move(fix)};
}

// ---------------------------------------------------------------------------------------------
// Tag-list (RFC 6376 §3.2)
// ---------------------------------------------------------------------------------------------
//   tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
//   tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
//   tag-name  =  ALPHA *ALNUMPUNC
//   tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
//   tval      =  1*VALCHAR          VALCHAR = %x21-3A / %x3C-7E
//   FWS       =  [*WSP CRLF] 1*WSP
// Bytes above 0x7F are accepted in values, as §3.2's note advises for UTF-8 (a tag whose own
// grammar is ASCII, such as p=, still refuses them). Whitespace after the final ";" is accepted:
// it is common, and verifiers read past it.

struct Tag {
  std::string_view name;
  std::string_view value;  ///< without the FWS around it; FWS inside is kept
  std::size_t offset = 0;  ///< of the name, in the record
  std::size_t index = 0;   ///< position in the record, from 0
};

/// Skips FWS: spaces, tabs, and CRLF when a space or tab follows it.
std::size_t skip_fws(std::string_view s, std::size_t i) {
  for (;;) {
    if (i < s.size() && is_wsp(s[i])) {
      ++i;
    } else if (i + 2 < s.size() && s[i] == '\r' && s[i + 1] == '\n' && is_wsp(s[i + 2])) {
      i += 3;
    } else {
      return i;
    }
  }
}

std::optional<Failure> split_tags(std::string_view s, std::vector<Tag>& tags) {
  std::size_t i = 0;
  for (;;) {
    i = skip_fws(s, i);
    if (i == s.size()) {
      if (tags.empty()) return record_failure("", "the record is empty");
      return std::nullopt;  // after a final ";"
    }
    if (s[i] == ';') {
      return record_failure(
          "", tags.empty() ? "the record starts with ';', before any tag"
                           : "an empty tag between two ';' (offset " + std::to_string(i) + ")");
    }
    if (!is_alpha(s[i])) {
      return record_failure("", "a tag name must start with a letter; found " +
                                    describe_byte(s[i]) + " at offset " + std::to_string(i));
    }
    Tag tag;
    tag.offset = i;
    tag.index = tags.size();
    const std::size_t name_start = i;
    while (i < s.size() && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '_')) ++i;
    tag.name = s.substr(name_start, i - name_start);
    const std::string where = "/" + pointer_token(tag.name);
    i = skip_fws(s, i);
    if (i == s.size() || s[i] != '=') {
      return record_failure(
          where, "tag " + quote(tag.name) + " is followed by " +
                     (i == s.size() ? std::string("the end of the record") : describe_byte(s[i])) +
                     ", not '='");
    }
    i = skip_fws(s, i + 1);
    const std::size_t value_start = i;
    while (i < s.size() && s[i] != ';') {
      const char c = s[i];
      const auto u = static_cast<unsigned char>(c);
      if (is_wsp(c) || (u >= 0x21 && u != 0x7F)) {
        ++i;
      } else if (c == '\r' && i + 2 < s.size() && s[i + 1] == '\n' && is_wsp(s[i + 2])) {
        i += 3;
      } else if (c == '\r' || c == '\n') {
        return record_failure(where, "the value of " + quote(tag.name) +
                                         " has a line break at offset " + std::to_string(i) +
                                         " that is not CRLF followed by a space or tab");
      } else {
        return record_failure(where, "the value of " + quote(tag.name) + " has " +
                                         describe_byte(c) + " at offset " + std::to_string(i));
      }
    }
    std::size_t value_end = i;
    while (value_end > value_start && is_fws_char(s[value_end - 1])) --value_end;
    tag.value = s.substr(value_start, value_end - value_start);
    tags.push_back(tag);
    if (i == s.size()) return std::nullopt;
    ++i;  // the ';'
  }
}

/// "Tags with duplicate names MUST NOT occur within a single tag-list; if a tag name does occur
/// more than once, the entire tag-list is invalid." Sorting keeps 10,000 tags cheap.
std::optional<Failure> find_duplicate(const std::vector<Tag>& tags) {
  std::vector<const Tag*> sorted;
  sorted.reserve(tags.size());
  for (const auto& t : tags) sorted.push_back(&t);
  std::sort(sorted.begin(), sorted.end(), [](const Tag* a, const Tag* b) {
    return a->name != b->name ? a->name < b->name : a->offset < b->offset;
  });
  const Tag* first = nullptr;
  const Tag* second = nullptr;
  for (std::size_t k = 1; k < sorted.size(); ++k) {
    if (sorted[k]->name == sorted[k - 1]->name &&
        (second == nullptr || sorted[k]->offset < second->offset)) {
      first = sorted[k - 1];
      second = sorted[k];
    }
  }
  if (second == nullptr) return std::nullopt;
  return record_failure("/" + pointer_token(second->name),
                        "tag " + quote(second->name) + " appears more than once (at offsets " +
                            std::to_string(first->offset) + " and " +
                            std::to_string(second->offset) +
                            "), which makes the whole record invalid (RFC 6376 §3.2)",
                        "Keep one " + std::string(second->name) + "= in the record.");
}

/// A colon-separated list (h=, s=, t=): key-x-tag-value *( [FWS] ":" [FWS] key-x-tag-value ).
/// `star` allows "*" as an entry (s=).
std::optional<Failure> split_list(const Tag& tag, bool star, std::vector<std::string>& out) {
  const std::string where = "/" + std::string(tag.name);
  if (tag.value.empty()) return record_failure(where, std::string(tag.name) + "= is empty");
  std::size_t start = 0;
  for (;;) {
    const std::size_t colon = tag.value.find(':', start);
    const std::string entry = trim_fws(tag.value.substr(
        start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    if (entry.empty())
      return record_failure(where,
                            std::string(tag.name) + "= has an empty entry in " + quote(tag.value));
    if (!(star && entry == "*") && !is_hyphenated_word(entry)) {
      return record_failure(where, std::string(tag.name) + "= has " + quote(entry) +
                                       ", which is not a name (letters, digits and inner hyphens)" +
                                       (star ? " or *" : "") + "; entries are separated by ':'");
    }
    out.push_back(entry);
    if (colon == std::string_view::npos) return std::nullopt;
    start = colon + 1;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Base64
// ---------------------------------------------------------------------------------------------

namespace {

std::string bad_character_hint(char c) {
  if (c == '"') {
    return ": the record looks copied with the quotes around its TXT strings; join the strings "
           "without quotes or spaces";
  }
  if (c == '\\')
    return ": the record looks copied from zone-file or dig output with its escapes; remove them";
  if (c == '-' || c == '_') return ": that is base64url; DKIM keys use standard base64 (+ and /)";
  return "";
}

}  // namespace

Base64Result decode_base64(std::string_view encoded) {
  using Problem = text::Base64Decoded::Problem;
  text::Base64Decoded decoded = text::base64_decode(encoded, /*skip_fws=*/true);
  Base64Result result;
  const auto at = [&] { return describe_byte(encoded[decoded.at]); };
  switch (decoded.problem) {
    case Problem::none:
      result.ok = true;
      result.bytes = std::move(decoded.bytes);
      break;
    case Problem::not_base64:
      result.error = "p= has " + at() + " (character " + std::to_string(decoded.symbols + 1) +
                     " of the key), which is not a base64 character" +
                     bad_character_hint(encoded[decoded.at]);
      break;
    case Problem::after_padding:
      result.error = "p= has " + at() + " after its '=' padding, which may only end the key";
      break;
    case Problem::too_much_padding:
      result.error = "p= ends in more than two '=' (base64 padding is one or two)";
      break;
    case Problem::partial_group:
      result.error =
          "p= has " + std::to_string(decoded.symbols) +
          " base64 characters, not a whole number of 4-character groups: the key is cut short, "
          "or its '=' padding is missing";
      break;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// DER: the few types of an RSA public key, definite lengths only, to a fixed depth
// ---------------------------------------------------------------------------------------------

namespace {

constexpr unsigned char kSequence = 0x30;
constexpr unsigned char kInteger = 0x02;
constexpr unsigned char kBitString = 0x03;
constexpr unsigned char kNull = 0x05;
constexpr unsigned char kOid = 0x06;

constexpr std::array<unsigned char, 9> kOidRsaEncryption{0x2A, 0x86, 0x48, 0x86, 0xF7,
                                                         0x0D, 0x01, 0x01, 0x01};
constexpr std::array<unsigned char, 9> kOidRsaPss{0x2A, 0x86, 0x48, 0x86, 0xF7,
                                                  0x0D, 0x01, 0x01, 0x0A};
constexpr std::array<unsigned char, 3> kOidEd25519{0x2B, 0x65, 0x70};
constexpr std::array<unsigned char, 3> kOidEd448{0x2B, 0x65, 0x71};
constexpr std::array<unsigned char, 7> kOidEcPublicKey{0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01};
constexpr std::array<unsigned char, 7> kOidDsa{0x2A, 0x86, 0x48, 0xCE, 0x38, 0x04, 0x01};
/// An Ed25519 SubjectPublicKeyInfo is these 12 bytes, then the 32-byte key.
constexpr std::array<unsigned char, 12> kEd25519SpkiPrefix{0x30, 0x2A, 0x30, 0x05, 0x06, 0x03,
                                                           0x2B, 0x65, 0x70, 0x03, 0x21, 0x00};

unsigned char byte_at(std::string_view der, std::size_t i) {
  return static_cast<unsigned char>(der[i]);
}

template <std::size_t N>
bool bytes_equal(std::string_view der, std::size_t start, std::size_t length,
                 const std::array<unsigned char, N>& want) {
  if (length != N) return false;
  for (std::size_t k = 0; k < N; ++k) {
    if (byte_at(der, start + k) != want[k]) return false;
  }
  return true;
}

/// One element: its tag and where its contents are.
struct Tlv {
  unsigned char tag = 0;
  std::size_t start = 0;
  std::size_t length = 0;
  std::size_t end() const { return start + length; }
};

/// Reads the element at `pos` (which must lie before `end`), expecting `tag`; on success `pos`
/// moves past it. Every length is checked against the bytes left before `end`.
bool read_tlv(std::string_view der, std::size_t& pos, std::size_t end, unsigned char tag,
              const char* what, Tlv& out, std::string& error) {
  const std::string name = what;
  if (pos >= end) {
    error = name + " is missing: the bytes end at " + std::to_string(pos);
    return false;
  }
  out.tag = byte_at(der, pos);
  if (out.tag != tag) {
    error = "expected " + name + " (tag " + hex_byte(tag) + ") at byte " + std::to_string(pos) +
            ", found tag " + hex_byte(out.tag);
    return false;
  }
  if (end - pos < 2) {
    error = name + " is cut short at byte " + std::to_string(pos + 1) + ": its length is missing";
    return false;
  }
  const unsigned first = byte_at(der, pos + 1);
  std::size_t header = 2;
  std::size_t length = first;
  if (first == 0x80) {
    error = name + " has an indefinite length (0x80), which DER does not allow";
    return false;
  }
  if (first > 0x80) {
    const std::size_t count = first & 0x7Fu;
    if (count > 4) {
      error = name + " has a length field of " + std::to_string(count) +
              " bytes, more than any key needs";
      return false;
    }
    if (end - pos - 2 < count) {
      error = name + " is cut short at byte " + std::to_string(pos + 2) +
              ": its length field is incomplete";
      return false;
    }
    length = 0;
    for (std::size_t k = 0; k < count; ++k) length = (length << 8) | byte_at(der, pos + 2 + k);
    if (byte_at(der, pos + 2) == 0 || length < 0x80) {
      error = name + " writes its length in more bytes than it needs, which DER does not allow";
      return false;
    }
    header += count;
  }
  const std::size_t left = end - pos - header;
  if (length > left) {
    error = name + " says " + std::to_string(length) + " bytes, but only " + std::to_string(left) +
            " are left";
    return false;
  }
  out.start = pos + header;
  out.length = length;
  pos = out.end();
  return true;
}

/// A positive INTEGER in minimal DER; `bits` is its size without leading zeros.
bool read_positive_integer(std::string_view der, std::size_t& pos, std::size_t end,
                           const char* what, unsigned& bits, std::string& error) {
  Tlv integer;
  if (!read_tlv(der, pos, end, kInteger, what, integer, error)) return false;
  const std::string name = what;
  if (integer.length == 0) {
    error = name + " is empty";
    return false;
  }
  const unsigned lead = byte_at(der, integer.start);
  if ((lead & 0x80u) != 0) {
    error = name + " is negative";
    return false;
  }
  if (lead == 0 && integer.length > 1 && (byte_at(der, integer.start + 1) & 0x80u) == 0) {
    error = name + " has a needless leading zero byte, which DER does not allow";
    return false;
  }
  std::size_t first = integer.start;
  std::size_t count = integer.length;
  if (lead == 0) {
    ++first;
    --count;
  }
  if (count == 0) {
    error = name + " is zero";
    return false;
  }
  unsigned top = byte_at(der, first);
  unsigned top_bits = 0;
  while (top != 0) {
    ++top_bits;
    top >>= 1;
  }
  bits = static_cast<unsigned>((count - 1) * 8 + top_bits);
  return true;
}

/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }, filling [pos, end).
bool read_rsa_public_key(std::string_view der, std::size_t pos, std::size_t end, unsigned& bits,
                         std::string& error) {
  Tlv sequence;
  if (!read_tlv(der, pos, end, kSequence, "the RSAPublicKey SEQUENCE", sequence, error))
    return false;
  if (sequence.end() != end) {
    error = std::to_string(end - sequence.end()) + " bytes follow the RSAPublicKey";
    return false;
  }
  std::size_t inner = sequence.start;
  unsigned exponent_bits = 0;
  if (!read_positive_integer(der, inner, sequence.end(), "the modulus", bits, error)) return false;
  if (!read_positive_integer(der, inner, sequence.end(), "the public exponent", exponent_bits,
                             error))
    return false;
  if (inner != sequence.end()) {
    error = "the RSAPublicKey has " + std::to_string(sequence.end() - inner) +
            " bytes after its exponent";
    return false;
  }
  return true;
}

/// An OID in dotted form, for a message ("1.2.840.10045.2.1"); bounded by its short length.
std::string dotted_oid(std::string_view der, const Tlv& oid) {
  if (oid.length == 0 || oid.length > 32) return "an unreadable OID";
  std::string out;
  std::uint64_t arc = 0;
  bool first = true;
  for (std::size_t k = 0; k < oid.length; ++k) {
    const unsigned b = byte_at(der, oid.start + k);
    if (arc > (std::uint64_t{1} << 56)) return "an unreadable OID";
    arc = (arc << 7) | (b & 0x7Fu);
    if ((b & 0x80u) != 0) continue;
    if (first) {
      const std::uint64_t top = arc < 40 ? 0 : arc < 80 ? 1 : 2;
      out = std::to_string(top) + "." + std::to_string(arc - top * 40);
      first = false;
    } else {
      out += "." + std::to_string(arc);
    }
    arc = 0;
  }
  if ((byte_at(der, oid.end() - 1) & 0x80u) != 0) return "an unreadable OID";
  return "OID " + out;
}

}  // namespace

RsaKeyInfo read_rsa_key(std::string_view der) {
  RsaKeyInfo info;
  std::string& error = info.error;
  std::size_t pos = 0;
  Tlv outer;
  if (!read_tlv(der, pos, der.size(), kSequence, "the key's outer SEQUENCE", outer, error))
    return info;
  if (outer.end() != der.size()) {
    error = std::to_string(der.size() - outer.end()) + " bytes follow the key";
    return info;
  }
  if (outer.length == 0) {
    error = "the key's outer SEQUENCE is empty";
    return info;
  }
  const unsigned char first = byte_at(der, outer.start);
  if (first == kInteger) {
    info.form = KeyForm::pkcs1;
    info.ok = read_rsa_public_key(der, 0, der.size(), info.bits, error);
    return info;
  }
  if (first != kSequence) {
    error =
        "the key's SEQUENCE starts with tag " + hex_byte(first) +
        ", neither an algorithm identifier (SubjectPublicKeyInfo) nor an INTEGER (RSAPublicKey)";
    return info;
  }
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING
  // }
  info.form = KeyForm::spki;
  std::size_t inner = outer.start;
  Tlv algorithm;
  if (!read_tlv(der, inner, outer.end(), kSequence, "the algorithm identifier", algorithm, error))
    return info;
  std::size_t in_algorithm = algorithm.start;
  Tlv oid;
  if (!read_tlv(der, in_algorithm, algorithm.end(), kOid, "the algorithm OID", oid, error))
    return info;
  if (!bytes_equal(der, oid.start, oid.length, kOidRsaEncryption)) {
    if (bytes_equal(der, oid.start, oid.length, kOidEd25519)) {
      error = "it is an Ed25519 key (SubjectPublicKeyInfo), not RSA";
    } else if (bytes_equal(der, oid.start, oid.length, kOidRsaPss)) {
      error = "it is an RSASSA-PSS key; DKIM's rsa-sha256 needs an rsaEncryption key";
    } else if (bytes_equal(der, oid.start, oid.length, kOidEcPublicKey)) {
      error = "it is an elliptic-curve (ECDSA) key, which DKIM has no key type for";
    } else if (bytes_equal(der, oid.start, oid.length, kOidEd448)) {
      error = "it is an Ed448 key, which DKIM has no key type for";
    } else if (bytes_equal(der, oid.start, oid.length, kOidDsa)) {
      error = "it is a DSA key, which DKIM has no key type for";
    } else {
      error =
          "its algorithm is " + dotted_oid(der, oid) + ", not rsaEncryption (1.2.840.113549.1.1.1)";
    }
    return info;
  }
  if (in_algorithm != algorithm.end()) {
    Tlv parameters;
    if (!read_tlv(der, in_algorithm, algorithm.end(), kNull, "the algorithm parameters (NULL)",
                  parameters, error)) {
      return info;
    }
    if (parameters.length != 0 || in_algorithm != algorithm.end()) {
      error = "the algorithm identifier has bytes after its NULL parameters";
      return info;
    }
  }
  Tlv bit_string;
  if (!read_tlv(der, inner, outer.end(), kBitString, "the key BIT STRING", bit_string, error))
    return info;
  if (inner != outer.end()) {
    error = std::to_string(outer.end() - inner) + " bytes follow the key BIT STRING";
    return info;
  }
  if (bit_string.length == 0) {
    error = "the key BIT STRING is empty";
    return info;
  }
  if (byte_at(der, bit_string.start) != 0) {
    error = "the key BIT STRING has " + std::to_string(byte_at(der, bit_string.start)) +
            " unused bits; a key has none";
    return info;
  }
  info.ok = read_rsa_public_key(der, bit_string.start + 1, bit_string.end(), info.bits, error);
  return info;
}

// ---------------------------------------------------------------------------------------------
// The record
// ---------------------------------------------------------------------------------------------

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::ok:
      return "ok";
    case Verdict::invalid:
      return "invalid";
    case Verdict::revoked:
      return "revoked";
    case Verdict::unusable:
      return "unusable";
  }
  return "invalid";
}

std::string_view to_string(KeyForm form) {
  switch (form) {
    case KeyForm::none:
      return "";
    case KeyForm::spki:
      return "spki";
    case KeyForm::pkcs1:
      return "pkcs1";
    case KeyForm::raw:
      return "raw";
  }
  return "";
}

namespace {

void add(KeyRecord& record, const char* code, Severity severity, std::string path,
         std::string message, std::string fix) {
  record.findings.push_back(
      Finding{code, severity, std::move(path), std::move(message), std::move(fix)});
}

void fail(KeyRecord& record, const Failure& failure) {
  record.verdict = Verdict::invalid;
  record.key_form = KeyForm::none;
  record.key_bits = 0;
  record.hashes.clear();
  record.services.clear();
  record.reason = failure.reason;
  const bool key = failure.code == "dkim.key.invalid";
  add(record, key ? "dkim.key.invalid" : "dkim.record.invalid", Severity::error, failure.path,
      std::string(key ? "Verifiers cannot read the public key in p="
                      : "Verifiers cannot read this key record") +
          ", so every signature that names this selector fails (PERMFAIL, key syntax error): " +
          failure.reason + ".",
      failure.fix);
}

/// The key in p= for k=: its form and size, or why it cannot be read.
bool is_ed25519_spki(const std::string& bytes) {
  if (bytes.size() != kEd25519SpkiPrefix.size() + 32) return false;
  return std::equal(
      kEd25519SpkiPrefix.begin(), kEd25519SpkiPrefix.end(), bytes.begin(),
      [](unsigned char want, char got) { return static_cast<unsigned char>(got) == want; });
}

/// The key in p= for k= (`k_given`: whether the record says k= or relies on the default rsa): its
/// form and size, or why it cannot be read.
std::optional<Failure> read_key(KeyRecord& record, const std::string& bytes, bool k_given) {
  if (record.key_type == "rsa") {
    const RsaKeyInfo info = read_rsa_key(bytes);
    if (info.ok) {
      record.key_form = info.form;
      record.key_bits = info.bits;
      return std::nullopt;
    }
    if (bytes.size() == 32 || is_ed25519_spki(bytes)) {
      return key_failure(
          std::string(bytes.size() == 32 ? "p= is 32 bytes, the size of an Ed25519 key"
                                         : "p= holds an Ed25519 key (SubjectPublicKeyInfo)") +
              ", but " + (k_given ? "k= is rsa" : "the record has no k=, and rsa is the default"),
          "Add k=ed25519 and publish the bare 32-byte key in p=.");
    }
    return key_failure("p= is not an RSA public key in DER: " + info.error);
  }
  // ed25519 (RFC 8463 §4.2): the raw 32-byte key, base64-encoded; no ASN.1 around it.
  if (bytes.size() == 32) {
    record.key_form = KeyForm::raw;
    record.key_bits = 256;
    return std::nullopt;
  }
  if (is_ed25519_spki(bytes)) {
    return key_failure(
        "p= holds the Ed25519 key wrapped in a SubjectPublicKeyInfo (44 bytes); RFC 8463 §4.2 "
        "wants the bare 32-byte key",
        "Publish the last 32 bytes of the SubjectPublicKeyInfo, base64-encoded "
        "(openssl pkey -pubin -outform DER | tail -c 32 | base64).");
  }
  if (!bytes.empty() && byte_at(bytes, 0) == kSequence) {
    const RsaKeyInfo info = read_rsa_key(bytes);
    if (info.ok) {
      return key_failure(
          "p= holds a " + std::to_string(info.bits) + "-bit RSA key, but k= is ed25519",
          "Set k=rsa (or remove k=) for this key, or publish the signer's Ed25519 key.");
    }
  }
  return key_failure("p= is " + std::to_string(bytes.size()) +
                     " bytes; an Ed25519 key is exactly 32 (RFC 8463 §4.2)");
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool contains_folded(const std::vector<std::string>& list, std::string_view lower_item) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& item) { return to_lower(item) == lower_item; });
}

std::string join(const std::vector<std::string>& list, const char* separator) {
  std::string out;
  for (const auto& item : list) out += (out.empty() ? "" : separator) + item;
  return out;
}

/// What the tag loop carries to the key and the judgement.
struct TagsRead {
  std::vector<std::string> hashes;    ///< h= as listed
  std::vector<std::string> services;  ///< s= as listed
  bool has_s = false;
  const Tag* p = nullptr;
  bool upper_p = false;  ///< a 'P' tag, for the hint when p= is missing
};

/// Reads one tag of a tag-list without duplicates; a failure makes the record invalid. Any
/// other tag is ignored (RFC 6376 §3.2: "Unrecognized tags MUST be ignored").
std::optional<Failure> read_tag(KeyRecord& record, const Tag& tag, TagsRead& read) {
  const std::string where = "/" + pointer_token(tag.name);
  if (tag.name == "v") {
    if (tag.index != 0) {
      return record_failure(where,
                            "v= is tag " + std::to_string(tag.index + 1) +
                                "; when present it must be the first tag (RFC 6376 §3.6.1)",
                            "Move v=DKIM1 to the start of the record, or remove it.");
    }
    if (tag.value != "DKIM1") {
      return record_failure(
          where,
          "v= is " + quote(tag.value) +
              ", not DKIM1; verifiers discard a key record with any other version",
          "Write v=DKIM1 exactly (or remove v=).");
    }
  } else if (tag.name == "k") {
    if (!is_hyphenated_word(tag.value)) {
      return record_failure(where, "k= is " + quote(tag.value) + ", which is not a key type name",
                            "Set k=rsa (the default) or k=ed25519.");
    }
  } else if (tag.name == "h") {
    if (auto failure = split_list(tag, false, read.hashes)) return failure;
    record.hashes.clear();
    for (const auto& h : read.hashes) {
      if ((h == "sha1" || h == "sha256") && !contains(record.hashes, h)) record.hashes.push_back(h);
    }
  } else if (tag.name == "s") {
    read.has_s = true;
    if (auto failure = split_list(tag, true, read.services)) return failure;
    record.services.clear();
    for (const auto& s : read.services) {
      if ((s == "*" || s == "email") && !contains(record.services, s)) record.services.push_back(s);
    }
  } else if (tag.name == "t") {
    std::vector<std::string> flags;
    if (auto failure = split_list(tag, false, flags)) return failure;
    record.testing = contains(flags, "y");
    record.strict = contains(flags, "s");
  } else if (tag.name == "n") {
    record.notes = std::string(tag.value);
  } else if (tag.name == "p") {
    read.p = &tag;
  } else if (tag.name == "P") {
    read.upper_p = true;
  }
  return std::nullopt;
}

/// k= names a key type verifiers know (values are case-sensitive).
void judge_key_type(KeyRecord& record, std::vector<std::string>& unusable) {
  if (record.key_type != "rsa" && record.key_type != "ed25519") {
    std::string hint;
    const std::string folded = to_lower(record.key_type);
    if (folded == "rsa" || folded == "ed25519") {
      hint =
          " (values are case-sensitive, RFC 6376 §3.2; OpenDKIM compares without case and accepts "
          "it, "
          "other verifiers do not: write k=" +
          folded + ")";
    }
    const std::string reason =
        "k=" + quote(record.key_type) + " is not a key type verifiers know (rsa, ed25519)" + hint;
    unusable.push_back(reason);
    add(record, "dkim.k.unknown", Severity::error, "/k",
        "Verifiers ignore a key record whose k= they do not know, so no signature made with this "
        "selector verifies: " +
            reason + ".",
        "Set k=rsa (the default) or k=ed25519, as the signer's key is.");
  }
}

/// h= leaves a hash verifiers accept (sha256; sha1 is refused, RFC 8301 §3.1).
void judge_hashes(KeyRecord& record, const std::vector<std::string>& listed_hashes,
                  std::vector<std::string>& unusable) {
  if (!contains(record.hashes, "sha256")) {
    if (contains(record.hashes, "sha1")) {
      const std::string reason =
          "h= allows only sha1, and verifiers must not verify sha1 signatures (RFC 8301 §3.1)";
      unusable.push_back(reason);
      add(record, "dkim.h.sha1_only", Severity::error, "/h",
          "Verifiers must not accept rsa-sha1 signatures (RFC 8301 §3.1), and h= allows no other "
          "hash, so no "
          "signature made with this key verifies.",
          "Set h=sha256, or remove h= (it then allows every hash), and sign with rsa-sha256.");
    } else {
      const bool folded = contains_folded(listed_hashes, "sha256");
      const std::string reason =
          "h=" + quote(join(listed_hashes, ":")) +
          " names no hash verifiers know; they ignore unknown ones, and a signature's hash must be "
          "listed" +
          (folded ? " (values are case-sensitive; OpenDKIM compares without case and "
                    "accepts SHA256, other verifiers do not: write sha256)"
                  : "");
      unusable.push_back(reason);
      add(record, "dkim.h.unknown_only", Severity::error, "/h",
          "Verifiers ignore the hash algorithms they do not know, and h= names no other, so no "
          "signature made "
          "with this key verifies: " +
              reason + ".",
          "Set h=sha256, or remove h=.");
    }
  }
}

/// s= lets mail verifiers use the record.
void judge_services(KeyRecord& record, const std::vector<std::string>& listed_services, bool has_s,
                    std::vector<std::string>& unusable) {
  if (has_s && !contains(record.services, "*") && !contains(record.services, "email")) {
    const std::string reason = "s=" + quote(join(listed_services, ":")) +
                               " leaves out email, so mail verifiers must ignore the record";
    unusable.push_back(reason);
    add(record, "dkim.s.not_email", Severity::error, "/s",
        "Email verifiers must ignore a key record whose s= does not list email or *, so no "
        "signature on mail made "
        "with this selector verifies (s=" +
            quote(join(listed_services, ":")) + ").",
        "Remove s= (it defaults to *) or set s=email.");
  }
}

/// The size of an RSA key (RFC 8301 §3.2): under 1024 bits refused, under 2048 or over 4096 warned.
void judge_rsa_bits(KeyRecord& record, std::vector<std::string>& unusable) {
  if (record.key_type == "rsa" && record.key_bits > 0) {
    const std::string bits = std::to_string(record.key_bits);
    if (record.key_bits < 1024) {
      const std::string reason =
          "the RSA key is " + bits +
          " bits; verifiers must not accept keys under 1024 bits (RFC 8301 §3.2)";
      unusable.push_back(reason);
      add(record, "dkim.key.rsa_too_short", Severity::error, "/p",
          "The RSA key is " + bits +
              " bits; verifiers must not consider signatures made with RSA keys under 1024 "
              "bits valid (RFC 8301 §3.2), so every signature with this selector fails.",
          "Generate a 2048-bit key pair, publish its public key under a new selector and sign with "
          "it.");
    } else if (record.key_bits < 2048) {
      add(record, "dkim.key.rsa_under_2048", Severity::warning, "/p",
          "Verifiers accept this " + bits +
              "-bit RSA key, but RFC 8301 §3.2 says signers should use keys of at "
              "least 2048 bits.",
          "Generate a 2048-bit key pair, publish it under a new selector, switch signing to it, "
          "then revoke this "
          "selector (empty p=).");
    } else if (record.key_bits > 4096) {
      add(record, "dkim.key.rsa_over_4096", Severity::warning, "/p",
          "The RSA key is " + bits +
              " bits; verifiers must handle keys of 1024 to 4096 bits and may refuse larger "
              "ones (RFC 8301 §3.2), so some receivers may fail signatures made with it.",
          "Use a 2048-bit key (at most 4096 bits).");
    }
  }
}

/// Adds the findings of a record that parsed, and decides between ok and unusable.
void judge(KeyRecord& record, const std::vector<std::string>& listed_hashes,
           const std::vector<std::string>& listed_services, bool has_s) {
  std::vector<std::string> unusable;
  judge_key_type(record, unusable);
  judge_hashes(record, listed_hashes, unusable);
  judge_services(record, listed_services, has_s, unusable);
  judge_rsa_bits(record, unusable);
  if (record.testing) {
    add(record, "dkim.t.testing", Severity::warning, "/t",
        "t=y says the domain is testing DKIM: verifiers must not treat its mail differently from "
        "unsigned mail, "
        "even when a signature fails to verify (RFC 6376 §3.6.1), so receivers may give a valid "
        "signature no "
        "weight.",
        "Remove y from t= once signatures verify.");
  }
  if (!unusable.empty()) {
    record.verdict = Verdict::unusable;
    record.reason = join(unusable, "; ");
  } else {
    record.verdict = Verdict::ok;
  }
}

}  // namespace

KeyRecord parse_key_record(std::string_view text) {
  KeyRecord record;
  if (text.size() > kMaxRecordBytes) {
    fail(record,
         record_failure("",
                        "the record is " + std::to_string(text.size()) +
                            " bytes; a TXT record holds at most 65535, so this cannot be one",
                        "Publish the key record itself: v=DKIM1; k=rsa; p=<base64 public key>."));
    return record;
  }
  std::vector<Tag> tags;
  if (auto failure = split_tags(text, tags)) {
    fail(record, *failure);
    return record;
  }
  if (auto failure = find_duplicate(tags)) {
    fail(record, *failure);
    return record;
  }
  // k= first, so that a record found invalid further on still says which key type it is for.
  const auto k = std::find_if(tags.begin(), tags.end(), [](const Tag& t) { return t.name == "k"; });
  const bool k_given = k != tags.end();
  record.key_type =
      k_given ? (is_hyphenated_word(k->value) ? std::string(k->value) : std::string()) : "rsa";
  record.hashes = {"sha1", "sha256"};
  record.services = {"*"};
  TagsRead read;
  for (const Tag& tag : tags) {
    if (auto failure = read_tag(record, tag, read)) {
      fail(record, *failure);
      return record;
    }
  }
  if (read.p == nullptr) {
    fail(record,
         record_failure("",
                        std::string("the record has no p= (the public key), which is required") +
                            (read.upper_p ? "; tags are case-sensitive, and 'P' is not 'p'" : ""),
                        "Add p= with the base64 public key (an empty p= revokes the key)."));
    return record;
  }
  const Base64Result decoded = decode_base64(read.p->value);
  if (!decoded.ok) {
    fail(record, key_failure(decoded.error,
                             "Publish the key as standard base64 with its '=' padding: "
                             "letters, digits, + and /, nothing else."));
    return record;
  }
  if (decoded.bytes.empty()) {
    record.verdict = Verdict::revoked;
    record.reason = "p= is empty: the key is revoked";
    add(record, "dkim.key.revoked", Severity::error, "/p",
        "p= is empty: the key is revoked, and every signature that names this selector fails "
        "(PERMFAIL, key "
        "revoked).",
        "If mail is still signed with this selector, publish its public key in p=; otherwise have "
        "the signer use a "
        "selector whose key is published.");
    return record;
  }
  if (record.key_type == "rsa" || record.key_type == "ed25519") {
    if (auto failure = read_key(record, decoded.bytes, k_given)) {
      fail(record, *failure);
      return record;
    }
  }
  judge(record, read.hashes, read.services, read.has_s);
  sort_findings(record.findings);
  return record;
}

void to_json(nlohmann::json& out, const KeyRecord& record) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : record.findings) findings.push_back(f);
  out = nlohmann::json{
      {"verdict", to_string(record.verdict)},
      {"keyType", record.key_type},
      {"keyForm", to_string(record.key_form)},
      {"keyBits", record.key_bits == 0 ? nlohmann::json(nullptr) : nlohmann::json(record.key_bits)},
      {"testing", record.testing},
      {"strict", record.strict},
      {"hashes", record.hashes},
      {"services", record.services},
      {"notes", record.notes},
      {"findings", std::move(findings)},
      {"reason", record.reason}};
}

}  // namespace relaycheck::dkim
