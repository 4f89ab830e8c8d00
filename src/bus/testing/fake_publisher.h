// FakePublisher: an in-memory Publisher for tests. Records every confirmed message; can
// be told to fail (like an unreachable broker) or to confirm only part of a batch.
// Unlike a real publisher it is thread-safe, so a test can inspect it while a relay
// thread publishes.
#pragma once

#include <mutex>
#include <optional>
#include <vector>

#include "bus/event_message.h"
#include "bus/publisher.h"

namespace certfleet::bus {

class FakePublisher final : public Publisher {
 public:
  PublishOutcome Publish(std::span<const Message> batch) override;
  std::string Describe() const override { return "fake publisher"; }

  // While set, every Publish fails with this error after confirming nothing.
  void SetFailure(std::optional<Error> error);
  // The next Publish confirms only the first `n` messages, then fails.
  void ConfirmOnlyNext(std::size_t n);

  std::vector<Message> confirmed() const;  // in publish order, duplicates included
  int publish_calls() const;

 private:
  mutable std::mutex mu_;
  std::optional<Error> failure_;
  std::optional<std::size_t> partial_;
  std::vector<Message> confirmed_;
  int calls_ = 0;
};

}  // namespace certfleet::bus
