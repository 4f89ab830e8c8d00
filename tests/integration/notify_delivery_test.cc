// Notifications end to end: store events → Service → real HTTP receivers (http::Server on
// an ephemeral port) and a local SMTP server; payload shapes, HMAC signatures, retries,
// and a hanging receiver that must not hold up the others.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>

#include "common/encoding.h"
#include "crypto/hash.h"
#include "harness/net.h"
#include "http/server.h"
#include "notify/service.h"
#include "notify/testing/store_fixture.h"
#include "notify_smtp_sink.h"

namespace certfleet::notify {
namespace {

using json = nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

struct Captured {
  std::string path;
  http::Headers headers;
  std::string body;
};

// Captures every POST; /flaky answers 503 to its first `flaky_failures` requests.
class Receiver {
 public:
  explicit Receiver(int flaky_failures = 0) : flaky_left_(flaky_failures) {
    http::Router router;
    for (const char* path : {"/rocket", "/slack", "/hook", "/flaky", "/ok"}) {
      router.Add("POST", path, [this](const http::Request& r) { return Handle(r); });
    }
    auto server =
        http::Server::Start({.listen = "127.0.0.1:0", .io_threads = 2}, std::move(router));
    if (!server) throw std::runtime_error(server.error().message);
    server_ = std::move(*server);
  }

  std::string Url(const std::string& path) const { return server_->BaseUrl() + path; }

  std::vector<Captured> Requests(const std::string& path) const {
    std::lock_guard lock(mu_);
    std::vector<Captured> out;
    for (const auto& c : captured_) {
      if (c.path == path) out.push_back(c);
    }
    return out;
  }

  // Requests answered 2xx on `path`.
  std::size_t Accepted(const std::string& path) const {
    std::lock_guard lock(mu_);
    return path == "/flaky" ? accepted_flaky_ : CountLocked(path);
  }

 private:
  std::size_t CountLocked(const std::string& path) const {
    std::size_t n = 0;
    for (const auto& c : captured_) n += c.path == path ? 1u : 0u;
    return n;
  }

  http::Response Handle(const http::Request& r) {
    std::lock_guard lock(mu_);
    captured_.push_back({r.path, r.headers, r.body});
    if (r.path == "/flaky") {
      if (flaky_left_ > 0) {
        --flaky_left_;
        return http::Response::Text("try later", 503);
      }
      ++accepted_flaky_;
    }
    return http::Response::Json(json{{"success", true}});
  }

  mutable std::mutex mu_;
  std::vector<Captured> captured_;
  int flaky_left_;
  std::size_t accepted_flaky_ = 0;
  std::unique_ptr<http::Server> server_;
};

// A TCP listener that accepts connections (via the kernel backlog) and never answers.
class BlackHole {
 public:
  BlackHole() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::runtime_error("BlackHole: cannot listen");
    }
    port_ = ntohs(addr.sin_port);
  }
  ~BlackHole() { ::close(fd_); }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

ServiceOptions FastOptions() {
  ServiceOptions o;
  o.poll_interval = milliseconds(10);
  o.retry = RetryPolicy{.base = seconds(1), .cap = seconds(30)};
  return o;
}

ChannelConfig Channel(std::string name, ChannelType type, std::string url) {
  return ChannelConfig{.name = std::move(name),
                       .type = type,
                       .url = std::move(url),
                       .group_window = Duration(0),
                       .timeout = seconds(5)};
}

class NotifyDeliveryTest : public ::testing::Test {
 protected:
  // A renewed-style event: a domain of customer Acme on two machines gets a certificate.
  void IssueCertificate(const std::string& domain) {
    auto customer = fx_.store().GetCustomerByName("Acme GmbH");
    store::Id customer_id = customer ? customer->id : fx_.AddCustomer("Acme GmbH");
    auto web1 = fx_.store().GetMachineByName("web-01");
    store::Id m1 = web1 ? web1->id : fx_.AddMachine("web-01");
    auto id = fx_.AddDomain(domain, customer_id, {m1});
    fx_.AddCertificate(id, fx_.clock().Now() + std::chrono::days(90), "0abc");
  }

