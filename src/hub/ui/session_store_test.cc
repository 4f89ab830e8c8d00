#include "hub/ui/session_store.h"

#include <gtest/gtest.h>

#include "common/encoding.h"
#include "crypto/hash.h"
#include "store/testing/memory_store.h"

namespace certfleet::hub::ui {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// A SessionStore on a memory store that holds one support token ("alice", id 1).
class SessionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto token = store_->CreateToken(
        store::Actor{"test"},
        store::Token{.name = "alice", .role = store::Role::kSupport, .secret_sha256 = kTokenHash});
    ASSERT_TRUE(token) << token.error().message;
    principal_.token_id = token->id;
    principal_.token_name = "alice";
    principal_.role = store::Role::kSupport;
  }
  SessionStore Sessions(SessionOptions options = {}) {
    return SessionStore(*store_, clock_, options);
  }
  Session SignIn(SessionStore& sessions, std::string_view previous = "") {
    auto s = sessions.SignIn(previous, principal_, kTokenHash);
    EXPECT_TRUE(s) << s.error().message;
    return s.value_or(Session{});
  }
  Session Anonymous(SessionStore& sessions) {
    auto s = sessions.CreateAnonymous();
    EXPECT_TRUE(s) << s.error().message;
    return s.value_or(Session{});
  }

  const std::string kTokenHash = HexEncode(crypto::Sha256("cf_secret"));
  FakeClock clock_;
  std::unique_ptr<store::Store> store_ =
      store::testing::OpenMemoryStore(store::testing::NewMemoryDatabase(), &clock_);
  Principal principal_;
};

TEST_F(SessionStoreTest, IdsAndCsrfTokensAreLongRandomAndDistinct) {
  SessionStore sessions = Sessions();
  const Session a = Anonymous(sessions);
  const Session b = Anonymous(sessions);
  EXPECT_EQ(a.id.size(), 64u) << "32 random bytes as hex";
  EXPECT_EQ(a.csrf_token.size(), 64u);
  EXPECT_NE(a.id, b.id);
  EXPECT_NE(a.csrf_token, b.csrf_token);
  EXPECT_NE(a.id, a.csrf_token) << "the CSRF token must not reveal the session id";
}

TEST_F(SessionStoreTest, SignInIssuesANewIdAndEndsTheAnonymousOne) {
  SessionStore sessions = Sessions();
  const Session anonymous = Anonymous(sessions);
  const Session signed_in = SignIn(sessions, anonymous.id);
  EXPECT_NE(signed_in.id, anonymous.id) << "a fixed pre-sign-in id must not survive sign-in";
  EXPECT_NE(signed_in.csrf_token, anonymous.csrf_token);
  EXPECT_FALSE(sessions.Find(anonymous.id)) << "the anonymous session must end at sign-in";
  auto found = sessions.Find(signed_in.id);
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->signed_in());
  EXPECT_EQ(found->principal->token_id, principal_.token_id);
  EXPECT_EQ(found->principal->token_name, "alice");
  EXPECT_EQ(found->csrf_token, signed_in.csrf_token);
  EXPECT_EQ(found->token_sha256, kTokenHash);
}

TEST_F(SessionStoreTest, AnotherSessionStoreOnTheSameDatabaseKnowsTheSession) {
  SessionStore hub_a = Sessions();
  SessionStore hub_b = Sessions();
  const Session s = SignIn(hub_a);
  auto found = hub_b.Find(s.id);
  ASSERT_TRUE(found) << "a second hub on the same database does not know the session";
  EXPECT_EQ(found->csrf_token, s.csrf_token);
  hub_b.Remove(s.id);
  EXPECT_FALSE(hub_a.Find(s.id)) << "signing out on one hub left the session alive on another";
}

TEST_F(SessionStoreTest, ARevokedTokenEndsTheSession) {
  SessionStore sessions = Sessions();
  const Session s = SignIn(sessions);
  ASSERT_TRUE(store_->RevokeToken(store::Actor{"test"}, principal_.token_id, clock_.Now()));
  EXPECT_FALSE(sessions.Find(s.id)) << "a session outlived the revocation of its token";
  EXPECT_EQ(sessions.size(), 0u) << "the revoked session was not deleted";
}

