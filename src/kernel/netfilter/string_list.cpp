#include "kernel/netfilter/string_list.h"

#include <ostream>

namespace kr::netfilter {

std::vector<std::string>& StringList::edit() {
  if (!items_) {
    items_ = std::make_shared<std::vector<std::string>>();
  } else if (items_.use_count() > 1) {
    items_ = std::make_shared<std::vector<std::string>>(*items_);
  }
  return *items_;
}

const std::vector<std::string>& StringList::empty_list() {
  static const std::vector<std::string> kEmpty;
  return kEmpty;
}

void PrintTo(const StringList& list, std::ostream* os) {
  *os << '{';
  for (size_t i = 0; i < list.size(); ++i) {
    *os << (i == 0 ? "\"" : ", \"") << list[i] << '"';
  }
  *os << '}';
}

}  // namespace kr::netfilter
