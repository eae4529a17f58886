// The parser on a small flag set of every type, against pflag's behaviour.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "options/pflag.h"

namespace kr::options::pflag {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class PflagParse : public ::testing::Test {
 protected:
  PflagParse() {
    flags_.bool_var(&help_, "help", "help", 'h');
    flags_.bool_var(&version_, "version", "version", 'V');
    flags_.string_var(&level_, "v", "level", 'v');
    flags_.bool_var(&off_, "off", "a bool defaulting to false");
    flags_.bool_var(&on_, "on", "a bool defaulting to true");
    flags_.string_var(&text_, "text", "a string");
    flags_.duration_var(&period_, "period", "a duration");
    flags_.uint8_var(&u8_, "u8", "uint8");
    flags_.uint16_var(&u16_, "u16", "uint16");
    flags_.uint32_var(&u32_, "u32", "uint32");
    flags_.uint_var(&u64_, "u64", "uint");
    flags_.strings_var(&list_, "list", "strings");
    flags_.uints_var(&numbers_, "numbers", "uints");
    flags_.ip_slice_var(&ips_, "ips", "ipSlice");
  }

  ParseResult parse(std::vector<std::string_view> args) { return flags_.parse(args); }
  // Parses and expects success.
  std::vector<std::string> ok(std::vector<std::string_view> args) {
    const ParseResult result = parse(std::move(args));
    EXPECT_TRUE(result.ok()) << result.error;
    return result.positional;
  }
  std::string error(std::vector<std::string_view> args) { return parse(std::move(args)).error; }

