// `certfleet token create|list|revoke|rotate` (admin tokens).
#pragma once

#include <string>

#include "cli/context.h"
#include "common/error.h"

namespace certfleet::cli {

struct TokenCreateOptions {
  std::string role;
  std::string machine;  // required for role agent
  std::string name;     // "" = "<machine> agent" for agent tokens, else the role
};
// Prints the secret alone on stdout (so `$(certfleet token create …)` captures it) and, on a
// terminal, the token's id on stderr; -o json prints id, name, role, machine and secret.
Status RunTokenCreate(CliContext& ctx, const TokenCreateOptions& o);

struct TokenListOptions {
  std::string machine;
  std::string role;
  bool all = false;  // revoked tokens too
};
Status RunTokenList(CliContext& ctx, const TokenListOptions& o);

// Revokes by id, or every live token with exactly this name (asks when more than one).
Status RunTokenRevoke(CliContext& ctx, const std::string& id_or_name);

// A new agent token for the machine (secret on stdout); with revoke_old its other agent
// tokens are revoked at once, otherwise their ids are printed for a later revoke.
Status RunTokenRotate(CliContext& ctx, const std::string& machine, bool revoke_old);

}  // namespace certfleet::cli
