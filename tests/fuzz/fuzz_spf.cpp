// libFuzzer target for the SPF engine (core/src/spf/): record parsing and check_host() over a
// fuzzed zone. The bytes are lines (tests/fuzz/seed-corpus.mjs writes the zones of the spf
// vectors and of the RFC 7208 test suite this way):
//   line 1:         IP SENDER HELO          the check (fields split at spaces; missing ones
//                                            take defaults)
//   the other lines: NAME TYPE DATA          one zone entry; TYPE is TXT (DATA: its
//                                            character-strings, split at tabs), A, AAAA, MX
//                                            (PREFERENCE NAME), PTR, CNAME, TIMEOUT, NXDOMAIN
//                                            or NODATA (DATA: a type)
// The zone is loaded as a zone document (ZoneView::load), once as the CLI reads it (a name not
// listed does not exist) and once as a config does (not fetched yet). Every TXT text and the
// check's own fields are also parsed as records and macro-strings. Besides never crashing,
// leaking or hitting undefined behaviour (ASan + UBSan), the answers must hold together:
//  - a check counts at most one lookup past the limit of 10 and one void lookup past 2, names a
//    code for none, temperror and permerror, and over a zone that knows every name is complete;
//  - the same check with a record cache, and in bulk mode (no trace, no details), gives the
//    same result, explanation and counts;
//  - split_strings() cuts a record into strings of at most 255 octets that join back to it;
//  - lint stays within its limits, and a proposal's strings join to its record.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ip/ip.hpp"
#include "spf/dns_view.hpp"
#include "spf/lint.hpp"
#include "spf/spf.hpp"

