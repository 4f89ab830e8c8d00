// AuthorizeOrder: proves control of every identifier of an order (RFC 8555 §7.5),
// through ChallengeSolvers. Used by Client::ObtainCertificate; usable on its own.
#pragma once

#include <string>
#include <vector>

#include "acme/challenge_solver.h"
#include "acme/order.h"
#include "acme/polling.h"
#include "acme/session.h"
#include "common/error.h"

namespace certfleet::acme {

// For each authorization of `order` that is not yet valid: fetch it once, pick the
// first solver whose type the CA offers, Present every challenge, then respond to every
// challenge (so the CA validates them in parallel), then poll each authorization until
// it is decided. CleanUp runs for every challenge Present was called for, on every path
// (also when Present itself failed). CleanUp failures do not fail the call: they are
// appended to `warnings` (may be null).
//
// Errors name the identifier and the step:
//   "tickets.example.com: http-01 challenge failed: the CA said: connection: ..."
//   "tickets.example.com: presenting the http-01 challenge: <solver's error>"
Status AuthorizeOrder(Session& session, const Signer& signer, const Order& order,
                      const std::vector<ChallengeSolver*>& solvers, const PollPolicy& policy,
                      std::vector<std::string>* warnings);

}  // namespace certfleet::acme
