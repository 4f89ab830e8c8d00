// Notifier: delivers Messages to one channel (a chat webhook, a JSON webhook, a mailbox).
//
// Contract for implementations:
// - Deliver returns Ok only when the receiver accepted the message (HTTP 2xx, SMTP 250).
// - Errors: kUnavailable (connection refused, reset, 5xx), kDeadlineExceeded (no answer
//   within the channel's timeout), kRateLimited (429; retry_after set when the receiver
//   said when), kInvalidArgument / kPermissionDenied / kUnauthenticated (the receiver
//   rejected the message or our credentials: a configuration problem). The channel
//   worker retries every error with backoff, so an operator can fix a receiver without
//   losing messages.
// - Deliver blocks for at most the channel's timeout (a receiver that never answers
//   costs one timeout per attempt, on that channel's worker only).
// - Error messages name the channel and the step and never contain secrets: webhook
//   URLs (their path often is the token), HMAC secrets and SMTP passwords are redacted.
// - Thread safety: Deliver may be called concurrently (the channel's worker and a
//   `notify test` request).
#pragma once

#include "common/error.h"
#include "notify/message.h"

namespace certfleet::notify {

class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual Status Deliver(const Message& message) = 0;
};

}  // namespace certfleet::notify
