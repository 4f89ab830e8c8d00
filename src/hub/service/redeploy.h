// Redeploy: support asks the agents to deploy the certificates the hub already has again,
// without ordering new ones (a new order counts against the CA's duplicate-certificate
// limit: Let's Encrypt allows 5 a week). Issue 16, newcomer review N3.
//
// One event machine.redeploy_requested [machine:<name>] {machine, domain} per machine
// (AppendEvent: one transaction and one audit row each, by the caller's actor). The agent
// of that machine forgets its failed attempts and its reports for the domain ("" = all of
// its domains), installs what is missing, verifies what is on disk (reloading nginx when it
// does not serve it) and reports afresh. Events never carry key material.
//
// Thread-safe (the store is). Callers check the role (admin or support).
#pragma once

#include <string>
#include <vector>

#include "common/error.h"
#include "hub/service/context.h"

namespace certfleet::hub::service {

inline constexpr const char* kRedeployRequested = "machine.redeploy_requested";

struct RedeployInput {
  std::string machine;  // "" = every machine (hosting `domain`, when given)
  std::string domain;   // "" = every domain of the machine(s)
};

struct RedeployResult {
  std::string domain;                 // canonical, "" = all
  std::vector<std::string> machines;  // the machines asked, ascending
};

// kNotFound for an unknown machine or domain ("did you mean"), kInvalidArgument when the
// domain is not hosted on the machine, or on no machine at all.
Result<RedeployResult> RequestRedeploy(ServiceContext& s, const store::Actor& actor,
                                       const RedeployInput& in);

}  // namespace certfleet::hub::service
