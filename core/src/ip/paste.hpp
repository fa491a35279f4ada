#pragma once
/// Reading a whitelist as admins paste it: the entries of a list copied from the CRM's help page
/// or from a mail server's configuration, normalised to canonical prefixes, with what had to be
/// cleaned and what could not be read (by line).
///
/// The model. The text is read line by line (LF, CRLF or CR); `#` starts a comment. On a line:
/// - a list marker at its start is removed: a bullet (• ◦ ▪ ‣ · ● – —, or - * + > before a
///   space) or a number ("1." "2)" "(3)" before a space);
/// - a setting name before `=` is removed: Postfix `mynetworks = …` (main.cf, postconf(5)),
///   Debian's `dc_relay_nets='…'`, Exim `hostlist NAME = …`;
/// - Exim lists (Exim specification, "List construction"): a list of a `hostlist` is separated
///   by colons, and a colon inside an item is written twice (`::::1` is ::1,
///   `2001::db8::::/32` is 2001:db8::/32); a list that starts with `<` and a character uses
///   that character instead (`<; 1.2.3.0/24 ; 2001:db8::/32`); a line ending in `\` continues;
/// - access maps (Sendmail's access database; Postfix access(5)): a line `KEY ACTION`, such as
///   `Connect:192.0.2 RELAY`, `192.0.2.1 OK` or `IPv6:2001:db8::1 RELAY`, gives one entry, its
///   key; a partial address there is a network (`192.0.2` is 192.0.2.0/24, `10.1` a /16,
///   `IPv6:2001:db8` a /32: whole octets or groups from the left). A line whose action refuses
///   (REJECT, DISCARD, ERROR:…, 550 …) is no whitelist entry and is reported;
/// - otherwise entries are separated by spaces (any Unicode space), commas and semicolons; a
///   label before `: ` ("IPv4: …") and a description after a spaced dash ("… – US") are dropped.
/// An entry loses brackets and quotes (Postfix writes `[::1]/128`), a trailing full stop and a
/// Sendmail `IPv6:` tag; `A-B` (or `A – B`) is an address range, written as prefixes;
/// `/255.255.255.0` becomes `/24`. It is then read by ip::parse_prefix, strictly: host bits,
/// leading zeros and zone ids are refused with the parser's reason, never guessed. An entry with
/// `!` (Postfix and Exim: "not this one") is refused: it removes addresses, it does not add them.
///
/// Bounded: one pass over the text, no recursion, no backtracking; at most kMaxPastedEntries
/// entries and kMaxUnreadableListed unreadable items are kept (the rest are counted).

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ip/ip.hpp"

namespace relaycheck::ip {

/// The most entries kept from one paste. The config has no limit of its own on a list; this is
/// far beyond any real whitelist (the CRM's list is a few dozen ranges) and keeps an answer small.
constexpr std::size_t kMaxPastedEntries = 10000;
/// The most unreadable items listed one by one (the rest are counted).
constexpr std::size_t kMaxUnreadableListed = 100;

/// What the pasted list is for.
enum class PasteMode {
  prefixes,   ///< networks or addresses (account.crmRanges)
  addresses,  ///< single addresses only (a relay's outboundIps)
};

/// The kinds of cleaning, counted per line or entry cleaned.
enum class Cleaning : std::size_t {
  marker,       ///< a bullet or a number at the start of a line
  setting,      ///< a setting name: `mynetworks =`, `hostlist NAME =`
  label,        ///< a label before `: ` or a description after a spaced dash
  wrapper,      ///< brackets or quotes around an entry
  punctuation,  ///< a full stop after an entry
  access_map,   ///< a Sendmail or Postfix access-map line (tag and action)
  exim_list,    ///< an Exim list: its separator, or its doubled colons
  partial,      ///< a Sendmail partial address widened to its network
  netmask,      ///< a netmask written as a prefix length
  range,        ///< an address range written as prefixes
  count_,       ///< (the number of kinds)
};
constexpr std::size_t kCleaningKinds = static_cast<std::size_t>(Cleaning::count_);

/// The name of a kind in the JSON answer ("marker", "setting", ...).
std::string_view to_string(Cleaning kind);

/// An item that could not be read: its line (from 1), the text as written, and why (a phrase
/// that follows the quoted text: "is a host name, not an address").
struct Unreadable {
  std::size_t line = 0;
  std::string text;
  std::string reason;
};

struct Extracted {
  /// The entries, canonical, in the order first seen, without duplicates.
  std::vector<Prefix> entries;
  /// Lines with something on them (not blank, not only a comment).
  std::size_t lines = 0;
  /// How many cleanings were made (the sum of `kinds`: a line or an entry counts once per kind).
  std::size_t cleaned = 0;
  std::array<std::size_t, kCleaningKinds> kinds{};
  /// Entries given again (same canonical prefix).
  std::size_t duplicates = 0;
  /// What could not be read: the first kMaxUnreadableListed, and how many in all.
  std::vector<Unreadable> unreadable;
  std::size_t unreadable_count = 0;
  /// Entries left out beyond kMaxPastedEntries.
  std::size_t over_limit = 0;
};

/// Extracts the entries of a pasted list (see the model above).
Extracted extract_entries(std::string_view text, PasteMode mode = PasteMode::prefixes);

/// The canonical text of an entry: a prefix with its length, or in addresses mode the bare
/// address ("203.0.113.25").
std::string entry_text(const Prefix& entry, PasteMode mode);

/// One sentence, in the admin's words, of what was read, cleaned and left out.
std::string summary(const Extracted& extracted, PasteMode mode);

}  // namespace relaycheck::ip
