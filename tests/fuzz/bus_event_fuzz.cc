// AMQP event bodies as a subscriber (the agent) receives them from RabbitMQ:
// bus::ParseChange. Input: first line = routing key, the rest = the message body.
#include "bus/event_message.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = certfleet::fuzz::Text(data, size);
  const size_t newline = text.find('\n');
  const std::string_view key = text.substr(0, newline);
  const std::string_view body = newline == std::string_view::npos ? "" : text.substr(newline + 1);
  (void)certfleet::bus::ParseChange(body, key);
  (void)certfleet::bus::ContainsKeyMaterial(body);
  return 0;
}
