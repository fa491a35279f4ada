#include "rules/actions.hpp"

#include <string>

namespace relaycheck::rules {

nlohmann::json finding_action(const Finding& finding, const Config& config) {
  const auto whitelist = [&](const char* snippet_kind) {
    nlohmann::json action{{"kind", "whitelist"},
                          {"dataCenter", to_string(config.account.data_center)},
                          {"snippetKind", snippet_kind}};
    // The config's own CRM ranges replace the built-in table: the snippet is built from them.
    if (!config.account.crm_ranges.empty() || config.account.data_center == DataCenter::custom) {
      action["ranges"] = "config";
    }
    return action;
  };
  // A password relay: the CRM's ranges may connect, SMTP AUTH stays required.
  if (finding.code == "relay.whitelist.recommended") return whitelist("allow-connection");
  // An IP-authenticated relay on a submission port: its submission service must admit the
  // ranges as a relay grant too (the Postfix form names the master.cf restrictions).
  if (finding.code == "relay.whitelist.submission_port") {
    nlohmann::json action = whitelist("grant-relay");
    action["snippetFormat"] = "postfix";
    return action;
  }
  // An IP-authenticated relay that misses CRM ranges: the complete grant for its allowed networks.
  if (finding.code == "whitelist.missing_ranges") return whitelist("grant-relay");
  return nullptr;
}

}  // namespace relaycheck::rules
