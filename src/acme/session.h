// Session: the JWS POST core every ACME request goes through (RFC 8555 §6).
//
// One Session per CA directory, shared by every account and thread using that CA.
// Post() follows uacme's acme_post discipline:
//   1. take a nonce from the pool (HEAD newNonce only when it is empty);
//   2. protect with "kid" (an account) or "jwk" (newAccount, revocation by cert key),
//      plus "nonce" and "url" (§6.2), and sign;
//   3. keep the response's Replay-Nonce for the next request;
//   4. parse application/problem+json into a Problem;
//   5. retry badNonce at once with the fresh nonce (bounded, §6.5);
//   6. on rateLimited (§6.6) or a 5xx, wait the Retry-After if it is short enough
//      (bounded), else fail with kRateLimited / kUnavailable and say when to retry.
// Reads are POST-as-GET (§6.3): a JWS with an empty payload.
//
// Thread safety: all methods are safe for concurrent use (the directory is immutable,
// the nonce pool is locked, the transport is thread-safe by contract).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "acme/directory.h"
#include "acme/nonce.h"
#include "acme/problem.h"
#include "common/clock.h"
#include "common/error.h"
#include "crypto/key.h"
#include "net/http_transport.h"

namespace certfleet::acme {

// Who signs a request: an account key plus its URL ("kid"). An empty kid makes the
// JWS carry the public "jwk" instead (newAccount, §7.3; revocation by cert key, §7.6).
struct Signer {
  crypto::PrivateKey key;
  std::string kid;
};

struct SessionOptions {
  int max_bad_nonce_retries = 10;  // §6.5: badNonce is retried with the fresh nonce
  int max_retries_after_wait = 3;  // rateLimited / 5xx retries after a Retry-After wait
  Duration max_wait{std::chrono::seconds(10)};  // longer Retry-After → fail, don't wait
  Duration default_5xx_wait{200};               // a 5xx without Retry-After waits this long
  std::string accept_language;                  // optional Accept-Language for problem details
};

// A successful (2xx) ACME response, the Location and Retry-After already extracted.
struct AcmeResponse {
  int status = 0;
  net::HttpHeaders headers;
  std::string body;
  std::string location;                 // "" when absent
  std::optional<Duration> retry_after;  // parsed Retry-After, if any
};

class Session {
 public:
  // GETs the directory at `directory_url` (exactly one request). `transport` and
  // `clock` must outlive the Session.
  static Result<std::unique_ptr<Session>> Open(net::HttpTransport& transport, Clock& clock,
                                               const std::string& directory_url,
                                               SessionOptions options = {});
  Session(net::HttpTransport& transport, Clock& clock, Directory directory, SessionOptions options);

  const Directory& directory() const { return directory_; }
  Clock& clock() const { return clock_; }
  net::HttpTransport& transport() const { return transport_; }

  // POSTs a JWS with `payload` (serialized JSON) to `url`. Returns the 2xx response;
  // a CA problem becomes ProblemToError() (after the retries above), any other
  // non-2xx a kProtocol/kUnavailable error naming the URL and status.
  Result<AcmeResponse> Post(const Signer& signer, const std::string& url, std::string_view payload);
  // POST-as-GET (§6.3): fetches a resource with an empty payload.
  Result<AcmeResponse> PostAsGet(const Signer& signer, const std::string& url,
                                 std::string_view accept = "");

  // Plain unauthenticated GET, for ARI renewalInfo (RFC 9773 §4.2). Same retry rules
  // for 5xx; a problem document becomes ProblemToError().
  Result<AcmeResponse> Get(const std::string& url);

  NoncePool& nonces() { return nonces_; }

 private:
  Result<net::HttpRequest> BuildSignedRequest(const Signer& signer, const std::string& url,
                                              std::string_view payload, std::string_view accept);
  // Sends the request `build` makes (afresh for every attempt: each needs a new nonce)
  // and applies the retry rules above.
  Result<AcmeResponse> Exchange(const std::function<Result<net::HttpRequest>()>& build);

  net::HttpTransport& transport_;
  Clock& clock_;
  const Directory directory_;
  const SessionOptions options_;
  NoncePool nonces_;
};

}  // namespace certfleet::acme
