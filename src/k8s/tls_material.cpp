#include "k8s/tls_material.h"

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace kr::k8s {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

std::unique_ptr<BIO, BioFree> memory_bio(const std::string& pem) {
  return std::unique_ptr<BIO, BioFree>(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

std::unique_ptr<X509, X509Free> read_cert(BIO* bio) {
  return std::unique_ptr<X509, X509Free>(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
}

}  // namespace

void validate_tls_material(const ClientConfig& config, std::string_view where) {
  if (!config.ca_pem.empty()) {
    auto bio = memory_bio(config.ca_pem);
    if (!read_cert(bio.get())) {
      ERR_clear_error();
      throw ConfigError(fmt::format("{}: certificate-authority holds no PEM certificate", where));
    }
  }
  if (config.client_cert_pem.empty()) {
    return;
  }
  auto cert_bio = memory_bio(config.client_cert_pem);
  auto cert = read_cert(cert_bio.get());
  auto key_bio = memory_bio(config.client_key_pem);
  std::unique_ptr<EVP_PKEY, KeyFree> key(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (!cert) {
    throw ConfigError(fmt::format("{}: client-certificate is not a PEM certificate", where));
  }
  if (!key) {
    throw ConfigError(fmt::format("{}: client-key is not a PEM private key", where));
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    throw ConfigError(fmt::format("{}: client-key does not match client-certificate", where));
  }
}

}  // namespace kr::k8s
