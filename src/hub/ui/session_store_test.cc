#include "hub/ui/session_store.h"

#include <gtest/gtest.h>

namespace certfleet::hub::ui {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

Principal Support() {
  Principal p;
  p.token_id = 7;
  p.token_name = "alice";
  p.role = store::Role::kSupport;
  return p;
}

TEST(SessionStoreTest, IdsAndCsrfTokensAreLongRandomAndDistinct) {
  FakeClock clock;
  SessionStore store(clock);
  const Session a = store.CreateAnonymous();
  const Session b = store.CreateAnonymous();
  EXPECT_EQ(a.id.size(), 64u) << "32 random bytes as hex";
  EXPECT_EQ(a.csrf_token.size(), 64u);
  EXPECT_NE(a.id, b.id);
  EXPECT_NE(a.csrf_token, b.csrf_token);
  EXPECT_NE(a.id, a.csrf_token) << "the CSRF token must not reveal the session id";
}

TEST(SessionStoreTest, SignInIssuesANewIdAndEndsTheAnonymousOne) {
  FakeClock clock;
  SessionStore store(clock);
  const Session anonymous = store.CreateAnonymous();
  const Session signed_in = store.SignIn(anonymous.id, Support(), "abc");
  EXPECT_NE(signed_in.id, anonymous.id) << "a fixed pre-sign-in id must not survive sign-in";
  EXPECT_NE(signed_in.csrf_token, anonymous.csrf_token);
  EXPECT_FALSE(store.Find(anonymous.id)) << "the anonymous session must end at sign-in";
  auto found = store.Find(signed_in.id);
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->signed_in());
  EXPECT_EQ(found->principal->token_id, 7);
  EXPECT_EQ(found->token_sha256, "abc");
}

TEST(SessionStoreTest, UnknownAndEmptyIdsAreNotFound) {
  FakeClock clock;
  SessionStore store(clock);
  store.CreateAnonymous();
  EXPECT_FALSE(store.Find(""));
  EXPECT_FALSE(store.Find("0000"));
}

TEST(SessionStoreTest, IdleSessionExpiresButActivityKeepsItAlive) {
  FakeClock clock;
  SessionStore store(clock, {.idle_timeout = hours(1), .absolute_timeout = hours(10)});
  const Session s = store.SignIn("", Support(), "h");
  clock.SleepFor(minutes(50));
  ASSERT_TRUE(store.Find(s.id)) << "used within the idle timeout";
  clock.SleepFor(minutes(50));
  ASSERT_TRUE(store.Find(s.id)) << "the previous request pushed the idle expiry forward";
  clock.SleepFor(minutes(61));
  EXPECT_FALSE(store.Find(s.id)) << "idle for longer than the idle timeout";
}

TEST(SessionStoreTest, AbsoluteTimeoutEndsEvenAnActiveSession) {
  FakeClock clock;
  SessionStore store(clock, {.idle_timeout = hours(1), .absolute_timeout = hours(2)});
  const Session s = store.SignIn("", Support(), "h");
  for (int i = 0; i < 3; ++i) {
    clock.SleepFor(minutes(35));
    ASSERT_TRUE(store.Find(s.id)) << "step " << i << ": active and within two hours";
  }
  clock.SleepFor(minutes(16));
  EXPECT_FALSE(store.Find(s.id)) << "two hours after sign-in, however active";
}

TEST(SessionStoreTest, AnonymousSessionsExpireSooner) {
  FakeClock clock;
  SessionStore store(clock, {.anonymous_timeout = minutes(30)});
  const Session s = store.CreateAnonymous();
  clock.SleepFor(minutes(31));
  EXPECT_FALSE(store.Find(s.id));
}

TEST(SessionStoreTest, RemoveSignsOut) {
  FakeClock clock;
  SessionStore store(clock);
  const Session s = store.SignIn("", Support(), "h");
  store.Remove(s.id);
  EXPECT_FALSE(store.Find(s.id));
  store.Remove("unknown");  // no effect, no crash
}

TEST(SessionStoreTest, WhenFullDropsAnonymousSessionsBeforeSignedInOnes) {
  FakeClock clock;
  SessionStore store(clock, {.max_sessions = 3});
  const Session signed_in = store.SignIn("", Support(), "h");
  for (int i = 0; i < 10; ++i) store.CreateAnonymous();
  EXPECT_LE(store.size(), 3u);
  EXPECT_TRUE(store.Find(signed_in.id)) << "a flood of sign-in forms must not sign people out";
}

}  // namespace
}  // namespace certfleet::hub::ui
