// The address engine's fast paths against their plain references, on generated inputs: the
// 64-byte-window scanner against the detailed parser, the radix sorts against std::sort, the
// word-at-a-time line counter against a loop over the bytes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "ip/ip.hpp"
#include "ip/line_count.hpp"
#include "ip/prefix_set.hpp"
#include "ip/radix_sort.hpp"
#include "ip/range.hpp"
#include "ip/scan_fast.hpp"

using namespace relaycheck::ip;
using detail::Range4;
using detail::Range6;
using detail::uint128;

namespace {

/// A copy of `text` in a heap block of exactly its size, so that a read past its end is one that
/// AddressSanitizer reports.
class Exact {
 public:
  explicit Exact(std::string_view text) : bytes_(new char[text.size()]), size_(text.size()) {
    std::copy(text.begin(), text.end(), bytes_.get());
  }
  std::string_view view() const { return std::string_view(bytes_.get(), size_); }

 private:
  std::unique_ptr<char[]> bytes_;
  std::size_t size_;
};

std::string printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F) {
      out += c;
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 15u];
    }
  }
  return out;
}

/// Holds the fast scanner to the detailed parser on `text`, in both modes: what the scanner
/// reads, the parser reads the same way, and the public parsers, which try the scanner first,
/// answer exactly as the detailed parser does (value or reason).
void check_scanner(std::string_view text) {
  INFO("input: \"" << printable(text) << "\" (" << text.size() << " bytes)");
  const Exact exact(text);
  for (const HostBits mode : {HostBits::reject, HostBits::mask}) {
    INFO("mode: " << (mode == HostBits::reject ? "reject" : "mask"));
    Prefix fast;
    const std::size_t n = detail::scan_prefix(exact.view(), mode, fast);
    REQUIRE(n <= text.size());
    if (n > 0) {
      const auto reference = detail::parse_prefix_detailed(text.substr(0, n), mode);
      REQUIRE(reference);
      CHECK(*reference.value == fast);
    }
    const auto reference = detail::parse_prefix_detailed(exact.view(), mode);
    const auto answer = parse_prefix(exact.view(), mode);
    REQUIRE(answer.value == reference.value);
    CHECK(answer.error == reference.error);
  }
  Address address;
  const std::size_t n = detail::scan_address(exact.view(), address);
  REQUIRE(n <= text.size());
  if (n > 0) {
    const auto reference = detail::parse_address_detailed(text.substr(0, n));
    REQUIRE(reference);
    CHECK(*reference.value == address);
  }
  const auto reference = detail::parse_address_detailed(exact.view());
  const auto answer = parse_address(exact.view());
  REQUIRE(answer.value == reference.value);
  CHECK(answer.error == reference.error);
}

/// True when the fast scanner reads the whole of `text` as a prefix.
bool fast_reads_whole(std::string_view text, HostBits mode = HostBits::reject) {
  const Exact exact(text);
  Prefix ignored;
  return !text.empty() && detail::scan_prefix(exact.view(), mode, ignored) == text.size();
}

/// A group of 1 to 4 hex digits; with `padded`, sometimes with leading zeros.
std::string hex_group(std::mt19937_64& rng, unsigned value, bool padded, bool upper) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, upper ? "%04X" : "%04x", value & 0xFFFFu);
  const std::string digits = buffer;
  const std::size_t first = digits.find_first_not_of('0');
  if (!padded) return first == std::string::npos ? "0" : digits.substr(first);
  const std::size_t keep =
      std::max<std::size_t>(first == std::string::npos ? 1 : 4 - first, rng() % 5);
  return digits.substr(4 - std::min<std::size_t>(keep, 4));
}

