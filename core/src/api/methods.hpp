#pragma once
/// The façade's methods, one declaration each. Every method takes the parsed request document
/// and returns the result document (`analyze`: appends the result as JSON text, written without a
/// tree, to the answer); it throws RequestError when the request cannot be answered. The table
/// that names them is in facade.cpp.

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace relaycheck::methods {

/// `analyze`: {"config": <object or JSON text>} → {"findings": [...], ...}; {"format": "text"}
/// adds the report as readable text under "text". Answers with the result's JSON text.
void analyze(const nlohmann::json& request, std::string& out);

/// `example`: {} → {"config": the built-in worked example (zylker.com, from the domain source)}.
nlohmann::json example(const nlohmann::json& request);

/// `form`: {} → what the page's editor offers, from core's tables: {"schema", "choices": {NAME:
/// [{"value", "label", "fields"?}]}, "defaults": {"account", "domain", "relay", "traffic"},
/// "limits": {"maxRelaysPerDomain", "hoursPerDay", "maxCount", "foldDomainsAbove",
/// "tableRowsAtFirst", ...}}.
nlohmann::json form(const nlohmann::json& request);

/// `cidr.parse`: {"text": "10.0.0.1/24", "lenient": false} → {"prefix", "family", "length",
/// "addresses", "v4Mapped"}; error `cidr.invalid` with the reason.
nlohmann::json cidr_parse(const nlohmann::json& request);

/// `cidr.aggregate`: {"text": "one entry a line", "source": "name.txt", "lenient": false} or
/// {"prefixes": [...]} → {"prefixes": the fewest CIDRs, IPv4 first, ascending; "count"}.
nlohmann::json cidr_aggregate(const nlohmann::json& request);

/// `cidr.missing`: {"required": LIST, "allowed": LIST, "lenient"} → {"prefixes": what of required
/// is not in allowed, minimal; "count"; "covered"}. A LIST is text, {"text", "source"} or an array.
nlohmann::json cidr_missing(const nlohmann::json& request);

/// `cidr.contains`: {"set": LIST, "addresses": ["192.0.2.1", "10.0.0.0/24"], "lenient"} →
/// {"results": [{"address", "canonical", "contained"}]}; a prefix is contained when all of it is.
nlohmann::json cidr_contains(const nlohmann::json& request);

/// `cidr.extract`: {"text": a pasted list, "addressesOnly": false} → {"entries": canonical
/// prefixes (addresses with addressesOnly), "count", "mode", "lines", "cleaned", "cleanedBy",
/// "duplicates", "unreadable": [{"line", "text", "reason"}], "unreadableCount", "overLimit",
/// "limit", "message"}; error `cidr.too_large` over 1 MiB. See ip/paste.hpp.
nlohmann::json cidr_extract(const nlohmann::json& request);

/// `whitelist`: {"dc": "US"} or {"ranges": LIST}, "format": plain|postfix|exim|sendmail|exchange,
/// optional "allowed": [...] → {"ranges", "addresses", "snippet", "data", "check"
/// (whitelist::Result)}.
nlohmann::json whitelist(const nlohmann::json& request);

/// `plan`: {"config": <object or JSON text>, "format": "json"|"text"|"csv"} → {"plan": {...},
/// "findings": [...], "summary", "hasErrors"}, plus "text" or "csv" when that format is asked for.
nlohmann::json plan(const nlohmann::json& request);

/// `spf.check`: {"zone": ZONE (object or JSON text), "ip", "sender" (MAIL FROM; "" = null reverse
/// path), "helo", optional "domain" (check_host on it directly), "identity": "mailfrom"|"helo",
/// "defaultExplanation", "receiver", "timestamp", "trace" (default true), "zoneMode":
/// "nxdomain"|"unknown"} → {"result", "explanation", "reason", "code", "matched", "lookups",
/// "voidLookups", "trace", "needed", "complete", "text", "traceText"}. With "checks": [{"ip",
/// "sender", "helo", ...}, ...] it runs them all against the one zone → {"results": [...]};
/// "compact": true gives each result as {"result", "explanation"} only.
nlohmann::json spf_check(const nlohmann::json& request);

/// `spf.lint`: {"zone", "domain", optional "ip", "zoneMode"} → {"tree", "lookups", "voidLookups",
/// "findings", "hasErrors", "needed", "check" (with "ip"), "text"}.
nlohmann::json spf_lint(const nlohmann::json& request);

/// `spf.propose`: {"zone", "domain", "ips": [addresses or prefixes], optional "vendorInclude",
/// "zoneMode"} → {"record", "strings", "changed", "added", "already", "lookupsBefore",
/// "lookupsAfter", "usable", "findings", "hasErrors", "needed", "text"}.
nlohmann::json spf_propose(const nlohmann::json& request);

/// `spf.ranges`: {"zone", "zoneMode", "domain" and/or "sender", "helo", optional "prefixes"} →
/// the check_host() results as a partition of the address space (see methods_spf_ranges.cpp).
nlohmann::json spf_ranges(const nlohmann::json& request);

/// `dkim.parse`: {"record": "v=DKIM1; k=rsa; p=..." (or the TXT record's strings as an array)} →
/// {"verdict": ok|invalid|revoked|unusable, "keyType", "keyForm", "keyBits", "testing", "strict",
/// "hashes", "services", "notes", "findings", "reason"}.
nlohmann::json dkim_parse(const nlohmann::json& request);

/// `dmarc.parse`: {"record": TEXT or [strings], optional "domain", "zone", "zoneMode"} → the record
/// read as RFC 9989 says: {"valid", "tags", "defaulted", "policyFallback", "removed", "reportUris",
/// "findings", "needed", "errors", "domain"}.
nlohmann::json dmarc_parse(const nlohmann::json& request);

/// `orgDomain`: {"name", "method": "psl" (default) | "tree-walk", "sections": "all" (default) |
/// "icann" (psl), "zone" + "zoneMode" (tree-walk, as spf.*)} → {"method", "name", "ascii",
/// "organizationalDomain" (null when none), "organizationalDomainAscii", "publicSuffix"} plus,
/// by the list, "isPublicSuffix", "rule", "section", "sections", "listSha256"; by the walk,
/// "status" (determined | needs-lookups | dns-error), "complete", "reason", "lookups", "needed".
/// Error `orgdomain.invalid_name` when the name is not a domain name.
nlohmann::json org_domain(const nlohmann::json& request);

/// `dns.query`: {"name", "type" (name or number), "id"?, "udpPayload"?} → {"name", "type", "id",
/// "bytes" (the query, base64), "dohGet" (RFC 8484 §4.1 `dns` parameter: base64url, id 0)};
/// error `dns.bad_name` when the name cannot be encoded.
nlohmann::json dns_query(const nlohmann::json& request);

/// `dns.answer`: {"question": {"name", "type"}, "response": base64} → {"id", "rcode",
/// "rcodeName", "truncated", "entries" (the zone fragment; null when truncated: ask over TCP)};
/// errors `dns.not_base64`, `dns.malformed` ("at byte N: ..."), `dns.mismatch`.
nlohmann::json dns_answer(const nlohmann::json& request);

/// `dns.plan`: {"config" (object or JSON text), "dns"? (replaces config.dns), "limit"? (1-2000,
/// default 200)} → {"lookups": [{"name", "type"}], "total", "done", "limit"}.
nlohmann::json dns_plan(const nlohmann::json& request);

/// `dns.merge`: {"config" | "dns" (a bare zone map), "answers": [{"name", "type", "entries"}],
/// "resolver"?, "at"?} → {"dns", "findings" (dns.records.changed), "changes": [{"name", "type",
/// "change": added|changed|unchanged, "before", "after"}], "summary": {"added", "changed",
/// "unchanged"}, "config" (with a config: the request's document with dns replaced)}.
nlohmann::json dns_merge(const nlohmann::json& request);

/// `report.render`: {"config" (object or JSON text), "format": "html" (default) | "markdown"} →
/// {"text" (the report for a change ticket: verdict, findings by domain and relay, outcome matrix,
/// day plan, DNS records to publish, whitelist snippets), "filename", "mediaType", "format",
/// "summary", "hasErrors"}.
nlohmann::json report_render(const nlohmann::json& request);

}  // namespace relaycheck::methods
