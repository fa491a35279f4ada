// The DKIM key-record engine (core/src/dkim/key_record.cpp): the tag-list of RFC 6376 §3.2, the
// tags of §3.6.1, the key sizes of RFC 8301, the Ed25519 keys of RFC 8463, and hostile input.
// The RSA and Ed25519 keys below are public keys generated for these tests with OpenSSL 3.0
// (`openssl genpkey`, then `openssl pkey -pubout -outform DER` for SubjectPublicKeyInfo and
// `openssl rsa -RSAPublicKey_out -outform DER` for PKCS#1, base64-encoded).
#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "dkim/key_record.hpp"
#include "relaycheck/facade.hpp"

namespace {

using nlohmann::json;
using relaycheck::Severity;
using relaycheck::dkim::decode_base64;
using relaycheck::dkim::KeyForm;
using relaycheck::dkim::KeyRecord;
using relaycheck::dkim::parse_key_record;
using relaycheck::dkim::read_rsa_key;
using relaycheck::dkim::Verdict;

const std::string kRsa512Spki =
    "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALO1PuYGnuUkrU03z0qSrR6mLDCyPPlGLCyCdyHiCE4/UxAs6adngxGF"
    "fxZXC0X8E3oakzqBfdgbEmNJoCHxBUUCAwEAAQ==";
const std::string kRsa512Pkcs1 =
    "MEgCQQCztT7mBp7lJK1NN89Kkq0epiwwsjz5Riwsgnch4ghOP1MQLOmnZ4MRhX8WVwtF/BN6GpM6gX3YGxJjSaAh"
    "8QVFAgMBAAE=";
const std::string kRsa1023Spki =
    "MIGeMA0GCSqGSIb3DQEBAQUAA4GMADCBiAKBgFpwhIyH2KG849F+hmIgj5lhR0t7157e0hvc7+EEziL9Zit0dDtR"
    "pRrBH6d1VeNZ+g/p0qxQmbVZLCoY3EibZg3u+VD8J94DC0ybv+YwFYot7UfKfAY5IHn4LsEWoRteawFdAc4d2YDJ"
    "dYnd3oD5ewgI0FgXCHfeZCoNJ4FpGj/bAgMBAAE=";
const std::string kRsa1024Spki =
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC0waNNYs/CUWF3R0+YNAZyVWm1+g5VWK5ou3vtIBOi3VR4aqle"
    "6kbCaUp8zSuZEkpmKoCVhjtvGjC9Q6HujP7iB+DAuVrEsv8TwGoGs1raFnPpn5M27wM8yK3y1tkJDkpeeG3rLkpR"
    "9cFqsjqQupJ91scCPpROZXbRkbpedyowbQIDAQAB";
const std::string kRsa1024Pkcs1 =
    "MIGJAoGBALTBo01iz8JRYXdHT5g0BnJVabX6DlVYrmi7e+0gE6LdVHhqqV7qRsJpSnzNK5kSSmYqgJWGO28aML1D"
    "oe6M/uIH4MC5WsSy/xPAagazWtoWc+mfkzbvAzzIrfLW2QkOSl54besuSlH1wWqyOpC6kn3WxwI+lE5ldtGRul53"
    "KjBtAgMBAAE=";
const std::string kRsa2047Spki =
    "MIIBITANBgkqhkiG9w0BAQEFAAOCAQ4AMIIBCQKCAQBqZIdNVwOTjvqZYiliahpviT6FRXMAi5jbwokjKau8tdFE"
    "LbnRqitrrzkPcyeDC9JM38SB9XA6C7OqBILPkyHD8WAY4Oj8Y12leKksE/SaYPQF/7YiUSSb7lVfn/pKG/R+w4bv"
    "9bzTjoBwrqEC9i/z1W4HYG3fgm9+tHgYEnWycS+mhDn6PvUKvtQ/896Rc00xl0BxEanImSpduRWV0itp5INku5CU"
    "jrJpkuRGMfOwOQk2zXH5a+5LI6EICUpO3DK+N6jnGTuoSYNRptdeRrrc61YSiGX+slp/pJA7hExJ+oceycYQkv7n"
    "neoZ2gHphiBmNc4ctvcmNO24rBiTz549AgMBAAE=";
const std::string kRsa2048Spki =
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAoUOpvH9XslGRqxElEVjR8cttKKGfJCw8RjeaYkg5IKxQ"
    "S3dp4/ESxe/svwDdMgGtGh4lWhB/itG6J5tlVjWAXr51Sn9I4nrUQXym+ZGWfVRR1WV4lkLEcwTJVA8SChDmRgmV"
    "U08hzuCng5NBdgJDAR9S6WttOrnth48jgbyQpLKSHs9nFOdBfDcMIoSpB1wZDoEj6YLIPgdbvexB2oU9SI8ME6+i"
    "Gv22y5gxd98qI60Iq3sHM253knlnhjv9zSr6Zm7F7xC8rx7z2hU8TnqtKII443xbRCbEOgAzGV+lJiLn8mPkn3wt"
    "E+fHcZ0CEjvJAdd/fGzuKUT7Z4ooMKdyjwIDAQAB";
const std::string kRsa2048Pkcs1 =
    "MIIBCgKCAQEAoUOpvH9XslGRqxElEVjR8cttKKGfJCw8RjeaYkg5IKxQS3dp4/ESxe/svwDdMgGtGh4lWhB/itG6"
    "J5tlVjWAXr51Sn9I4nrUQXym+ZGWfVRR1WV4lkLEcwTJVA8SChDmRgmVU08hzuCng5NBdgJDAR9S6WttOrnth48j"
    "gbyQpLKSHs9nFOdBfDcMIoSpB1wZDoEj6YLIPgdbvexB2oU9SI8ME6+iGv22y5gxd98qI60Iq3sHM253knlnhjv9"
    "zSr6Zm7F7xC8rx7z2hU8TnqtKII443xbRCbEOgAzGV+lJiLn8mPkn3wtE+fHcZ0CEjvJAdd/fGzuKUT7Z4ooMKdy"
    "jwIDAQAB";
const std::string kRsa4096Spki =
    "MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEAzmLqLMk7/epkAvQ5DbHi3AoMel5w6vldwUmXHGqaUhNz"
    "E6ZTQjU6uzyxu9cw+f7AGH8IHs6s5aHYT4deDOVCBittRHHki3x/RR8iYa3vUbeoOGGXiyudhlrVWdNyr+MKito5"
    "3ZB1Dm43nGqThebRAOr93TJ7xmLxTU/owQkMcgjZiLQjWfXXCZ+ybIRh48DNUwSw93FOod6AAIAgm2vbaRP2a0Jj"
    "Nz41VjrocIIRdIbujgLhT/qusoLE2gBymHN7r6hJD7DXmSt6b+Z78ZncFwqfBap9WwVSKVeBHYfhbBsyt7KpYPOI"
    "iLAacYTfQ4cM7CiZqgMo3QD079Ja9MdgNahNiVHjMsqn2vAF2PA2g55OjWHCyx2SLCVkJkDLGxCaXAmUMljNlYBJ"
    "UYGHCLqJ0Q+ciObjJWNpyB2EHBn6YKTctp9Kyr17VFJDsN0fx0rGTN57HFqy+Meb9UgGVOoCgCXA43FBr3WfQsx1"
    "wASmkPEzCczsAvrp/37dRQ1CpkOqD4f0N38U9V7tqmDCjG5+XEA+0TyH3AIbus4jEF7DqrPDstFYIgJ15myQYf7G"
    "EnxW2kIpCmC0VQibNvwCsJiFdiZev94FIa9awogGeJi8yIjpF0czKjndRzS8wEBgc4RIpHJ55Jc3yq1DQjOc9XN1"
    "2zTy2wXX0+IHiz3wbaH54isCAwEAAQ==";
const std::string kRsa4096Pkcs1 =
    "MIICCgKCAgEAzmLqLMk7/epkAvQ5DbHi3AoMel5w6vldwUmXHGqaUhNzE6ZTQjU6uzyxu9cw+f7AGH8IHs6s5aHY"
    "T4deDOVCBittRHHki3x/RR8iYa3vUbeoOGGXiyudhlrVWdNyr+MKito53ZB1Dm43nGqThebRAOr93TJ7xmLxTU/o"
    "wQkMcgjZiLQjWfXXCZ+ybIRh48DNUwSw93FOod6AAIAgm2vbaRP2a0JjNz41VjrocIIRdIbujgLhT/qusoLE2gBy"
    "mHN7r6hJD7DXmSt6b+Z78ZncFwqfBap9WwVSKVeBHYfhbBsyt7KpYPOIiLAacYTfQ4cM7CiZqgMo3QD079Ja9Mdg"
    "NahNiVHjMsqn2vAF2PA2g55OjWHCyx2SLCVkJkDLGxCaXAmUMljNlYBJUYGHCLqJ0Q+ciObjJWNpyB2EHBn6YKTc"
    "tp9Kyr17VFJDsN0fx0rGTN57HFqy+Meb9UgGVOoCgCXA43FBr3WfQsx1wASmkPEzCczsAvrp/37dRQ1CpkOqD4f0"
    "N38U9V7tqmDCjG5+XEA+0TyH3AIbus4jEF7DqrPDstFYIgJ15myQYf7GEnxW2kIpCmC0VQibNvwCsJiFdiZev94F"
    "Ia9awogGeJi8yIjpF0czKjndRzS8wEBgc4RIpHJ55Jc3yq1DQjOc9XN12zTy2wXX0+IHiz3wbaH54isCAwEAAQ==";
const std::string kRsa4160Spki =
    "MIICKjANBgkqhkiG9w0BAQEFAAOCAhcAMIICEgKCAgkAx3EhvfKQmYP1nMiHKGdV/nL+od/LgvfvWjCZZs1erQfl"
    "A2COkuGnASrQ+xbpVjlW834tr4speMHlB8x1FL6aGRmGMXmGmQxYB1aYbIJAMs005NFGYWPBi/QCc/ohv2WUASr5"
    "YyxTttT0hudzyEbOWtodF9oSW9cvczsA7Jpu6VTeQb6aPxFmVUouaN1LXPjWwrP8PfjYNaS9Vhu10UdSPogHClbZ"
    "hliArWWDC9ZS39JuXLSynbsR2y0EkUTRg5LQWYkq8BOEnVx8GTVVZt7QFdAjRC5d3S9+WdBrhKxL39NZu8HiMpg0"
    "ngUPKiNFGUv+RLv6MQ3fpi9jrw5lm4BXmnAVizRxlP1P+vPEkd3p18iXPJeLwZc16GKrumtjVGuRCf5uHTDDX0hl"
    "3jPJmfiP8FN07sFOJo5P0kI1TqkTp6C1CmTScsJXtdx1FpBlLNf40LEbkugstXMziHe4klQfk8tJ1OCSI19uQx9c"
    "//H5FRodA0xq/d7crTjaxHDgzLEa4DQQRv9skzcT2UNtfSQbwehE5A2t7VmIWj/9eJY3dJCYQhR0ZOCGf4jDHbDh"
    "cVrNt6WQJFBWfBYtMyzajmOwhwJhzZuoNfyUEVcaz/VjTuN5L27PMQ/4iBDUAY2OIEbdjJ7zbocHdzSNVEpSnaHC"
    "LDjiyViQSc+15Y/X/Iv6Ne/eHVm7d61E7wIDAQAB";
const std::string kEd25519Raw = "fsQPp62g0kdd0omvM8uWqlF5y71ied2oFLW2aqS7Rhs=";
const std::string kEd25519Spki = "MCowBQYDK2VwAyEAfsQPp62g0kdd0omvM8uWqlF5y71ied2oFLW2aqS7Rhs=";

/// RFC 6376 Appendix C (and A.3): the brisbane selector of example.org, as its TXT strings.
const std::vector<std::string> kRfc6376Strings{"v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQ",
                                               "KBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYt",
                                               "IxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v",
                                               "/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhi",
                                               "tdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB"};
/// RFC 8463 Appendix A.2: the two selectors of football.example.com.
const std::string kRfc8463Ed25519 =
    "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
const std::string kRfc8463Rsa =
    "v=DKIM1; k=rsa; "
    "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/"
    "J16"
    "JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/"
    "8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+"
    "l/K4w3QIDAQAB";

std::vector<std::string> codes(const KeyRecord& record) {
  std::vector<std::string> out;
  for (const auto& f : record.findings) out.push_back(f.code);
  return out;
}

using Codes = std::vector<std::string>;

std::string encode_base64(const std::string& bytes) {
  static const char* const alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  unsigned held = 0;
  for (const char c : bytes) {
    bits = (bits << 8) | static_cast<unsigned>(static_cast<unsigned char>(c));
    held += 8;
    while (held >= 6) {
      held -= 6;
      out += alphabet[(bits >> held) & 63u];
    }
  }
  if (held > 0) out += alphabet[(bits << (6 - held)) & 63u];
  while (out.size() % 4 != 0) out += '=';
  return out;
}

std::string unbase64(const std::string& text) {
  const auto decoded = decode_base64(text);
  REQUIRE(decoded.ok);
  return decoded.bytes;
}

/// A DER element with a minimal definite length.
std::string der(unsigned char tag, const std::string& content) {
  std::string out(1, static_cast<char>(tag));
  const std::size_t n = content.size();
  if (n < 0x80) {
    out += static_cast<char>(n);
  } else if (n < 0x100) {
    out += '\x81';
    out += static_cast<char>(n);
  } else {
    out += '\x82';
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n & 0xFF);
  }
  return out + content;
}