namespace {

using namespace relaycheck;
using namespace relaycheck::spf;
using nlohmann::json;

void require(bool condition) {
  if (!condition) std::abort();
}

std::vector<std::string_view> split(std::string_view text, char at, std::size_t most) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (parts.size() + 1 < most) {
    const std::size_t end = text.find(at, start);
    if (end == std::string_view::npos) break;
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}

struct Input {
  std::string ip = "192.0.2.1";
  std::string sender = "user@example.com";
  std::string helo = "mail.example.com";
  json zone = json::object();
  std::vector<std::string> texts;  ///< every TXT record, its strings joined
};

Input read_input(std::string_view bytes) {
  Input in;
  const auto lines = split(bytes, '\n', 200);
  const auto check = split(lines.front(), ' ', 3);
  if (!check[0].empty()) in.ip = std::string(check[0]);
  if (check.size() > 1) in.sender = std::string(check[1]);
  if (check.size() > 2) in.helo = std::string(check[2]);
  for (std::size_t k = 1; k < lines.size(); ++k) {
    const auto fields = split(lines[k], ' ', 3);
    if (fields.size() < 2) continue;
    const std::string name(fields[0]);
    const std::string type(fields[1]);
    const std::string_view data = fields.size() > 2 ? fields[2] : std::string_view();
    json entry{{"type", type}};
    if (type == "TXT") {
      json strings = json::array();
      std::string joined;
      for (const auto s : split(data, '\t', 64)) {
        strings.push_back(std::string(s));
        joined += s;
      }
      entry["data"] = std::move(strings);
      in.texts.push_back(std::move(joined));
    } else if (type == "MX") {
      const auto mx = split(data, ' ', 2);
      int preference = 0;
      for (const char c : mx[0]) preference = (preference * 10 + (c & 0x0F)) % 70000;
      entry["data"] = json::array({preference, std::string(mx.size() > 1 ? mx[1] : "")});
    } else if (type != "TIMEOUT" && type != "NXDOMAIN") {
      entry["data"] = std::string(data);
    }
    in.zone[name].push_back(std::move(entry));
  }
  return in;
}

void check_record_text(const std::string& text) {
  const ParsedRecord parsed = parse_record(text);
  if (parsed) {
    require(is_spf_record(text));
    for (const auto& d : parsed.record->directives) require(d.offset < text.size() + 1);
  } else {
    require(!parsed.error.code.empty() && parsed.error.offset <= text.size());
  }
  const std::vector<std::string> strings = split_strings(text);
  TxtRecord record;
  for (const auto& s : strings) {
    require(s.size() <= kStringSizeLimit);
    record.push_back(s);
  }
  require(join_strings(record) == text);
  for (const auto context :
       {MacroContext::domain_spec, MacroContext::explanation, MacroContext::unknown_modifier}) {
    const ParsedMacro macro = parse_macro_string(text, context);
    if (macro) {
      MacroValues values;
      values.s = "user@example.com";
      values.l = "user";
      values.o = values.d = values.h = "example.com";
      values.i = "192.0.2.1";
      values.v = "in-addr";
      values.p = values.r = "unknown";
      values.c = "192.0.2.1";
      values.t = "0";
      // A domain-spec's target is cut to at most 253 octets, label by label (§7.3); what is
      // left of a longer one is a single label, which no query can carry.
      const std::string target = target_name(expand(*macro.value, values));
      require(target.size() <= kNameSizeLimit ||
              (target.find('.') == std::string::npos && !is_valid_query_name(target)));
    }
  }
}

void check_result(const CheckResult& r, bool complete_zone) {
  require(r.lookups <= kLookupLimit + 1);
  require(r.void_lookups <= kVoidLimit + 1);
  if (r.result == Result::none || r.result == Result::temperror || r.result == Result::permerror)
    require(!r.code.empty());
  if (complete_zone) require(r.complete());
  require(r.trace.size() < 10000);
}

/// `thorough`: also the cached and bulk evaluations, lint and propose (once per input: they are
/// most of the time of an input).
void check_zone(const Input& in, MissingName missing, bool thorough) {
  const ZoneView::Loaded loaded = ZoneView::load(in.zone, missing);
  if (!loaded) {
    require(!loaded.error.empty());
    return;
  }
  const ZoneView& zone = *loaded.zone;
  const auto ip = ip::parse_address(in.ip);
  if (!ip) return;
  const bool complete_zone = missing == MissingName::nxdomain;

  const CheckResult full = check_mail_from(zone, *ip.value, in.sender, in.helo);
  check_result(full, complete_zone);
  check_result(check_helo(zone, *ip.value, in.helo), complete_zone);
  if (!thorough) return;
  RecordCache cache;
  CheckOptions cached;
  cached.cache = &cache;
  CheckOptions bulk = cached;
  bulk.trace = false;
  bulk.details = false;
  for (const auto* options : {&cached, &bulk}) {
    const CheckResult again = check_mail_from(zone, *ip.value, in.sender, in.helo, *options);
    require(again.result == full.result && again.explanation == full.explanation);
    require(again.lookups == full.lookups && again.void_lookups == full.void_lookups);
    require(again.needed == full.needed);
  }

  const std::string domain = in.sender.find('@') == std::string::npos
                                 ? in.sender
                                 : in.sender.substr(in.sender.find('@') + 1);
  LintOptions lint_options;
  lint_options.ip = *ip.value;
  const LintResult linted = lint(zone, domain, lint_options);
  if (linted.check) check_result(*linted.check, complete_zone);
  for (const auto& f : linted.findings) require(!f.code.empty() && !f.message.empty());

  const auto prefix = ip::make_prefix(*ip.value, ip::max_length(ip.value->family));
  ProposeOptions propose_options;
  propose_options.vendor_include = in.helo;
  const Proposal proposal = propose(zone, domain, {*prefix}, propose_options);
  TxtRecord strings(proposal.strings.begin(), proposal.strings.end());
  if (!proposal.strings.empty()) require(join_strings(strings) == proposal.record);
  for (const auto& s : proposal.strings) require(s.size() <= kStringSizeLimit);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const Input in = read_input(bytes);
  for (const auto& text : in.texts) check_record_text(text);
  check_record_text(std::string(bytes.substr(0, bytes.find('\n'))));
  check_zone(in, MissingName::nxdomain, true);
  check_zone(in, MissingName::unknown, false);
  return 0;
}
