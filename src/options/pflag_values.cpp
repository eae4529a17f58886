#include "options/pflag_values.h"

#include <fmt/format.h>

#include "go/csv.h"
#include "go/duration.h"
#include "go/ip.h"
#include "go/strconv.h"

namespace kr::options::pflag {
namespace {

class BoolValue final : public Value {
 public:
  explicit BoolValue(bool* target) : target_(target) {}
  std::string set(std::string_view text) override {
    const go::Parsed<bool> parsed = go::parse_bool(text);
    if (parsed.ok()) {
      *target_ = parsed.value;
    }
    return parsed.error;
  }
  [[nodiscard]] std::string str() const override { return *target_ ? "true" : "false"; }
  [[nodiscard]] std::string_view type() const override { return "bool"; }
  [[nodiscard]] bool is_zero_default(std::string_view d) const override { return d == "false"; }

 private:
  bool* target_;
};

class StringValue final : public Value {
 public:
  explicit StringValue(std::string* target) : target_(target) {}
  std::string set(std::string_view text) override {
    target_->assign(text);
    return {};
  }
  [[nodiscard]] std::string str() const override { return *target_; }
  [[nodiscard]] std::string_view type() const override { return "string"; }
  [[nodiscard]] bool is_zero_default(std::string_view d) const override { return d.empty(); }

 private:
  std::string* target_;
};

class DurationValue final : public Value {
 public:
  explicit DurationValue(std::chrono::nanoseconds* target) : target_(target) {}
  std::string set(std::string_view text) override {
    const go::DurationParse parsed = go::parse_duration(text);
    if (parsed.ok()) {
      *target_ = parsed.value;
    }
    return parsed.error;
  }
  [[nodiscard]] std::string str() const override { return go::format_duration(*target_); }
  [[nodiscard]] std::string_view type() const override { return "duration"; }
  [[nodiscard]] bool is_zero_default(std::string_view d) const override {
    return d == "0" || d == "0s";
  }

 private:
  std::chrono::nanoseconds* target_;
};

template <typename T>
class UintValue final : public Value {
 public:
  UintValue(T* target, std::string_view type_name) : target_(target), type_name_(type_name) {}
  std::string set(std::string_view text) override {
    const go::Parsed<std::uint64_t> parsed =
        go::parse_uint(text, 0, static_cast<int>(sizeof(T) * 8));
    if (parsed.ok()) {
      *target_ = static_cast<T>(parsed.value);
    }
    return parsed.error;
  }
  [[nodiscard]] std::string str() const override { return std::to_string(*target_); }
  [[nodiscard]] std::string_view type() const override { return type_name_; }
  [[nodiscard]] bool is_zero_default(std::string_view d) const override { return d == "0"; }

 private:
  T* target_;
  std::string_view type_name_;
};

// First Set replaces the registered default, later ones append.
template <typename T>
void replace_then_append(std::vector<T>& target, std::vector<T> parsed, bool& changed) {
  if (!changed) {
    target = std::move(parsed);
  } else {
    target.insert(target.end(), std::make_move_iterator(parsed.begin()),
                  std::make_move_iterator(parsed.end()));
  }
  changed = true;
}

class StringsValue final : public Value {
 public:
  explicit StringsValue(std::vector<std::string>* target) : target_(target) {}
  std::string set(std::string_view text) override {
    std::vector<std::string> parsed;
    if (!text.empty()) {
      go::CsvRead record = go::read_csv_record(text);
      if (!record.ok()) {
        return record.error;
      }
      parsed = std::move(record.fields);
    }
    replace_then_append(*target_, std::move(parsed), changed_);
    return {};
  }
  [[nodiscard]] std::string str() const override {
    return "[" + go::write_csv_record(*target_) + "]";
  }
  [[nodiscard]] std::string_view type() const override { return "stringSlice"; }
  [[nodiscard]] bool is_zero_default(std::string_view d) const override { return d == "[]"; }