  testing::StoreFixture fx_;
};

TEST_F(NotifyDeliveryTest, ChatAndSignedWebhookReceiversGetTheirPayloadShapes) {
  Receiver receiver;
  NotifyConfig config;
  config.channels = {Channel("rocket", ChannelType::kRocketChat, receiver.Url("/rocket")),
                     Channel("slack", ChannelType::kSlack, receiver.Url("/slack")),
                     Channel("hook", ChannelType::kWebhook, receiver.Url("/hook"))};
  config.channels[2].secret = "hmac-secret";
  auto service = Service::Start(fx_.store(), fx_.clock(), config, FastOptions());
  ASSERT_TRUE(service) << service.error().message;
  IssueCertificate("shop.example.com");
  (*service)->Wake();
  ASSERT_TRUE(harness::WaitFor(
      [&] {
        return receiver.Accepted("/rocket") && receiver.Accepted("/slack") &&
               receiver.Accepted("/hook");
      },
      seconds(10)))
      << "every channel should have received the issued notice";

  json rocket = json::parse(receiver.Requests("/rocket")[0].body);
  EXPECT_EQ(rocket["text"], "Certificate issued: shop.example.com");
  std::string attachment = rocket["attachments"][0]["text"];
  EXPECT_NE(attachment.find("customer Acme GmbH"), std::string::npos) << attachment;
  EXPECT_NE(attachment.find("on web-01"), std::string::npos) << attachment;

  json slack = json::parse(receiver.Requests("/slack")[0].body);
  EXPECT_EQ(slack["blocks"][0]["text"]["text"], "Certificate issued: shop.example.com");
  EXPECT_EQ(slack["blocks"][1]["text"]["type"], "mrkdwn");

  Captured hook = receiver.Requests("/hook")[0];
  auto timestamp = hook.headers.Get("X-Certfleet-Timestamp");
  auto signature = hook.headers.Get("X-Certfleet-Signature");
  ASSERT_TRUE(timestamp && signature) << "the signed webhook must carry timestamp and signature";
  std::string expected = "sha256=" + HexEncode(crypto::HmacSha256(
                                         "hmac-secret", std::string(*timestamp) + "." + hook.body));
  EXPECT_TRUE(crypto::ConstantTimeEqual(*signature, expected))
      << "HMAC over timestamp.body must verify";
  EXPECT_TRUE(hook.headers.Get("X-Certfleet-Delivery").has_value());
  json body = json::parse(hook.body);
  EXPECT_EQ(body["notices"][0]["kind"], "issued");
  EXPECT_EQ(body["notices"][0]["customer"], "Acme GmbH");
  EXPECT_EQ(body["text"].get<std::string>().find("sealed-test-key"), std::string::npos)
      << "key material must never reach a message";
}

TEST_F(NotifyDeliveryTest, ReceiverFailingFiveTimesGetsTheMessageExactlyOnce) {
  Receiver receiver(/*flaky_failures=*/5);
  NotifyConfig config;
  config.channels = {Channel("flaky", ChannelType::kRocketChat, receiver.Url("/flaky"))};
  auto service = Service::Start(fx_.store(), fx_.clock(), config, FastOptions());
  ASSERT_TRUE(service) << service.error().message;
  IssueCertificate("shop.example.com");
  // Each failure backs off (1 s, 2 s, ... on the injected clock): move the clock along.
  ASSERT_TRUE(harness::WaitFor(
      [&] {
        fx_.clock().Advance(milliseconds(500));
        (*service)->Wake();
        return receiver.Accepted("/flaky") >= 1;
      },
      seconds(20), milliseconds(20)))
      << "the message never got through; requests seen: " << receiver.Requests("/flaky").size();
  // Give the worker a few more passes to prove nothing is sent again.
  for (int i = 0; i < 20; ++i) {
    fx_.clock().Advance(seconds(60));
    (*service)->Wake();
    std::this_thread::sleep_for(milliseconds(10));
  }
  (*service)->Stop();
  EXPECT_EQ(receiver.Requests("/flaky").size(), 6u) << "5 failures + 1 success";
  EXPECT_EQ(receiver.Accepted("/flaky"), 1u) << "delivered exactly once";
}

TEST_F(NotifyDeliveryTest, ReceiverThatNeverAnswersDoesNotBlockOtherChannels) {
  Receiver receiver;
  BlackHole hole;
  NotifyConfig config;
  config.channels = {Channel("stuck", ChannelType::kSlack, hole.Url()),
                     Channel("ok", ChannelType::kSlack, receiver.Url("/ok"))};
  config.channels[0].timeout = seconds(3);
  auto service = Service::Start(fx_.store(), fx_.clock(), config, FastOptions());
  ASSERT_TRUE(service) << service.error().message;
  auto start = std::chrono::steady_clock::now();
  IssueCertificate("a.example.com");
  (*service)->Wake();
  ASSERT_TRUE(harness::WaitFor([&] { return receiver.Accepted("/ok") >= 1; }, seconds(10)));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, seconds(2)) << "the healthy channel waited for the hanging one";

