// process_* metrics, read from /proc/self at scrape time with the same names and meaning as the
// Prometheus Go client's process collector, so existing dashboards and alerts keep working.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "observe/registry.h"

namespace kr::observe {

// The fields of /proc/<pid>/stat the collector uses (proc(5)), in the kernel's units.
struct ProcStat {
  std::uint64_t utime_ticks = 0;      // field 14
  std::uint64_t stime_ticks = 0;      // field 15
  std::uint64_t starttime_ticks = 0;  // field 22, clock ticks after boot
  std::uint64_t vsize_bytes = 0;      // field 23
  std::int64_t rss_pages = 0;         // field 24
};

// Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and may itself contain
// spaces and ')', so fields are counted after the last ')'.
std::optional<ProcStat> parse_proc_stat(std::string_view text);

// The "btime" line of /proc/stat: boot time in seconds since the Unix epoch.
std::optional<std::uint64_t> parse_boot_time(std::string_view proc_stat_text);

// The soft "Max open files" limit from /proc/<pid>/limits; nullopt if missing or "unlimited".
std::optional<std::uint64_t> parse_max_open_files(std::string_view limits_text);

// Registers a collector emitting process_cpu_seconds_total, process_open_fds, process_max_fds,
// process_virtual_memory_bytes, process_resident_memory_bytes and process_start_time_seconds.
// A value whose source cannot be read is left out of that scrape (logged at -v 2).
CollectorHandle add_process_collector(Registry& registry);

}  // namespace kr::observe
