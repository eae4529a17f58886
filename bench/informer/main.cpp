// bench_informer: how fast LIST responses turn into informer caches, and what the caches cost.
//
// For 10,000 Pods, 5,000 Services and 5,000 EndpointSlices shaped like a real cluster's, the
// LIST pages (500 items each) go through feed_list_page + the informer, exactly as the
// reflector does after receiving the bytes. Printed per kind: seconds, objects per second,
// heap and RSS growth per cached object (measured) next to a sizeof-based floor, and the time
// relative to only parsing the same bytes with boost::json::parse.
#include <malloc.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "k8s/informer.h"
#include "k8s/list_page.h"
#include "k8s/resources.h"
#include "realistic_objects.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

size_t heap_in_use() { return mallinfo2().uordblks + mallinfo2().hblkhd; }

size_t rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0;
  size_t resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

size_t total_bytes(const std::vector<std::string>& pages) {
  size_t n = 0;
  for (const auto& p : pages) {
    n += p.size();
  }
  return n;
}

// Best of `runs` parses of every page: the floor any JSON-based decoder pays.
double parse_seconds(const std::vector<std::string>& pages, bool arena, int runs) {
  double best = 1e9;
  for (int r = 0; r < runs; ++r) {
    const auto start = Clock::now();
    for (const auto& p : pages) {
      if (arena) {
        boost::json::monotonic_resource mr;
        auto v = boost::json::parse(p, &mr);
        (void)v;
      } else {
        auto v = boost::json::parse(p);
        (void)v;
      }
    }
    best = std::min(best, seconds_since(start));
  }
  return best;
}

template <class T>
void run(const char* label, const std::vector<std::string>& pages, size_t objects,
         size_t sizeof_floor) {
  constexpr int kRuns = 3;
  const double bare = parse_seconds(pages, false, kRuns);
  const double bare_arena = parse_seconds(pages, true, kRuns);

  // Timing: best of kRuns fresh informers.
  double best = 1e9;
  for (int r = 0; r < kRuns; ++r) {
    boost::asio::io_context io;
    kr::k8s::KindMetrics metrics;
    kr::k8s::Informer<T> informer(io, metrics);
    const auto start = Clock::now();
    informer.begin_list();
    for (const auto& p : pages) {
      if (!kr::k8s::feed_list_page(p, informer, metrics).ok) {
        std::fprintf(stderr, "%s: page does not parse\n", label);
        std::exit(1);  // NOLINT(concurrency-mt-unsafe): single-threaded benchmark
      }
    }
    informer.end_list();
    best = std::min(best, seconds_since(start));
    if (informer.snapshot().size() != objects || metrics.decode_errors_total.load() != 0) {
      std::fprintf(stderr, "%s: cached %zu of %zu objects, %llu decode errors\n", label,
                   informer.snapshot().size(), objects,
                   static_cast<unsigned long long>(metrics.decode_errors_total.load()));
      std::exit(1);  // NOLINT(concurrency-mt-unsafe): single-threaded benchmark
    }
  }

  // Memory: what one more informer holding the objects keeps after the JSON is gone.
  malloc_trim(0);
  const size_t heap_before = heap_in_use();
  const size_t rss_before = rss_bytes();
  boost::asio::io_context io;
  kr::k8s::KindMetrics metrics;
  kr::k8s::Informer<T> informer(io, metrics);
  informer.begin_list();
  for (const auto& p : pages) {
    kr::k8s::feed_list_page(p, informer, metrics);
  }
  informer.end_list();
  malloc_trim(0);
  const auto per_object = [objects](size_t after, size_t before) {
    return (static_cast<double>(after) - static_cast<double>(before)) /
           static_cast<double>(objects);
  };
  const double heap_per = per_object(heap_in_use(), heap_before);
  const double rss_per = per_object(rss_bytes(), rss_before);

  const double mib = static_cast<double>(total_bytes(pages)) / (1024.0 * 1024.0);
  std::printf("%-15s %6zu objects  %6.1f MiB JSON  %.3f s  %8.0f objects/s  %6.1f MiB/s\n", label,
              objects, mib, best, static_cast<double>(objects) / best, mib / best);
  std::printf("%-15s cache: %6.0f B/object heap, %6.0f B/object RSS, sizeof floor %zu B\n", "",
              heap_per, rss_per, sizeof_floor);
  std::printf("%-15s vs parse only: %.2fx boost::json::parse (%.3f s), %.2fx with arena (%.3f s)\n",
              "", best / bare, bare, best / bare_arena, bare_arena);
}

// What a cached object costs before counting its strings: the object, make_shared's control
// block and the shard's pointer.
template <class T>
constexpr size_t sizeof_floor() {
  return sizeof(T) + 2 * sizeof(void*) + sizeof(std::shared_ptr<const T>);
}

}  // namespace

int main() {
  constexpr size_t kPods = 10000;
  constexpr size_t kServices = 5000;
  constexpr size_t kPage = 500;
  std::printf("building LIST pages (%zu per page)...\n", kPage);
  const auto pods = kr::bench::pod_pages(kPods, kPage);
  const auto services = kr::bench::service_pages(kServices, kPage);
  const auto slices = kr::bench::endpoint_slice_pages(kServices, kPage);
  std::printf("JSON per object: Pod %zu B, Service %zu B, EndpointSlice %zu B\n\n",
              total_bytes(pods) / kPods, total_bytes(services) / kServices,
              total_bytes(slices) / kServices);
  run<kr::k8s::Pod>("Pod", pods, kPods, sizeof_floor<kr::k8s::Pod>());
  run<kr::k8s::Service>("Service", services, kServices, sizeof_floor<kr::k8s::Service>());
  run<kr::k8s::EndpointSlice>("EndpointSlice", slices, kServices,
                              sizeof_floor<kr::k8s::EndpointSlice>());
  return 0;
}
