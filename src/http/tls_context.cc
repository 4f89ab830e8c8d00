#include "http/tls_context.h"

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>

namespace certfleet::http {

Result<std::shared_ptr<boost::asio::ssl::context>> MakeServerTlsContext(
    const std::string& cert_file, const std::string& key_file) {
  namespace ssl = boost::asio::ssl;
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* handle = context->native_handle();
  SSL_CTX_set_min_proto_version(handle, TLS1_2_VERSION);
  SSL_CTX_set_options(handle, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET);
  if (SSL_CTX_set_cipher_list(handle, kTls12Ciphers) != 1) {
    return Fail(ErrorCode::kInternal, "TLS: the TLS 1.2 cipher list was refused by OpenSSL");
  }
  boost::system::error_code ec;
  context->use_certificate_chain_file(cert_file, ec);
  if (ec) {
    return Fail(
        ErrorCode::kInvalidArgument,
        "TLS certificate " + cert_file + ": cannot load it as a PEM chain: " + ec.message());
  }
  context->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument,
                "TLS key " + key_file + ": cannot load it as a PEM private key: " + ec.message());
  }
  if (SSL_CTX_check_private_key(handle) != 1) {
    return Fail(ErrorCode::kInvalidArgument,
                "TLS key " + key_file + " does not belong to the certificate in " + cert_file);
  }
  return context;
}

}  // namespace certfleet::http
