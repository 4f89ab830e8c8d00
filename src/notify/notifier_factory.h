// MakeNotifier: the Notifier for a configured channel (HTTP channels share nothing; each
// gets its own keep-alive transport so a slow receiver cannot hold another's connections).
#pragma once

#include <functional>
#include <memory>

#include "common/clock.h"
#include "notify/channel_config.h"
#include "notify/notifier.h"

namespace certfleet::notify {

Result<std::unique_ptr<Notifier>> MakeNotifier(const ChannelConfig& channel, Clock& clock);

using NotifierFactory =
    std::function<Result<std::unique_ptr<Notifier>>(const ChannelConfig&, Clock&)>;

// Sends "certfleet test message" to one channel at once, bypassing the queue, and
// returns the delivery outcome (for `certfleet notify test CHANNEL`).
Status SendTestMessage(Notifier& notifier, const ChannelConfig& channel, Clock& clock);

}  // namespace certfleet::notify