/// An IPv6 text in one of the forms people write: groups that are zero more often than chance,
/// leading zeros or not, either case, '::' anywhere or nowhere, sometimes a dotted quad at the end.
std::string random_v6_text(std::mt19937_64& rng) {
  unsigned groups[8];
  for (unsigned& g : groups)
    g = rng() % 3 == 0 ? 0 : static_cast<unsigned>(rng() & (rng() % 2 ? 0xFFFFu : 0xFFu));
  const bool padded = rng() % 4 == 0;
  const bool upper = rng() % 5 == 0;
  const bool dotted = rng() % 8 == 0;
  const unsigned hex_count = dotted ? 6 : 8;
  // A gap of `gap_length` groups from `gap_first`, or none.
  const auto gap_first = static_cast<unsigned>(rng() % hex_count);
  const auto gap_length =
      static_cast<unsigned>(rng() % 3 == 0 ? 0 : 1 + rng() % (hex_count - gap_first));
  std::string text;
  for (unsigned i = 0; i < hex_count; ++i) {
    if (gap_length > 0 && i == gap_first) {
      text += i == 0 ? "::" : ":";
      i += gap_length - 1;
      continue;
    }
    text += hex_group(rng, groups[i], padded, upper);
    if (i + 1 < hex_count || dotted) text += ':';
  }
  if (dotted) {
    const auto v4 = static_cast<std::uint32_t>(rng());
    text += std::to_string(v4 >> 24) + "." + std::to_string(v4 >> 16 & 255u) + "." +
            std::to_string(v4 >> 8 & 255u) + "." + std::to_string(v4 & 255u);
  }
  return text;
}

std::string random_v4_text(std::mt19937_64& rng) {
  std::string text;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) text += '.';
    const unsigned kind = static_cast<unsigned>(rng() % 8);
    const unsigned octet = kind == 0   ? 0
                           : kind == 1 ? 255
                           : kind == 2 ? static_cast<unsigned>(rng() % 10)
                                       : static_cast<unsigned>(rng() % 256);
    text += std::to_string(octet);
  }
  return text;
}

/// A prefix or address as someone might write it, valid or nearly so.
std::string random_entry(std::mt19937_64& rng) {
  const bool v4 = rng() % 2 == 0;
  std::string text = v4 ? random_v4_text(rng) : random_v6_text(rng);
  const unsigned max = v4 ? 32 : 128;
  switch (rng() % 6) {
    case 0:
      break;  // an address
    case 1:
      text += "/" + std::to_string(max);
      break;
    case 2:
      text += "/" + std::to_string(rng() % (max + 1));
      break;
    case 3:  // a length at or over the maximum, or with a leading zero
      text +=
          rng() % 2 ? "/" + std::to_string(max + rng() % 200) : "/0" + std::to_string(rng() % 10);
      break;
    default: {  // a prefix without host bits: the common case of a list
      const auto parsed = detail::parse_prefix_detailed(text, HostBits::reject);
      if (!parsed) break;
      const auto length = static_cast<unsigned>(rng() % (max + 1));
      text = to_string(*make_prefix(parsed.value->network(), length));
      break;
    }
  }
  return text;
}

/// `text` with one random edit: a character deleted, doubled, replaced or inserted, or the text
/// cut short. The inserted characters lean towards those that an address is made of.
std::string mutate(std::mt19937_64& rng, std::string text) {
  static constexpr char kNear[] = "0123456789abcdefABCDEFxX.:/ \t\r\n#+-%[]";
  const auto random_char = [&]() -> char {
    if (rng() % 4 != 0) return kNear[rng() % (sizeof kNear - 1)];
    return static_cast<char>(rng() % 256);
  };
  const std::size_t at = text.empty() ? 0 : static_cast<std::size_t>(rng() % text.size());
  switch (rng() % 5) {
    case 0:
      if (!text.empty()) text.erase(at, 1);
      break;
    case 1:
      if (!text.empty()) text.insert(at, 1, text[at]);
      break;
    case 2:
      if (!text.empty()) text[at] = random_char();
      break;
    case 3:
      text.insert(at, 1, random_char());
      break;
    default:
      text.resize(at);
      break;
  }
  return text;
}

}  // namespace

TEST_CASE("the fast scanner reads common forms whole, as the detailed parser reads them",
          "[ip][fast-path]") {
  std::mt19937_64 rng(20261201);
  int whole = 0;
  for (int i = 0; i < 4000; ++i) {
    const std::string text = random_entry(rng);
    check_scanner(text);
    if (fast_reads_whole(text, HostBits::mask)) ++whole;
  }
  // Most generated entries are valid and in the common form; the fast path must take them, or
  // lists would silently go the slow way.
  CHECK(whole > 2000);
  for (int i = 0; i < 2000; ++i) {
    const auto v4 = rng() % 2 == 0;
    const Address a =
        v4 ? Address::v4(static_cast<std::uint32_t>(rng())) : Address::v6(rng(), rng());
    const auto prefix = *make_prefix(a, static_cast<unsigned>(rng() % (max_length(a.family) + 1)));
    const std::string text = to_string(prefix);
    INFO(text);
    if (!is_v4_mapped(prefix.network())) CHECK(fast_reads_whole(text));
    check_scanner(text);
  }
}

