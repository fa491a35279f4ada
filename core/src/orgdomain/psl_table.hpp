#pragma once
/// The Public Suffix List as the build compiled it (core/tools/psl_table.py writes the source
/// that defines these from Debian's public_suffix_list.dat). Only orgdomain/psl.cpp reads them.

#include <string_view>

namespace relaycheck::orgdomain::psl_data {

/// The rules of the list's ICANN section and of its private section, each a front-coded table
/// of keys (`com.example`, `ck.*` for `*.ck`, `ck.www!` for `!www.ck`); see the generator.
extern const std::string_view kIcann;
extern const std::string_view kPrivate;

/// SHA-256 of the list file the tables were compiled from, in hex: which list this build knows.
extern const std::string_view kListSha256;

}  // namespace relaycheck::orgdomain::psl_data
