// libFuzzer target for the DKIM key-record engine (core/src/dkim/key_record.hpp). The bytes are
// read three ways: as a key record, as base64 text, and as DER (so that the DER reader sees any
// bytes, not only those that survive base64). Whatever comes in, the engine must answer without
// a crash, a leak or undefined behaviour (built with ASan + UBSan), and its answer must hold
// together: a verdict with its reason, findings that name a code, a key size only for a key read.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "dkim/key_record.hpp"

namespace {

using relaycheck::dkim::KeyForm;
using relaycheck::dkim::Verdict;

void require(bool condition) {
  if (!condition) std::abort();
}

void check_record(std::string_view text) {
  const auto record = relaycheck::dkim::parse_key_record(text);
  require((record.verdict == Verdict::ok) == record.reason.empty());
  for (const auto& f : record.findings) require(!f.code.empty() && !f.message.empty());
  if (record.verdict == Verdict::invalid) require(!record.findings.empty());
  if (record.verdict == Verdict::ok) {
    require(record.key_bits > 0);
    require(record.key_type == "rsa" || record.key_type == "ed25519");
    require(record.key_form != KeyForm::none);
  }
  if (record.key_type == "ed25519" && record.key_bits != 0) require(record.key_bits == 256);
  nlohmann::json document = record;
  // Outside bytes reach messages quoted; the façade dumps them with U+FFFD for invalid UTF-8.
  const std::string dumped =
      document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  require(!dumped.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check_record(bytes);
  // The same bytes after "v=DKIM1; p=", so that mutations land in the key more often.
  check_record("v=DKIM1; p=" + std::string(bytes));
  const auto decoded = relaycheck::dkim::decode_base64(bytes);
  require(decoded.ok != !decoded.error.empty());
  if (decoded.ok) require(decoded.bytes.size() <= size / 4 * 3);
  const auto rsa = relaycheck::dkim::read_rsa_key(bytes);
  require(rsa.ok != !rsa.error.empty());
  if (rsa.ok) require(rsa.bits > 0 && rsa.bits <= 8 * size);
  return 0;
}