TEST_CASE("the fast scanner never accepts what the detailed parser rejects or reads otherwise",
          "[ip][fast-path]") {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 6000; ++i) {
    std::string text = random_entry(rng);
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) text = mutate(rng, text);
    check_scanner(text);
  }
  // Random bytes, mostly from the characters of addresses.
  for (int i = 0; i < 3000; ++i) {
    static constexpr char kAlphabet[] = "0123456789abcdefABCDEF.:/::..";
    std::string text(static_cast<std::size_t>(rng() % 80), '\0');
    for (char& c : text)
      c = rng() % 10 == 0 ? static_cast<char>(rng() % 256)
                          : kAlphabet[rng() % (sizeof kAlphabet - 1)];
    check_scanner(text);
  }
}

TEST_CASE("the fast scanner agrees at every length around its 64-byte window", "[ip][fast-path]") {
  // Every cut of long texts from 0 to 70 bytes: the window is the text itself from 64 bytes on
  // and a zero-padded copy below, and no read may leave the text.
  const std::vector<std::string> longs = {
      "2001:0db8:0000:0000:0000:ff00:0042:8329/128\n1.2.3.4/32\n",
      "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128 # a comment that runs on past the window",
      "0000:0000:0000:0000:0000:0000:0000:0000/0000000000000000000000000000000000000000",
      "1111111111111111111111111111111111111111111111111111111111111111111111111111",
      "::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::",
      "1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1",
      "1:2:3:4:5:6:7:8:9:a:b:c:d:e:f:1:2:3:4:5:6:7:8:9:a:b:c:d:e:f:1:2:3:4:5:6:7:8",
      "::ffff:192.168.100.200/128\r\n::ffff:192.168.100.200/128\r\n::1\r\n",
      "abcd:ef01:2345:6789:abcd:ef01:2345:6789abcd:ef01:2345:6789:abcd:ef01:2345:6789",
      "255.255.255.255/32/32/32/32/32/32/32/32/32/32/32/32/32/32/32/32/32/32/32/32/32",
      "10.0.0.0/8" + std::string(70, '\0'),
  };
  for (const std::string& text : longs) {
    for (std::size_t length = 0; length <= 70 && length <= text.size(); ++length) {
      check_scanner(std::string_view(text).substr(0, length));
      check_scanner(std::string_view(text).substr(text.size() - length));
    }
  }
  // An entry padded after its end to every length: the scanner's look-ahead meets the padding,
  // the end of the text or the edge of the window.
  std::mt19937_64 rng(64);
  for (std::size_t length = 0; length <= 70; ++length) {
    for (const char* pad : {"\n", "0", ":", ".", "/", " ", "f", "\r"}) {
      for (int i = 0; i < 4; ++i) {
        std::string text = random_entry(rng);
        while (text.size() < length) text += pad;
        text.resize(length);
        check_scanner(text);
      }
    }
  }
}

