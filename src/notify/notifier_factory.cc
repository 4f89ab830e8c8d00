#include "notify/notifier_factory.h"

#include "common/encoding.h"
#include "crypto/hash.h"
#include "notify/http_notifier.h"
#include "notify/smtp/smtp_notifier.h"

namespace certfleet::notify {

Result<std::unique_ptr<Notifier>> MakeNotifier(const ChannelConfig& channel, Clock& clock) {
  if (channel.type == ChannelType::kEmail) return std::make_unique<SmtpNotifier>(channel);
  auto http = HttpNotifier::Create(channel, clock);
  if (!http) return Fail(http.error());
  return std::unique_ptr<Notifier>(std::move(*http));
}

Status SendTestMessage(Notifier& notifier, const ChannelConfig& channel, Clock& clock) {
  Notice notice{.kind = NoticeKind::kTest,
                .subject = channel.name,
                .summary = "test message from certfleet: channel " + channel.name + " (" +
                           std::string(ChannelTypeName(channel.type)) + ") works"};
  std::string id = "test-" + HexEncode(crypto::RandomBytes(8));
  return notifier.Deliver(FormatMessage(std::move(id), {notice}, clock.Now()));
}

}  // namespace certfleet::notify
