#pragma once
/// The `relaycheck` commands. Each runs with argv positioned after the command's own words and
/// returns an exit code; it throws cli::Unusable for input it cannot answer.

namespace relaycheck::cli {

struct Command {
  const char* name;     ///< The word(s) after `relaycheck`, e.g. "analyze" or "cidr parse".
  const char* summary;  ///< One line for `relaycheck --help`.
  const char* usage;    ///< The full text for `relaycheck COMMAND --help`.
  int (*run)(int argc, char** argv, int first);
};

int run_analyze(int argc, char** argv, int first);
int run_api(int argc, char** argv, int first);
int run_cidr_parse(int argc, char** argv, int first);
int run_cidr_aggregate(int argc, char** argv, int first);
int run_cidr_missing(int argc, char** argv, int first);
int run_cidr_contains(int argc, char** argv, int first);
int run_cidr_extract(int argc, char** argv, int first);
int run_whitelist(int argc, char** argv, int first);
int run_plan(int argc, char** argv, int first);
int run_spf_check(int argc, char** argv, int first);
int run_spf_lint(int argc, char** argv, int first);
int run_spf_propose(int argc, char** argv, int first);
int run_dkim_parse(int argc, char** argv, int first);
int run_dmarc_parse(int argc, char** argv, int first);
int run_org_domain(int argc, char** argv, int first);
int run_dns_fetch(int argc, char** argv, int first);

}  // namespace relaycheck::cli
