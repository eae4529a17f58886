// Prometheus text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "observe/metric_snapshot.h"

namespace kr::observe {

inline constexpr std::string_view kTextFormatContentType =
    "text/plain; version=0.0.4; charset=utf-8";

// Renders families in the order given (Registry::collect() sorts them). Each family gets
// "# HELP" (when help is non-empty) and "# TYPE" lines; histograms expand to _bucket series
// with an "le" label (ending with le="+Inf"), _sum and _count.
std::string render_text_format(const std::vector<FamilySnapshot>& families);

// Sample values as Prometheus parses them: shortest round-trip decimal, "+Inf", "-Inf", "NaN".
std::string format_sample_value(double value);

}  // namespace kr::observe
