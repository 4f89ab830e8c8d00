// The token cache and the Authenticator that uses it (docs/design/2026-12-07-hub-pass-cost.md).
#include "hub/token_cache.h"

#include <gtest/gtest.h>

#include "hub/auth.h"
#include "store/testing/memory_store.h"

// Designated initializers leave the other members at their defaults (g++ 12 warns).
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace certfleet::hub {
namespace {

using namespace std::chrono_literals;

store::Token ValidToken(std::string hash = std::string(64, 'a')) {
  return store::Token{
      .id = 1, .name = "t", .role = store::Role::kReadonly, .secret_sha256 = std::move(hash)};
}

TEST(TokenCache, AnEntryIsTrustedUntilItsTtl) {
  TokenCache cache(5s);
  const TimePoint t0 = TimePoint(1'700'000'000s);
  cache.Put(ValidToken(), 0, t0);
  EXPECT_TRUE(cache.Find(std::string(64, 'a'), 0, t0 + 4999ms));
  EXPECT_FALSE(cache.Find(std::string(64, 'a'), 0, t0 + 5s))
      << "an entry older than the ttl must go to the store again (other replicas' revocations)";
}

TEST(TokenCache, AMovedRevocationCountDropsTheEntry) {
  TokenCache cache(5s);
  const TimePoint t0 = TimePoint(1'700'000'000s);
  cache.Put(ValidToken(), 3, t0);
  EXPECT_FALSE(cache.Find(std::string(64, 'a'), 4, t0)) << "this hub ended a token since";
  EXPECT_FALSE(cache.Find(std::string(64, 'a'), 3, t0)) << "a dropped entry must stay dropped";
}

TEST(TokenCache, AClockThatWentBackDropsTheEntry) {
  TokenCache cache(5s);
  const TimePoint t0 = TimePoint(1'700'000'000s);
  cache.Put(ValidToken(), 0, t0);
  EXPECT_FALSE(cache.Find(std::string(64, 'a'), 0, t0 - 1s));
}

TEST(TokenCache, RevokedTokensAreNeverCached) {
  TokenCache cache(5s);
  const TimePoint t0 = TimePoint(1'700'000'000s);
  store::Token revoked = ValidToken();
  revoked.revoked_at = t0;
  cache.Put(revoked, 0, t0);
  EXPECT_FALSE(cache.Find(std::string(64, 'a'), 0, t0));
}

TEST(TokenCache, AtCapacityExpiredEntriesGoFirst) {
  TokenCache cache(5s, 2);
  const TimePoint t0 = TimePoint(1'700'000'000s);
  cache.Put(ValidToken(std::string(64, 'a')), 0, t0);
  cache.Put(ValidToken(std::string(64, 'b')), 0, t0 + 4s);
  cache.Put(ValidToken(std::string(64, 'c')), 0, t0 + 6s);
  EXPECT_EQ(cache.size(), 2u) << "the cache must stay within its capacity";
  EXPECT_TRUE(cache.Find(std::string(64, 'b'), 0, t0 + 6s)) << "a trusted entry was evicted";
  EXPECT_TRUE(cache.Find(std::string(64, 'c'), 0, t0 + 6s));
}

// Counts the store's token lookups; everything else goes to the memory store.
class CountingTokens final : public store::TokenStore {
 public:
  explicit CountingTokens(store::Store& store) : store_(store) {}
  Result<store::Token> CreateToken(const store::Actor& a, const store::Token& t) override {
    return store_.CreateToken(a, t);
  }
  Result<store::Token> FindTokenByHash(std::string_view hash) override {
    ++lookups;
    return store_.FindTokenByHash(hash);
  }
  Result<std::vector<store::Token>> ListTokens() override { return store_.ListTokens(); }
  Status RevokeToken(const store::Actor& a, store::Id id, TimePoint at) override {
    return store_.RevokeToken(a, id, at);
  }
  Status TouchToken(store::Id id, TimePoint at) override {
    ++touches;
    return store_.TouchToken(id, at);
  }
  std::uint64_t TokenRevocations() const override { return store_.TokenRevocations(); }

  int lookups = 0;
  int touches = 0;

 private:
  store::Store& store_;
};

class AuthenticatorCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto machine = store_->CreateMachine(actor_, store::Machine{.name = "web-1"});
    ASSERT_TRUE(machine) << machine.error().message;
    machine_id_ = machine->id;
    auto issued = IssueToken(*store_, actor_, "agent", store::Role::kAgent, machine_id_);
    ASSERT_TRUE(issued) << issued.error().message;
    token_id_ = issued->token.id;
    header_ = "Bearer " + issued->secret;
  }

  FakeClock clock_;
  std::shared_ptr<store::testing::MemoryDatabase> db_ = store::testing::NewMemoryDatabase();
  std::unique_ptr<store::Store> store_ = store::testing::OpenMemoryStore(db_, &clock_);
  CountingTokens tokens_{*store_};
  Authenticator auth_{tokens_, clock_, 5s};
  store::Actor actor_{"test"};
  store::Id machine_id_ = 0;
  store::Id token_id_ = 0;
  std::string header_;
};

TEST_F(AuthenticatorCacheTest, AnAgentsPassReadsTheTokenOnce) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(auth_.Authenticate(header_));
  EXPECT_EQ(tokens_.lookups, 1) << "the four requests of a pass must not each read the store";
}

TEST_F(AuthenticatorCacheTest, ARevokedTokenIsRefusedOnTheNextRequest) {
  ASSERT_TRUE(auth_.Authenticate(header_));
  ASSERT_TRUE(store_->RevokeToken(actor_, token_id_, clock_.Now()));
  auto again = auth_.Authenticate(header_);
  ASSERT_FALSE(again) << "a token revoked on this hub was accepted from the cache";
  EXPECT_EQ(again.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AuthenticatorCacheTest, DeletingTheMachineRefusesItsAgentTokenOnTheNextRequest) {
  ASSERT_TRUE(auth_.Authenticate(header_));
  ASSERT_TRUE(store_->DeleteMachine(actor_, machine_id_));
  EXPECT_FALSE(auth_.Authenticate(header_))
      << "the agent token of a deleted machine was accepted from the cache";
}

TEST_F(AuthenticatorCacheTest, AnotherReplicasRevocationIsSeenWithinTheTtl) {
  auto other_hub = store::testing::OpenMemoryStore(db_, &clock_);
  ASSERT_TRUE(auth_.Authenticate(header_));
  ASSERT_TRUE(other_hub->RevokeToken(actor_, token_id_, clock_.Now()));
  clock_.Advance(5s);
  EXPECT_FALSE(auth_.Authenticate(header_))
      << "another replica's revocation must be seen once the cache entry is 5 s old";
}

TEST_F(AuthenticatorCacheTest, LastUseIsWrittenAtMostOnceAMinute) {
  ASSERT_TRUE(auth_.Authenticate(header_));
  clock_.Advance(4s);
  ASSERT_TRUE(auth_.Authenticate(header_));
  EXPECT_EQ(tokens_.touches, 1);
  clock_.Advance(61s);
  ASSERT_TRUE(auth_.Authenticate(header_));
  clock_.Advance(1s);
  ASSERT_TRUE(auth_.Authenticate(header_));
  EXPECT_EQ(tokens_.touches, 2) << "last use is written once a minute, cached or not";
}

}  // namespace
}  // namespace certfleet::hub
