// The analysis refuses an answer over kMaxResponseBytes before building it.
#include <catch2/catch.hpp>

#include "api/report.hpp"
#include "api/request_error.hpp"
#include "relaycheck/facade.hpp"

using namespace relaycheck;

namespace {

std::vector<Finding> findings_of(std::size_t count, std::size_t message_bytes) {
  std::vector<Finding> out(count);
  for (auto& f : out) {
    f.code = "x";
    f.message.assign(message_bytes, 'm');
  }
  return out;
}

}  // namespace

TEST_CASE("An analysis whose findings alone pass the answer limit is refused before it is built") {
  // 65 findings of 1 MiB each: over 64 MiB whatever else the report holds.
  const auto over = findings_of(65, std::size_t{1} << 20);
  try {
    refuse_too_large(over, 0);
    FAIL("no error");
  } catch (const RequestError& e) {
    CHECK(e.code() == "response.too_large");
    CHECK_THAT(e.message(), Catch::Contains("67108864 (64 MiB)"));
  }
}

TEST_CASE("Findings and outcome paths just under the answer limit are not refused early") {
  const auto under = findings_of(63, std::size_t{1} << 20);
  CHECK_NOTHROW(refuse_too_large(under, 1000));
  // 170,000 outcome paths take at least 68 MB on their own.
  CHECK_THROWS_AS(refuse_too_large({}, 170000), RequestError);
}
