#include "acme/nonce.h"

namespace certfleet::acme {

bool IsValidNonce(std::string_view nonce) {
  if (nonce.empty() || nonce.size() > 512) return false;
  for (char c : nonce) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

NoncePool::NoncePool(net::HttpTransport& transport, std::string new_nonce_url, size_t capacity)
    : transport_(transport), new_nonce_url_(std::move(new_nonce_url)), capacity_(capacity) {}

Result<std::string> NoncePool::Take() {
  {
    std::lock_guard lock(mu_);
    if (!nonces_.empty()) {
      std::string nonce = std::move(nonces_.back());  // newest: least likely to be stale
      nonces_.pop_back();
      return nonce;
    }
  }
  // §7.2: HEAD newNonce. Sent unlocked so concurrent callers do not queue behind it.
  auto response = transport_.Send(net::HttpRequest{"HEAD", new_nonce_url_, {}, ""});
  if (!response)
    return Fail(response.error().WithContext("getting a fresh nonce from " + new_nonce_url_));
  auto nonce = response->headers.Get("Replay-Nonce");
  if (response->status >= 500) {
    // The CA is down or overloaded: transient, like any other 5xx (session.h).
    return Fail(ErrorCode::kUnavailable, "getting a fresh nonce from " + new_nonce_url_ +
                                             ": the CA answered HTTP " +
                                             std::to_string(response->status));
  }
  if (!nonce || !IsValidNonce(*nonce)) {
    return Fail(ErrorCode::kProtocol, "getting a fresh nonce from " + new_nonce_url_ +
                                          ": HTTP status " + std::to_string(response->status) +
                                          " without a valid Replay-Nonce header");
  }
  return *nonce;
}

void NoncePool::Put(std::string_view nonce) {
  if (!IsValidNonce(nonce)) return;
  std::lock_guard lock(mu_);
  nonces_.emplace_back(nonce);
  while (nonces_.size() > capacity_) nonces_.pop_front();
}

void NoncePool::Observe(const net::HttpResponse& response) {
  if (auto nonce = response.headers.Get("Replay-Nonce")) Put(*nonce);
}

size_t NoncePool::size() const {
  std::lock_guard lock(mu_);
  return nonces_.size();
}

}  // namespace certfleet::acme
