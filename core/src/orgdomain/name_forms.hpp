#pragma once
/// A domain name split into labels in two forms: A-labels (what DNS, the Public Suffix List and
/// DMARC compare; RFC 9989 §5.3.1) and the form each label was given in, lowercased, so that an
/// answer can be written the way the name came (`bücher.example` stays Unicode, `xn--bcher-kva`
/// stays ASCII, label by label). Shared by the PSL lookup, the tree walk and alignment.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "text/hostname.hpp"

namespace relaycheck::orgdomain {

struct NameForms {
  std::vector<std::string> ascii;  ///< per label, left to right: A-label form, lowercased
  std::vector<std::string> given;  ///< per label: lowercased, U-label when given as Unicode

  std::size_t size() const { return ascii.size(); }
  /// The last `count` labels joined by dots (count <= size()).
  std::string ascii_suffix(std::size_t count) const;
  std::string given_suffix(std::size_t count) const;
};

/// Checks the name (parse_host_name: RFC 1123 labels or IDNA labels, at most 253 characters in
/// ASCII form, one trailing dot dropped, a last label that is not all digits) and splits it.
/// The error is parse_host_name's reason, for a person.
Checked<NameForms> split_name(std::string_view text);

}  // namespace relaycheck::orgdomain
