// Problem documents (RFC 7807, RFC 8555 §6.7): how an ACME CA reports an error.
#pragma once

#include <chrono>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace certfleet::acme {

// The RFC 8555 §6.7 namespace; Problem::Is() compares the part after it.
inline constexpr std::string_view kAcmeErrorNamespace = "urn:ietf:params:acme:error:";

// §6.7.1: a subproblem names the identifier it concerns.
struct Subproblem {
  std::string type;
  std::string detail;
  std::string identifier_type;   // "dns"; "" when absent
  std::string identifier_value;  // "tickets.example.com"; "" when absent
};

struct Problem {
  std::string type;    // full URN, e.g. "urn:ietf:params:acme:error:badNonce"
  std::string detail;  // human-readable text from the CA
  int status = 0;      // the "status" member, else the HTTP status
  std::string instance;
  std::vector<Subproblem> subproblems;
  std::optional<std::chrono::milliseconds> retry_after;  // from the response header

  // The type without the ACME namespace ("badNonce"); the full type otherwise.
  std::string_view ShortType() const;
  // True if ShortType() == short_type, e.g. Is("rateLimited").
  bool Is(std::string_view short_type) const;
  // "rateLimited: too many certificates (example.com: ...; retry after 30 s)".
  std::string Describe() const;
};

// Parses a problem document. Fuzz entry point: never throws. Missing "type" becomes
// "about:blank" (RFC 7807 §4.2); a non-object body or wrong member types give kProtocol.
Result<Problem> ParseProblem(std::string_view body, int http_status);
// Same, from an already-parsed JSON value (e.g. an order's or challenge's "error").
Result<Problem> ProblemFromJson(const nlohmann::json& json, int http_status);
nlohmann::json ProblemToJson(const Problem& problem);

// The ErrorCode a caller should act on for an ACME error type (short form):
// rateLimited → kRateLimited, badNonce/serverInternal → kUnavailable,
// unauthorized/userActionRequired → kPermissionDenied, accountDoesNotExist → kNotFound,
// externalAccountRequired/badSignatureAlgorithm → kUnauthenticated, orderNotReady → kConflict,
// alreadyRevoked → kAlreadyExists, malformed/rejectedIdentifier/badCSR/... →
// kInvalidArgument, anything else (validation failures: connection, dns, caa,
// incorrectResponse, tls, ...) → kAcmeProblem.
ErrorCode ProblemErrorCode(std::string_view short_type);

// An Error whose message is "the CA said: <Describe()>" and whose code is
// ProblemErrorCode(). Callers add the step and identifier with WithContext().
Error ProblemToError(const Problem& problem);

}  // namespace certfleet::acme
