// The order state machine, one step at a time, against the in-memory FakeCa (no servers).
//
// One table: (saved order, CA behaviour) → (next state or error code, message fragment).
// Each row reaches its saved order by stepping a fresh order with a healthy CA, exactly as
// the worker would have saved it, then changes the CA's behaviour and takes ONE step.
// Rows where the CA fails transiently also check that the saved order resumes once the
// CA is healthy again (the caller saves nothing after an Error).
#include "issuance/order_machine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "acme/testing/fake_ca.h"
#include "common/clock.h"
#include "crypto/envelope.h"
#include "crypto/sealed_key.h"
#include "crypto/x509.h"
#include "issuance/order_progress.h"

namespace certfleet::issuance {
namespace {

using crypto::CertificateKeyAssociatedData;
using crypto::OrderKeyAssociatedData;
using crypto::SealKey;
using store::OrderState;

constexpr const char* kDomain = "tickets.example.com";
constexpr store::Id kOrderId = 7;

// The saved order a row starts from.
enum class Saved {
  kNew,                   // created locally, not yet sent to the CA
  kPending,               // newOrder done, the authorization not yet solved
  kReadyWithoutKey,       // authorized, no key generated yet
  kReadyWithKey,          // key saved, not finalized
  kFinalizedBeforeCrash,  // key saved, and the CA got our finalize before we crashed
  kProcessing,            // finalized, the CA is issuing
  kValid,                 // the certificate URL is known
  kOtherAccount,          // pending, but created by an account the CA no longer knows
  kPendingWithoutOrder,   // state pending, yet the saved progress has no ACME order
  kCorruptState,          // acme_state_json is not JSON
};

// What the CA does during the step under test.
enum class Ca {
  kHealthy,
  kRejectsName,           // newOrder: rejectedIdentifier
  kReusesAuthorizations,  // the name's authorization is already valid (authz reuse)
  kFailsValidation,       // http-01 validation fails: connection refused
  kAnswers503,            // every request: 503 Service Unavailable, no problem document
  kCertifiesAnotherKey,   // the certificate's public key is not our saved key's
};

struct Row {
  std::string name;
  Saved saved;
  Ca ca;
  std::optional<OrderState> next;         // nullopt: the step returns an Error
  ErrorCode code = ErrorCode::kInternal;  // the Error's code, when `next` is nullopt
  std::string fragment;                   // in the Error's message, or else in order.error
  std::optional<OrderState> after_recovery = std::nullopt;  // Error rows: the retried step
};

std::ostream& operator<<(std::ostream& out, const Row& row) { return out << row.name; }

// A solver that only records: FakeCa validates without fetching anything.
class RecordingSolver final : public acme::ChallengeSolver {
 public:
  std::string_view Type() const override { return "http-01"; }
  Status Present(const acme::ChallengeTask&) override {
    ++presented;
    return Ok();
  }
  Status CleanUp(const acme::ChallengeTask&) override { return Ok(); }
  std::atomic<int> presented{0};
};

// The FakeCa's transport, or a 503 for every request while `down` is set.
class SwitchableCa final : public net::HttpTransport {
 public:
  explicit SwitchableCa(net::HttpTransport& ca) : ca_(ca) {}
  Result<net::HttpResponse> Send(const net::HttpRequest& request) override {
    if (request.url.ends_with("/finalize")) ++finalizes;
    if (down) return net::HttpResponse{503, {}, "Service Unavailable"};
    return ca_.Send(request);
  }
  std::atomic<bool> down{false};
  std::atomic<int> finalizes{0};

 private:
  net::HttpTransport& ca_;
};

crypto::PrivateKey NewKey() {
  return crypto::PrivateKey::Generate(crypto::KeyType::kEcP256).value();
}

class OrderMachineFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    acme::SessionOptions options{.max_retries_after_wait = 0};
    session_ = acme::Session::Open(transport_, clock_, ca_.directory_url(), options).value();
    context_ = std::make_unique<OrderContext>(
        OrderContext{.session = *session_,
                     .signer = {account_key_, "https://ca.test/acct/1"},
                     .solvers = {&solver_},
                     .envelope = envelope_,
                     .poll = {},
                     .preferred_chain = "",
                     .domain = kDomain});
  }

