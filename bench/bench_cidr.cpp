// relaycheck_bench_cidr DIR: times the address engine's core API on the files that
// scripts/bench-cidr generates (strings in, canonical strings out, as the peers do), and
// measures the heap it grows per prefix. Prints one JSON object per row.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <new>
#include <string>
#include <vector>

#include "ip/prefix_set.hpp"

namespace {

// Heap accounting: every allocation carries its size in a 16-byte header.
std::size_t g_current = 0;
std::size_t g_peak = 0;

void* counted_alloc(std::size_t size) {
  void* block = std::malloc(size + 16);
  if (block == nullptr) throw std::bad_alloc();
  *static_cast<std::size_t*>(block) = size;
  g_current += size;
  g_peak = std::max(g_peak, g_current);
  return static_cast<char*>(block) + 16;
}

void counted_free(void* p) noexcept {
  if (p == nullptr) return;
  void* block = static_cast<char*>(p) - 16;
  g_current -= *static_cast<std::size_t*>(block);
  std::free(block);
}

}  // namespace

void* operator new(std::size_t size) { return counted_alloc(size); }
void* operator new[](std::size_t size) { return counted_alloc(size); }
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }

namespace {

using relaycheck::ip::PrefixSet;
namespace ip = relaycheck::ip;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << path << "\n";
    std::exit(2);
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

PrefixSet build(const std::string& text) {
  PrefixSet::Builder builder;
  if (auto error = ip::parse_list_into(text, ip::HostBits::reject, builder)) {
    std::cerr << "line " << error->line << ": " << error->text << ": " << error->reason << "\n";
    std::exit(2);
  }
  return builder.build();
}

/// Best of `runs` timings of `work`, which returns the size of its answer.
template <class Work>
void row(const char* name, std::size_t operations, int runs, Work work) {
  double best = 1e300;
  std::size_t answer = 0;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    answer = work();
    best = std::min(best, seconds_since(start));
  }
  std::printf("{\"row\": \"%s\", \"seconds\": %.6f, \"operations\": %zu, \"answer\": %zu}\n", name,
              best, operations, answer);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: relaycheck_bench_cidr DIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  const std::string aggregate_text = read_file(dir + "/aggregate.txt");
  const std::string required_text = read_file(dir + "/required.txt");
  const std::string allowed_text = read_file(dir + "/allowed.txt");
  const std::string set_text = read_file(dir + "/set.txt");
  const std::vector<std::string> queries = lines(read_file(dir + "/queries.txt"));
  const std::size_t prefixes = lines(aggregate_text).size();
  constexpr int kRuns = 3;

  // Heap per prefix: what the set and the minimal list grow while the input text is held.
  {
    const std::size_t base = g_current;
    g_peak = g_current;
    PrefixSet set = build(aggregate_text);
    const std::size_t retained = g_current - base;
    const std::vector<ip::Prefix> minimal = set.prefixes();
    const std::size_t peak = g_peak - base;
    std::printf(
        "{\"row\": \"heap\", \"prefixes\": %zu, \"peakBytesPerPrefix\": %.2f, "
        "\"setBytesPerPrefix\": %.2f, \"ranges\": %zu, \"minimal\": %zu}\n",
        prefixes, static_cast<double>(peak) / static_cast<double>(prefixes),
        static_cast<double>(retained) / static_cast<double>(prefixes), set.range_count(),
        minimal.size());
  }

  // The answers are text, one canonical CIDR a line, as the wasm façade returns them.
  const auto line_count = [](const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  };
  row("aggregate", prefixes, kRuns,
      [&] { return line_count(ip::to_text(build(aggregate_text).prefixes())); });
  row("missing", lines(required_text).size(), kRuns, [&] {
    return line_count(ip::to_text(subtract(build(required_text), build(allowed_text)).prefixes()));
  });
  row("contains", queries.size(), kRuns, [&] {
    const PrefixSet set = build(set_text);
    std::size_t yes = 0;
    for (const auto& q : queries) {
      auto parsed = ip::parse_address(q);
      yes += parsed && set.contains(*parsed.value) ? 1 : 0;
    }
    return yes;
  });
  return 0;
}
