// The report for a change ticket as Markdown (CommonMark with GitHub's tables); document.hpp
// states what is escaped and why.
#include <algorithm>

#include "export/document.hpp"

namespace relaycheck::exports {
namespace {

/// Text in a paragraph, a list item or a heading: every ASCII punctuation character Markdown or
/// its inline HTML could read is backslash-escaped (CommonMark §2.4 allows it before any ASCII
/// punctuation), so `<script>` and `[a](b)` stay text. A line break stays a line break.
std::string escape(std::string_view text) {
  const std::string shown = visible(text);
  std::string out;
  out.reserve(shown.size() + shown.size() / 8);
  for (char c : shown) {
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '{':
      case '}':
      case '[':
      case ']':
      case '<':
      case '>':
      case '#':
      case '|':
      case '!':
      case '&':
      case '~':
        out += '\\';
        out += c;
        break;
      case '\n':
        out += "  \n";  // a hard line break inside the block
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// A table cell: escaped as text, and a line break becomes <br> (a raw newline would end the row).
std::string cell(std::string_view text) {
  std::string out;
  for (char c : escape(text)) {
    if (c == '\n') {
      out += "<br>";
    } else if (c == '\r') {
      continue;
    } else {
      out += c;
    }
  }
  // escape() writes "  \n" for a break: drop the two spaces before each <br>.
  std::string tidy;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out.compare(i, 6, "  <br>") == 0) {
      tidy += "<br>";
      i += 5;
    } else {
      tidy += out[i];
    }
  }
  return tidy.empty() ? " " : tidy;
}

/// A fence longer than any run of backticks in the text (CommonMark §4.5).
std::string fence_for(std::string_view text) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

}  // namespace

std::string write_markdown(const Document& document) {
  std::string out = "# " + escape(document.title) + "\n";
  for (const Block& b : document.blocks) {
    out += '\n';
    switch (b.kind) {
      case Block::Kind::heading:
        out += std::string(static_cast<std::size_t>(std::clamp(b.level, 1, 6)), '#') + " " +
               escape(b.text) + "\n";
        break;
      case Block::Kind::paragraph:
        out += b.strong ? "**" + escape(b.text) + "**\n" : escape(b.text) + "\n";
        break;
      case Block::Kind::list:
        for (const std::string& item : b.items) out += "- " + escape(item) + "\n";
        break;
      case Block::Kind::table: {
        out += "|";
        for (const std::string& h : b.header) out += " " + cell(h) + " |";
        out += "\n|";
        for (std::size_t i = 0; i < b.header.size(); ++i) out += " --- |";
        out += "\n";
        for (const auto& row : b.rows) {
          out += "|";
          for (std::size_t i = 0; i < b.header.size(); ++i)
            out += " " + cell(i < row.size() ? row[i] : std::string()) + " |";
          out += "\n";
        }
        break;
      }
      case Block::Kind::pre: {
        const std::string text = visible(b.text);
        const std::string fence = fence_for(text);
        if (!b.label.empty()) out += escape(b.label) + ":\n\n";
        out += fence + "text\n" + text;
        if (text.empty() || text.back() != '\n') out += '\n';
        out += fence + "\n";
        break;
      }
    }
  }
  return out;
}

}  // namespace relaycheck::exports
