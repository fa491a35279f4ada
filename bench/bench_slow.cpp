// The slow-input benchmark (issue 18, item 7): every input of the given folders run the way the
// façade's fuzz target runs it (tests/fuzz/fuzz_facade.cpp: the first byte picks the method, the
// rest is the request; the same bytes again as the text of a config to `analyze`), timed one by
// one in a release build. Prints the slowest inputs and the largest time against the 100 ms
// target. `--keep DIR N` copies the N slowest into DIR (tests/fuzz/corpus/slow holds the ones
// kept, so that the figure is reproducible without the fuzzers' own corpora).
//   relaycheck_bench_slow [--keep DIR N] FOLDER...
#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "relaycheck/facade.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Timed {
  fs::path file;
  std::size_t bytes = 0;
  double ms = 0;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// What the façade fuzz target does with `data`, timed; the best of three runs.
double time_input(const std::string& data, const std::vector<std::string_view>& names) {
  if (data.empty()) return 0;
  const std::string_view method = names[static_cast<unsigned char>(data[0]) % names.size()];
  const std::string_view body(data.data() + 1, data.size() - 1);
  const std::string wrapped = nlohmann::json{{"config", std::string(body)}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  double best = 1e300;
  for (int run = 0; run < 3; ++run) {
    const auto start = Clock::now();
    std::size_t sink = relaycheck::call(method, body).size();
    sink += relaycheck::call("analyze", wrapped).size();
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (sink == 0) return -1;
    best = std::min(best, ms);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path keep_dir;
  std::size_t keep = 0;
  std::vector<fs::path> folders;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--keep") == 0 && i + 2 < argc) {
      keep_dir = argv[++i];
      keep = static_cast<std::size_t>(std::stoul(argv[++i]));
    } else {
      folders.emplace_back(argv[i]);
    }
  }
  if (folders.empty()) {
    std::cerr << "usage: relaycheck_bench_slow [--keep DIR N] FOLDER...\n";
    return 2;
  }
  const auto names = relaycheck::method_names();
  std::vector<Timed> timed;
  for (const auto& folder : folders) {
    if (!fs::is_directory(folder)) continue;
    for (const auto& entry : fs::directory_iterator(folder)) {
      if (!entry.is_regular_file()) continue;
      const std::string data = read_file(entry.path());
      timed.push_back({entry.path(), data.size(), time_input(data, names)});
    }
  }
  if (timed.empty()) {
    std::cerr << "relaycheck_bench_slow: no input in the folders given\n";
    return 2;
  }
  std::sort(timed.begin(), timed.end(), [](const Timed& a, const Timed& b) { return a.ms > b.ms; });
  std::cout << "inputs=" << timed.size() << "\n";
  for (std::size_t i = 0; i < std::min<std::size_t>(10, timed.size()); ++i) {
    std::cout << "slow " << timed[i].ms << " ms " << timed[i].bytes << " bytes "
              << timed[i].file.filename().string() << "\n";
  }
  std::cout << "max_ms=" << timed.front().ms << "\n";
  if (keep > 0) {
    fs::create_directories(keep_dir);
    for (std::size_t i = 0; i < std::min(keep, timed.size()); ++i) {
      fs::copy_file(timed[i].file, keep_dir / timed[i].file.filename(),
                    fs::copy_options::overwrite_existing);
    }
  }
  return 0;
}
