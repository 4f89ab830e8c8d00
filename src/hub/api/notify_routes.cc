#include "hub/api/notify_routes.h"

#include <nlohmann/json.hpp>

#include "hub/api/guard.h"
#include "notify/service.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

// Time the receiver may take (the channel's timeout) plus room for the hub's own work.
constexpr auto kAnswerMargin = std::chrono::seconds(5);

http::Response Delivered(const notify::ChannelConfig& channel) {
  return http::Response::Json({{"channel", channel.name},
                               {"type", notify::ChannelTypeName(channel.type)},
                               {"delivered", true}});
}

// The receiver's failure is a bad gateway for the caller, whatever its code.
http::Response NotDelivered(const notify::ChannelConfig& channel, const Error& error) {
  return http::Response::JsonError(
      502, ErrorCodeName(error.code),
      "notify channel " + channel.name + ": test message not delivered: " + error.message);
}

void SendTest(notify::Service* service, const http::Request& req, http::Responder responder) {
  const std::string name(req.PathParam("name"));
  if (service == nullptr) {
    responder.Send(http::Response::JsonError(
        404, ErrorCodeName(ErrorCode::kNotFound),
        "no notification channel \"" + name +
            "\"; none is configured (add [[notify.channel]] to the hub config)"));
    return;
  }
  const notify::ChannelConfig* channel = service->config().FindChannel(name);
  if (channel != nullptr) {
    const auto deadline =
        std::chrono::duration_cast<std::chrono::milliseconds>(channel->timeout + kAnswerMargin);
    responder.ExpireAfter(
        deadline, http::Response::JsonError(504, ErrorCodeName(ErrorCode::kDeadlineExceeded),
                                            "notify channel " + name + ": no outcome within " +
                                                std::to_string(deadline.count()) + " ms"));
  }
  // kNotFound (listing the configured channels) or our own 503 come back at once.
  auto started = service->SendTestAsync(name, [responder, channel](Status outcome) {
    responder.Send(outcome ? Delivered(*channel) : NotDelivered(*channel, outcome.error()));
  });
  if (!started) responder.Send(ErrorResponse(started.error()));
}

}  // namespace

void AddNotifyRoutes(http::Router& router, ApiContext& ctx, notify::Service* service) {
  router.AddAsync(
      "POST", "/api/v1/notify/channels/{name}/test",
      GuardAsync(ctx, Action::kManage,
                 [service](const http::Request& req, const Principal&, http::Responder responder) {
                   SendTest(service, req, std::move(responder));
                 }));
}

}  // namespace certfleet::hub::api
