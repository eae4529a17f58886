#include "options/command_line.h"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "go/strconv.h"
#include "options/kube_router_flags.h"
#include "options/pflag.h"

namespace kr::options {

ParseOutcome parse_command_line(std::span<const char* const> argv, const BuildInfo& build,
                                std::ostream& err) {
  const std::string program = argv.empty() ? "kube-router" : argv[0];
  std::vector<std::string_view> args;
  for (std::size_t i = 1; i < argv.size(); ++i) {
    args.emplace_back(argv[i]);
  }

  Config config;
  pflag::FlagSet flags(program);
  register_kube_router_flags(flags, config);

  // Go's pflag (ExitOnError) prints the error and the usage to stderr, then
  // exits with status 2. (It also repeats the error on stdout; we do not.)
  const pflag::ParseResult parsed = flags.parse(args);
  if (!parsed.ok()) {
    err << parsed.error << '\n' << flags.usage();
    return ExitRequest{2};
  }

  // klog's -v is a 32-bit signed decimal (klog.Level.Set -> strconv.ParseInt).
  const go::Parsed<std::int64_t> level = go::parse_int(config.v, 10, 32);
  if (!level.ok()) {
    err << fmt::format("failed to set log level to {}: {}\n", config.v, level.error);
    return ExitRequest{1};
  }
  config.log_verbosity = static_cast<int>(level.value);

  if (!parsed.positional.empty()) {
    err << fmt::format("unrecognized positional argument(s): [{}]\n",
                       fmt::join(parsed.positional, " "));
    return ExitRequest{1};
  }

  if (config.help) {
    err << flags.usage();
    return ExitRequest{0};
  }
  if (config.version) {
    err << fmt::format("Running {} version {}, built on {}, {}\n", program, build.version,
                       build.build_date, build.compiler);
    return ExitRequest{0};
  }
  return config;
}

}  // namespace kr::options
