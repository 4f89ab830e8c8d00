// `certfleet machine redeploy NAME [--domain D]` and `certfleet redeploy [--domain D]`:
// support's redeploy request (issue 16, newcomer review N3) over POST
// /api/v1/machines/{name}/redeploy and POST /api/v1/redeploy. The agents deploy the
// certificates the hub already has again — no new order, so no CA rate limit is touched
// (unlike `certfleet domain issue`).
#pragma once

#include <ostream>
#include <string>

#include "cli/hub_client.h"
#include "common/error.h"

namespace certfleet::cli {

struct RedeployOptions {
  std::string machine;  // "" = every machine (hosting --domain, when given)
  std::string domain;   // "" = every domain of the machine(s)
};

// Prints "redeploy of <what> requested on <n> machine(s): web-01, web-02".
Status RunRedeploy(HubClient& hub, const RedeployOptions& o, std::ostream& out);

}  // namespace certfleet::cli