TEST_CASE("the fast scanner leaves leading zeros, signs and unusual forms to the detailed parser",
          "[ip][fast-path]") {
  for (const char* text : {"01.2.3.4",
                           "1.2.3.04",
                           "1.2.3.4/08",
                           "1.2.3.4/00",
                           "00.0.0.0",
                           "0.0.0.0/0",
                           "0.0.0.0",
                           "0x1.2.3.4",
                           "+1.2.3.4",
                           "1.2.3.-4",
                           "1.2.3.4/+8",
                           "1.2.3.256",
                           "1.2.3.4/33",
                           "1.2.3",
                           "1.2.3.4.5",
                           "1..2.3",
                           ".1.2.3",
                           "1.2.3.4.",
                           "1.2.3.4/",
                           "/24",
                           "1.2.3.4//24",
                           "00::",
                           "0000:0000::/0",
                           "::",
                           "::/0",
                           ":::",
                           "1:::2",
                           "1::2::3",
                           ":1::",
                           "1::2:",
                           "::1/128",
                           "::1/0128",
                           "0:0:0:0:0:0:0:0",
                           "00000::",
                           "1:2:3:4:5:6:7:8:9",
                           "1:2:3:4:5:6:7::8",
                           "::1:2:3:4:5:6:7",
                           "1:2:3:4:5:6:7::",
                           "::ffff:1.2.3.4",
                           "::ffff:1.2.3.4/128",
                           "1:2:3:4:5:6:1.2.3.4",
                           "::1.2.3.4:5",
                           "fe80::1%eth0",
                           "[::1]",
                           "::g",
                           "1.2.3.4 ",
                           " 1.2.3.4",
                           "1.2.3.4\r",
                           "1.2.3.4\n",
                           "1.2.3.4#",
                           "1.2.3.4/24",
                           "1.2.3.0/24",
                           "2001:DB8::/32",
                           "2001:db8::1/32",
                           "FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF"}) {
    check_scanner(text);
  }
  CHECK(fast_reads_whole("2001:0DB8:0000::/48"));
  CHECK_FALSE(fast_reads_whole("01.2.3.4"));
  CHECK_FALSE(fast_reads_whole("::ffff:1.2.3.4"));
  CHECK_FALSE(fast_reads_whole("1.2.3.4/24"));
  CHECK(fast_reads_whole("1.2.3.4/24", HostBits::mask));
}

namespace {

/// Reads a list the plain way: line by line, comments cut, blanks trimmed, every entry through
/// the detailed parser.
ParsedList reference_list(std::string_view text, HostBits mode) {
  ParsedList list;
  std::size_t line = 0;
  for (std::size_t start = 0; start < text.size();) {
    ++line;
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view entry = text.substr(start, end - start);
    start = end + 1;
    entry = entry.substr(0, entry.find('#'));
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!entry.empty() && blank(entry.front())) entry.remove_prefix(1);
    while (!entry.empty() && blank(entry.back())) entry.remove_suffix(1);
    if (entry.empty()) continue;
    auto parsed = detail::parse_prefix_detailed(entry, mode);
    if (!parsed) {
      list.prefixes.clear();
      list.error = ListError{line, std::string(entry), parsed.error};
      return list;
    }
    list.prefixes.push_back(*parsed.value);
  }
  return list;
}

void check_list(std::string_view text, HostBits mode) {
  const Exact exact(text);
  const ParsedList fast = parse_list(exact.view(), mode);
  const ParsedList reference = reference_list(text, mode);
  INFO("list of " << text.size() << " bytes, starting \"" << printable(text.substr(0, 120))
                  << "\"");
  CHECK(fast.prefixes == reference.prefixes);
  REQUIRE(fast.error.has_value() == reference.error.has_value());
  if (fast.error) {
    CHECK(fast.error->line == reference.error->line);
    CHECK(fast.error->text == reference.error->text);
    CHECK(fast.error->reason == reference.error->reason);
  }
}

std::string random_list(std::mt19937_64& rng, std::size_t lines, int garbage_in) {
  std::string text;
  for (std::size_t i = 0; i < lines; ++i) {
    const unsigned kind = static_cast<unsigned>(rng() % 16);
    std::string entry = random_entry(rng);
    if (garbage_in > 0 && rng() % static_cast<unsigned>(garbage_in) == 0)
      entry = mutate(rng, entry);
    if (kind == 0) entry = "# " + entry;
    if (kind == 1) entry += " # note: " + entry;
    if (kind == 2) entry = " \t" + entry + "\t ";
    if (kind == 3) entry.clear();
    text += entry;
    text += kind == 4 || kind == 5 ? "\r\n" : "\n";
  }
  if (rng() % 2 == 0 && !text.empty()) text.pop_back();  // no newline at the end
  return text;
}

}  // namespace

