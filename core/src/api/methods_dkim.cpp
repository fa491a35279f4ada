// The façade's DKIM method: dkim.parse, the verdict on a key record (dkim/key_record.hpp). Its
// request errors use the codes every method shares: request.missing_field, request.bad_type.
#include <nlohmann/json.hpp>

#include "api/methods.hpp"
#include "api/request_error.hpp"
#include "dkim/key_record.hpp"

namespace relaycheck::methods {

/// `dkim.parse`: {"record": "v=DKIM1; k=rsa; p=..."} → {"verdict", "keyType", "keyForm", "keyBits",
/// "testing", "strict", "hashes", "services", "notes", "findings", "reason"}. "record" may also be
/// the TXT record's strings as an array; they are joined without separators (RFC 6376 §3.6.2.2).
nlohmann::json dkim_parse(const nlohmann::json& request) {
  const auto it = request.find("record");
  if (it == request.end() || it->is_null()) {
    throw RequestError("request.missing_field",
                       "the request needs \"record\": the DKIM key record's text", "/record");
  }
  std::string record;
  if (it->is_string()) {
    record = it->get<std::string>();
  } else if (it->is_array()) {
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& part = (*it)[i];
      if (!part.is_string()) {
        throw RequestError("request.bad_type", "each string of \"record\" must be a string",
                           "/record/" + std::to_string(i));
      }
      record += part.get_ref<const std::string&>();
    }
  } else {
    throw RequestError("request.bad_type",
                       "\"record\" must be the record's text, or its TXT strings as an array",
                       "/record");
  }
  return dkim::parse_key_record(record);
}

}  // namespace relaycheck::methods