  bool help_ = false;
  bool version_ = false;
  std::string level_ = "0";
  bool off_ = false;
  bool on_ = true;
  std::string text_ = "initial";
  std::chrono::nanoseconds period_ = minutes(5);
  std::uint8_t u8_ = 0;
  std::uint16_t u16_ = 0;
  std::uint32_t u32_ = 0;
  std::uint64_t u64_ = 0;
  std::vector<std::string> list_ = {"x", "y"};
  std::vector<std::uint64_t> numbers_ = {7};
  std::vector<std::string> ips_ = {"127.0.0.1"};
  FlagSet flags_{"prog"};
};

TEST_F(PflagParse, NoArgumentsKeepsDefaults) {
  EXPECT_THAT(ok({}), IsEmpty());
  EXPECT_FALSE(off_);
  EXPECT_TRUE(on_);
  EXPECT_EQ(text_, "initial");
  EXPECT_EQ(period_, minutes(5));
  EXPECT_THAT(list_, ElementsAre("x", "y"));
}

TEST_F(PflagParse, LongFormsTakeTheValueAfterEqualsOrTheNextArgument) {
  ok({"--text=a"});
  EXPECT_EQ(text_, "a");
  ok({"--text", "b"});
  EXPECT_EQ(text_, "b");
  ok({"--text=a=b"});
  EXPECT_EQ(text_, "a=b");
  ok({"--text="});
  EXPECT_EQ(text_, "");
  // The next argument is taken even if it looks like a flag.
  ok({"--text", "--off"});
  EXPECT_EQ(text_, "--off");
  EXPECT_FALSE(off_);
  // Last one wins for scalar flags.
  ok({"--text=1", "--text=2"});
  EXPECT_EQ(text_, "2");
}

TEST_F(PflagParse, BareBoolFlagMeansTrue) {
  ok({"--off"});
  EXPECT_TRUE(off_);
  ok({"--on=false"});
  EXPECT_FALSE(on_);
}

TEST_F(PflagParse, BoolFlagsAcceptGosLiterals) {
  for (const char* yes : {"1", "t", "T", "TRUE", "true", "True"}) {
    off_ = false;
    ok({std::string("--off=") + yes});
    EXPECT_TRUE(off_) << yes;
  }
  for (const char* no : {"0", "f", "F", "FALSE", "false", "False"}) {
    on_ = true;
    const std::string arg = std::string("--on=") + no;
    ok({arg});
    EXPECT_FALSE(on_) << no;
  }
  EXPECT_EQ(error({"--on=yes"}),
            "invalid argument \"yes\" for \"--on\" flag: strconv.ParseBool: parsing \"yes\": "
            "invalid syntax");
}

TEST_F(PflagParse, BoolFlagDoesNotConsumeTheNextArgument) {
  EXPECT_THAT(ok({"--on", "false"}), ElementsAre("false"));
  EXPECT_TRUE(on_);
}

TEST_F(PflagParse, ShorthandStringTakesValueInEveryForm) {
  ok({"-v", "3"});
  EXPECT_EQ(level_, "3");
  ok({"-v=4"});
  EXPECT_EQ(level_, "4");
  ok({"-v5"});
  EXPECT_EQ(level_, "5");
  ok({"--v=6"});
  EXPECT_EQ(level_, "6");
  ok({"--v", "7"});
  EXPECT_EQ(level_, "7");
  ok({"-vh"});  // the rest of the word is the value
  EXPECT_EQ(level_, "h");
  EXPECT_FALSE(help_);
}

TEST_F(PflagParse, BoolShorthandsCombineAndTakeEqualsValues) {
  ok({"-hV"});
  EXPECT_TRUE(help_);
  EXPECT_TRUE(version_);
  ok({"-h=false"});
  EXPECT_FALSE(help_);
  ok({"-Vv9"});
  EXPECT_EQ(level_, "9");
  EXPECT_EQ(error({"-h=maybe"}),
            "invalid argument \"maybe\" for \"-h, --help\" flag: strconv.ParseBool: parsing "
            "\"maybe\": invalid syntax");
}

TEST_F(PflagParse, UnknownFlagsAreErrors) {
  EXPECT_EQ(error({"--foo"}), "unknown flag: --foo");
  EXPECT_EQ(error({"--foo=bar"}), "unknown flag: --foo");
  EXPECT_EQ(error({"-x"}), "unknown shorthand flag: 'x' in -x");
  EXPECT_EQ(error({"-hx"}), "unknown shorthand flag: 'x' in -x");
  EXPECT_EQ(error({"-hxy"}), "unknown shorthand flag: 'x' in -xy");
  EXPECT_EQ(error({"---x"}), "bad flag syntax: ---x");
  EXPECT_EQ(error({"--=x"}), "bad flag syntax: --=x");
}

TEST_F(PflagParse, MissingValuesAreErrors) {
  EXPECT_EQ(error({"--text"}), "flag needs an argument: --text");
  EXPECT_EQ(error({"--u8"}), "flag needs an argument: --u8");
  EXPECT_EQ(error({"-v"}), "flag needs an argument: 'v' in -v");
  EXPECT_EQ(error({"-hv"}), "flag needs an argument: 'v' in -v");
}

TEST_F(PflagParse, ParsingStopsAtTheFirstError) {
  EXPECT_FALSE(parse({"--foo", "--off"}).ok());
  EXPECT_FALSE(off_);
}

TEST_F(PflagParse, NonFlagWordsArePositionalAndFlagsMayFollowThem) {
  EXPECT_THAT(ok({"a", "--off", "-", "", "b"}), ElementsAre("a", "-", "", "b"));
  EXPECT_TRUE(off_);
}

TEST_F(PflagParse, DoubleDashEndsTheFlags) {
  EXPECT_THAT(ok({"--off", "--", "--text=x", "-v", "--"}), ElementsAre("--text=x", "-v", "--"));
  EXPECT_TRUE(off_);
  EXPECT_EQ(text_, "initial");
  EXPECT_EQ(level_, "0");
}

TEST_F(PflagParse, GoTestFlagsAreIgnored) {
  EXPECT_THAT(ok({"-test.v", "-test.run=X"}), IsEmpty());
}

TEST_F(PflagParse, DurationsUseGoSyntax) {
  ok({"--period=1m30s"});
  EXPECT_EQ(period_, seconds(90));
  ok({"--period", "0"});
  EXPECT_EQ(period_, seconds(0));
  EXPECT_EQ(error({"--period=5"}),
            "invalid argument \"5\" for \"--period\" flag: time: missing unit in duration \"5\"");
  EXPECT_EQ(error({"--period=1d"}),
            "invalid argument \"1d\" for \"--period\" flag: time: unknown unit \"d\" in duration "
            "\"1d\"");
}

TEST_F(PflagParse, UnsignedFlagsDetectTheBaseAndCheckTheirWidth) {
  ok({"--u8=0x1F", "--u16=0o17", "--u32=0b101", "--u64=1_000"});
  EXPECT_EQ(u8_, 31);
  EXPECT_EQ(u16_, 15);
  EXPECT_EQ(u32_, 5u);
  EXPECT_EQ(u64_, 1000u);
  ok({"--u8=255", "--u16=65535", "--u32=4294967295", "--u64=18446744073709551615"});
  EXPECT_EQ(u8_, 255);
  EXPECT_EQ(u16_, 65535);
  EXPECT_EQ(u32_, 4294967295u);
  EXPECT_EQ(u64_, 18446744073709551615u);
  EXPECT_EQ(error({"--u8=256"}),
            "invalid argument \"256\" for \"--u8\" flag: strconv.ParseUint: parsing \"256\": "
            "value out of range");
  EXPECT_NE(error({"--u16=65536"}), "");
  EXPECT_NE(error({"--u32=4294967296"}), "");
  EXPECT_NE(error({"--u64=18446744073709551616"}), "");
  EXPECT_EQ(error({"--u64=-1"}),
            "invalid argument \"-1\" for \"--u64\" flag: strconv.ParseUint: parsing \"-1\": "
            "invalid syntax");
  EXPECT_EQ(u8_, 255);  // a failed Set leaves the value alone
}

TEST_F(PflagParse, StringSliceFirstUseReplacesLaterUsesAppend) {
  ok({"--list=a,b"});
  EXPECT_THAT(list_, ElementsAre("a", "b"));
  ok({"--list=c", "--list", "d,e"});
  EXPECT_THAT(list_, ElementsAre("a", "b", "c", "d", "e"));
}

TEST(PflagStrings, EachValueIsOneCsvRecord) {
  std::vector<std::string> list = {"default"};
  FlagSet flags("prog");
  flags.strings_var(&list, "list", "");
  std::vector<std::string_view> args = {"--list=\"a,b\",c", "--list= d ,", "--list="};
  ASSERT_TRUE(flags.parse(args).ok());
  EXPECT_THAT(list, ElementsAre("a,b", "c", " d ", ""));
}

TEST(PflagStrings, EmptyValueGivesAnEmptyList) {
  std::vector<std::string> list = {"default"};
  FlagSet flags("prog");
  flags.strings_var(&list, "list", "");
  std::vector<std::string_view> args = {"--list="};
  ASSERT_TRUE(flags.parse(args).ok());
  EXPECT_THAT(list, IsEmpty());
}

TEST_F(PflagParse, StringSliceRejectsBadCsv) {
  EXPECT_EQ(error({"--list=a\"b"}),
            "invalid argument \"a\\\"b\" for \"--list\" flag: parse error on line 1, column 2: "
            "bare \" in non-quoted field");
}

TEST_F(PflagParse, UintSliceSplitsOnCommasReplaceThenAppend) {
  ok({"--numbers=1,2"});
  EXPECT_THAT(numbers_, ElementsAre(1u, 2u));
  ok({"--numbers=3", "--numbers=010"});  // base 10, leading zero is not octal
  EXPECT_THAT(numbers_, ElementsAre(1u, 2u, 3u, 10u));
}

TEST_F(PflagParse, UintSliceRejectsEmptySpacedAndPrefixedItems) {
  EXPECT_EQ(error({"--numbers="}),
            "invalid argument \"\" for \"--numbers\" flag: strconv.ParseUint: parsing \"\": "
            "invalid syntax");
  EXPECT_EQ(error({"--numbers=1, 2"}),
            "invalid argument \"1, 2\" for \"--numbers\" flag: strconv.ParseUint: parsing \" "
            "2\": invalid syntax");
  EXPECT_NE(error({"--numbers=1,,2"}), "");
  EXPECT_NE(error({"--numbers=0x10"}), "");
  EXPECT_NE(error({"--numbers=18446744073709551616"}), "");
  EXPECT_THAT(numbers_, ElementsAre(7u));
}

TEST_F(PflagParse, IpSliceParsesTrimsAndCanonicalisesReplaceThenAppend) {
  ok({"--ips=10.0.0.1,2001:DB8::1"});
  EXPECT_THAT(ips_, ElementsAre("10.0.0.1", "2001:db8::1"));
  ok({"--ips=\"10.0.0.2, '10.0.0.3'\""});
  EXPECT_THAT(ips_, ElementsAre("10.0.0.1", "2001:db8::1", "10.0.0.2", "10.0.0.3"));
}

TEST(PflagIpSlice, EmptyValueGivesAnEmptyList) {
  std::vector<std::string> ips = {"10.0.0.1"};
  FlagSet flags("prog");
  flags.ip_slice_var(&ips, "ips", "");
  std::vector<std::string_view> args = {"--ips="};
  ASSERT_TRUE(flags.parse(args).ok());
  EXPECT_THAT(ips, IsEmpty());
}

TEST_F(PflagParse, IpSliceRejectsNonAddresses) {
  EXPECT_EQ(error({"--ips=10.0.0.300"}),
            "invalid argument \"10.0.0.300\" for \"--ips\" flag: invalid string being converted "
            "to IP address: 10.0.0.300");
  EXPECT_EQ(error({"--ips=10.0.0.1,"}),
            "invalid argument \"10.0.0.1,\" for \"--ips\" flag: invalid string being converted "
            "to IP address: ");
  EXPECT_NE(error({"--ips=10.0.0.0/8"}), "");
}

TEST(PflagRegistration, DuplicateNamesAndShorthandsAreProgrammingErrors) {
  bool a = false;
  bool b = false;
  FlagSet flags("prog");
  flags.bool_var(&a, "a", "", 'a');
  EXPECT_THROW(flags.bool_var(&b, "a", ""), std::logic_error);
  EXPECT_THROW(flags.bool_var(&b, "b", "", 'a'), std::logic_error);
  EXPECT_THROW(flags.always_show_default("missing"), std::logic_error);
}

}  // namespace
}  // namespace kr::options::pflag