  Result<StepResult> Step(const store::Order& order) { return AdvanceOrder(*context_, order); }

  // Steps `order` with the CA as it is until it reaches `state`.
  store::Order StepUntil(store::Order order, OrderState state) {
    for (int i = 0; i < 8 && order.state != state; ++i) {
      auto step = Step(order);
      EXPECT_TRUE(step.has_value()) << step.error().message;
      if (!step) break;
      order = step->order;
    }
    EXPECT_EQ(store::OrderStateName(order.state), store::OrderStateName(state))
        << "could not reach the saved state: " << order.error;
    return order;
  }

  static store::Order NewOrder() {
    OrderProgress progress;
    progress.spec = {.names = {kDomain}, .key_type = "ec-p256", .profile = ""};
    store::Order order;
    order.id = kOrderId;
    order.domain_id = 3;
    order.issuer = "letsencrypt";
    order.state = OrderState::kNew;
    order.acme_state_json = ProgressToJson(progress);
    return order;
  }

  // Rewrites the saved progress, as if the worker had saved it that way.
  static store::Order Edited(store::Order order, const std::function<void(OrderProgress&)>& edit) {
    OrderProgress progress = ProgressFromJson(order.acme_state_json).value();
    edit(progress);
    order.acme_state_json = ProgressToJson(progress);
    return order;
  }

  // The FakeCa certifies `certificate_key_` whatever the CSR says, so the saved key is
  // that key (the CA then certifies exactly the key we saved).
  store::Order WithKey(store::Order order, const crypto::PrivateKey& key) {
    return Edited(std::move(order), [&](OrderProgress& p) {
      p.sealed_key = SealKey(envelope_, key, OrderKeyAssociatedData(kDomain, kOrderId));
    });
  }

  store::Order Reach(Saved saved) {
    store::Order order = NewOrder();
    switch (saved) {
      case Saved::kNew:
        return order;
      case Saved::kPending:
        return StepUntil(order, OrderState::kPending);
      case Saved::kReadyWithoutKey:
        return StepUntil(order, OrderState::kReady);
      case Saved::kReadyWithKey:
        return WithKey(Reach(Saved::kReadyWithoutKey), certificate_key_);
      case Saved::kFinalizedBeforeCrash: {
        store::Order saved_before_finalize = Reach(Saved::kReadyWithKey);
        StepUntil(saved_before_finalize, OrderState::kProcessing);  // the step that crashed
        return saved_before_finalize;
      }
      case Saved::kProcessing:
        return StepUntil(Reach(Saved::kReadyWithKey), OrderState::kProcessing);
      case Saved::kValid:
        return StepUntil(Reach(Saved::kProcessing), OrderState::kValid);
      case Saved::kOtherAccount:
        return Edited(Reach(Saved::kPending),
                      [](OrderProgress& p) { p.account_url = "https://ca.test/acct/999"; });
      case Saved::kPendingWithoutOrder:
        order.state = OrderState::kPending;
        return order;
      case Saved::kCorruptState:
        order.state = OrderState::kPending;
        order.acme_state_json = "{\"spec\": ";
        return order;
    }
    return order;
  }

  store::Order Behave(Ca ca, store::Order order) {
    switch (ca) {
      case Ca::kHealthy:
        break;
      case Ca::kRejectsName:
        ca_.rejected_names.insert(kDomain);
        break;
      case Ca::kReusesAuthorizations:
        ca_.preauthorized_names.insert(kDomain);
        break;
      case Ca::kFailsValidation:
        ca_.failing_names.insert(kDomain);
        break;
      case Ca::kAnswers503:
        transport_.down = true;
        break;
      case Ca::kCertifiesAnotherKey:
        return WithKey(std::move(order), NewKey());
    }
    return order;
  }

