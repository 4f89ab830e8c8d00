// Externally-solved HTTP-01 challenges (issue 19): the rules behind
// POST/DELETE/GET /api/v1/challenges/http-01, used by `certfleet hook certbot-auth` and
// `certbot-cleanup`.
//
// A support token hands the hub a token and key authorization for a name; the hub serves it
// at /.well-known/acme-challenge/<token> (through the challenge proxy of every nginx host)
// until it is deleted or expires (default 10 minutes, at most an hour). Checks:
// - the name is a host name a certfleet domain holds (its name or a SAN, or under a
//   wildcard SAN): the hub only answers for what it manages, and the audit row names the
//   domain;
// - the token is base64url (RFC 8555 §8.3, 16–256 characters) and the key authorization is
//   "<token>.<base64url SHA-256 thumbprint>" (§8.1), so the hub never serves anything else.
// Errors are kInvalidArgument naming the field, kNotFound for a name no domain holds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "hub/service/context.h"
#include "store/external_challenge_board.h"
#include "store/inventory_book.h"

namespace certfleet::hub::discovery {

inline constexpr std::int64_t kDefaultChallengeTtlSeconds = 600;
inline constexpr std::int64_t kMaxChallengeTtlSeconds = 3600;

struct ExternalChallengeInput {
  std::string identifier;
  std::string token;
  std::string key_authorization;
  std::optional<std::int64_t> ttl_seconds;
};

// Checks the token and key authorization (pure).
Status CheckChallengeAnswer(std::string_view token, std::string_view key_authorization);

Result<store::ExternalChallenge> PutExternalChallenge(service::ServiceContext& s,
                                                      store::ExternalChallengeBoard& board,
                                                      store::InventoryBook& names,
                                                      const store::Actor& actor,
                                                      const ExternalChallengeInput& in);

}  // namespace certfleet::hub::discovery
