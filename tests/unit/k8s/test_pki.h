// Throw-away PEM material for tests: a CA and a leaf certificate/key it signed.
#pragma once

#include <string>

namespace kr::k8s::testing {

struct TestPki {
  std::string ca_cert_pem;
  std::string cert_pem;       // signed by the CA, CN=<common_name>
  std::string key_pem;        // the leaf's private key
  std::string other_key_pem;  // a key that does not belong to cert_pem
};

TestPki make_test_pki(const std::string& common_name = "kube-router");

}  // namespace kr::k8s::testing