  // What a row checks beyond the state and the message.
  void ExpectStateSpecifics(const Row& row, const store::Order& saved, const StepResult& result) {
    if (row.saved == Saved::kReadyWithoutKey && row.next == OrderState::kReady) {
      auto progress = ProgressFromJson(result.order.acme_state_json).value();
      EXPECT_FALSE(progress.sealed_key.empty()) << "the new key must be saved before finalize";
      EXPECT_EQ(transport_.finalizes.load(), 0) << "the key step must not finalize yet";
    }
    if (row.saved == Saved::kValid && row.next == OrderState::kValid) {
      ASSERT_TRUE(result.certificate.has_value()) << "the kValid step must return a certificate";
      const store::CertificateVersion& cert = *result.certificate;
      EXPECT_EQ(cert.order_id, saved.id) << "storing it must complete this order";
      EXPECT_EQ(cert.domain_id, saved.domain_id);
      EXPECT_EQ(cert.names, std::vector<std::string>{kDomain});
      auto chain = crypto::ParsePemChain(cert.chain_pem).value();
      EXPECT_TRUE(chain.front().MatchesKey(certificate_key_)) << "the leaf certifies our key";
      auto key_pem =
          envelope_.Open(cert.encrypted_key, CertificateKeyAssociatedData(kDomain, cert.sha256));
      ASSERT_TRUE(key_pem.has_value()) << "the stored key is sealed to the domain and the leaf";
    } else {
      EXPECT_FALSE(result.certificate.has_value()) << "only the kValid step yields a certificate";
    }
  }

  FakeClock clock_;
  crypto::PrivateKey account_key_ = NewKey();
  crypto::PrivateKey certificate_key_ = NewKey();
  acme::testing::FakeCa ca_{account_key_, certificate_key_};
  SwitchableCa transport_{ca_.transport()};
  std::unique_ptr<acme::Session> session_;
  crypto::Envelope envelope_ = crypto::Envelope::Create(std::string(32, 'k')).value();
  RecordingSolver solver_;
  std::unique_ptr<OrderContext> context_;
};

class OrderMachineTest : public OrderMachineFixture, public ::testing::WithParamInterface<Row> {};

TEST_P(OrderMachineTest, TakesOneStep) {
  const Row& row = GetParam();
  const store::Order saved = Behave(row.ca, Reach(row.saved));
  ASSERT_FALSE(HasFailure()) << "setting up the saved order failed";
  transport_.finalizes = 0;

  auto result = Step(saved);

  if (!row.next) {
    ASSERT_FALSE(result.has_value())
        << "want an Error, got state " << store::OrderStateName(result->order.state);
    EXPECT_EQ(ErrorCodeName(result.error().code), ErrorCodeName(row.code))
        << result.error().message;
    EXPECT_NE(result.error().message.find(row.fragment), std::string::npos)
        << "message \"" << result.error().message << "\" lacks \"" << row.fragment << "\"";
    transport_.down = false;
    auto retried = Step(saved);
    ASSERT_TRUE(retried.has_value()) << "the saved order must resume: " << retried.error().message;
    EXPECT_EQ(store::OrderStateName(retried->order.state),
              store::OrderStateName(*row.after_recovery));
    return;
  }
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(store::OrderStateName(result->order.state), store::OrderStateName(*row.next))
      << "order.error: " << result->order.error;
  EXPECT_NE(result->order.error.find(row.fragment), std::string::npos)
      << "order.error \"" << result->order.error << "\" lacks \"" << row.fragment << "\"";
  if (row.fragment.empty()) {
    EXPECT_EQ(result->order.error, "");
  }
  EXPECT_EQ(result->order.id, saved.id);
  ExpectStateSpecifics(row, saved, *result);
}

