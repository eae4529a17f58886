#include "observe/process_metrics.h"

#include <dirent.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/log.h"

namespace kr::observe {
namespace {

std::optional<std::string> read_file(const char* path) {
  std::ifstream in(path);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

template <typename Int>
std::optional<Int> parse_int(std::string_view text) {
  Int value{};
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) {
    return std::nullopt;
  }
  return value;
}

std::vector<std::string_view> split_whitespace(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (true) {
    pos = text.find_first_not_of(" \t\n", pos);
    if (pos == std::string_view::npos) {
      return out;
    }
    const std::size_t end = text.find_first_of(" \t\n", pos);
    out.push_back(text.substr(pos, end - pos));
    if (end == std::string_view::npos) {
      return out;
    }
    pos = end;
  }
}

std::optional<std::uint64_t> count_open_fds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) {
    return std::nullopt;
  }
  std::uint64_t count = 0;
  // The stream is this call's own; glibc's readdir is safe unless threads share a stream.
  while (const dirent* entry = readdir(dir)) {  // NOLINT(concurrency-mt-unsafe)
    const std::string_view name = entry->d_name;
    if (name != "." && name != "..") {
      ++count;
    }
  }
  closedir(dir);
  return count;
}

FamilySnapshot single_sample(const char* name, const char* help, MetricType type, double value) {
  return FamilySnapshot{
      .name = name, .help = help, .type = type, .samples = {SampleSnapshot{.value = value}}};
}

std::vector<FamilySnapshot> collect_process_metrics() {
  std::vector<FamilySnapshot> out;
  const long ticks_per_second = sysconf(_SC_CLK_TCK);
  const long page_size = sysconf(_SC_PAGESIZE);

  const auto stat_text = read_file("/proc/self/stat");
  const auto stat = stat_text ? parse_proc_stat(*stat_text) : std::nullopt;
  if (stat && ticks_per_second > 0) {
    const auto hz = static_cast<double>(ticks_per_second);
    out.push_back(single_sample(
        "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
        MetricType::kCounter, static_cast<double>(stat->utime_ticks + stat->stime_ticks) / hz));
    out.push_back(single_sample("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                                MetricType::kGauge, static_cast<double>(stat->vsize_bytes)));
    out.push_back(single_sample(
        "process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::kGauge,
        static_cast<double>(stat->rss_pages) * static_cast<double>(page_size)));
    const auto global_stat = read_file("/proc/stat");
    if (const auto boot = global_stat ? parse_boot_time(*global_stat) : std::nullopt) {
      out.push_back(single_sample(
          "process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
          MetricType::kGauge,
          static_cast<double>(*boot) + static_cast<double>(stat->starttime_ticks) / hz));
    } else {
      KR_V(2, "process_start_time_seconds unavailable: cannot read btime from /proc/stat");
    }
  } else {
    KR_V(2, "process CPU and memory metrics unavailable: cannot parse /proc/self/stat");
  }

  if (const auto fds = count_open_fds()) {
    out.push_back(single_sample("process_open_fds", "Number of open file descriptors.",
                                MetricType::kGauge, static_cast<double>(*fds)));
  }
  const auto limits = read_file("/proc/self/limits");
  if (const auto max_fds = limits ? parse_max_open_files(*limits) : std::nullopt) {
    out.push_back(single_sample("process_max_fds", "Maximum number of open file descriptors.",
                                MetricType::kGauge, static_cast<double>(*max_fds)));
  }
  return out;
}

}  // namespace

std::optional<ProcStat> parse_proc_stat(std::string_view text) {
  const std::size_t close = text.rfind(')');
  if (close == std::string_view::npos) {
    return std::nullopt;
  }
  // After ")" come fields 3 (state) onwards, so field n is at index n - 3.
  const auto fields = split_whitespace(text.substr(close + 1));
  auto field = [&fields](std::size_t n) -> std::string_view {
    return n - 3 < fields.size() ? fields[n - 3] : std::string_view{};
  };
  const auto utime = parse_int<std::uint64_t>(field(14));
  const auto stime = parse_int<std::uint64_t>(field(15));
  const auto starttime = parse_int<std::uint64_t>(field(22));
  const auto vsize = parse_int<std::uint64_t>(field(23));
  const auto rss = parse_int<std::int64_t>(field(24));
  if (!utime || !stime || !starttime || !vsize || !rss) {
    return std::nullopt;
  }
  return ProcStat{.utime_ticks = *utime,
                  .stime_ticks = *stime,
                  .starttime_ticks = *starttime,
                  .vsize_bytes = *vsize,
                  .rss_pages = *rss};
}

std::optional<std::uint64_t> parse_boot_time(std::string_view proc_stat_text) {
  std::size_t pos = 0;
  while (pos < proc_stat_text.size()) {
    std::size_t end = proc_stat_text.find('\n', pos);
    if (end == std::string_view::npos) {
      end = proc_stat_text.size();
    }
    const auto fields = split_whitespace(proc_stat_text.substr(pos, end - pos));
    if (fields.size() == 2 && fields[0] == "btime") {
      return parse_int<std::uint64_t>(fields[1]);
    }
    pos = end + 1;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> parse_max_open_files(std::string_view limits_text) {
  // "Max open files            1024                 1048576              files"
  constexpr std::string_view kPrefix = "Max open files";
  const std::size_t start = limits_text.find(kPrefix);
  if (start == std::string_view::npos) {
    return std::nullopt;
  }
  std::size_t end = limits_text.find('\n', start);
  if (end == std::string_view::npos) {
    end = limits_text.size();
  }
  const auto fields =
      split_whitespace(limits_text.substr(start + kPrefix.size(), end - start - kPrefix.size()));
  if (fields.empty()) {
    return std::nullopt;
  }
  return parse_int<std::uint64_t>(fields[0]);
}

CollectorHandle add_process_collector(Registry& registry) {
  return registry.add_collector(collect_process_metrics);
}

}  // namespace kr::observe
