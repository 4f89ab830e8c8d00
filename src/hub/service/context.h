// ServiceContext: what the rules of every write need. The API and the web UI build one per
// request from their own context (five references and a function, cheap to copy).
//
// The service layer (this folder) owns the rules of saving customers, machines, domains,
// certificates and tokens: validation and normalisation, the messages a person reads,
// when a domain becomes due (issuance/save_schedule.h) and waking the worker. The API
// (hub/api) and the web UI (hub/ui) only parse their input, call these functions and
// render the result, so both give the same answers and the same error texts.
#pragma once

#include <functional>

#include "common/clock.h"
#include "crypto/envelope.h"
#include "hub/config.h"
#include "store/store.h"

namespace certfleet::hub::service {

struct ServiceContext {
  store::Store& store;
  Clock& clock;
  const HubConfig& config;
  const crypto::Envelope& envelope;
  // Tells the issuance worker that a domain became due (no-op without a worker).
  std::function<void()> wake_issuance = [] {};
};

}  // namespace certfleet::hub::service