const Row kRows[] = {
    // kNew: newOrder.
    {"NewBecomesPending", Saved::kNew, Ca::kHealthy, OrderState::kPending},
    {"NewWithReusedAuthorizationsBecomesReady", Saved::kNew, Ca::kReusesAuthorizations,
     OrderState::kReady},
    {"NewWithARejectedNameFails", Saved::kNew, Ca::kRejectsName, OrderState::kFailed,
     ErrorCode::kInternal,
     "tickets.example.com: creating the order: the CA said: rejectedIdentifier: "
     "Error creating new order :: Cannot issue for \"tickets.example.com\""},
    {"NewWhileTheCaAnswers503IsRetriedLater", Saved::kNew, Ca::kAnswers503, std::nullopt,
     ErrorCode::kUnavailable,
     "tickets.example.com: creating the order: getting a fresh nonce from "
     "https://ca.test/new-nonce: the CA answered HTTP 503",
     OrderState::kPending},
    // kPending: present, respond, poll.
    {"PendingBecomesReady", Saved::kPending, Ca::kHealthy, OrderState::kReady},
    {"PendingWithAFailedChallengeFailsNamingDomainAndStep", Saved::kPending, Ca::kFailsValidation,
     OrderState::kFailed, ErrorCode::kInternal,
     "tickets.example.com: http-01 challenge failed: the CA said: connection: "},
    {"PendingWhileTheCaAnswers503IsRetriedLater", Saved::kPending, Ca::kAnswers503, std::nullopt,
     ErrorCode::kUnavailable, "tickets.example.com: fetching the order: ", OrderState::kReady},
    {"PendingOfAForgottenAccountIsAbandoned", Saved::kOtherAccount, Ca::kHealthy,
     OrderState::kAbandoned, ErrorCode::kInternal,
     "tickets.example.com: the order belongs to an ACME account the CA no longer knows"},
    {"PendingWithoutASavedAcmeOrderFails", Saved::kPendingWithoutOrder, Ca::kHealthy,
     OrderState::kFailed, ErrorCode::kInternal,
     "tickets.example.com: the saved order has no ACME order"},
    {"CorruptSavedStateFails", Saved::kCorruptState, Ca::kHealthy, OrderState::kFailed,
     ErrorCode::kInternal, "tickets.example.com: reading the saved order state: "},
    // kReady: the key first (saved), then finalize.
    {"ReadyWithoutKeySavesAKeyAndDoesNotFinalize", Saved::kReadyWithoutKey, Ca::kHealthy,
     OrderState::kReady},
    {"ReadyWithKeyFinalizes", Saved::kReadyWithKey, Ca::kHealthy, OrderState::kProcessing},
    {"ReadyWithKeyAlreadyFinalizedBeforeACrashFollowsTheOrder", Saved::kFinalizedBeforeCrash,
     Ca::kHealthy, OrderState::kValid},
    {"ReadyWhileTheCaAnswers503IsRetriedLater", Saved::kReadyWithKey, Ca::kAnswers503, std::nullopt,
     ErrorCode::kUnavailable,
     "tickets.example.com: finalizing the order: ", OrderState::kProcessing},
    // kProcessing: poll.
    {"ProcessingBecomesValid", Saved::kProcessing, Ca::kHealthy, OrderState::kValid},
    {"ProcessingWhileTheCaAnswers503IsRetriedLater", Saved::kProcessing, Ca::kAnswers503,
     std::nullopt, ErrorCode::kUnavailable,
     "tickets.example.com: waiting for the CA to issue the certificate: ", OrderState::kValid},
    // kValid: download and check.
    {"ValidYieldsTheCertificateOfThisOrderForOurKey", Saved::kValid, Ca::kHealthy,
     OrderState::kValid},
    {"ValidCertifyingAnotherKeyFails", Saved::kValid, Ca::kCertifiesAnotherKey, OrderState::kFailed,
     ErrorCode::kInternal,
     "tickets.example.com: checking the downloaded certificate: the CA issued a certificate for "
     "another public key than our CSR's"},
    {"ValidWhileTheCaAnswers503IsRetriedLater", Saved::kValid, Ca::kAnswers503, std::nullopt,
     ErrorCode::kUnavailable,
     "tickets.example.com: downloading the certificate: ", OrderState::kValid},
};

INSTANTIATE_TEST_SUITE_P(Table, OrderMachineTest, ::testing::ValuesIn(kRows),
                         [](const ::testing::TestParamInfo<Row>& param) {
                           return param.param.name;
                         });

TEST_F(OrderMachineFixture, TerminalStatesAreRefusedAsABug) {
  store::Order order = Reach(Saved::kPending);
  for (OrderState state : {OrderState::kCompleted, OrderState::kFailed, OrderState::kAbandoned}) {
    order.state = state;
    auto result = Step(order);
    ASSERT_FALSE(result.has_value()) << store::OrderStateName(state);
    EXPECT_EQ(result.error().code, ErrorCode::kInternal);
    EXPECT_NE(
        result.error().message.find("is already " + std::string(store::OrderStateName(state))),
        std::string::npos)
        << result.error().message;
  }
}

}  // namespace
}  // namespace certfleet::issuance