TEST_CASE("lists read the same through the fast path as line by line through the detailed parser",
          "[ip][fast-path]") {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 300; ++i) {
    // Valid entries only (so that the whole list is compared), then lists with a bad line.
    const std::string valid = random_list(rng, static_cast<std::size_t>(rng() % 40), 0);
    const std::string bad = random_list(rng, static_cast<std::size_t>(rng() % 40), 8);
    for (const HostBits mode : {HostBits::reject, HostBits::mask}) {
      check_list(valid, mode);
      check_list(bad, mode);
    }
  }
  // Empty and blank lists, CRLF everywhere, a very long line, and a list longer than the block
  // the line reader reads per call (4,096 lines) with a bad line after it.
  for (const std::string& text :
       {std::string(), std::string("\n"), std::string("\r\n\r\n"), std::string("   \n\t\n# x\n"),
        std::string("1.2.3.4\r"), std::string("1.2.3.4\r\r\n"), std::string("1.2.3.4\n\r"),
        std::string("1.2.3.4") + std::string(100000, ' ') + "\n::1",
        std::string(100000, '1') + "\n1.2.3.4", std::string(70000, ':') + "\n"}) {
    check_list(text, HostBits::reject);
  }
  std::string block = random_list(rng, 9000, 0) + "\n";
  check_list(block, HostBits::mask);
  block += "1.2.3.4/24\n::1\n";
  check_list(block, HostBits::reject);
}

namespace {

detail::LineCounts count_lines_bytewise(std::string_view text) {
  detail::LineCounts count;
  bool colon = false;
  for (char c : text) {
    if (c == ':') colon = true;
    if (c == '\n') {
      ++count.lines;
      count.with_colon += colon ? 1 : 0;
      colon = false;
    }
  }
  if (!text.empty() && text.back() != '\n') {
    ++count.lines;
    count.with_colon += colon ? 1 : 0;
  }
  return count;
}

void check_count(std::string_view text) {
  const Exact exact(text);
  const auto fast = detail::count_lines(exact.view());
  const auto reference = count_lines_bytewise(text);
  INFO(text.size() << " bytes, starting \"" << printable(text.substr(0, 80)) << "\"");
  CHECK(fast.lines == reference.lines);
  CHECK(fast.with_colon == reference.with_colon);
}

}  // namespace

TEST_CASE("the line counter counts as a loop over the bytes does", "[ip][fast-path]") {
  std::mt19937_64 rng(3);
  static constexpr char kAlphabet[] = "\n\n::1.#\r ab";
  for (int i = 0; i < 3000; ++i) {
    // Every length up to a few 64-byte blocks, newlines and colons dense or sparse.
    std::string text(static_cast<std::size_t>(i % 300), 'x');
    const unsigned density = static_cast<unsigned>(1 + rng() % 40);
    for (char& c : text) {
      if (rng() % density == 0) c = kAlphabet[rng() % (sizeof kAlphabet - 1)];
    }
    if (i % 7 == 0) {
      for (char& c : text) c = static_cast<char>(rng() % 256);
    }
    check_count(text);
  }
  // Texts of one character, colons that carry across words and blocks, and texts longer than the
  // block counted per call (4,096 words), at every alignment.
  for (const std::string& text :
       {std::string(), std::string("\n"), std::string(":"), std::string(":\n"), std::string("\n:"),
        std::string(200, ':'), std::string(200, '\n'),
        std::string(63, 'a') + ":" + std::string(200, 'b') + "\n", std::string(100000, 'a') + ":",
        std::string(4096 * 8 * 2 + 5, ':') + "\n"}) {
    check_count(text);
  }
  std::string list;
  while (list.size() < 4096 * 8 * 3) list += random_entry(rng) + (rng() % 3 == 0 ? "\r\n" : "\n");
  for (std::size_t offset = 0; offset < 9; ++offset)
    check_count(std::string_view(list).substr(offset));
}

