// The hub's TLS server policy (http::Server with ServerOptions::tls), in one place:
//
//   protocols  TLS 1.2 and TLS 1.3 only (SSLv3, TLS 1.0 and 1.1 refused)
//   TLS 1.3    OpenSSL's default suites: AES-256-GCM, CHACHA20-POLY1305, AES-128-GCM
//   TLS 1.2    ECDHE key exchange with AEAD ciphers only (forward secrecy, no CBC, no RSA key
//              exchange): ECDHE-{ECDSA,RSA}-AES128-GCM-SHA256, -AES256-GCM-SHA384,
//              -CHACHA20-POLY1305 — Mozilla's "intermediate" list minus the DHE suites
//   also       no compression, no session renegotiation by clients, session tickets off
//              (nothing to rotate), ECDSA and RSA keys alike
//
// Internal to src/http (included by server.cc and its tests).
#pragma once

#include <memory>
#include <string>

#include "common/error.h"

namespace boost::asio::ssl {
class context;
}

namespace certfleet::http {

inline constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// A server context with the policy above and the PEM certificate chain and private key
// from these files. kInvalidArgument naming the file when one is unreadable, not PEM, or
// the key does not belong to the certificate.
Result<std::shared_ptr<boost::asio::ssl::context>> MakeServerTlsContext(
    const std::string& cert_file, const std::string& key_file);

}  // namespace certfleet::http
