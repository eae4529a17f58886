#include "tls_context.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstring>
#include <stdexcept>

namespace kr::apiserver_lite {
namespace ssl = boost::asio::ssl;

namespace {

// Offer http/1.1 only; a client that only speaks h2 gets no ALPN and falls back.
int select_alpn(SSL* /*ssl*/, const unsigned char** out, unsigned char* outlen,
                const unsigned char* in, unsigned int inlen, void* /*arg*/) {
  static const unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outlen, kHttp11, sizeof kHttp11, in, inlen) ==
      OPENSSL_NPN_NEGOTIATED) {
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

std::string entry_text(X509_NAME_ENTRY* entry) {
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(entry);
  unsigned char* utf8 = nullptr;
  const int length = ASN1_STRING_to_UTF8(&utf8, data);
  if (length < 0) {
    return "";
  }
  std::string text(reinterpret_cast<char*>(utf8), static_cast<size_t>(length));
  OPENSSL_free(utf8);
  return text;
}

}  // namespace

ssl::context make_server_tls_context(const std::string& cert_file, const std::string& key_file,
                                     const std::string& client_ca_file) {
  ssl::context context(ssl::context::tls_server);
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  context.use_certificate_chain_file(cert_file, ec);
  if (ec) {
    throw std::runtime_error("--tls-cert-file " + cert_file + ": " + ec.message());
  }
  context.use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) {
    throw std::runtime_error("--tls-private-key-file " + key_file + ": " + ec.message());
  }
  if (!client_ca_file.empty()) {
    context.load_verify_file(client_ca_file, ec);
    if (ec) {
      throw std::runtime_error("--client-ca-file " + client_ca_file + ": " + ec.message());
    }
    // Ask for a certificate but let the handshake finish either way: like kube-apiserver, a
    // missing or unverifiable certificate only means this authenticator does not apply.
    context.set_verify_mode(ssl::verify_peer);
    context.set_verify_callback([](bool, ssl::verify_context&) { return true; });
  }
  SSL_CTX_set_alpn_select_cb(context.native_handle(), select_alpn, nullptr);
  return context;
}

std::optional<UserInfo> client_certificate_user(SSL* ssl) {
  X509* peer = SSL_get1_peer_certificate(ssl);
  if (peer == nullptr) {
    return std::nullopt;
  }
  std::optional<UserInfo> user;
  if (SSL_get_verify_result(ssl) == X509_V_OK) {
    X509_NAME* subject = X509_get_subject_name(peer);
    UserInfo info;
    for (int i = 0; i < X509_NAME_entry_count(subject); ++i) {
      X509_NAME_ENTRY* entry = X509_NAME_get_entry(subject, i);
      const int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry));
      if (nid == NID_commonName) {
        info.name = entry_text(entry);
      } else if (nid == NID_organizationName) {
        info.groups.push_back(entry_text(entry));
      }
    }
    if (!info.name.empty()) {
      user = std::move(info);
    }
  }
  X509_free(peer);
  return user;
}

}  // namespace kr::apiserver_lite
