#include "acme/client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "acme/authorization.h"
#include "acme/authorize.h"
#include "acme/certificate.h"
#include "acme/challenge.h"
#include "acme/order.h"
#include "acme/testing/fake_ca.h"
#include "crypto/jwk.h"
#include "crypto/x509.h"

namespace certfleet::acme {
namespace {

// Records Present/CleanUp; can be told to fail Present.
class RecordingSolver final : public ChallengeSolver {
 public:
  std::string_view Type() const override { return "http-01"; }
  Status Present(const ChallengeTask& task) override {
    std::lock_guard lock(mu_);
    presented.push_back(task);
    if (fail_present) return Fail(ErrorCode::kIo, "port 80 is busy");
    return Ok();
  }
  Status CleanUp(const ChallengeTask& task) override {
    std::lock_guard lock(mu_);
    cleaned.push_back(task.token);
    return Ok();
  }
  bool fail_present = false;
  std::vector<ChallengeTask> presented;
  std::vector<std::string> cleaned;

 private:
  std::mutex mu_;
};

class ClientTest : public ::testing::Test {
 protected:
  ClientTest()
      : account_key_(*crypto::PrivateKey::Generate(crypto::KeyType::kEcP256)),
        cert_key_(*crypto::PrivateKey::Generate(crypto::KeyType::kEcP256)),
        ca_(account_key_, cert_key_) {}

  std::unique_ptr<Client> Open() {
    auto client = Client::Open(ca_.transport(), clock_, ca_.directory_url());
    EXPECT_TRUE(client) << client.error().message;
    return std::move(*client);
  }

  Signer Register(Client& client) {
    auto account = client.RegisterAccount(account_key_, {});
    EXPECT_TRUE(account) << account.error().message;
    return Signer{account_key_, account ? account->url : ""};
  }

  ObtainRequest Request(std::vector<std::string> names) {
    ObtainRequest request;
    request.names = std::move(names);
    request.certificate_key = cert_key_;
    request.solvers = {&solver_};
    return request;
  }

