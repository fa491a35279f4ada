// libFuzzer target for pasted whitelists (core/src/ip/paste.cpp): the bytes are the pasted text,
// read in both modes (networks for account.crmRanges, single addresses for outboundIps).
// Invariants: the limits hold; every entry is canonical (prints and reads back as itself), a
// host in addresses mode, and given once; every unreadable item has a line of the text, a
// reason and no raw control byte; the summary is one sentence; and the canonical list of the
// entries reads back as the same entries with nothing to clean and nothing unreadable.
// Seeds: tests/fuzz/corpus/paste/ (one file per pasted form). Built with ASan + UBSan.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <tuple>

#include "ip/ip.hpp"
#include "ip/paste.hpp"

namespace {

using namespace relaycheck::ip;

void require(bool condition) {
  if (!condition) std::abort();
}

std::size_t line_count(std::string_view text) {
  std::size_t lines = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')))
      ++lines;
  }
  return lines;
}

void check(std::string_view text, PasteMode mode) {
  const Extracted e = extract_entries(text, mode);
  require(e.entries.size() <= kMaxPastedEntries);
  require(e.unreadable.size() <= kMaxUnreadableListed);
  require(e.unreadable.size() <= e.unreadable_count);
  require(e.unreadable_count <= kMaxUnreadableListed ||
          e.unreadable.size() == kMaxUnreadableListed);
  require(e.lines <= line_count(text));
  std::size_t sum = 0;
  for (const std::size_t n : e.kinds) sum += n;
  require(sum == e.cleaned);

  std::set<std::tuple<std::uint64_t, std::uint64_t, int, int>> seen;
  std::string canonical;
  for (const Prefix& p : e.entries) {
    require(p.length <= max_length(p.family));
    require(seen.insert({p.hi, p.lo, static_cast<int>(p.family), p.length}).second);
    if (mode == PasteMode::addresses) require(p.length == max_length(p.family));
    const std::string written = entry_text(p, mode);
    const auto again = parse_prefix(written);
    require(again && *again.value == p);
    canonical += written + "\n";
  }
  std::size_t previous_line = 0;
  for (const Unreadable& u : e.unreadable) {
    require(u.line >= 1 && u.line <= line_count(text) && u.line >= previous_line);
    previous_line = u.line;
    require(!u.text.empty() && !u.reason.empty());
    for (const char c : u.text) {
      const auto byte = static_cast<unsigned char>(c);
      require(byte >= 0x20 && byte != 0x7F);
    }
  }
  const std::string sentence = summary(e, mode);
  require(!sentence.empty() && sentence.back() == '.');

  // The entries written canonically, one a line, read back as themselves.
  const Extracted again = extract_entries(canonical, mode);
  require(again.cleaned == 0 && again.unreadable_count == 0 && again.duplicates == 0);
  require(again.entries == e.entries);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check(text, PasteMode::prefixes);
  check(text, PasteMode::addresses);
  return 0;
}