std::string bytes(std::initializer_list<unsigned> list) {
  std::string out;
  for (unsigned b : list) out += static_cast<char>(b);
  return out;
}

const std::string kRsaOid =
    bytes({0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01});
const std::string kNull = bytes({0x05, 0x00});
const std::string kExponent = der(0x02, bytes({0x01, 0x00, 0x01}));

/// An RSA SubjectPublicKeyInfo around a modulus given as its INTEGER contents.
std::string spki_with_modulus(const std::string& modulus) {
  const std::string rsa = der(0x30, der(0x02, modulus) + kExponent);
  return der(0x30, der(0x30, kRsaOid + kNull) + der(0x03, std::string(1, '\0') + rsa));
}

KeyRecord parse_p(const std::string& p, const std::string& before = "v=DKIM1; ") {
  return parse_key_record(before + "p=" + p);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The examples of the RFCs
// ---------------------------------------------------------------------------------------------

TEST_CASE("RFC 6376's example key record reads as a 1024-bit RSA key, with the 2048-bit advice",
          "[dkim]") {
  std::string joined;
  for (const auto& s : kRfc6376Strings) joined += s;
  const KeyRecord r = parse_key_record(joined);
  CHECK(r.verdict == Verdict::ok);
  CHECK(r.key_type == "rsa");
  CHECK(r.key_form == KeyForm::spki);
  CHECK(r.key_bits == 1024);
  CHECK(codes(r) == Codes{"dkim.key.rsa_under_2048"});
  CHECK(r.reason.empty());
}

TEST_CASE("RFC 8463's example records read as an Ed25519 key and a 1024-bit RSA key", "[dkim]") {
  const KeyRecord ed = parse_key_record(kRfc8463Ed25519);
  CHECK(ed.verdict == Verdict::ok);
  CHECK(ed.key_type == "ed25519");
  CHECK(ed.key_form == KeyForm::raw);
  CHECK(ed.key_bits == 256);
  CHECK(ed.findings.empty());
  const KeyRecord rsa = parse_key_record(kRfc8463Rsa);
  CHECK(rsa.verdict == Verdict::ok);
  CHECK(rsa.key_bits == 1024);
  CHECK(codes(rsa) == Codes{"dkim.key.rsa_under_2048"});
}

TEST_CASE("the façade joins a record's TXT strings without separators, as RFC 6376 §3.6.2.2 says",
          "[dkim][facade]") {
  const json response =
      json::parse(relaycheck::call("dkim.parse", json{{"record", kRfc6376Strings}}.dump()));
  REQUIRE(response["ok"] == true);
  CHECK(response["result"]["verdict"] == "ok");
  CHECK(response["result"]["keyBits"] == 1024);
}

// ---------------------------------------------------------------------------------------------
// RSA keys: both forms, every size
// ---------------------------------------------------------------------------------------------

TEST_CASE("RSA keys as SubjectPublicKeyInfo give their modulus size in bits", "[dkim][rsa]") {
  const std::vector<std::pair<std::string, unsigned>> keys{
      {kRsa512Spki, 512},   {kRsa1023Spki, 1023}, {kRsa1024Spki, 1024}, {kRsa2047Spki, 2047},
      {kRsa2048Spki, 2048}, {kRsa4096Spki, 4096}, {kRsa4160Spki, 4160}};
  for (const auto& [key, bits] : keys) {
    INFO(bits);
    const KeyRecord r = parse_p(key, "v=DKIM1; k=rsa; ");
    CHECK(r.key_form == KeyForm::spki);
    CHECK(r.key_bits == bits);
    const auto info = read_rsa_key(unbase64(key));
    CHECK(info.ok);
    CHECK(info.bits == bits);
  }
}

TEST_CASE("RSA keys as a bare PKCS#1 RSAPublicKey give the same sizes", "[dkim][rsa]") {
  const std::vector<std::pair<std::string, unsigned>> keys{
      {kRsa512Pkcs1, 512}, {kRsa1024Pkcs1, 1024}, {kRsa2048Pkcs1, 2048}, {kRsa4096Pkcs1, 4096}};
  for (const auto& [key, bits] : keys) {
    INFO(bits);
    const KeyRecord r = parse_p(key);
    CHECK(r.key_form == KeyForm::pkcs1);
    CHECK(r.key_bits == bits);
  }
}

TEST_CASE("an RSA key under 1024 bits is unusable, as RFC 8301 §3.2 forbids verifying with it",
          "[dkim][rsa]") {
  for (const auto* key : {&kRsa512Spki, &kRsa1023Spki, &kRsa512Pkcs1}) {
    const KeyRecord r = parse_p(*key);
    CHECK(r.verdict == Verdict::unusable);
    CHECK(codes(r) == Codes{"dkim.key.rsa_too_short"});
    CHECK(r.findings[0].severity == Severity::error);
    CHECK(r.findings[0].path == "/p");
    CHECK_THAT(r.reason, Catch::Contains("under 1024 bits"));
  }
}

TEST_CASE("a key of 1024 to 2047 bits is ok with a warning; 2048 and 4096 bits have none",
          "[dkim][rsa]") {
  for (const auto* key : {&kRsa1024Spki, &kRsa1024Pkcs1, &kRsa2047Spki}) {
    const KeyRecord r = parse_p(*key);
    CHECK(r.verdict == Verdict::ok);
    CHECK(codes(r) == Codes{"dkim.key.rsa_under_2048"});
    CHECK(r.findings[0].severity == Severity::warning);
  }
  for (const auto* key : {&kRsa2048Spki, &kRsa2048Pkcs1, &kRsa4096Spki, &kRsa4096Pkcs1}) {
    const KeyRecord r = parse_p(*key);
    CHECK(r.verdict == Verdict::ok);
    CHECK(r.findings.empty());
  }
}

TEST_CASE("a key over 4096 bits is ok with a warning that some verifiers refuse it",
          "[dkim][rsa]") {
  const KeyRecord r = parse_p(kRsa4160Spki);
  CHECK(r.verdict == Verdict::ok);
  CHECK(r.key_bits == 4160);
  CHECK(codes(r) == Codes{"dkim.key.rsa_over_4096"});
}

TEST_CASE("the leading zero octet of the modulus is not counted", "[dkim][rsa]") {
  // 0x00 0x80 ...: 8 bits in the last octets' top byte; 0x01 ...: 1 bit.
  CHECK(read_rsa_key(spki_with_modulus(bytes({0x00, 0x80}) + std::string(127, '\x01'))).bits ==
        1024);
  CHECK(read_rsa_key(spki_with_modulus(bytes({0x01}) + std::string(128, '\x01'))).bits == 1025);
  CHECK(read_rsa_key(spki_with_modulus(bytes({0x7F}) + std::string(127, '\x01'))).bits == 1023);
}

// ---------------------------------------------------------------------------------------------
// DER that is hostile or simply wrong
// ---------------------------------------------------------------------------------------------

TEST_CASE("a key cut short at any length is invalid, never read past its end", "[dkim][der]") {
  for (const auto* key : {&kRsa2048Spki, &kRsa2048Pkcs1}) {
    const std::string der_bytes = unbase64(*key);
    for (std::size_t n = 0; n < der_bytes.size(); ++n) {
      INFO(n);
      const auto info = read_rsa_key(der_bytes.substr(0, n));
      CHECK_FALSE(info.ok);
      CHECK_FALSE(info.error.empty());
    }
  }
}

TEST_CASE("DER lengths that run past the end of the key are refused", "[dkim][der]") {
  std::string key = unbase64(kRsa1024Spki);
  key[2] = '\xFF';  // the outer SEQUENCE (30 81 9F) now says 255 bytes; 159 remain
  auto info = read_rsa_key(key);
  CHECK_FALSE(info.ok);
  CHECK_THAT(info.error, Catch::Contains("says 255 bytes, but only 159 are left"));
  // The BIT STRING inside says more than its SEQUENCE holds.
  key = unbase64(kRsa1024Spki);
  key[20] = '\x9F';  // 03 81 8D: the BIT STRING's 141 bytes, now 159
  CHECK_THAT(read_rsa_key(key).error,
             Catch::Contains("the key BIT STRING says 159 bytes, but only 141 are left"));
  info = read_rsa_key(bytes({0x30, 0x82, 0xFF, 0xFF, 0x02, 0x01, 0x01}));
  CHECK_THAT(info.error, Catch::Contains("says 65535 bytes, but only 3 are left"));
  const KeyRecord r = parse_p(encode_base64(key));
  CHECK(r.verdict == Verdict::invalid);
  CHECK(codes(r) == Codes{"dkim.key.invalid"});
  CHECK(r.findings[0].path == "/p");
}

TEST_CASE("an indefinite length is refused: DER has only definite lengths", "[dkim][der]") {
  const auto info =
      read_rsa_key(bytes({0x30, 0x80, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03, 0x00, 0x00}));
  CHECK_FALSE(info.ok);
  CHECK_THAT(info.error, Catch::Contains("indefinite length"));
}

TEST_CASE("huge length fields are refused before any length is used", "[dkim][der]") {
  // Five, eight and 127 length bytes; and a four-byte length of 4 GiB - 1.
  CHECK_THAT(read_rsa_key(bytes({0x30, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00})).error,
             Catch::Contains("length field of 5 bytes"));
  CHECK_THAT(
      read_rsa_key(bytes({0x30, 0x88, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})).error,
      Catch::Contains("length field of 8 bytes"));
  CHECK_THAT(read_rsa_key(bytes({0x30, 0xFF})).error, Catch::Contains("length field of 127 bytes"));
  CHECK_THAT(read_rsa_key(bytes({0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00})).error,
             Catch::Contains("says 4294967295 bytes, but only 1 are left"));
  CHECK_THAT(read_rsa_key(bytes({0x30, 0x84, 0xFF})).error,
             Catch::Contains("length field is incomplete"));
}

TEST_CASE("lengths written in more bytes than needed are refused, as DER requires", "[dkim][der]") {
  CHECK_THAT(read_rsa_key(bytes({0x30, 0x81, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03})).error,
             Catch::Contains("more bytes than it needs"));
  CHECK_THAT(
      read_rsa_key(bytes({0x30, 0x82, 0x00, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03})).error,
      Catch::Contains("more bytes than it needs"));
}

TEST_CASE("a modulus that is negative, zero, empty or padded with a needless zero is refused",
          "[dkim][der]") {
  CHECK_THAT(read_rsa_key(spki_with_modulus(bytes({0x80}) + std::string(127, '\x01'))).error,
             Catch::Contains("modulus is negative"));
  CHECK_THAT(read_rsa_key(spki_with_modulus(bytes({0x00}))).error,
             Catch::Contains("modulus is zero"));
  CHECK_THAT(read_rsa_key(spki_with_modulus("")).error, Catch::Contains("modulus is empty"));
  CHECK_THAT(read_rsa_key(spki_with_modulus(bytes({0x00, 0x01}) + std::string(127, '\x01'))).error,
             Catch::Contains("needless leading zero"));
}

TEST_CASE("bytes after the key, or inside it after the exponent, are refused", "[dkim][der]") {
  CHECK_THAT(read_rsa_key(unbase64(kRsa1024Spki) + '\0').error,
             Catch::Contains("1 bytes follow the key"));
  CHECK_THAT(read_rsa_key(unbase64(kRsa1024Pkcs1) + "xy").error,
             Catch::Contains("2 bytes follow the key"));
  const std::string rsa =
      der(0x30, der(0x02, bytes({0x01}) + std::string(128, '\x01')) + kExponent + kExponent);
  CHECK_THAT(read_rsa_key(rsa).error, Catch::Contains("bytes after its exponent"));
}

TEST_CASE("a key BIT STRING with unused bits, or parameters that are not NULL, is refused",
          "[dkim][der]") {
  const std::string rsa =
      der(0x30, der(0x02, bytes({0x01}) + std::string(128, '\x01')) + kExponent);
  CHECK_THAT(
      read_rsa_key(der(0x30, der(0x30, kRsaOid + kNull) + der(0x03, std::string(1, '\x03') + rsa)))
          .error,
      Catch::Contains("3 unused bits"));
  CHECK_THAT(read_rsa_key(der(0x30, der(0x30, kRsaOid + bytes({0x02, 0x01, 0x00})) +
                                        der(0x03, std::string(1, '\0') + rsa)))
                 .error,
             Catch::Contains("expected the algorithm parameters (NULL)"));
  // Absent parameters are read, as OpenSSL reads them.
  CHECK(read_rsa_key(der(0x30, der(0x30, kRsaOid) + der(0x03, std::string(1, '\0') + rsa))).ok);
}

TEST_CASE("a key of another algorithm is named, not read as RSA", "[dkim][der]") {
  CHECK_THAT(read_rsa_key(unbase64(kEd25519Spki)).error, Catch::Contains("Ed25519"));
  const std::string ec =
      der(0x30, der(0x30, bytes({0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01})) +
                    der(0x03, std::string(66, '\x04')));
  CHECK_THAT(read_rsa_key(ec).error, Catch::Contains("elliptic-curve"));
  const std::string other =
      der(0x30, der(0x30, bytes({0x06, 0x03, 0x55, 0x04, 0x03})) + der(0x03, std::string(3, '\0')));
  CHECK_THAT(read_rsa_key(other).error, Catch::Contains("OID 2.5.4.3"));
}

// ---------------------------------------------------------------------------------------------
// Ed25519 keys (RFC 8463)
// ---------------------------------------------------------------------------------------------

TEST_CASE("an Ed25519 key is its raw 32 bytes in base64", "[dkim][ed25519]") {
  const KeyRecord r = parse_p(kEd25519Raw, "v=DKIM1; k=ed25519; ");
  CHECK(r.verdict == Verdict::ok);
  CHECK(r.key_bits == 256);
  CHECK(r.key_form == KeyForm::raw);
}

TEST_CASE(
    "an Ed25519 key wrapped in SubjectPublicKeyInfo is invalid, and the fix says to publish its "
    "last 32 bytes",
    "[dkim][ed25519]") {
  const KeyRecord r = parse_p(kEd25519Spki, "v=DKIM1; k=ed25519; ");
  CHECK(r.verdict == Verdict::invalid);
  CHECK(codes(r) == Codes{"dkim.key.invalid"});
  CHECK_THAT(r.reason, Catch::Contains("bare 32-byte key"));
  CHECK_THAT(r.findings[0].fix, Catch::Contains("tail -c 32"));
}

TEST_CASE("an Ed25519 key of any other length is invalid", "[dkim][ed25519]") {
  for (std::size_t n : {1u, 31u, 33u, 64u}) {
    const KeyRecord r = parse_p(encode_base64(std::string(n, '\x11')), "k=ed25519; ");
    CHECK(r.verdict == Verdict::invalid);
    CHECK_THAT(r.reason, Catch::Contains("exactly 32"));
  }
}

TEST_CASE(
    "an RSA key under k=ed25519, and an Ed25519 key without k=ed25519, are invalid with the fix",
    "[dkim][ed25519]") {
  const KeyRecord rsa = parse_p(kRsa2048Spki, "k=ed25519; ");
  CHECK(rsa.verdict == Verdict::invalid);
  CHECK_THAT(rsa.reason, Catch::Contains("2048-bit RSA key, but k= is ed25519"));
  const KeyRecord raw = parse_p(kEd25519Raw);
  CHECK(raw.verdict == Verdict::invalid);
  CHECK_THAT(raw.reason, Catch::Contains("the record has no k=, and rsa is the default"));
  CHECK_THAT(raw.findings[0].fix, Catch::Contains("k=ed25519"));
  const KeyRecord spki = parse_p(kEd25519Spki, "k=rsa; ");
  CHECK_THAT(spki.reason, Catch::Contains("but k= is rsa"));
}

// ---------------------------------------------------------------------------------------------
// p=: revoked, base64
// ---------------------------------------------------------------------------------------------

TEST_CASE("an empty p= means the key is revoked", "[dkim][p]") {
  for (const char* record : {"v=DKIM1; p=", "v=DKIM1; k=rsa; p=;", "p=  ", "v=DKIM1; p= ; t=y"}) {
    INFO(record);
    const KeyRecord r = parse_key_record(record);
    CHECK(r.verdict == Verdict::revoked);
    CHECK(codes(r) == Codes{"dkim.key.revoked"});
    CHECK(r.findings[0].path == "/p");
  }
}

TEST_CASE("a record without p= is invalid, and P= is not p=", "[dkim][p]") {
  CHECK(parse_key_record("v=DKIM1; k=rsa").verdict == Verdict::invalid);
  const KeyRecord upper = parse_key_record("v=DKIM1; P=" + kRsa2048Spki);
  CHECK(upper.verdict == Verdict::invalid);
  CHECK_THAT(upper.reason, Catch::Contains("'P' is not 'p'"));
  CHECK(codes(upper) == Codes{"dkim.record.invalid"});
}

TEST_CASE("p= may be folded: spaces, tabs and CRLF with a space between base64 characters",
          "[dkim][p]") {
  std::string folded;
  for (std::size_t i = 0; i < kRsa2048Spki.size(); ++i) {
    folded += kRsa2048Spki[i];
    if (i % 50 == 49) folded += "\r\n\t ";
    if (i % 17 == 16) folded += ' ';
  }
  const KeyRecord r = parse_p(folded);
  CHECK(r.verdict == Verdict::ok);
  CHECK(r.key_bits == 2048);
  // Before the padding, too.
  CHECK(decode_base64("QUJD RA =\t=").ok);
  CHECK(decode_base64("QUJD RA =\t=").bytes == "ABCD");
}

TEST_CASE("p= that is not base64 is invalid, and the reason names the character", "[dkim][p]") {
  const KeyRecord r = parse_p("MIIB*IjAN");
  CHECK(r.verdict == Verdict::invalid);
  CHECK(codes(r) == Codes{"dkim.key.invalid"});
  CHECK_THAT(r.reason, Catch::Contains("'*' (character 5 of the key)"));
  CHECK_THAT(parse_p("MIIB-IjA_").reason, Catch::Contains("base64url"));
  CHECK_THAT(parse_p("MIIBIjAN\"\"MIIB").reason, Catch::Contains("quotes around its TXT strings"));
  CHECK_THAT(parse_p("MIIB\\IjAN").reason, Catch::Contains("escapes"));
  CHECK_THAT(parse_p("MIIB\xC3\xA9IjA").reason, Catch::Contains("non-ASCII byte (0xC3)"));
}

TEST_CASE("base64 padding is required, only at the end, at most two", "[dkim][p]") {
  CHECK(decode_base64("QUJDRA==").ok);
  CHECK(decode_base64("QUJDREU=").ok);
  CHECK(decode_base64("QUJDREVG").ok);
  CHECK_THAT(decode_base64("QUJDRA").error, Catch::Contains("padding is missing"));
  CHECK_THAT(decode_base64("QUJDREU").error, Catch::Contains("not a whole number"));
  CHECK_THAT(decode_base64("QUJDRA=").error, Catch::Contains("not a whole number"));
  CHECK_THAT(decode_base64("QUJDR===").error, Catch::Contains("more than two '='"));
  CHECK_THAT(decode_base64("QU==JDRA").error, Catch::Contains("after its '=' padding"));
  CHECK_THAT(decode_base64("Q").error, Catch::Contains("not a whole number"));
  CHECK_THAT(decode_base64("=").error, Catch::Contains("not a whole number"));
  CHECK(decode_base64("").ok);
  CHECK(decode_base64(" \t ").bytes.empty());
}

TEST_CASE("a 100 KB key is refused at once: no TXT record can hold it", "[dkim][p][hostile]") {
  const auto start = std::chrono::steady_clock::now();
  const KeyRecord r = parse_p(std::string(100 * 1024, 'A'));
  CHECK(r.verdict == Verdict::invalid);
  CHECK_THAT(r.reason, Catch::Contains("at most 65535"));
  CHECK(codes(r) == Codes{"dkim.record.invalid"});
  // Just under the limit, a key of 60,000 base64 characters is decoded and found not to be DER.
  const KeyRecord big = parse_p(std::string(60000, 'A'));
  CHECK(big.verdict == Verdict::invalid);
  CHECK_THAT(big.reason, Catch::Contains("expected the key's outer SEQUENCE"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("a key whose DER claims a huge modulus inside a long record is read by its size",
          "[dkim][p][hostile]") {
  // 40,000 modulus bytes: 320,000 bits, within one record; read, and warned about.
  const KeyRecord r =
      parse_p(encode_base64(spki_with_modulus(bytes({0x01}) + std::string(39999, '\x01'))));
  CHECK(r.verdict == Verdict::ok);
  CHECK(r.key_bits == 319993);
  CHECK(codes(r) == Codes{"dkim.key.rsa_over_4096"});
}

// ---------------------------------------------------------------------------------------------
// The tag-list (RFC 6376 §3.2)
// ---------------------------------------------------------------------------------------------

TEST_CASE("a record with every tag reads each of them", "[dkim][tags]") {
  const KeyRecord r = parse_key_record(
      "v=DKIM1; k=rsa; h=sha256:sha1; s=email; t=s; n=key for relay hops; p=" + kRsa2048Spki);
  CHECK(r.verdict == Verdict::ok);
  CHECK(r.key_type == "rsa");
  CHECK(r.hashes == Codes{"sha256", "sha1"});
  CHECK(r.services == Codes{"email"});
  CHECK(r.strict);
  CHECK_FALSE(r.testing);
  CHECK(r.notes == "key for relay hops");
  CHECK(r.findings.empty());
}

TEST_CASE("defaults apply to the tags a record leaves out", "[dkim][tags]") {
  const KeyRecord r = parse_key_record("p=" + kRsa2048Spki);
  CHECK(r.verdict == Verdict::ok);
  CHECK(r.key_type == "rsa");
  CHECK(r.hashes == Codes{"sha1", "sha256"});
  CHECK(r.services == Codes{"*"});
  CHECK_FALSE(r.testing);
  CHECK_FALSE(r.strict);
}

TEST_CASE("v=DKIM1 is read first, and refused anywhere else", "[dkim][tags]") {
  CHECK(parse_key_record("v=DKIM1; p=" + kRsa2048Spki).verdict == Verdict::ok);
  const KeyRecord r = parse_key_record("k=rsa; v=DKIM1; p=" + kRsa2048Spki);
  CHECK(r.verdict == Verdict::invalid);
  CHECK(r.findings[0].path == "/v");
  CHECK_THAT(r.reason, Catch::Contains("must be the first tag"));
}

TEST_CASE("v= with any value but DKIM1 makes the record invalid", "[dkim][tags]") {
  for (const char* v : {"DKIM1.0", "dkim1", "DKIM2", "spf1 -all"}) {
    INFO(v);
    const KeyRecord r = parse_key_record(std::string("v=") + v + "; p=" + kRsa2048Spki);
    CHECK(r.verdict == Verdict::invalid);
    CHECK_THAT(r.reason, Catch::Contains("not DKIM1"));
  }
}

TEST_CASE("a repeated tag makes the whole record invalid, whatever the tag", "[dkim][tags]") {
  for (const std::string& record :
       {"v=DKIM1; p=" + kRsa2048Spki + "; p=" + kRsa2048Spki, "k=rsa; k=rsa; p=" + kRsa2048Spki,
        "x=1; p=" + kRsa2048Spki + "; x=2", std::string("v=DKIM1; v=DKIM1; p=")}) {
    INFO(record);
    const KeyRecord r = parse_key_record(record);
    CHECK(r.verdict == Verdict::invalid);
    CHECK_THAT(r.reason, Catch::Contains("appears more than once"));
  }
}

TEST_CASE("unknown tags are ignored, and tag names are case-sensitive", "[dkim][tags]") {
  const KeyRecord r =
      parse_key_record("v=DKIM1; g=*; x_y2=anything at all; K=dsa; p=" + kRsa2048Spki);
  CHECK(r.verdict == Verdict::ok);
  CHECK(r.key_type == "rsa");
}

TEST_CASE("a trailing semicolon is fine; an empty tag between semicolons is not", "[dkim][tags]") {
  CHECK(parse_key_record("v=DKIM1; p=" + kRsa2048Spki + ";").verdict == Verdict::ok);
  CHECK(parse_key_record("v=DKIM1; p=" + kRsa2048Spki + "; \t").verdict == Verdict::ok);
  CHECK_THAT(parse_key_record("v=DKIM1;; p=" + kRsa2048Spki).reason,
             Catch::Contains("empty tag between two ';'"));
  CHECK_THAT(parse_key_record("; p=" + kRsa2048Spki).reason, Catch::Contains("starts with ';'"));
  CHECK_THAT(parse_key_record("v=DKIM1; p=" + kRsa2048Spki + ";;").reason,
             Catch::Contains("empty tag"));
}

TEST_CASE("whitespace and folding around tags and values are read as RFC 6376 §3.2 allows",
          "[dkim][tags]") {
  const KeyRecord r = parse_key_record(
      " v = DKIM1 ;\r\n k\t=\trsa ;\r\n\th = sha1 : sha256 ; p = " + kRsa2048Spki + " ;  ");
  CHECK(r.verdict == Verdict::ok);
  CHECK(r.hashes == Codes{"sha1", "sha256"});
}

TEST_CASE("a line break that is not CRLF followed by a space or tab is refused", "[dkim][tags]") {
  CHECK_THAT(parse_key_record("v=DKIM1; p=MIIB\nIjAN").reason,
             Catch::Contains("line break at offset 15"));
  CHECK_THAT(parse_key_record("v=DKIM1; p=MIIB\r\nIjAN").reason, Catch::Contains("line break"));
  CHECK_THAT(parse_key_record("v=DKIM1;\r\np=").reason,
             Catch::Contains("a tag name must start with a letter"));
}

TEST_CASE("a NUL byte or another control character is refused with its offset",
          "[dkim][tags][hostile]") {
  const KeyRecord nul = parse_key_record(std::string("v=DKIM1; p=MII\0BIjAN", 20));
  CHECK(nul.verdict == Verdict::invalid);
  CHECK_THAT(nul.reason, Catch::Contains("a control character (0x00) at offset 14"));
  CHECK_THAT(parse_key_record(std::string("v=DKIM1;\0p=", 11)).reason,
             Catch::Contains("(0x00) at offset 8"));
  CHECK_THAT(parse_key_record("v=DKIM1; p=\x7F").reason, Catch::Contains("(0x7F)"));
  CHECK_THAT(parse_key_record("v=DKIM1; n=\x01; p=").reason, Catch::Contains("(0x01)"));
}

TEST_CASE("a tag without '=', or a name that does not start with a letter, is refused",
          "[dkim][tags]") {
  CHECK_THAT(parse_key_record("v=DKIM1; p").reason,
             Catch::Contains("followed by the end of the record, not '='"));
  CHECK_THAT(parse_key_record("v=DKIM1; p:abc").reason,
             Catch::Contains("followed by ':', not '='"));
  CHECK_THAT(parse_key_record("v=DKIM1; 1p=abc").reason,
             Catch::Contains("must start with a letter; found '1'"));
  CHECK_THAT(parse_key_record("v=DKIM1; k-x=1; p=").reason,
             Catch::Contains("'k' is followed by '-'"));
}

TEST_CASE("an empty record, or only whitespace, is invalid", "[dkim][tags]") {
  for (const char* record : {"", "   ", "\t"}) {
    CHECK_THAT(parse_key_record(record).reason, Catch::Contains("the record is empty"));
  }
}

TEST_CASE("10,000 tags are read at once, and a repeat among them is found",
          "[dkim][tags][hostile]") {
  // Names of three letters, aaa to ouv: 10,000 distinct tags in 50 KB, under the TXT limit.
  const auto name = [](int i) {
    return std::string{static_cast<char>('a' + i / 676), static_cast<char>('a' + i / 26 % 26),
                       static_cast<char>('a' + i % 26)};
  };
  std::string many = "v=DKIM1";
  for (int i = 0; i < 10000; ++i) many += ";" + name(i) + "=";
  const auto start = std::chrono::steady_clock::now();
  const KeyRecord ok = parse_key_record(many + "; p=" + kRsa2048Spki);
  CHECK(ok.verdict == Verdict::ok);
  const KeyRecord repeated =
      parse_key_record(many + "; " + name(5000) + "=again; p=" + kRsa2048Spki);
  CHECK(repeated.verdict == Verdict::invalid);
  CHECK_THAT(repeated.reason, Catch::Contains("tag '" + name(5000) + "' appears more than once"));
  std::string same;
  for (int i = 0; i < 10000; ++i) same += "a=;";
  CHECK_THAT(parse_key_record(same).reason, Catch::Contains("(at offsets 0 and 3)"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("a record over 65,535 bytes is refused before it is read", "[dkim][tags][hostile]") {
  const KeyRecord r = parse_key_record(std::string(relaycheck::dkim::kMaxRecordBytes + 1, ';'));
  CHECK_THAT(r.reason, Catch::Contains("65536 bytes"));
  CHECK(parse_key_record(std::string(relaycheck::dkim::kMaxRecordBytes, ';')).reason != r.reason);
}

// ---------------------------------------------------------------------------------------------
// k=, h=, s=, t=
// ---------------------------------------------------------------------------------------------

TEST_CASE("an unknown k= makes the record unusable, and a case variant of a known one says so",
          "[dkim][k]") {
  const KeyRecord dsa = parse_p(kRsa2048Spki, "v=DKIM1; k=dsa; ");
  CHECK(dsa.verdict == Verdict::unusable);
  CHECK(dsa.key_type == "dsa");
  CHECK(dsa.key_bits == 0);
  CHECK(codes(dsa) == Codes{"dkim.k.unknown"});
  CHECK(dsa.findings[0].path == "/k");
  const KeyRecord upper = parse_p(kRsa2048Spki, "v=DKIM1; k=RSA; ");
  CHECK(upper.verdict == Verdict::unusable);
  CHECK_THAT(upper.reason, Catch::Contains("case-sensitive"));
  CHECK_THAT(upper.reason, Catch::Contains("write k=rsa"));
}

TEST_CASE("k= that is not a name makes the record invalid", "[dkim][k]") {
  for (const char* k : {"rsa sha", "rsa:ed25519", "-rsa", "rsa-", "2"}) {
    INFO(k);
    const KeyRecord r = parse_p(kRsa2048Spki, std::string("k=") + k + "; ");
    CHECK(r.verdict == Verdict::invalid);
    CHECK(r.findings[0].path == "/k");
  }
  CHECK(parse_p(kRsa2048Spki, "k=; ").verdict == Verdict::invalid);
}

TEST_CASE("h=sha1 alone makes the key unusable: RFC 8301 forbids verifying rsa-sha1", "[dkim][h]") {
  const KeyRecord r = parse_p(kRsa2048Spki, "v=DKIM1; h=sha1; ");
  CHECK(r.verdict == Verdict::unusable);
  CHECK(codes(r) == Codes{"dkim.h.sha1_only"});
  CHECK(r.findings[0].path == "/h");
  CHECK(r.hashes == Codes{"sha1"});
  // Ed25519 signs with SHA-256 only: h=sha1 leaves it nothing either.
  CHECK(parse_p(kEd25519Raw, "k=ed25519; h=sha1; ").verdict == Verdict::unusable);
}

TEST_CASE("h= with sha256, alone or beside sha1 or unknown names, is usable", "[dkim][h]") {
  for (const char* h : {"sha256", "sha1:sha256", "sha512:sha256", "sha256 : future-hash"}) {
    INFO(h);
    const KeyRecord r = parse_p(kRsa2048Spki, std::string("h=") + h + "; ");
    CHECK(r.verdict == Verdict::ok);
    CHECK(r.findings.empty());
  }
  CHECK(parse_p(kRsa2048Spki, "h=sha512:sha256; ").hashes == Codes{"sha256"});
}

TEST_CASE("h= that names only unknown algorithms leaves the key unusable", "[dkim][h]") {
  const KeyRecord r = parse_p(kRsa2048Spki, "h=sha512; ");
  CHECK(r.verdict == Verdict::unusable);
  CHECK(codes(r) == Codes{"dkim.h.unknown_only"});
  CHECK(r.hashes.empty());
  CHECK_THAT(parse_p(kRsa2048Spki, "h=SHA256; ").reason, Catch::Contains("write sha256"));
}

TEST_CASE("h=, s= and t= lists must be names separated by colons", "[dkim][h]") {
  for (const char* tag :
       {"h=sha 256", "h=sha1::sha256", "h=", "h=:sha256", "s=e mail", "s=**", "t=y s", "t=y:"}) {
    INFO(tag);
    const KeyRecord r = parse_p(kRsa2048Spki, std::string(tag) + "; ");
    CHECK(r.verdict == Verdict::invalid);
    CHECK(codes(r) == Codes{"dkim.record.invalid"});
  }
}

TEST_CASE("s= that leaves out email makes the key unusable for mail; * or email are enough",
          "[dkim][s]") {
  const KeyRecord r = parse_p(kRsa2048Spki, "s=web:tlsrpt; ");
  CHECK(r.verdict == Verdict::unusable);
  CHECK(codes(r) == Codes{"dkim.s.not_email"});
  CHECK(r.services.empty());
  for (const char* s : {"s=*", "s=email", "s=web:email", "s=* : web"}) {
    INFO(s);
    CHECK(parse_p(kRsa2048Spki, std::string(s) + "; ").verdict == Verdict::ok);
  }
}

TEST_CASE(
    "t=y turns testing on with a warning; t=s is strict without one; unknown flags are ignored",
    "[dkim][t]") {
  const KeyRecord testing = parse_p(kRsa2048Spki, "t=y; ");
  CHECK(testing.verdict == Verdict::ok);
  CHECK(testing.testing);
  CHECK(codes(testing) == Codes{"dkim.t.testing"});
  CHECK(testing.findings[0].severity == Severity::warning);
  CHECK(testing.findings[0].path == "/t");
  CHECK_THAT(testing.findings[0].message, Catch::Contains("unsigned mail"));
  const KeyRecord strict = parse_p(kRsa2048Spki, "t=s:future; ");
  CHECK(strict.strict);
  CHECK_FALSE(strict.testing);
  CHECK(strict.findings.empty());
}

TEST_CASE("every reason a key is unusable is given, and its other findings with it", "[dkim]") {
  const KeyRecord r = parse_p(kRsa512Spki, "v=DKIM1; k=rsa; h=sha1; s=web; t=y; ");
  CHECK(r.verdict == Verdict::unusable);
  CHECK(codes(r) ==
        Codes{"dkim.h.sha1_only", "dkim.key.rsa_too_short", "dkim.s.not_email", "dkim.t.testing"});
  CHECK_THAT(r.reason,
             Catch::Contains("sha1") && Catch::Contains("email") && Catch::Contains("512 bits"));
}

TEST_CASE("a long unknown value is quoted short in messages", "[dkim][hostile]") {
  const KeyRecord r = parse_p(kRsa2048Spki, "k=" + std::string(5000, 'k') + "; ");
  CHECK(r.verdict == Verdict::unusable);
  CHECK(r.reason.size() < 300);
  CHECK(r.findings[0].message.size() < 400);
}

// ---------------------------------------------------------------------------------------------
// The JSON document and the façade
// ---------------------------------------------------------------------------------------------

TEST_CASE("the JSON document has every field the façade promises", "[dkim][facade]") {
  const json ok = parse_p(kRsa2048Spki, "v=DKIM1; t=y:s; ");
  CHECK(ok["verdict"] == "ok");
  CHECK(ok["keyType"] == "rsa");
  CHECK(ok["keyForm"] == "spki");
  CHECK(ok["keyBits"] == 2048);
  CHECK(ok["testing"] == true);
  CHECK(ok["strict"] == true);
  CHECK(ok["hashes"] == json::array({"sha1", "sha256"}));
  CHECK(ok["services"] == json::array({"*"}));
  CHECK(ok["reason"] == "");
  REQUIRE(ok["findings"].size() == 1);
  for (const char* key : {"code", "severity", "path", "message", "fix"})
    CHECK(ok["findings"][0].contains(key));
  const json invalid = parse_key_record("v=DKIM1; p=%");
  CHECK(invalid["verdict"] == "invalid");
  CHECK(invalid["keyBits"].is_null());
  CHECK(invalid["keyForm"] == "");
}

TEST_CASE("dkim.parse answers through the façade, and refuses a request without a record",
          "[dkim][facade]") {
  json response =
      json::parse(relaycheck::call("dkim.parse", json{{"record", kRfc8463Ed25519}}.dump()));
  REQUIRE(response["ok"] == true);
  CHECK(response["result"]["keyType"] == "ed25519");
  response = json::parse(relaycheck::call("dkim.parse", "{}"));
  CHECK(response["ok"] == false);
  CHECK(response["error"]["code"] == "request.missing_field");
  CHECK(response["error"]["path"] == "/record");
  response = json::parse(relaycheck::call("dkim.parse", R"({"record": 5})"));
  CHECK(response["error"]["code"] == "request.bad_type");
  response = json::parse(relaycheck::call("dkim.parse", R"({"record": ["v=DKIM1; p=", 7]})"));
  CHECK(response["error"]["path"] == "/record/1");
  // A NUL inside the JSON string reaches the engine as a byte.
  response = json::parse(relaycheck::call("dkim.parse", R"({"record": "v=DKIM1; p=\u0000"})"));
  CHECK(response["result"]["verdict"] == "invalid");
}
