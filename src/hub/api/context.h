// ApiContext: what the API handlers share. Owned by the App; outlives the server.
#pragma once

#include <functional>

#include "common/clock.h"
#include "crypto/envelope.h"
#include "hub/auth.h"
#include "hub/config.h"
#include "store/store.h"

namespace certfleet::hub::api {

class EventWaiters;

struct ApiContext {
  store::Store& store;
  const crypto::Envelope& envelope;
  Clock& clock;
  const HubConfig& config;
  const Authenticator& auth;
  EventWaiters& waiters;
  // Tells the issuance worker that a domain became due (no-op without a worker).
  std::function<void()> wake_issuance = [] {};
};

}  // namespace certfleet::hub::api
