#pragma once
/// The report for a change ticket: the analysis (the `analyze` report document) written as
/// Markdown or as one self-contained HTML page.
///
/// The model: build_document() reads the report once and lays it out as a Document, a flat list
/// of blocks (headings, paragraphs, bullet lists, tables, preformatted text) holding plain text
/// only. The two writers turn the same Document into their format, so the two files always say
/// the same thing, and every string is escaped in exactly one place per format:
///   - Markdown (write_markdown): ASCII punctuation that Markdown or inline HTML would read is
///     backslash-escaped, so `<script>`, `[x](y)`, `*` stay text; in table cells `|` is escaped
///     and a line break becomes `<br>`; preformatted text is fenced by more backticks than it
///     contains.
///   - HTML (write_html): `& < > " '` become entities everywhere; the page has inline CSS only, no
///     script, and a Content-Security-Policy that allows no script, no request and no form.
/// In both, every hidden character (text/visible.hpp: controls other than line break and tab,
/// bidirectional controls, invisible formatting characters, look-alike spaces) is shown as
/// "‹U+202E›", as core shows it everywhere: a hostile record cannot reorder or hide what the
/// reader sees (the "Trojan Source" trick).
///
/// The sections, in order: the verdict and counts; the findings grouped by account, domain and
/// relay, each with its fix; the outcome matrix (domain × type × route: SPF, DKIM, DMARC,
/// disposition, emails today); the day plan (hours × route); the DNS records per domain (as read,
/// and what to publish); the whitelist snippets.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace relaycheck::exports {

struct Block {
  enum class Kind { heading, paragraph, list, table, pre };
  Kind kind = Kind::paragraph;
  int level = 2;                               ///< heading: 1-3
  std::string text;                            ///< heading, paragraph, pre
  std::string label;                           ///< pre: what the text is (shown before it)
  bool strong = false;                         ///< paragraph: emphasised (the verdict)
  std::vector<std::string> items;              ///< list
  std::vector<std::string> header;             ///< table
  std::vector<std::vector<std::string>> rows;  ///< table
};

struct Document {
  std::string title;
  std::vector<Block> blocks;
};

/// Lays out the report document of `analyze` (with its `dnsPanel`).
Document build_document(const nlohmann::json& report);

/// `text` with each hidden character (but line break and tab) replaced by "‹U+XXXX›".
std::string visible(std::string_view text);

std::string write_markdown(const Document& document);
std::string write_html(const Document& document);

/// A file name for the report: "relaycheck-report-<first domain>.<extension>", with only
/// [a-z0-9.-] from the domain.
std::string file_name(const nlohmann::json& report, std::string_view extension);

}  // namespace relaycheck::exports