 private:
  std::vector<std::string>* target_;
  bool changed_ = false;
};

class UintsValue final : public Value {
 public:
  explicit UintsValue(std::vector<std::uint64_t>* target) : target_(target) {}
  std::string set(std::string_view text) override {
    std::vector<std::uint64_t> parsed;
    // strings.Split semantics: "" is one empty item (an error), "1,,2" has an empty middle item.
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = text.find(',', start);
      const std::string_view item = text.substr(start, comma - start);
      const go::Parsed<std::uint64_t> number = go::parse_uint(item, 10, 64);
      if (!number.ok()) {
        return number.error;
      }
      parsed.push_back(number.value);
      if (comma == std::string_view::npos) {
        break;
      }
      start = comma + 1;
    }
    replace_then_append(*target_, std::move(parsed), changed_);
    return {};
  }
  [[nodiscard]] std::string str() const override {
    return fmt::format("[{}]", fmt::join(*target_, ","));
  }
  [[nodiscard]] std::string_view type() const override { return "uintSlice"; }
  // pflag has no zero-value rule for this type and falls back to comparing
  // String() with "false", "<nil>", "" and "0": "[...]" never matches, so the
  // default is always shown, even "(default [])".
  [[nodiscard]] bool is_zero_default(std::string_view /*default_text*/) const override {
    return false;
  }

 private:
  std::vector<std::uint64_t>* target_;
  bool changed_ = false;
};

std::string_view trim_space(std::string_view s) {
  constexpr std::string_view kSpace = " \t\n\v\f\r";
  const std::size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) {
    return {};
  }
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

class IpSliceValue final : public Value {
 public:
  explicit IpSliceValue(std::vector<std::string>* target) : target_(target) {}
  std::string set(std::string_view text) override {
    std::string unquoted;
    for (const char c : text) {
      if (c != '"' && c != '\'' && c != '`') {
        unquoted += c;
      }
    }
    std::vector<std::string> items;
    if (!unquoted.empty()) {
      go::CsvRead record = go::read_csv_record(unquoted);
      // Without quotes the only possible "error" is EOF (blank lines only),
      // which pflag treats as an empty list.
      items = std::move(record.fields);
    }
    std::vector<std::string> parsed;
    for (const std::string& item : items) {
      std::optional<std::string> ip = go::canonical_ip(trim_space(item));
      if (!ip) {
        return "invalid string being converted to IP address: " + item;
      }
      parsed.push_back(std::move(*ip));
    }
    replace_then_append(*target_, std::move(parsed), changed_);
    return {};
  }
  [[nodiscard]] std::string str() const override {
    return "[" + go::write_csv_record(*target_) + "]";
  }
  [[nodiscard]] std::string_view type() const override { return "ipSlice"; }
  // Like uintSlice: pflag always shows the default.
  [[nodiscard]] bool is_zero_default(std::string_view /*default_text*/) const override {
    return false;
  }

 private:
  std::vector<std::string>* target_;
  bool changed_ = false;
};

}  // namespace

std::unique_ptr<Value> bool_value(bool* target) { return std::make_unique<BoolValue>(target); }
std::unique_ptr<Value> string_value(std::string* target) {
  return std::make_unique<StringValue>(target);
}
std::unique_ptr<Value> duration_value(std::chrono::nanoseconds* target) {
  return std::make_unique<DurationValue>(target);
}
std::unique_ptr<Value> uint8_value(std::uint8_t* target) {
  return std::make_unique<UintValue<std::uint8_t>>(target, "uint8");
}
std::unique_ptr<Value> uint16_value(std::uint16_t* target) {
  return std::make_unique<UintValue<std::uint16_t>>(target, "uint16");
}
std::unique_ptr<Value> uint32_value(std::uint32_t* target) {
  return std::make_unique<UintValue<std::uint32_t>>(target, "uint32");
}
std::unique_ptr<Value> uint_value(std::uint64_t* target) {
  return std::make_unique<UintValue<std::uint64_t>>(target, "uint");
}
std::unique_ptr<Value> strings_value(std::vector<std::string>* target) {
  return std::make_unique<StringsValue>(target);
}
std::unique_ptr<Value> uints_value(std::vector<std::uint64_t>* target) {
  return std::make_unique<UintsValue>(target);
}
std::unique_ptr<Value> ip_slice_value(std::vector<std::string>* target) {
  return std::make_unique<IpSliceValue>(target);
}

}  // namespace kr::options::pflag
