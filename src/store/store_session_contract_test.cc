// Contract tests of the SessionBook (the web UI's sign-in sessions), for every Store
// implementation.
#include <gtest/gtest.h>

#include "common/encoding.h"
#include "store/store_contract_fixture.h"

namespace certfleet::store {
namespace {

using namespace std::chrono_literals;

// Stands in for the SHA-256 hex of `s` (the store only checks the form): 64 hex characters,
// distinct for distinct short strings.
std::string Sha(std::string_view s) {
  std::string hex = HexEncode(s);
  hex.resize(64, '0');
  return hex;
}

class StoreSessionContractTest : public contract::StoreContractTest {
 protected:
  // A session named by `id` (its hash is the key), signed in with `token_sha256` unless empty.
  UiSession Session(const std::string& id, const std::string& token_sha256 = "", Duration idle = 1h,
                    Duration absolute = 8h) {
    UiSession s;
    s.id_sha256 = Sha(id);
    s.csrf_token = "csrf-" + id;
    s.token_sha256 = token_sha256;
    s.absolute_expiry = clock_.Now() + absolute;
    s.expires_at = std::min(clock_.Now() + idle, s.absolute_expiry);
    return s;
  }
  void Create(const UiSession& s, const std::string& replaces = "", std::int64_t max = 100) {
    auto created = store_->CreateUiSession(s, replaces, clock_.Now(), max);
    ASSERT_TRUE(created) << created.error().message;
  }
  bool Live(const std::string& id) {
    return store_->FindUiSession(Sha(id), clock_.Now()).has_value();
  }
  Token AddToken(const std::string& name, const std::string& secret) {
    auto t = store_->CreateToken(
        actor_, Token{.name = name, .role = Role::kSupport, .secret_sha256 = Sha(secret)});
    EXPECT_TRUE(t) << t.error().message;
    return t.value_or(Token{});
  }
};

TEST_P(StoreSessionContractTest, ASessionIsFoundByTheHashOfItsIdAfterARestart) {
  const Token token = AddToken("alice", "secret-a");
  Create(Session("id-1", Sha("secret-a")));
  Reopen();  // a hub restart
  auto found = store_->FindUiSession(Sha("id-1"), clock_.Now());
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->csrf_token, "csrf-id-1");
  EXPECT_EQ(found->token_sha256, Sha("secret-a"));
  ASSERT_TRUE(found->token) << "the session's token was not read with it";
  EXPECT_EQ(found->token->id, token.id);
  EXPECT_EQ(found->token->name, "alice");
  EXPECT_EQ(found->token->role, Role::kSupport);
  EXPECT_FALSE(found->token->revoked_at);
  auto unknown = store_->FindUiSession(Sha("id-2"), clock_.Now());
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreSessionContractTest, AnotherHubOnTheSameDatabaseSeesTheSession) {
  AddToken("alice", "secret-a");
  Create(Session("id-1", Sha("secret-a")));
  auto other = GetParam().open(dir_.string(), &clock_);
  ASSERT_TRUE(other) << other.error().message;
  auto found = (*other)->FindUiSession(Sha("id-1"), clock_.Now());
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found->token);
  ASSERT_TRUE((*other)->DeleteUiSession(Sha("id-1")));
  EXPECT_FALSE(Live("id-1")) << "a sign-out on one hub left the session alive on another";
}

TEST_P(StoreSessionContractTest, ARevokedOrUnknownTokenShowsInTheSession) {
  const Token token = AddToken("alice", "secret-a");
  Create(Session("id-1", Sha("secret-a")));
  Create(Session("id-2", Sha("never-created")));
  Create(Session("anon"));
  ASSERT_TRUE(store_->RevokeToken(actor_, token.id, clock_.Now()));
  auto revoked = store_->FindUiSession(Sha("id-1"), clock_.Now());
  ASSERT_TRUE(revoked) << revoked.error().message;
  ASSERT_TRUE(revoked->token);
  EXPECT_TRUE(revoked->token->revoked_at) << "the revocation is not visible through the session";
  auto unknown = store_->FindUiSession(Sha("id-2"), clock_.Now());
  ASSERT_TRUE(unknown) << unknown.error().message;
  EXPECT_FALSE(unknown->token);
  auto anonymous = store_->FindUiSession(Sha("anon"), clock_.Now());
  ASSERT_TRUE(anonymous) << anonymous.error().message;
  EXPECT_EQ(anonymous->token_sha256, "");
  EXPECT_FALSE(anonymous->token);
}