  FakeClock clock_;
  crypto::PrivateKey account_key_;
  crypto::PrivateKey cert_key_;
  testing::FakeCa ca_;
  RecordingSolver solver_;
};

TEST_F(ClientTest, ObtainsACertificateWithFewRequests) {
  auto client = Open();
  Signer signer = Register(*client);
  size_t before = ca_.transport().request_count();
  auto cert = client->ObtainCertificate(signer, Request({"Tickets.Example.com"}));
  ASSERT_TRUE(cert) << cert.error().message;
  auto leaf = crypto::Certificate::FromPem(cert->certificate_pem);
  ASSERT_TRUE(leaf);
  EXPECT_EQ(leaf->DnsNames(), std::vector<std::string>{"tickets.example.com"})
      << "names are normalized";
  EXPECT_TRUE(leaf->MatchesKey(cert_key_));
  EXPECT_EQ(cert->fullchain_pem, cert->certificate_pem + cert->chain_pem);
  EXPECT_EQ(cert->order.status, "valid");
  // newOrder, authz, challenge, poll authz, finalize, poll order, download.
  EXPECT_EQ(ca_.transport().request_count() - before, 7u)
      << "no redundant requests (nonces reused, authz fetched once)";
  ASSERT_EQ(solver_.presented.size(), 1u);
  EXPECT_EQ(solver_.presented[0].identifier, "tickets.example.com");
  EXPECT_EQ(solver_.presented[0].key_authorization,
            solver_.presented[0].token + "." + crypto::JwkThumbprint(account_key_));
  EXPECT_EQ(solver_.cleaned.size(), 1u) << "CleanUp must follow every Present";
  EXPECT_LT(clock_.TotalSlept(), Duration(100)) << "polling must start with short delays";
}

TEST_F(ClientTest, PresentsEveryChallengeOfAMultiNameOrder) {
  auto client = Open();
  Signer signer = Register(*client);
  auto cert = client->ObtainCertificate(
      signer, Request({"a.example.com", "b.example.com", "a.example.com"}));
  ASSERT_TRUE(cert) << cert.error().message;
  EXPECT_EQ(solver_.presented.size(), 2u) << "duplicates are dropped";
  EXPECT_EQ(solver_.cleaned.size(), 2u);
  auto leaf = crypto::Certificate::FromPem(cert->certificate_pem);
  EXPECT_EQ(leaf->DnsNames(), (std::vector<std::string>{"a.example.com", "b.example.com"}));
}

TEST_F(ClientTest, FailedValidationNamesTheDomainAndTheCasDetailAndCleansUp) {
  ca_.failing_names = {"b.example.com"};
  auto client = Open();
  Signer signer = Register(*client);
  auto cert = client->ObtainCertificate(signer, Request({"a.example.com", "b.example.com"}));
  ASSERT_FALSE(cert);
  EXPECT_EQ(cert.error().code, ErrorCode::kAcmeProblem);
  const std::string& message = cert.error().message;
  EXPECT_EQ(message.rfind("b.example.com: http-01 challenge failed: the CA said: connection: ", 0),
            0u)
      << message;
  EXPECT_NE(message.find("Connection refused"), std::string::npos) << message;
  EXPECT_EQ(solver_.cleaned.size(), 2u)
      << "CleanUp runs for every presented challenge, also on failure";
}

TEST_F(ClientTest, AResumedOrderPollsAChallengeTheCaIsAlreadyValidating) {
  // A hub killed right after answering a challenge resumes the order while the CA still
  // validates: the challenge is "processing", and answering it again is refused (Pebble:
  // 400 "Cannot update challenge with status processing, only status pending").
  ca_.processing_polls = 2;
  auto client = Open();
  const Signer signer = Register(*client);
  auto order = NewOrder(client->session(), signer, {{"resumed.example"}, "", ""});
  ASSERT_TRUE(order) << order.error().message;
  auto authz = FetchAuthorization(client->session(), signer, order->authorizations.at(0));
  ASSERT_TRUE(authz) << authz.error().message;
  auto answered = RespondToChallenge(client->session(), signer, authz->challenges.at(0).url);
  ASSERT_TRUE(answered) << answered.error().message;
  // ... the crash; the restarted hub resumes the saved order:
  auto resumed =
      AuthorizeOrder(client->session(), signer, *order, {&solver_}, PollPolicy{}, nullptr);
  EXPECT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(solver_.presented.size(), 1u)
      << "the key authorization must be served again for the CA's fetch";
  EXPECT_EQ(solver_.cleaned.size(), 1u);
}

TEST_F(ClientTest, AResumedOrderWhoseChallengeTheCaValidatedMeanwhileSucceeds) {
  // The restarted hub reads the challenge "pending", the CA finishes validating the answer
  // sent before the crash, and then refuses the second answer ("Cannot update challenge
  // with status valid"): the order is authorized, not failed and ordered again.
  auto client = Open();
  const Signer signer = Register(*client);
  auto order = NewOrder(client->session(), signer, {{"raced.example"}, "", ""});
  ASSERT_TRUE(order) << order.error().message;
  auto authz = FetchAuthorization(client->session(), signer, order->authorizations.at(0));
  ASSERT_TRUE(authz) << authz.error().message;
  auto answered = RespondToChallenge(client->session(), signer, authz->challenges.at(0).url);
  ASSERT_TRUE(answered) << answered.error().message;
  ca_.stale_pending_reads = 1;
  auto resumed =
      AuthorizeOrder(client->session(), signer, *order, {&solver_}, PollPolicy{}, nullptr);
  EXPECT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(solver_.cleaned.size(), solver_.presented.size());
  auto again = FetchOrder(client->session(), signer, order->url);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->status, "ready");
}

TEST_F(ClientTest, ARefusedAnswerToAChallengeStillPendingIsAnError) {
  // The refusal is judged by the authorization: a challenge still "pending" after a
  // refused answer is a real failure, named with the domain and the CA's words.
  auto client = Open();
  const Signer signer = Register(*client);
  auto order = NewOrder(client->session(), signer, {{"refused.example"}, "", ""});
  ASSERT_TRUE(order) << order.error().message;
  ca_.refuse_challenge_answers = true;
  auto result =
      AuthorizeOrder(client->session(), signer, *order, {&solver_}, PollPolicy{}, nullptr);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message.rfind("refused.example: responding to the http-01 challenge", 0),
            0u)
      << result.error().message;
  EXPECT_EQ(solver_.cleaned.size(), 1u);
}

