#pragma once
/// The error a façade method throws when a request cannot be answered at all; the façade turns
/// it into the response's `error` object. Problems a request *can* be answered with are findings.

#include <stdexcept>
#include <string>

namespace relaycheck {

class RequestError : public std::runtime_error {
 public:
  /// `code` is stable and dotted (e.g. `config.not_json`); `path` is a JSON Pointer, or empty.
  RequestError(std::string code, const std::string& message, std::string path = {})
      : std::runtime_error(message), code_(std::move(code)), path_(std::move(path)) {}

  const std::string& code() const noexcept { return code_; }
  const std::string& path() const noexcept { return path_; }

 private:
  std::string code_;
  std::string path_;
};

}  // namespace relaycheck
