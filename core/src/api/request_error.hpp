#pragma once
/// The error a façade method throws when a request cannot be answered at all; the façade turns
/// it into the response's `error` object. Problems a request *can* be answered with are findings.

#include <stdexcept>
#include <string>

namespace relaycheck {

class RequestError : public std::runtime_error {
 public:
  /// `code` is stable and dotted (e.g. `config.not_json`); `path` is a JSON Pointer, or empty.
  RequestError(std::string code, std::string message, std::string path = {})
      : std::runtime_error(message),
        code_(std::move(code)),
        message_(std::move(message)),
        path_(std::move(path)) {}

  const std::string& code() const noexcept { return code_; }
  /// The whole message. what() is a C string, which ends at the first NUL byte of an input the
  /// message quotes ("'10.0.0.0"), so the façade answers with this instead.
  const std::string& message() const noexcept { return message_; }
  const std::string& path() const noexcept { return path_; }

 private:
  std::string code_;
  std::string message_;
  std::string path_;
};

}  // namespace relaycheck
