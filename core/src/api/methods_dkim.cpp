// The façade's DKIM method: dkim.parse, the verdict on a key record (dkim/key_record.hpp). Its
// request is read with the readers every method shares (api/request_reader.hpp).
#include <nlohmann/json.hpp>

#include "api/methods.hpp"
#include "api/request_reader.hpp"
#include "dkim/key_record.hpp"

namespace relaycheck::methods {

/// `dkim.parse`: {"record": "v=DKIM1; k=rsa; p=..."} → {"verdict", "keyType", "keyForm", "keyBits",
/// "testing", "strict", "hashes", "services", "notes", "findings", "reason"}. "record" may also be
/// the TXT record's strings as an array; they are joined without separators (RFC 6376 §3.6.2.2).
nlohmann::json dkim_parse(const nlohmann::json& request) {
  return dkim::parse_key_record(txt_record_field(request, "record"));
}

}  // namespace relaycheck::methods