TEST_P(StoreSessionContractTest, IdleExpiryEndsASessionAndTouchPushesItUpToTheAbsoluteOne) {
  Create(Session("id-1", Sha("t"), 1h, 3h));
  clock_.Advance(50min);
  ASSERT_TRUE(store_->TouchUiSession(Sha("id-1"), clock_.Now() + 1h));
  clock_.Advance(50min);  // 100 min after sign-in, 50 after the touch
  ASSERT_TRUE(Live("id-1")) << "the touch did not push the idle expiry";
  ASSERT_TRUE(store_->TouchUiSession(Sha("id-1"), clock_.Now() - 30min));
  auto kept = store_->FindUiSession(Sha("id-1"), clock_.Now());
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->expires_at, kept->absolute_expiry - 3h + 110min) << "a touch moved it back";
  ASSERT_TRUE(store_->TouchUiSession(Sha("id-1"), clock_.Now() + 10h));
  kept = store_->FindUiSession(Sha("id-1"), clock_.Now());
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->expires_at, kept->absolute_expiry) << "a touch went past the absolute expiry";
  clock_.Advance(80min);  // 3 h after sign-in
  EXPECT_FALSE(Live("id-1")) << "the absolute expiry did not end the session";
  Create(Session("id-2", "", 1h, 1h));
  clock_.Advance(1h);
  EXPECT_FALSE(Live("id-2")) << "an idle session outlived its idle expiry";
  ASSERT_TRUE(store_->TouchUiSession(Sha("unknown"), clock_.Now() + 1h));
}

TEST_P(StoreSessionContractTest, SignInReplacesThePreviousIdInOneStep) {
  Create(Session("anon"));
  Create(Session("signed-in", Sha("t")), Sha("anon"));
  EXPECT_FALSE(Live("anon")) << "the id before sign-in still works (session fixation)";
  EXPECT_TRUE(Live("signed-in"));
  Create(Session("again", Sha("t")), Sha("signed-in"));
  EXPECT_FALSE(Live("signed-in"));
  EXPECT_TRUE(Live("again"));
  auto taken = store_->CreateUiSession(Session("again"), "", clock_.Now(), 100);
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, ErrorCode::kAlreadyExists);
  EXPECT_TRUE(Live("again"));
}

TEST_P(StoreSessionContractTest, ExpiredSessionsArePurgedAndTheBoundDropsAnonymousOnesFirst) {
  Create(Session("short", "", 10min, 10min));
  Create(Session("old", Sha("t"), 2h));
  clock_.Advance(20min);
  auto count = store_->CountUiSessions(clock_.Now());
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 1);
  auto purged = store_->DeleteExpiredUiSessions(clock_.Now());
  ASSERT_TRUE(purged) << purged.error().message;
  EXPECT_EQ(*purged, 1);
  Create(Session("anon-1"), "", 3);
  Create(Session("new", Sha("t"), 3h), "", 3);
  Create(Session("anon-2"), "", 3);  // full: anon-1 (anonymous) goes, not "old"
  EXPECT_FALSE(Live("anon-1"));
  EXPECT_TRUE(Live("old"));
  EXPECT_TRUE(Live("new"));
  EXPECT_TRUE(Live("anon-2"));
  Create(Session("newest", Sha("t"), 4h), "", 2);  // bound 2: anon-2, then the closest to expiry
  EXPECT_FALSE(Live("anon-2"));
  EXPECT_FALSE(Live("old"));
  EXPECT_TRUE(Live("new"));
  EXPECT_TRUE(Live("newest"));
  count = store_->CountUiSessions(clock_.Now());
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 2);
}

TEST_P(StoreSessionContractTest, BadSessionsAreRefused) {
  UiSession bad = Session("x");
  bad.id_sha256 = "x";  // the id itself, not its hash
  EXPECT_EQ(store_->CreateUiSession(bad, "", clock_.Now(), 10).error().code,
            ErrorCode::kInvalidArgument);
  bad = Session("x", "not-a-hash");
  EXPECT_EQ(store_->CreateUiSession(bad, "", clock_.Now(), 10).error().code,
            ErrorCode::kInvalidArgument);
  bad = Session("x");
  bad.csrf_token.clear();
  EXPECT_EQ(store_->CreateUiSession(bad, "", clock_.Now(), 10).error().code,
            ErrorCode::kInvalidArgument);
  bad = Session("x");
  bad.expires_at = bad.absolute_expiry + 1s;
  EXPECT_EQ(store_->CreateUiSession(bad, "", clock_.Now(), 10).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateUiSession(Session("x"), "", clock_.Now(), 0).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_FALSE(Live("x"));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreSessionContractTest,
                         ::testing::ValuesIn(contract::AllFactories()), contract::FactoryName);

}  // namespace
}  // namespace certfleet::store
