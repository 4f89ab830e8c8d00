// NoncePool: anti-replay nonces (RFC 8555 §7.2) for JWS requests.
//
// Every ACME response carries a fresh Replay-Nonce; the pool keeps them so almost no
// request needs an extra HEAD newNonce round trip (uacme's discipline). Nonces are
// single-use: Take() removes one. Thread-safe; one pool per Session (per CA).
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <string_view>

#include "common/error.h"
#include "net/http_transport.h"

namespace certfleet::acme {

class NoncePool {
 public:
  // `transport` must outlive the pool. `capacity` bounds memory; the oldest nonces
  // (the likeliest to have expired at the CA) are dropped first.
  NoncePool(net::HttpTransport& transport, std::string new_nonce_url, size_t capacity = 64);

  // Returns a stored nonce (newest first), or HEADs newNonce when the pool is empty.
  // Errors: kUnavailable when newNonce cannot be reached, kProtocol when its answer
  // carries no valid Replay-Nonce.
  Result<std::string> Take();

  // Keeps `nonce` if it is a syntactically valid base64url token; ignores others.
  void Put(std::string_view nonce);
  // Keeps the Replay-Nonce of `response`, if any.
  void Observe(const net::HttpResponse& response);

  size_t size() const;

 private:
  net::HttpTransport& transport_;
  const std::string new_nonce_url_;
  const size_t capacity_;
  mutable std::mutex mu_;
  std::deque<std::string> nonces_;
};

// RFC 8555 §6.5.1: a nonce is a non-empty base64url string (we also cap its length).
bool IsValidNonce(std::string_view nonce);

}  // namespace certfleet::acme
