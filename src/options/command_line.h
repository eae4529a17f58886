// kube-router's command line, end to end: parse argv, then the checks main()
// performs before anything else starts (flags.md 3.1 steps 1-4), in
// upstream's order:
//   1. flag parse error  -> "<error>", "Usage of <argv0>:" and the table; exit 2
//   2. -v not an integer -> "failed to set log level to <v>: <error>";   exit 1
//   3. positional args   -> "unrecognized positional argument(s): [a b]"; exit 1
//   4. --help            -> usage;                                       exit 0
//      --version         -> "Running <argv0> version <v>, built on <date>, <compiler>"; exit 0
// All messages go to the given stream (main passes std::cerr: upstream writes
// them to stderr).
#pragma once

#include <ostream>
#include <span>
#include <string_view>
#include <variant>

#include "options/kube_router_config.h"

namespace kr::options {

// What the version line reports; main passes the values stamped at build time.
struct BuildInfo {
  std::string_view version;
  std::string_view build_date;
  std::string_view compiler;
};

// kube-router must stop now with this exit status; its message (if any) has
// been written already.
struct ExitRequest {
  int code = 0;
};

// Either the configuration to run with, or an exit request.
using ParseOutcome = std::variant<Config, ExitRequest>;

// argv as main received it (argv[0] is the program name used in messages,
// like Go's os.Args[0]). On success, config.log_verbosity holds -v as a
// number; applying it to the logger is main's job (kr::log::set_verbosity).
ParseOutcome parse_command_line(std::span<const char* const> argv, const BuildInfo& build,
                                std::ostream& err);

}  // namespace kr::options