namespace {

template <class Range>
bool by_first_then_last(const Range& a, const Range& b) {
  return a.first < b.first || (a.first == b.first && a.last < b.last);
}

/// Sorts `ranges` both ways; the radix sort must order them by first address and keep every range
/// (ranges that share a first address may come in any order, as they may from std::sort).
template <class Range>
void check_sort(std::vector<Range> ranges) {
  std::vector<Range> fast = ranges;
  detail::radix_sort(fast);
  detail::sort_by_first(ranges);
  INFO(ranges.size() << " ranges");
  REQUIRE(fast.size() == ranges.size());
  CHECK(std::is_sorted(fast.begin(), fast.end(),
                       [](const Range& a, const Range& b) { return a.first < b.first; }));
  std::sort(fast.begin(), fast.end(), by_first_then_last<Range>);
  std::sort(ranges.begin(), ranges.end(), by_first_then_last<Range>);
  bool same = true;
  for (std::size_t i = 0; i < fast.size() && same; ++i) {
    same = fast[i].first == ranges[i].first && fast[i].last == ranges[i].last;
  }
  CHECK(same);
}

/// `n` ranges whose first addresses follow `kind`: random, clustered under a few high bits, all
/// alike, duplicates, ascending, descending, differing only in the low bits, or at the ends of
/// the space.
template <class Range, class Random>
std::vector<Range> ranges_of(std::size_t n, int kind, Random random) {
  std::vector<Range> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto first = random();
    switch (kind) {
      case 1:
        first = (first & 0xFFFF) | (first & 0x3) << (sizeof(first) * 8 - 2);
        break;
      case 2:
        first = 42;
        break;
      case 3:
        first = (first % 37) * 1000003;
        break;
      case 4:
        first = static_cast<decltype(first)>(i);
        break;
      case 5:
        first = static_cast<decltype(first)>(n - i);
        break;
      case 6:
        first = static_cast<decltype(first)>(~decltype(first){0} - (first & 0xFF));
        break;
      case 7:
        first = first & 0x7;
        break;
      default:
        break;
    }
    const auto last =
        random() % 2 == 0 ? first : static_cast<decltype(first)>(first | (random() & 0xFF));
    out.push_back(Range{first, last});
  }
  return out;
}

}  // namespace

TEST_CASE("the radix sorts order ranges as std::sort does, for every size and spread",
          "[ip][fast-path]") {
  std::mt19937_64 rng(99);
  const auto random4 = [&] { return static_cast<std::uint32_t>(rng()); };
  const auto random6 = [&] { return static_cast<uint128>(rng()) << 64 | rng(); };
  constexpr std::size_t kSizes[] = {0, 1, 2, 3, 16, 17, 100, 2048, 4095, 4096, 4097, 20000};
  for (const std::size_t n : kSizes) {
    for (int kind = 0; kind < 8; ++kind) {
      INFO("kind " << kind);
      check_sort(ranges_of<Range4>(n, kind, random4));
      check_sort(ranges_of<Range6>(n, kind, random6));
    }
  }
  // IPv6 buckets larger than the in-place sort's scratch (32,768 ranges) are split again in place.
  std::vector<Range6> crowded = ranges_of<Range6>(70000, 0, random6);
  for (std::size_t i = 0; i < 60000; ++i)
    crowded[i].first = crowded[i].last =
        uint128{0x20010DB8} << 96 | (crowded[i].first & 0xFFFFFFFF);
  check_sort(crowded);
}

TEST_CASE("a long list with duplicates and CRLF builds the set that its short pieces build",
          "[ip][fast-path]") {
  // Through parse_list_into: the line counter, the fast scanner and the radix sorts, against
  // pieces short enough for std::sort, united.
  std::mt19937_64 rng(5);
  std::string text;
  std::vector<std::string> pieces(1);
  for (int i = 0; i < 12000; ++i) {
    const std::string entry = to_string(
        *make_prefix(rng() % 2 ? Address::v4(static_cast<std::uint32_t>(rng() % 5000) << 12)
                               : Address::v6(0x20010DB800000000ull | (rng() % 5000), 0),
                     static_cast<unsigned>(rng() % 2 ? 20 : 64)));
    const std::string line = entry + (i % 3 == 0 ? "\r\n" : "\n");
    text += line;
    if (pieces.back().size() > 30000) pieces.emplace_back();
    pieces.back() += line;
  }
  PrefixSet::Builder builder;
  REQUIRE_FALSE(parse_list_into(text, HostBits::reject, builder));
  const PrefixSet whole = builder.build();
  PrefixSet united;
  for (const std::string& piece : pieces) {
    auto list = parse_list(piece);
    REQUIRE_FALSE(list.error);
    REQUIRE(list.prefixes.size() < detail::kRadixFrom);
    united = unite(united, PrefixSet(list.prefixes));
  }
  CHECK(whole == united);
  CHECK(whole.prefixes() == united.prefixes());
}
