#include "observe/exposition.h"

#include <fmt/format.h>

#include <cmath>
#include <iterator>

namespace kr::observe {
namespace {

// HELP text escapes backslash and line feed; label values additionally escape the double quote.
void append_escaped(std::string& out, std::string_view text, bool escape_quote) {
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '"':
        out += escape_quote ? "\\\"" : "\"";
        break;
      default:
        out += c;
    }
  }
}

std::string_view type_keyword(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// `extra_name`/`extra_value` add the histogram "le" label after the family's own labels.
void append_labels(std::string& out, const FamilySnapshot& family, const SampleSnapshot& sample,
                   std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (family.label_names.empty() && extra_name.empty()) {
    return;
  }
  out += '{';
  bool first = true;
  auto append_pair = [&](std::string_view name, std::string_view value) {
    if (!first) {
      out += ',';
    }
    first = false;
    out += name;
    out += "=\"";
    append_escaped(out, value, /*escape_quote=*/true);
    out += '"';
  };
  for (std::size_t i = 0; i < family.label_names.size(); ++i) {
    append_pair(family.label_names[i], sample.label_values[i]);
  }
  if (!extra_name.empty()) {
    append_pair(extra_name, extra_value);
  }
  out += '}';
}

void append_line(std::string& out, const FamilySnapshot& family, std::string_view suffix,
                 const SampleSnapshot& sample, std::string_view value,
                 std::string_view extra_name = {}, std::string_view extra_value = {}) {
  out += family.name;
  out += suffix;
  append_labels(out, family, sample, extra_name, extra_value);
  out += ' ';
  out += value;
  out += '\n';
}

}  // namespace

std::string format_sample_value(double value) {
  if (std::isnan(value)) {
    return "NaN";
  }
  if (std::isinf(value)) {
    return value > 0 ? "+Inf" : "-Inf";
  }
  return fmt::format("{}", value);
}

std::string render_text_format(const std::vector<FamilySnapshot>& families) {
  std::string out;
  for (const auto& family : families) {
    if (!family.help.empty()) {
      out += "# HELP ";
      out += family.name;
      out += ' ';
      append_escaped(out, family.help, /*escape_quote=*/false);
      out += '\n';
    }
    fmt::format_to(std::back_inserter(out), "# TYPE {} {}\n", family.name,
                   type_keyword(family.type));
    for (const auto& sample : family.samples) {
      if (family.type != MetricType::kHistogram) {
        append_line(out, family, "", sample, format_sample_value(sample.value));
        continue;
      }
      const auto& h = sample.histogram;
      for (std::size_t i = 0; i < h.upper_bounds.size(); ++i) {
        append_line(out, family, "_bucket", sample, fmt::format("{}", h.cumulative_counts[i]), "le",
                    format_sample_value(h.upper_bounds[i]));
      }
      const std::string count = fmt::format("{}", h.count);
      append_line(out, family, "_bucket", sample, count, "le", "+Inf");
      append_line(out, family, "_sum", sample, format_sample_value(h.sum));
      append_line(out, family, "_count", sample, count);
    }
  }
  return out;
}

}  // namespace kr::observe
