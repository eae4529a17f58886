#include "observe/process_metrics.h"

#include <gtest/gtest.h>

#include <ctime>

namespace kr::observe {
namespace {

// A real /proc/<pid>/stat line, with a command name that contains ") (" and spaces.
constexpr std::string_view kStat =
    "4242 (kube) (router x) S 1 4242 4242 0 -1 4194560 2853 0 0 0 150 25 0 0 20 0 9 0 "
    "123456 812703744 5120 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

TEST(ProcessMetrics, ParsesProcStatAfterTheLastParenthesis) {
  const auto stat = parse_proc_stat(kStat);
  ASSERT_TRUE(stat.has_value());
  EXPECT_EQ(stat->utime_ticks, 150u);
  EXPECT_EQ(stat->stime_ticks, 25u);
  EXPECT_EQ(stat->starttime_ticks, 123456u);
  EXPECT_EQ(stat->vsize_bytes, 812703744u);
  EXPECT_EQ(stat->rss_pages, 5120);
}

TEST(ProcessMetrics, RejectsTruncatedOrGarbledStat) {
  EXPECT_FALSE(parse_proc_stat("").has_value());
  EXPECT_FALSE(parse_proc_stat("4242 (kube-router) S 1 4242").has_value());
  EXPECT_FALSE(
      parse_proc_stat("4242 kube-router S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22")
          .has_value());
  std::string garbled(kStat);
  garbled.replace(garbled.find("150"), 3, "1x0");
  EXPECT_FALSE(parse_proc_stat(garbled).has_value());
}

TEST(ProcessMetrics, ParsesBootTime) {
  EXPECT_EQ(parse_boot_time("cpu  1 2 3\nintr 5\nctxt 9\nbtime 1700000000\nprocesses 7\n"),
            1700000000u);
  EXPECT_FALSE(parse_boot_time("cpu 1 2 3\n").has_value());
  EXPECT_FALSE(parse_boot_time("btime soon\n").has_value());
}

TEST(ProcessMetrics, ParsesSoftOpenFilesLimit) {
  constexpr std::string_view kLimits =
      "Limit                     Soft Limit           Hard Limit           Units     \n"
      "Max cpu time              unlimited            unlimited            seconds   \n"
      "Max open files            1024                 1048576              files     \n"
      "Max locked memory         8388608              8388608              bytes     \n";
  EXPECT_EQ(parse_max_open_files(kLimits), 1024u);
  EXPECT_FALSE(parse_max_open_files("Max open files  unlimited  unlimited  files\n").has_value());
  EXPECT_FALSE(parse_max_open_files("Max cpu time unlimited unlimited seconds\n").has_value());
}

double value_of(const std::vector<FamilySnapshot>& families, std::string_view name) {
  for (const auto& family : families) {
    if (family.name == name) {
      return family.samples.at(0).value;
    }
  }
  ADD_FAILURE() << name << " missing";
  return -1;
}

TEST(ProcessMetrics, CollectorReportsThisProcess) {
  Registry registry;
  const auto handle = add_process_collector(registry);
  const auto families = registry.collect();
  EXPECT_GT(value_of(families, "process_open_fds"), 2);  // at least stdin, stdout, stderr
  EXPECT_GE(value_of(families, "process_max_fds"), value_of(families, "process_open_fds"));
  EXPECT_GT(value_of(families, "process_resident_memory_bytes"), 0);
  EXPECT_GE(value_of(families, "process_virtual_memory_bytes"),
            value_of(families, "process_resident_memory_bytes"));
  EXPECT_GE(value_of(families, "process_cpu_seconds_total"), 0);
  const double start = value_of(families, "process_start_time_seconds");
  const auto now = static_cast<double>(std::time(nullptr));
  EXPECT_GT(start, now - 24 * 3600) << "this test process started recently";
  EXPECT_LE(start, now + 1);
}

}  // namespace
}  // namespace kr::observe
