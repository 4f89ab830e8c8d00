// Notification routes:
//   POST /api/v1/notify/channels/{name}/test   (admin, support)
// sends a test message to one configured channel at once, bypassing the queue, and
// answers with the delivery outcome:
//   200 {"channel": "ops-chat", "type": "rocketchat", "delivered": true}
//   404 unknown channel (the message lists the configured ones)
//   502 the receiver refused or could not be reached (the message says why; never the
//       webhook URL's secret path, the HMAC secret or the SMTP password)
//   503 too many tests in flight, or the hub is stopping
// The delivery runs off the io threads (a hanging receiver costs one channel timeout,
// not a server thread).
#pragma once

#include "http/router.h"
#include "hub/api/context.h"

namespace certfleet::notify {
class Service;
}

namespace certfleet::hub::api {

// `service` may be null (no channels configured: every name answers 404); it and `ctx`
// must outlive the server.
void AddNotifyRoutes(http::Router& router, ApiContext& ctx, notify::Service* service);

}  // namespace certfleet::hub::api
