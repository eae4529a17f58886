// The usage table layout and its "(default ...)" rules, as pflag prints them.
#include <gtest/gtest.h>

#include "options/pflag.h"

namespace kr::options::pflag {
namespace {

using std::chrono::minutes;

TEST(PflagUsage, AlignsHelpThreeColumnsPastTheLongestFlagAndSortsByName) {
  bool help = false;
  std::string level = "0";
  std::chrono::nanoseconds period = minutes(5);
  FlagSet flags("prog");
  flags.duration_var(&period, "a-rather-long-period", "How long.");
  flags.string_var(&level, "v", "log level", 'v');
  flags.bool_var(&help, "help", "Print usage information.", 'h');
  EXPECT_EQ(flags.usage(),
            "Usage of prog:\n"
            "      --a-rather-long-period duration   How long. (default 5m0s)\n"
            "  -h, --help                            Print usage information.\n"
            "  -v, --v string                        log level (default \"0\")\n");
}

TEST(PflagUsage, HidesZeroDefaultsPerType) {
  bool off = false;
  bool on = true;
  std::string empty;
  std::string text = "a \"b\"";
  std::chrono::nanoseconds zero{0};
  std::uint8_t u8 = 0;
  std::uint16_t u16 = 20244;
  std::uint64_t u64 = 0;
  std::vector<std::string> no_strings;
  std::vector<std::string> strings = {"a,b", "c"};
  std::vector<std::uint64_t> no_uints;
  std::vector<std::uint64_t> uints = {1, 2};
  std::vector<std::string> no_ips;
  FlagSet flags("prog");
  flags.bool_var(&off, "b-off", "x");
  flags.bool_var(&on, "b-on", "x");
  flags.string_var(&empty, "s-empty", "x");
  flags.string_var(&text, "s-text", "x");
  flags.duration_var(&zero, "d-zero", "x");
  flags.uint8_var(&u8, "u8", "x");
  flags.uint16_var(&u16, "u16", "x");
  flags.uint_var(&u64, "u64", "x");
  flags.strings_var(&no_strings, "l-empty", "x");
  flags.strings_var(&strings, "l-set", "x");
  flags.uints_var(&no_uints, "n-empty", "x");
  flags.uints_var(&uints, "n-set", "x");
  flags.ip_slice_var(&no_ips, "ips", "x");
  EXPECT_EQ(flags.flag_usages(),
            "      --b-off             x\n"
            "      --b-on              x (default true)\n"
            "      --d-zero duration   x\n"
            "      --ips ipSlice       x (default [])\n"
            "      --l-empty strings   x\n"
            "      --l-set strings     x (default [\"a,b\",c])\n"
            "      --n-empty uints     x (default [])\n"
            "      --n-set uints       x (default [1,2])\n"
            "      --s-empty string    x\n"
            "      --s-text string     x (default \"a \\\"b\\\"\")\n"
            "      --u16 uint16        x (default 20244)\n"
            "      --u64 uint          x\n"
            "      --u8 uint8          x\n");
}

TEST(PflagUsage, ShowsTheDefaultAsRegisteredNotAsParsed) {
  std::string text = "before";
  FlagSet flags("prog");
  flags.string_var(&text, "text", "x");
  std::vector<std::string_view> args = {"--text=after"};
  ASSERT_TRUE(flags.parse(args).ok());
  EXPECT_EQ(flags.flag_usages(), "      --text string   x (default \"before\")\n");
}

TEST(PflagUsage, AlwaysShowDefaultPrintsAZeroDefault) {
  std::vector<std::string> ranges;
  FlagSet flags("prog");
  flags.strings_var(&ranges, "ranges", "x");
  flags.always_show_default("ranges");
  EXPECT_EQ(flags.flag_usages(), "      --ranges strings   x (default [])\n");
}

TEST(PflagUsage, BackQuotedWordNamesTheValue) {
  std::string path;
  FlagSet flags("prog");
  flags.string_var(&path, "config", "read the `file` given");
  EXPECT_EQ(flags.flag_usages(), "      --config file   read the file given\n");
}

TEST(PflagUsage, NewlinesInHelpAreIndentedToTheHelpColumn) {
  bool b = false;
  FlagSet flags("prog");
  flags.bool_var(&b, "b", "one\ntwo");
  EXPECT_EQ(flags.flag_usages(),
            "      --b   one\n"
            "            two\n");
}

}  // namespace
}  // namespace kr::options::pflag
