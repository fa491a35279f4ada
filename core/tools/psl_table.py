#!/usr/bin/python3
"""Compiles the Public Suffix List into the table core/src/orgdomain/psl.cpp searches.

usage: psl_table.py LIST.dat OUT.cpp [--block N]

Reads the list as publicsuffix.org publishes it (Debian's `publicsuffix` package installs it at
/usr/share/publicsuffix/public_suffix_list.dat) and writes a C++ source that defines, in
namespace relaycheck::orgdomain::psl_data, one table per section of the list (ICANN, private).

A table is the section's rules as keys, sorted bytewise, front-coded in blocks:
  key        the rule's labels right to left, joined by dots, internationalised labels as
             A-labels: `com.example`, `cn.xn--55qx5d`; a wildcard rule `*.ck` is `ck.*`; an
             exception rule `!www.ck` is `ck.www!` (no key holds a `!` or `*` anywhere else)
  restart    every BLOCK-th key is written whole after a 0xFF byte
  otherwise  a byte 0x80 + n (n = the bytes it shares with the key before it, n < 127), then
             the rest of the key
Key bytes are ASCII, so every byte >= 0x80 starts an entry: a lookup binary-searches the bytes
for restarts, then decodes at most one block. Measured on the 2023-02-09 list (9,506 rules):
the sorted keys one a line take 117,182 bytes (39,431 gzipped); front-coded in blocks of 16,
60,053 bytes (32,040 gzipped); an offset table per block would add 1,800 bytes gzipped, which
the byte search avoids.

Standard library only; it fails (exit 1, a message naming the line) on anything it does not
understand rather than drop a rule.
"""

import gzip
import hashlib
import sys

BEGIN_ICANN = "===BEGIN ICANN DOMAINS==="
END_ICANN = "===END ICANN DOMAINS==="
BEGIN_PRIVATE = "===BEGIN PRIVATE DOMAINS==="
END_PRIVATE = "===END PRIVATE DOMAINS==="
LDH = set("abcdefghijklmnopqrstuvwxyz0123456789-")
RESTART = 0xFF
MAX_SHARED = 126


class ListError(Exception):
    pass


def a_label(label, where):
    """The label as it goes into DNS: ASCII as it is, anything else as xn-- + Punycode."""
    if label.isascii():
        if not label or not set(label) <= LDH or label[0] == "-" or label[-1] == "-":
            raise ListError(f"{where}: the label '{label}' is not a host name label")
        return label
    if label != label.lower():
        raise ListError(f"{where}: the label '{label}' is not lowercase")
    encoded = "xn--" + label.encode("punycode").decode("ascii")
    if len(encoded) > 63:
        raise ListError(f"{where}: the label '{label}' is longer than 63 octets as an A-label")
    return encoded


def rule_key(rule, where):
    """The table key of one rule (see the module's description)."""
    exception = rule.startswith("!")
    body = rule[1:] if exception else rule
    labels = body.split(".")
    wildcard = labels[0] == "*"
    if wildcard:
        labels = labels[1:]
        if not labels:
            raise ListError(f"{where}: the rule '*' alone (it is the implicit default rule)")
    if exception and wildcard:
        raise ListError(f"{where}: an exception rule with a wildcard: '{rule}'")
    if any("*" in label or "!" in label for label in labels):
        raise ListError(f"{where}: a wildcard or '!' that is not the rule's first label: '{rule}'")
    if exception and len(labels) < 2:
        raise ListError(f"{where}: an exception rule of one label: '{rule}'")
    ascii_labels = [a_label(label, where) for label in labels]
    if len(".".join(ascii_labels)) > 253:
        raise ListError(f"{where}: the rule '{rule}' is longer than a domain name can be")
    key = ".".join(reversed(ascii_labels))
    if wildcard:
        key += ".*"
    if exception:
        key += "!"
    return key


def read_list(path):
    """Returns ({'icann': set of keys, 'private': set of keys}, number of rule lines)."""
    sections = {"icann": set(), "private": set()}
    current = None
    rules = 0
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            where = f"{path}:{number}"
            if line.startswith("//"):
                marker = line[2:].strip()
                if marker == BEGIN_ICANN:
                    current = "icann"
                elif marker == BEGIN_PRIVATE:
                    current = "private"
                elif marker in (END_ICANN, END_PRIVATE):
                    current = None
                continue
            if not line:
                continue
            # The list's format: a rule is read up to the first white space.
            rule = line.split()[0]
            if current is None:
                raise ListError(f"{where}: the rule '{rule}' is outside the ICANN and private sections")
            sections[current].add(rule_key(rule, where))
            rules += 1
    if not sections["icann"]:
        raise ListError(f"{path}: no ICANN rules (is it the Public Suffix List?)")
    return sections, rules


def front_code(keys, block):
    out = bytearray()
    previous = b""
    for index, key in enumerate(sorted(keys)):
        data = key.encode("ascii")
        shared = 0
        if index % block:
            limit = min(len(previous), len(data), MAX_SHARED)
            while shared < limit and previous[shared] == data[shared]:
                shared += 1
        if index % block == 0:
            out.append(RESTART)
        else:
            out.append(0x80 + shared)
        out += data[shared:]
        previous = data
    return bytes(out)


def cpp_literal(data):
    """A C++ string literal of the bytes, in lines of about 100 characters; bytes >= 0x80 and
    the characters C++ would misread are three-digit octal escapes (never greedy, unlike \\x)."""
    lines = []
    line = ""
    for byte in data:
        if byte >= 0x80 or byte < 0x20 or byte in (0x22, 0x5C, 0x3F):
            piece = "\\%03o" % byte
        else:
            piece = chr(byte)
        line += piece
        if len(line) >= 100:
            lines.append('    "' + line + '"')
            line = ""
    if line or not lines:
        lines.append('    "' + line + '"')
    return "\n".join(lines)


def main(argv):
    args = argv[1:]
    block = 16
    if "--block" in args:
        i = args.index("--block")
        block = int(args[i + 1])
        del args[i : i + 2]
    if len(args) != 2 or block < 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    source, output = args
    try:
        sections, rules = read_list(source)
    except (ListError, OSError, UnicodeDecodeError) as e:
        print(f"psl_table.py: {e}", file=sys.stderr)
        return 1
    with open(source, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    icann = front_code(sections["icann"], block)
    private = front_code(sections["private"], block)
    both = icann + private
    zipped = len(gzip.compress(both, 9))
    text = f"""// Generated by core/tools/psl_table.py from {source}; do not edit.
// The Public Suffix List (https://publicsuffix.org/list/), Mozilla Public License 2.0:
// {rules} rules, {len(sections['icann'])} ICANN and {len(sections['private'])} private keys,
// tables of {len(both)} bytes ({zipped} gzipped). The format is described in the generator.
#include <string_view>

#include "orgdomain/psl_table.hpp"

#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Woverlength-strings"
#endif

namespace relaycheck::orgdomain::psl_data {{

using namespace std::string_view_literals;

extern const std::string_view kIcann;
extern const std::string_view kPrivate;
extern const std::string_view kListSha256;

const std::string_view kIcann =
{cpp_literal(icann)}sv;

const std::string_view kPrivate =
{cpp_literal(private)}sv;

const std::string_view kListSha256 = "{digest}"sv;

}}  // namespace relaycheck::orgdomain::psl_data
"""
    with open(output, "w", encoding="ascii", newline="\n") as f:
        f.write(text)
    print(f"Public Suffix List: {rules} rules ({len(sections['icann'])} ICANN, "
          f"{len(sections['private'])} private), table {len(both)} bytes, {zipped} bytes gzipped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
