// `relaycheck`: the native face of core. It parses arguments, reads files, calls the JSON façade
// and prints what the façade answered; every decision is made in core.
#include <array>
#include <cstring>
#include <iostream>
#include <string>

#include "cli.hpp"
#include "commands.hpp"

namespace relaycheck::cli {
namespace {

constexpr std::array kCommands{
    Command{"analyze", "the full analysis of a config: findings, outcomes, plan, whitelists",
            "usage: relaycheck analyze CONFIG.json [--format text|json|markdown|html]\n"
            "       relaycheck analyze CONFIG.json --live [--server IP[:PORT]]... "
            "[--resolv-conf FILE]\n"
            "                          [--timeout S] [--missing-only] [--format FORMAT]\n"
            "\n"
            "Loads the config (a file, or - for standard input) and prints its analysis.\n"
            "  --format text   findings grouped by domain and relay, each with its fix (default)\n"
            "  --format json   the façade's report document\n"
            "  --format markdown  the report for a change ticket: findings, outcomes, day plan,\n"
            "                  DNS records to publish, whitelist snippets\n"
            "  --format html   the same report as one self-contained HTML page (no script)\n"
            "  --live          first look up the DNS records the analysis needs, as `dns fetch`\n"
            "                  does (see relaycheck dns fetch --help for the options)\n"
            "Exit: 0 no error finding, 1 error findings, 2 the file cannot be a config at all\n"
            "(or, with --live, no resolver answered).\n",
            &run_analyze},
    Command{"api", "the façade's raw response to a request read on standard input",
            "usage: relaycheck api METHOD [--attach FILE]... [--attachment-out FILE]... < "
            "REQUEST.json\n"
            "\n"
            "Sends the request to the façade method and prints its response document: the same\n"
            "bytes the wasm module returns for the same call.\n"
            "  --attach FILE           a long text beside the request, which refers to the Nth\n"
            "                          one given as {\"attachment\": N} (from 0)\n"
            "  --attachment-out FILE   where the response's attachment N goes (for a request\n"
            "                          with \"output\": \"attachment\")\n"
            "Exit: 0 when the response is ok, 2 when it carries an error.\n",
            &run_api},
    Command{"cidr parse", "the canonical form of one address or prefix",
            "usage: relaycheck cidr parse [--lenient] [--format text|json] TEXT\n"
            "\n"
            "Prints the canonical prefix: dotted quad or RFC 5952 IPv6, always with its length\n"
            "(1.2.3.4 prints as 1.2.3.4/32). Parsing is strict: no leading zeros, zone ids,\n"
            "brackets, netmasks or spaces, and host bits set (10.0.0.1/24) are an error.\n"
            "  --lenient   mask host bits instead (10.0.0.1/24 reads as 10.0.0.0/24)\n"
            "Exit: 0 answered, 2 TEXT is not an address or prefix (stderr says why).\n",
            &run_cidr_parse},
    Command{"cidr aggregate", "the fewest CIDR blocks that cover a list",
            "usage: relaycheck cidr aggregate [--lenient] [--format text|json] [FILE|-]\n"
            "\n"
            "Reads one address or prefix a line (blank lines and # comments allowed) from FILE or\n"
            "standard input and prints the minimal list of CIDR blocks covering exactly the same\n"
            "addresses: one a line, IPv4 before IPv6, ascending.\n"
            "  --lenient   mask host bits instead of rejecting them\n"
            "Exit: 0 answered, 2 a bad line (stderr names the file, line, text and reason).\n",
            &run_cidr_aggregate},
    Command{"cidr missing", "what of one list another does not cover",
            "usage: relaycheck cidr missing [--lenient] [--format text|json] --required FILE "
            "--allowed FILE\n"
            "\n"
            "Prints the minimal CIDR blocks of REQUIRED that ALLOWED does not cover, one a line;\n"
            "nothing when it is fully covered (still exit 0).\n"
            "Exit: 0 answered, 2 a bad line (stderr names the file, line, text and reason).\n",
            &run_cidr_missing},
    Command{
        "cidr contains", "whether a list covers addresses (or whole prefixes)",
        "usage: relaycheck cidr contains [--lenient] [--format text|json] --set FILE ADDRESS...\n"
        "\n"
        "Prints 'ADDRESS yes' or 'ADDRESS no' for each ADDRESS, one a line. An ADDRESS with a\n"
        "length (10.0.0.0/24) is a yes when the set covers all of it. IPv4 and IPv6 stay apart:\n"
        "::ffff:10.0.0.1 is not in 10.0.0.0/8.\n"
        "Exit: 0 answered, 2 a bad line or ADDRESS (stderr says where and why).\n",
        &run_cidr_contains},
    Command{"cidr extract", "the entries of a pasted whitelist, cleaned and normalised",
            "usage: relaycheck cidr extract [--addresses-only] [--format text|json] [FILE|-]\n"
            "\n"
            "Reads a list as it was copied (the CRM's help page with bullets, a Postfix\n"
            "mynetworks line, an Exim hostlist, Sendmail access-map lines, commas, comments)\n"
            "and prints each entry canonically, one a line; stderr says what was cleaned and\n"
            "each item that could not be read, with its line and why.\n"
            "  --addresses-only   single addresses only (a relay's outbound IPs)\n"
            "Exit: 0 every item read, 1 some could not be read (the rest is printed), 2 FILE\n"
            "cannot be read or is over 1 MiB.\n",
            &run_cidr_extract},
    Command{"whitelist", "the CRM's source ranges for a data centre, as a relay snippet",
            "usage: relaycheck whitelist --dc US|EU|IN|AU|CN [--format FORMAT]\n"
            "       relaycheck whitelist --ranges FILE [--format FORMAT]\n"
            "\n"
            "Prints the CRM's ranges (aggregated) in a form that adds them to what the relay has:\n"
            "  --format plain      one CIDR a line (default)\n"
            "  --format postfix    a cidr: table plus the mynetworks line that adds it\n"
            "  --format exim       a hostlist to add to relay_from_hosts\n"
            "  --format sendmail   access-map Connect: lines, split into whole octets\n"
            "  --format exchange   Set-ReceiveConnector -RemoteIPRanges @{Add=...}\n"
            "  --format json       the façade's document\n"
            "  --ranges FILE       the CRM's current ranges instead of the built-in table\n"
            "Exit: 0 answered, 2 unknown data centre or a bad line in FILE.\n",
            &run_whitelist},
    Command{"plan",
            "the day plan: where every email goes, hour by hour, and the suggested relay limits",
            "usage: relaycheck plan CONFIG.json [--format text|json|csv]\n"
            "\n"
            "Loads the config (a file, or - for standard input) and walks its forecast through the "
            "day:\n"
            "relay, the CRM's servers (relay full, relay down, no relay for the type) or not sent "
            "today\n"
            "(beyond the edition's daily limit).\n"
            "  --format text   hours × routes, relays, message paths, suggested allocation, "
            "findings (default)\n"
            "  --format json   the façade's document: plan, findings, summary\n"
            "  --format csv    one row per message path and hour, for spreadsheets\n"
            "Exit: 0 no error finding, 1 error findings, 2 the file cannot be a config at all.\n",
            &run_plan},
    Command{
        "spf check", "RFC 7208 check_host() against DNS data in a zone file: the SPF result",
        "usage: relaycheck spf check --zone ZONE.json --ip IP --sender ADDRESS --helo NAME\n"
        "                            [--default-explanation TEXT] [--trace] [--format text|json]\n"
        "       relaycheck spf check --live [--zone ZONE.json] [--server IP[:PORT]]... ...\n"
        "\n"
        "Evaluates the SPF record of the sender's domain for a client IP, with the DNS data of\n"
        "ZONE.json (a map from name to records; a name not listed does not exist).\n"
        "  --sender ''   the null reverse path: the identity is postmaster@HELO (RFC 7208 §2.4)\n"
        "  --default-explanation TEXT   the explanation of a fail when the record has no exp=\n"
        "  --trace       each step (term, lookup, counts) on standard error\n"
        "  --live        look up what the evaluation needs over DNS (and add it to ZONE.json's\n"
        "                data when given); --server, --resolv-conf, --timeout as `dns fetch`\n"
        "Prints the result word, then the explanation when the result is fail.\n"
        "Exit: 0 for any SPF result, 2 for unusable input.\n",
        &run_spf_check},
    Command{
        "spf lint", "the SPF record analysis: include tree, lookup counts, findings",
        "usage: relaycheck spf lint --zone ZONE.json DOMAIN [--ip IP] [--format text|json]\n"
        "       relaycheck spf lint --live [--zone ZONE.json] [--server IP[:PORT]]... DOMAIN ...\n"
        "\n"
        "Walks DOMAIN's SPF record as a receiver must when nothing matches early: every include\n"
        "and redirect, what each term costs of the 10 DNS lookups and the running total, void\n"
        "lookups, and findings (+all, ?all, ptr, exp=, size, multiple records, limits).\n"
        "  --ip IP   also evaluate postmaster@DOMAIN from this client, name the term that\n"
        "            decides, and follow terms whose targets depend on the message (macros)\n"
        "  --live    look up the records over DNS first; --server, --resolv-conf, --timeout\n"
        "            as `dns fetch`\n"
        "Exit: 0 no error finding, 1 error findings, 2 unusable input.\n",
        &run_spf_lint},
    Command{
        "spf propose", "the SPF record to publish so that a relay's outbound IPs pass",
        "usage: relaycheck spf propose --zone ZONE.json DOMAIN --ip IP... [--vendor-include NAME]\n"
        "                              [--format text|json]\n"
        "\n"
        "The smallest change to DOMAIN's record that authorises the addresses (or prefixes):\n"
        "ip4:/ip6: terms before the term that decides against them (usually the all), re-checked\n"
        "against the 10-lookup limit and the size limits (450 octets, 255 a string).\n"
        "  --vendor-include NAME   the include the relay vendor publishes: used when it covers\n"
        "                          the addresses and stays within 10 lookups\n"
        "Exit: 0 a record that works, 1 error findings, 2 unusable input.\n",
        &run_spf_propose},
    Command{
        "dkim parse", "the verdict on a DKIM key record: key type and size, flags, findings",
        "usage: relaycheck dkim parse [--format json] RECORD\n"
        "\n"
        "Reads a DKIM key record (the TXT record at SELECTOR._domainkey.DOMAIN, its strings\n"
        "joined; - reads it from standard input) as verifiers read it (RFC 6376, RFC 8301,\n"
        "RFC 8463) and prints JSON: verdict (ok, invalid, revoked, unusable), keyType, keyForm,\n"
        "keyBits, testing, strict, hashes, services, notes, findings, and the reason when it is\n"
        "not ok.\n"
        "Exit: 0 the verdict is ok, 1 any other verdict, 2 bad arguments.\n",
        &run_dkim_parse},
    Command{
        "dmarc parse", "a DMARC record read as RFC 9989 says: the tags with defaults applied",
        "usage: relaycheck dmarc parse [--domain DOMAIN [--zone ZONE.json]] RECORD\n"
        "\n"
        "Reads RECORD (quoted as one argument, or - for standard input) as a DMARC policy\n"
        "record and prints the façade's JSON: the tags with their defaults applied (sp from p,\n"
        "np from sp, adkim/aspf r, ...), or the reasons it is not valid, and the findings.\n"
        "  --domain DOMAIN   the domain the record is published for (_dmarc.DOMAIN): report\n"
        "                    addresses outside it need an authorisation record\n"
        "  --zone ZONE.json  DNS data in which to look those authorisation records up\n"
        "Exit: 0 a valid record, 1 not valid (the JSON says why), 2 bad arguments.\n",
        &run_dmarc_parse},
    Command{
        "org-domain",
        "the organizational domain of a name: Public Suffix List or RFC 9989 tree walk",
        "usage: relaycheck org-domain [--method psl|tree-walk] [--zone ZONE.json] [--format "
        "text|json] NAME\n"
        "\n"
        "Prints NAME's organizational domain (the domain DMARC's relaxed alignment compares),\n"
        "lowercased, in the form NAME was given: U-labels stay U-labels, A-labels stay A-labels.\n"
        "An empty line when there is none: NAME is a public suffix (com, co.uk, github.io).\n"
        "  --method psl         the Public Suffix List built into relaycheck (default): its ICANN\n"
        "                       and private sections, wildcards and exceptions\n"
        "  --method tree-walk   RFC 9989's DNS tree walk over the _dmarc TXT records in ZONE.json\n"
        "                       (a name not listed does not exist); needs --zone\n"
        "  --format json        the façade's document: public suffix, rule, section, lookups\n"
        "Exit: 0 answered (an empty line too), 2 NAME is not a domain name, bad arguments, or a\n"
        "DNS error in ZONE.json leaves the walk without an answer.\n",
        &run_org_domain},
    Command{
        "dns fetch", "the config with every DNS record its analysis needs, looked up live",
        "usage: relaycheck dns fetch CONFIG.json [--server IP[:PORT]]... [--resolv-conf FILE]\n"
        "                            [--timeout S] [--missing-only] [--output FILE]\n"
        "\n"
        "Asks core which DNS records the analysis of the config still needs (SPF and all it\n"
        "includes, DMARC, DKIM keys, the relay hosts, the outbound IPs' PTR and its forward\n"
        "lookup), looks them up over UDP (TCP when an answer is truncated), and repeats until\n"
        "nothing is missing or 200 lookups. Prints the config with its dns section filled, each\n"
        "record marked with when and from where it was fetched: `relaycheck analyze` replays it\n"
        "offline. Records the config already holds are fetched again; one that differs is\n"
        "replaced and reported (dns.records.changed). A server error (SERVFAIL, REFUSED) or a\n"
        "timeout is kept as a temporary error; the other lookups go on. Progress (one line per\n"
        "round) and the changes go to standard error.\n"
        "  --server IP[:PORT]   the resolver to ask (repeat for more, tried in order); IPv6 as\n"
        "                       [ADDRESS]:PORT. Default: the nameservers of --resolv-conf\n"
        "  --resolv-conf FILE   the resolv.conf whose nameserver lines to use (default\n"
        "                       /etc/resolv.conf; the first three, as the C library does)\n"
        "  --timeout S          seconds to wait for one answer from one server (default 3)\n"
        "  --missing-only       fetch only what the config lacks; keep the records it holds\n"
        "  --output FILE        write the filled config there instead of standard output\n"
        "Exit: 0 answered, 2 the config cannot be read, bad options, or no resolver answered.\n",
        &run_dns_fetch},
};

void print_overview() {
  std::cout << "relaycheck: checks how a CRM's outbound mail goes through your SMTP relays.\n\n"
               "usage: relaycheck COMMAND [ARGS...]\n"
               "       relaycheck COMMAND --help\n\ncommands:\n";
  for (const auto& c : kCommands) {
    std::string name = c.name;
    name.resize(std::max<std::size_t>(name.size() + 2, 18), ' ');
    std::cout << "  " << name << c.summary << "\n";
  }
  std::cout << "\nexit codes: 0 answered (no error finding), 1 answered \"no\" (error findings),\n"
               "            2 could not answer (bad input or arguments; stderr says why)\n";
}

/// Finds the command whose words match argv best (multi-word commands such as "cidr parse"),
/// and returns the index of the first argument after its words, or 0 when none matches.
const Command* find_command(int argc, char** argv, int& first) {
  const Command* best = nullptr;
  int best_words = 0;
  for (const auto& c : kCommands) {
    int words = 0;
    const char* p = c.name;
    int i = 1;
    bool match = true;
    while (*p != '\0') {
      const char* space = std::strchr(p, ' ');
      std::size_t len = space ? static_cast<std::size_t>(space - p) : std::strlen(p);
      if (i >= argc || std::strlen(argv[i]) != len || std::strncmp(argv[i], p, len) != 0) {
        match = false;
        break;
      }
      ++words;
      ++i;
      p += len;
      if (*p == ' ') ++p;
    }
    if (match && words > best_words) {
      best = &c;
      best_words = words;
    }
  }
  first = 1 + best_words;
  return best;
}

/// Lists the subcommands of a group word such as "cidr" when it is given alone.
bool print_group(const std::string& group) {
  bool any = false;
  for (const auto& c : kCommands) {
    if (std::string(c.name).rfind(group + " ", 0) == 0) {
      if (!any) std::cout << "relaycheck " << group << " subcommands:\n";
      std::cout << "  relaycheck " << c.name << "\n      " << c.summary << "\n";
      any = true;
    }
  }
  return any;
}

}  // namespace
}  // namespace relaycheck::cli

