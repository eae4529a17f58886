// Internal: one registered flag of a pflag::FlagSet (shared by the parser and
// the usage printer; not part of the module's interface).
#pragma once

#include <memory>
#include <string>

#include "options/pflag.h"
#include "options/pflag_values.h"

namespace kr::options::pflag {

struct FlagSet::Flag {
  std::string name;
  char shorthand = '\0';
  std::string usage;
  std::unique_ptr<Value> value;
  // pflag's DefValue: the value's text at registration.
  std::string default_text;
  // pflag's NoOptDefVal: the value used when the flag is given without one
  // ("true" for bool flags, none for the others).
  std::string no_option_default;
  bool always_show_default = false;
};

}  // namespace kr::options::pflag
