// The report for a change ticket as one self-contained HTML page; document.hpp states what is
// escaped and why. Inline CSS only (readable on screen and on paper), no script, and a
// Content-Security-Policy that would stop any script, request or form even if one slipped in.
#include <algorithm>

#include "export/document.hpp"

namespace relaycheck::exports {
namespace {

std::string escape(std::string_view text) {
  const std::string shown = visible(text);
  std::string out;
  out.reserve(shown.size() + shown.size() / 8);
  for (char c : shown) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// Escaped text with its line breaks kept as <br>.
std::string lines(std::string_view text) {
  std::string out;
  for (char c : escape(text)) {
    if (c == '\n') {
      out += "<br>";
    } else {
      out += c;
    }
  }
  return out;
}

constexpr const char* kStyle =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1b1f24;"
    "max-width:72rem;margin:2rem auto;padding:0 1rem}"
    "h1{font-size:1.6rem}h2{font-size:1.3rem;border-bottom:1px solid #ccd;padding-bottom:.2rem;"
    "margin-top:2rem}h3{font-size:1.05rem;margin-top:1.4rem}"
    "table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9rem}"
    "th,td{border:1px solid #ccd;padding:.25rem .45rem;text-align:left;vertical-align:top;"
    "overflow-wrap:break-word}th{background:#eef1f5;white-space:nowrap}"
    "pre{background:#f4f5f7;border:1px solid #dde;padding:.6rem;white-space:pre-wrap;"
    "overflow-wrap:anywhere;font-size:.85rem}"
    ".verdict{font-weight:600;font-size:1.05rem}.label{font-weight:600;margin-bottom:.2rem}"
    "@media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}"
    "tr,pre{break-inside:avoid}pre{border-color:#999}}";

}  // namespace

std::string write_html(const Document& document) {
  std::string out =
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      escape(document.title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<h1>" +
      escape(document.title) + "</h1>\n";
  for (const Block& b : document.blocks) {
    switch (b.kind) {
      case Block::Kind::heading: {
        const std::string level = std::to_string(std::clamp(b.level, 1, 6));
        out += "<h" + level + ">" + escape(b.text) + "</h" + level + ">\n";
        break;
      }
      case Block::Kind::paragraph:
        out += b.strong ? "<p class=\"verdict\">" + lines(b.text) + "</p>\n"
                        : "<p>" + lines(b.text) + "</p>\n";
        break;
      case Block::Kind::list:
        out += "<ul>\n";
        for (const std::string& item : b.items) out += "<li>" + lines(item) + "</li>\n";
        out += "</ul>\n";
        break;
      case Block::Kind::table:
        out += "<table>\n<thead><tr>";
        for (const std::string& h : b.header) out += "<th scope=\"col\">" + escape(h) + "</th>";
        out += "</tr></thead>\n<tbody>\n";
        for (const auto& row : b.rows) {
          out += "<tr>";
          for (std::size_t i = 0; i < b.header.size(); ++i)
            out += "<td>" + lines(i < row.size() ? row[i] : std::string()) + "</td>";
          out += "</tr>\n";
        }
        out += "</tbody>\n</table>\n";
        break;
      case Block::Kind::pre:
        if (!b.label.empty()) out += "<p class=\"label\">" + escape(b.label) + "</p>\n";
        out += "<pre>" + escape(b.text) + "</pre>\n";
        break;
    }
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace relaycheck::exports
