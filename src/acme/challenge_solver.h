// ChallengeSolver: makes an ACME challenge answerable for the CA (RFC 8555 §8).
//
// The interface lives in acme/ because the protocol layer drives it; implementations
// live in solver/ (a standalone HTTP-01 listener for the CLI, the hub's store-backed
// responder, DNS-01 over RFC 2136 later).
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace certfleet::acme {

// What a solver needs to know about one challenge.
struct ChallengeTask {
  std::string identifier;         // the domain being validated, e.g. "tickets.example.com"
  std::string type;               // "http-01", "dns-01"
  std::string token;              // the challenge token (RFC 8555 §8.3)
  std::string key_authorization;  // token "." base64url(JWK thumbprint)
  std::string url;                // the challenge URL at the CA
};

class ChallengeSolver {
 public:
  virtual ~ChallengeSolver() = default;

  // The challenge type this solver answers ("http-01", "dns-01").
  virtual std::string_view Type() const = 0;

  // Makes `task` answerable. When this returns OK the CA may validate at once.
  // MUST be safe to call concurrently for different tasks.
  virtual Status Present(const ChallengeTask& task) = 0;

  // Removes what Present made. The caller runs it after every Present, even one that
  // failed, so it MUST tolerate a task that was never (fully) presented.
  virtual Status CleanUp(const ChallengeTask& task) = 0;
};

}  // namespace certfleet::acme
