// JSON LIST pages that look like a real cluster's: labels, owner references, managedFields,
// last-applied annotations, probes, statuses. Deterministic for a given seed.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace kr::bench {

// `count` objects of the kind, as LIST response bodies of at most `page_size` items each
// (the last page without a continue token), as the API server would send them.
std::vector<std::string> pod_pages(size_t count, size_t page_size);
std::vector<std::string> service_pages(size_t count, size_t page_size);
// One slice per service of service_pages(count), three endpoints each.
std::vector<std::string> endpoint_slice_pages(size_t count, size_t page_size);

}  // namespace kr::bench
