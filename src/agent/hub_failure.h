// DescribeHubFailure: what the agent logs when a pass cannot talk to the hub, phrased for
// the operator who has to act on it (issue 16, newcomer review N9).
//
// The hub being down and the hub refusing this agent need different fixes, so the
// failure is sorted into one of these, from the error's code and the transport's text:
//   kTokenRefused  401: the token is unknown or revoked → put a new one into token_file
//   kForbidden     403: the token is valid but may not do this (not an agent token)
//   kDns           the hub's host name does not resolve → hub_url or DNS
//   kTlsTrust      the hub's certificate is not trusted → ca_file
//   kLocal         not the hub at all: the disk (kIo, kCorrupt) → the message as it is
//   kUnreachable   anything else (refused, timed out, 5xx): retry later
// Pure functions; the message never contains the token.
#pragma once

#include <string>

#include "common/error.h"

namespace certfleet::agent {

enum class HubFailure { kTokenRefused, kForbidden, kDns, kTlsTrust, kLocal, kUnreachable };

HubFailure ClassifyHubFailure(const Error& error);

// One line: the class in words, what to do, then the error itself.
// e.g. "the hub refused this agent's token (put a new agent token into token_file):
// fetching the desired state from the hub: hub answered 401 to GET …: unknown or revoked token"
std::string DescribeHubFailure(const Error& error);

// True when retrying soon cannot help (the token or the configuration must change first).
bool NeedsOperator(HubFailure failure);

}  // namespace certfleet::agent
