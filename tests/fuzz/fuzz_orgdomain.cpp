// libFuzzer target for the organizational-domain engine: any bytes as a name for the Public
// Suffix List lookup and the tree walk, as a DMARC record for the walk's reader, and split at the
// first NUL into an identifier and a From domain for alignment. Besides never crashing, leaking
// or hitting undefined behaviour (ASan + UBSan), the answers must hold together:
//  - an organizational domain is the public suffix and one label more, and a suffix of the name;
//  - the ICANN section alone never makes a longer public suffix than the whole list;
//  - the same name in A-labels has the same answer in A-labels;
//  - alignment is symmetric, and strict alignment implies relaxed;
//  - a walk makes at most 8 queries and, over a view that knows every name, is complete.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "orgdomain/alignment.hpp"
#include "orgdomain/psl.hpp"
#include "orgdomain/tree_walk.hpp"
#include "spf/dns_view.hpp"

namespace {

using namespace relaycheck;
using namespace relaycheck::orgdomain;

void require(bool condition) {
  if (!condition) std::abort();
}

bool is_suffix_of(std::string_view suffix, std::string_view name) {
  if (suffix.size() == name.size()) return suffix == name;
  return suffix.size() < name.size() && name[name.size() - suffix.size() - 1] == '.' &&
         name.substr(name.size() - suffix.size()) == suffix;
}

const spf::ZoneView& zone(spf::MissingName missing) {
  static const nlohmann::json doc = {
      {"_dmarc.example.com", {{{"type", "TXT"}, {"data", {"v=DMARC1; p=reject"}}}}},
      {"_dmarc.mail.example.com", {{{"type", "TXT"}, {"data", {"v=DMARC1; p=none; psd=n"}}}}},
      {"_dmarc.bank.example", {{{"type", "TXT"}, {"data", {"v=DMARC1; p=reject; psd=y"}}}}},
      {"_dmarc.com", {{{"type", "TXT"}, {"data", {"v=spf1 -all"}}}}},
      {"_dmarc.slow.example.com", {{{"type", "TIMEOUT"}}}},
  };
  static const spf::ZoneView nxdomain = *spf::ZoneView::load(doc, spf::MissingName::nxdomain).zone;
  static const spf::ZoneView unknown = *spf::ZoneView::load(doc, spf::MissingName::unknown).zone;
  return missing == spf::MissingName::nxdomain ? nxdomain : unknown;
}

void check_psl(std::string_view name) {
  const auto all = psl_lookup(name, Sections::all);
  const auto icann = psl_lookup(name, Sections::icann);
  require(all.value.has_value() == icann.value.has_value());
  require(organizational_domain(name) == (all ? all.value->organizational_domain : std::nullopt));
  if (!all) {
    require(!all.error.empty());
    require(!is_public_suffix(name));
    return;
  }
  const PslAnswer& a = *all.value;
  require(a.suffix_labels >= 1);
  require(icann.value->suffix_labels <= a.suffix_labels);
  require(is_suffix_of(a.public_suffix, a.name));
  require(is_suffix_of(a.public_suffix_ascii, a.name_ascii));
  require(a.is_public_suffix() == is_public_suffix(name));
  if (a.organizational_domain) {
    require(is_suffix_of(*a.organizational_domain, a.name));
    require(is_suffix_of(a.public_suffix, *a.organizational_domain));
    require(a.organizational_domain->size() > a.public_suffix.size());
  } else {
    require(a.public_suffix == a.name);
  }
  // The A-label form of the name gives the same answer, in A-labels.
  const auto ascii = psl_lookup(a.name_ascii);
  require(ascii.value.has_value());
  require(ascii.value->name == a.name_ascii);
  require(ascii.value->organizational_domain == a.organizational_domain_ascii);
  require(ascii.value->rule == a.rule);
}

void check_walk(std::string_view name) {
  for (const auto missing : {spf::MissingName::nxdomain, spf::MissingName::unknown}) {
    const auto walked = tree_walk(name, zone(missing));
    if (!walked) continue;
    const TreeWalk& w = *walked.value;
    require(!w.lookups.empty() && w.lookups.size() <= kMaxWalkQueries);
    require(w.complete() == w.organizational_domain.has_value());
    if (w.organizational_domain) require(is_suffix_of(*w.organizational_domain, w.name));
    if (missing == spf::MissingName::nxdomain) require(w.needed.empty());
  }
}

void check_alignment(std::string_view identifier, std::string_view from) {
  for (const auto mode : {Mode::relaxed, Mode::strict}) {
    const Alignment there = orgdomain::check_alignment(identifier, from, mode);
    const Alignment back = orgdomain::check_alignment(from, identifier, mode);
    require(there.verdict == back.verdict);
    require(there.verdict != Verdict::unknown);
  }
  if (aligned(identifier, from, Mode::strict)) require(aligned(identifier, from, Mode::relaxed));
  const Alignment walked =
      orgdomain::check_alignment(identifier, from, Mode::relaxed, zone(spf::MissingName::nxdomain));
  require(walked.needed.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check_psl(bytes);
  check_walk(bytes);
  const auto peek = peek_dmarc_record(bytes);
  if (peek) require(peek->psd == 'y' || peek->psd == 'n' || peek->psd == 'u');
  const std::size_t split = bytes.find('\0');
  if (split != std::string_view::npos)
    check_alignment(bytes.substr(0, split), bytes.substr(split + 1));
  return 0;
}
