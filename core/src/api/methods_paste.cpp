// The façade method `cidr.extract`: the entries of a whitelist as an admin pastes it (from the
// CRM's help page, a Postfix, Exim or Sendmail configuration), normalised, with what was cleaned
// and what could not be read. The page calls it for the CRM ranges and outbound IPs boxes and
// stores the entries it returns; the CLI's `cidr extract` prints them. See ip/paste.hpp.
#include <string>

#include <nlohmann/json.hpp>

#include "api/methods.hpp"
#include "api/request_error.hpp"
#include "api/request_reader.hpp"
#include "config/config.hpp"
#include "ip/paste.hpp"

namespace relaycheck::methods {

using nlohmann::json;

json cidr_extract(const json& request) {
  const std::string& text = string_field(request, "text");
  // A paste longer than a whole config could never be stored in one.
  if (text.size() > kMaxConfigBytes) {
    throw RequestError("cidr.too_large",
                       "the pasted text is " + std::to_string(text.size()) +
                           " bytes, over the limit of " + std::to_string(kMaxConfigBytes) +
                           " (1 MiB, the size of a whole config)",
                       "/text");
  }
  const ip::PasteMode mode = bool_field_or(request, "addressesOnly", false)
                                 ? ip::PasteMode::addresses
                                 : ip::PasteMode::prefixes;
  const ip::Extracted extracted = ip::extract_entries(text, mode);

  json entries = json::array();
  for (const auto& p : extracted.entries) entries.push_back(ip::entry_text(p, mode));
  json cleaned_by = json::object();
  for (std::size_t k = 0; k < ip::kCleaningKinds; ++k)
    cleaned_by[std::string(ip::to_string(static_cast<ip::Cleaning>(k)))] = extracted.kinds[k];
  json unreadable = json::array();
  for (const auto& u : extracted.unreadable)
    unreadable.push_back({{"line", u.line}, {"text", u.text}, {"reason", u.reason}});

  return json{{"entries", std::move(entries)},
              {"count", extracted.entries.size()},
              {"mode", mode == ip::PasteMode::addresses ? "addresses" : "prefixes"},
              {"lines", extracted.lines},
              {"cleaned", extracted.cleaned},
              {"cleanedBy", std::move(cleaned_by)},
              {"duplicates", extracted.duplicates},
              {"unreadable", std::move(unreadable)},
              {"unreadableCount", extracted.unreadable_count},
              {"overLimit", extracted.over_limit},
              {"limit", ip::kMaxPastedEntries},
              {"message", ip::summary(extracted, mode)}};
}

}  // namespace relaycheck::methods
