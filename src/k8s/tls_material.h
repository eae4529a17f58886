// Early validation of PEM material so that a bad kubeconfig or service account fails at startup
// with the file named, not later at the first TLS handshake.
#pragma once

#include <string_view>

#include "k8s/client_config.h"

namespace kr::k8s {

// Throws ConfigError prefixed with `where` when the CA bundle holds no certificate, the client
// certificate or key does not parse, or the key does not belong to the certificate.
void validate_tls_material(const ClientConfig& config, std::string_view where);

}  // namespace kr::k8s