namespace {

int run(int argc, char** argv) {
  using namespace relaycheck::cli;
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    print_overview();
    return argc < 2 ? kUnusable : kAnswered;
  }
  int first = 0;
  const Command* command = find_command(argc, argv, first);
  if (command == nullptr) {
    if (print_group(argv[1]))
      return argc > 2 && std::strcmp(argv[2], "--help") == 0 ? kAnswered : kUnusable;
    std::cerr << "relaycheck: unknown command '" << terminal_safe(argv[1])
              << "' (see relaycheck --help)\n";
    return kUnusable;
  }
  for (int i = first; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::cout << command->usage;
      return kAnswered;
    }
    if (std::strcmp(argv[i], "--") == 0) break;
  }
  if (std::strcmp(command->name, "api") == 0) print_facade_bytes();
  try {
    return command->run(argc, argv, first);
  } catch (const Unusable& e) {
    std::cerr << "relaycheck " << command->name << ": " << e.what() << "\n";
    return kUnusable;
  } catch (const std::exception& e) {
    std::cerr << "relaycheck " << command->name << ": " << terminal_safe(e.what()) << "\n";
    return kUnusable;
  }
}

}  // namespace

// A write that fails is exit 2 with its reason: an answer cut short by a full disk or a closed
// standard output must not look like an answer.
int main(int argc, char** argv) {
  using namespace relaycheck::cli;
  if (!standard_streams_open()) {
    std::cerr << "relaycheck: standard output is closed: the answer cannot be written\n";
    return kUnusable;
  }
  const int status = run(argc, argv);
  return close_standard_output() ? status : kUnusable;
}