  // The pipeline is not held up either: a second event reaches the healthy channel while
  // the stuck channel is still inside its first delivery attempt.
  IssueCertificate("b.example.com");
  (*service)->Wake();
  EXPECT_TRUE(harness::WaitFor([&] { return receiver.Accepted("/ok") >= 2; }, seconds(2)));
  auto stuck = fx_.store().ListDueNotifications("stuck", fx_.clock().Now() + seconds(3600), 10);
  ASSERT_TRUE(stuck);
  EXPECT_EQ(stuck->size(), 2u) << "the stuck channel's messages wait in its queue";
}

TEST_F(NotifyDeliveryTest, EmailArrivesOverSmtpWithAuth) {
  testing::SmtpSink sink;
  NotifyConfig config;
  ChannelConfig mail{.name = "mail",
                     .type = ChannelType::kEmail,
                     .group_window = Duration(0),
                     .timeout = seconds(5)};
  mail.smtp = SmtpSettings{.server = "127.0.0.1",
                           .port = sink.port(),
                           .security = SmtpSecurity::kNone,
                           .user = "certfleet",
                           .password = "mail-pw",
                           .from = "certfleet@example.com",
                           .to = {"ops@example.com", "oncall@example.com"}};
  config.channels = {mail};
  auto service = Service::Start(fx_.store(), fx_.clock(), config, FastOptions());
  ASSERT_TRUE(service) << service.error().message;
  IssueCertificate("shop.example.com");
  (*service)->Wake();
  ASSERT_TRUE(sink.WaitForMails(1, 10'000)) << "no mail arrived";
  auto received = sink.mails()[0];
  EXPECT_EQ(received.from, "<certfleet@example.com>");
  EXPECT_EQ(received.recipients,
            (std::vector<std::string>{"<ops@example.com>", "<oncall@example.com>"}));
  EXPECT_EQ(received.auth_plain, std::string("\0certfleet\0mail-pw", 18));
  EXPECT_NE(received.data.find("Subject: [certfleet] Certificate issued: shop.example.com\r\n"),
            std::string::npos)
      << received.data;
  EXPECT_NE(received.data.find("customer Acme GmbH"), std::string::npos) << received.data;
}

TEST_F(NotifyDeliveryTest, SendTestDeliversAtOnceAndNamesUnknownChannels) {
  Receiver receiver;
  NotifyConfig config;
  config.channels = {Channel("rocket", ChannelType::kRocketChat, receiver.Url("/rocket"))};
  auto service = Service::Start(fx_.store(), fx_.clock(), config, FastOptions());
  ASSERT_TRUE(service) << service.error().message;
  auto sent = (*service)->SendTest("rocket");
  ASSERT_TRUE(sent) << sent.error().message;
  ASSERT_EQ(receiver.Requests("/rocket").size(), 1u);
  EXPECT_NE(receiver.Requests("/rocket")[0].body.find("channel rocket (rocketchat) works"),
            std::string::npos);
  auto unknown = (*service)->SendTest("nope");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unknown.error().message, "no notification channel \"nope\"; configured: rocket");
}

TEST_F(NotifyDeliveryTest, FailedDeliveryErrorsDoNotLeakTheWebhookToken) {
  NotifyConfig config;
  const std::string url =
      "http://127.0.0.1:" + std::to_string(harness::FreeLoopbackPort()) + "/hooks/SECRET-TOKEN";
  config.channels = {Channel("down", ChannelType::kSlack, url)};
  auto service = Service::Start(fx_.store(), fx_.clock(), config, FastOptions());
  ASSERT_TRUE(service) << service.error().message;
  auto sent = (*service)->SendTest("down");
  ASSERT_FALSE(sent) << "nothing listens there";
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable) << sent.error().message;
  EXPECT_EQ(sent.error().message.find("SECRET-TOKEN"), std::string::npos) << sent.error().message;
}

}  // namespace
}  // namespace certfleet::notify