TEST_F(SessionStoreTest, UnknownAndEmptyIdsAreNotFound) {
  SessionStore sessions = Sessions();
  Anonymous(sessions);
  EXPECT_FALSE(sessions.Find(""));
  EXPECT_FALSE(sessions.Find("0000"));
}

TEST_F(SessionStoreTest, IdleSessionExpiresButActivityKeepsItAlive) {
  SessionStore sessions = Sessions({.idle_timeout = hours(1), .absolute_timeout = hours(10)});
  const Session s = SignIn(sessions);
  clock_.SleepFor(minutes(50));
  ASSERT_TRUE(sessions.Find(s.id)) << "used within the idle timeout";
  clock_.SleepFor(minutes(50));
  ASSERT_TRUE(sessions.Find(s.id)) << "the previous request pushed the idle expiry forward";
  clock_.SleepFor(minutes(61));
  EXPECT_FALSE(sessions.Find(s.id)) << "idle for longer than the idle timeout";
}

TEST_F(SessionStoreTest, RequestsWithinATouchStepDoNotWrite) {
  SessionStore sessions = Sessions({.idle_timeout = hours(1), .touch_step = minutes(1)});
  const Session s = SignIn(sessions);
  clock_.SleepFor(seconds(30));
  auto found = sessions.Find(s.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->expires_at, s.expires_at) << "wrote the idle expiry for a 30 s move";
  clock_.SleepFor(seconds(31));
  found = sessions.Find(s.id);
  ASSERT_TRUE(found);
  EXPECT_GT(found->expires_at, s.expires_at + seconds(60)) << "a 61 s move was not written";
  auto row = store_->FindUiSession(HexEncode(crypto::Sha256(s.id)), clock_.Now());
  ASSERT_TRUE(row) << row.error().message;
  EXPECT_GT(row->expires_at, s.expires_at + seconds(60)) << "the database kept the old expiry";
}

TEST_F(SessionStoreTest, TheDatabaseHoldsOnlyTheHashOfTheId) {
  SessionStore sessions = Sessions();
  const Session s = SignIn(sessions);
  EXPECT_FALSE(store_->FindUiSession(s.id, clock_.Now())) << "the id itself is a key";
  EXPECT_TRUE(store_->FindUiSession(HexEncode(crypto::Sha256(s.id)), clock_.Now()));
}

TEST_F(SessionStoreTest, AbsoluteTimeoutEndsEvenAnActiveSession) {
  SessionStore sessions = Sessions({.idle_timeout = hours(1), .absolute_timeout = hours(2)});
  const Session s = SignIn(sessions);
  for (int i = 0; i < 3; ++i) {
    clock_.SleepFor(minutes(35));
    ASSERT_TRUE(sessions.Find(s.id)) << "step " << i << ": active and within two hours";
  }
  clock_.SleepFor(minutes(16));
  EXPECT_FALSE(sessions.Find(s.id)) << "two hours after sign-in, however active";
}

TEST_F(SessionStoreTest, AnonymousSessionsExpireSooner) {
  SessionStore sessions = Sessions({.anonymous_timeout = minutes(30)});
  const Session s = Anonymous(sessions);
  clock_.SleepFor(minutes(31));
  EXPECT_FALSE(sessions.Find(s.id));
}

TEST_F(SessionStoreTest, RemoveSignsOut) {
  SessionStore sessions = Sessions();
  const Session s = SignIn(sessions);
  sessions.Remove(s.id);
  EXPECT_FALSE(sessions.Find(s.id));
  sessions.Remove("unknown");  // no effect, no crash
}

TEST_F(SessionStoreTest, WhenFullDropsAnonymousSessionsBeforeSignedInOnes) {
  SessionStore sessions = Sessions({.max_sessions = 3});
  const Session signed_in = SignIn(sessions);
  for (int i = 0; i < 10; ++i) Anonymous(sessions);
  EXPECT_LE(sessions.size(), 3u);
  EXPECT_TRUE(sessions.Find(signed_in.id)) << "a flood of sign-in forms must not sign people out";
}

}  // namespace
}  // namespace certfleet::hub::ui
