// ChallengeSolver: makes an ACME challenge answerable for the CA (RFC 8555 §8).
//
// The interface lives in acme/ because the protocol layer drives it; implementations
// live in solver/ (a standalone HTTP-01 listener for the CLI; DNS-01 by RFC 2136 and by
// the hub's delegated zone) and issuance/ (the hub's store-backed HTTP-01 responder).
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
  bool wildcard = false;          // the authorization is for "*." + identifier (RFC 8555 §7.1.4)
};

class ChallengeSolver {
 public:
  virtual ~ChallengeSolver() = default;

  // The challenge type this solver answers ("http-01", "dns-01").
  virtual std::string_view Type() const = 0;

  // Whether this solver can answer for `identifier` (`wildcard`: the authorization of
  // "*." + identifier). AuthorizeOrder passes over solvers that cannot, so one order may
  // use several (the apex by HTTP-01, its wildcard by DNS-01; a DNS-01 solver per zone).
  virtual bool Covers(std::string_view identifier, bool wildcard) const {
    (void)identifier;
    (void)wildcard;
    return true;
  }

  // Makes `task` answerable. When this returns OK the CA may validate at once.
  // MUST be safe to call concurrently for different tasks.
  virtual Status Present(const ChallengeTask& task) = 0;

  // Removes what Present made. The caller runs it after every Present, even one that
  // failed, so it MUST tolerate a task that was never (fully) presented.
  virtual Status CleanUp(const ChallengeTask& task) = 0;
};

}  // namespace certfleet::acme