TEST_F(ClientTest, CleanUpRunsEvenWhenPresentFails) {
  solver_.fail_present = true;
  auto client = Open();
  Signer signer = Register(*client);
  auto cert = client->ObtainCertificate(signer, Request({"a.example.com"}));
  ASSERT_FALSE(cert);
  EXPECT_EQ(cert.error().message,
            "a.example.com: presenting the http-01 challenge: port 80 is busy");
  EXPECT_EQ(solver_.cleaned.size(), 1u);
}

TEST_F(ClientTest, InvalidNameIsRejectedBeforeAnyOrderRequest) {
  auto client = Open();
  Signer signer = Register(*client);
  size_t before = ca_.transport().request_count();
  auto cert =
      client->ObtainCertificate(signer, Request({"good.example.com", "bad_name..example.com"}));
  ASSERT_FALSE(cert);
  EXPECT_EQ(cert.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(cert.error().message.find("bad_name..example.com"), std::string::npos)
      << cert.error().message;
  EXPECT_EQ(ca_.transport().request_count(), before) << "nothing may be sent for an invalid name";
}

TEST_F(ClientTest, SurvivesFrequentBadNonces) {
  ca_.reject_every_nth_nonce = 2;  // like PEBBLE_WFE_NONCEREJECT=50
  auto client = Open();
  Signer signer = Register(*client);
  auto cert = client->ObtainCertificate(signer, Request({"a.example.com"}));
  ASSERT_TRUE(cert) << cert.error().message;
}

TEST_F(ClientTest, PreferredChainPicksTheAlternateByTopIssuer) {
  auto client = Open();
  Signer signer = Register(*client);
  ObtainRequest request = Request({"a.example.com"});
  request.preferred_chain = "alternate root";  // matching ignores case
  auto cert = client->ObtainCertificate(signer, request);
  ASSERT_TRUE(cert) << cert.error().message;
  auto chain = crypto::ParsePemChain(cert->fullchain_pem);
  ASSERT_TRUE(chain);
  EXPECT_EQ(TopIssuerCommonName(*chain), testing::FakeCa::kAlternateTopIssuer);
}

TEST_F(ClientTest, UnknownPreferredChainFallsBackToTheDefault) {
  auto client = Open();
  Signer signer = Register(*client);
  ObtainRequest request = Request({"a.example.com"});
  request.preferred_chain = "No Such Root";
  auto cert = client->ObtainCertificate(signer, request);
  ASSERT_TRUE(cert) << cert.error().message;
  auto chain = crypto::ParsePemChain(cert->fullchain_pem);
  EXPECT_EQ(TopIssuerCommonName(*chain), ca_.default_top_issuer());
}

TEST_F(ClientTest, ProfileIsSentWhenTheCaAdvertisesIt) {
  ca_.profiles_json = R"({"classic": "90 days", "shortlived": "6 days"})";
  auto client = Open();
  Signer signer = Register(*client);
  ObtainRequest request = Request({"a.example.com"});
  request.profile = "shortlived";
  ASSERT_TRUE(client->ObtainCertificate(signer, request));
  ASSERT_EQ(ca_.new_order_payloads().size(), 1u);
  EXPECT_EQ(ca_.new_order_payloads()[0]["profile"], "shortlived");
}

TEST_F(ClientTest, ConcurrentObtainsShareOneClient) {
  auto client = Open();
  Signer signer = Register(*client);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      if (client->ObtainCertificate(signer, Request({"n" + std::to_string(i) + ".example.com"})))
        ++ok;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 4);
}

}  // namespace
}  // namespace certfleet::acme
