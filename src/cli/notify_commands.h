// `certfleet notify test CHANNEL`: asks the hub to send a test message to one of its
// notification channels now (POST /api/v1/notify/channels/{name}/test) and reports the
// outcome. Errors carry the hub's message: an unknown channel lists the configured ones,
// an undelivered message says why the receiver refused or could not be reached.
#pragma once

#include <iosfwd>
#include <string>

#include "cli/hub_client.h"
#include "common/error.h"

namespace certfleet::cli {

Status RunNotifyTest(HubClient& hub, const std::string& channel, std::ostream& out);

}  // namespace certfleet::cli
