// Contract tests of the discovery roles (InventoryBook, ExternalChallengeBoard) for every
// Store implementation.
#include <gtest/gtest.h>

#include "store/discovery_events.h"
#include "store/store_contract_fixture.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace certfleet::store {
namespace {

using namespace std::chrono_literals;

class DiscoveryContractTest : public contract::StoreContractTest {
 protected:
  MachineInventory Inventory(Id machine, const std::string& digest,
                             std::vector<std::string> names = {"shop.test"}) {
    MachineInventory inv;
    inv.machine_id = machine;
    inv.collected_at = clock_.Now();
    inv.digest = digest;
    inv.body_json = "{\"digest\":\"" + digest + "\"}";
    inv.problems = 1;
    for (const auto& n : names) {
      inv.entries.push_back({.machine_id = machine,
                             .name = n,
                             .origin = "file",
                             .sha256 = std::string(64, 'a'),
                             .not_after = clock_.Now() + 30 * 24h,
                             .path = "/etc/ssl/" + n + ".crt",
                             .status = "ok",
                             .config_file = "/etc/nginx/sites/" + n + ".conf",
                             .line = 4});
    }
    return inv;
  }
  std::vector<Event> EventsOfType(std::string_view type) {
    std::vector<Event> out;
    for (auto& e : AllEvents()) {
      if (e.type == type) out.push_back(e);
    }
    return out;
  }
  std::vector<AuditEntry> Audit(std::string_view action) {
    auto all = store_->ListAudit({.limit = 1000});
    EXPECT_TRUE(all) << all.error().message;
    std::vector<AuditEntry> out;
    for (auto& a : all.value_or(std::vector<AuditEntry>{})) {
      if (a.action == action) out.push_back(a);
    }
    return out;
  }
};

TEST_P(DiscoveryContractTest, AChangedInventoryIsStoredWithOneEventAnUnchangedOneOnlyTouched) {
  Machine m = AddMachine("web-01");
  ASSERT_TRUE(store_->PutInventory(actor_, Inventory(m.id, "d1")).value());
  clock_.Advance(10min);
  EXPECT_FALSE(store_->PutInventory(actor_, Inventory(m.id, "d1")).value())
      << "the same digest is no change";
  auto events = EventsOfType(events::kInventoryChanged);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].subject, "machine:web-01");
  EXPECT_EQ(Audit(events::kInventoryChanged).size(), 1u);
  auto stored = store_->GetInventory(m.id);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->body_json, "{\"digest\":\"d1\"}");
  EXPECT_EQ(stored->reported_at, clock_.Now()) << "reported_at follows every report";
  EXPECT_EQ(stored->changed_at, clock_.Now() - 10min);
  EXPECT_EQ(stored->problems, 1);
  ASSERT_TRUE(store_->PutInventory(actor_, Inventory(m.id, "d2", {"blog.test"})).value());
  auto entries = store_->ListInventoryEntries({.machine_id = m.id});
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 1u) << "a new report replaces the entries";
  EXPECT_EQ((*entries)[0].name, "blog.test");
  EXPECT_EQ((*entries)[0].line, 4);
}

TEST_P(DiscoveryContractTest, EntriesByNameExpiryAndMachine) {
  Machine a = AddMachine("web-01");
  Machine b = AddMachine("web-02");
  ASSERT_TRUE(store_->PutInventory(actor_, Inventory(a.id, "a", {"shop.test", "blog.test"})));
  ASSERT_TRUE(store_->PutInventory(actor_, Inventory(b.id, "b", {"shop.test"})));
  auto shop = store_->ListInventoryEntries({.name = "shop.test"});
  ASSERT_TRUE(shop);
  ASSERT_EQ(shop->size(), 2u);
  EXPECT_EQ((*shop)[0].machine_id, a.id);
  EXPECT_EQ((*shop)[1].machine_id, b.id);
  EXPECT_EQ(store_->ListInventoryEntries({.expiring_before = clock_.Now() + 29 * 24h})->size(), 0u);
  EXPECT_EQ(store_->ListInventoryEntries({.expiring_before = clock_.Now() + 31 * 24h})->size(), 3u);
  EXPECT_EQ(store_->ListInventories()->size(), 2u);
  EXPECT_TRUE(store_->ListInventories()->at(0).body_json.empty());
}

TEST_P(DiscoveryContractTest, UnknownMachinesAndEmptyDigestsAreRefused) {
  EXPECT_EQ(store_->PutInventory(actor_, Inventory(99, "d")).error().code, ErrorCode::kNotFound);
  Machine m = AddMachine("web-01");
  EXPECT_EQ(store_->PutInventory(actor_, Inventory(m.id, "")).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->GetInventory(m.id).error().code, ErrorCode::kNotFound);
}

TEST_P(DiscoveryContractTest, ManagedNamesCarryTheCurrentCertificate) {
  Domain d = AddDomain("shop.test");
  Domain bare = AddDomain("blog.test");
  AddCert(d.id, std::string(64, 'c'));
  auto names = store_->ListManagedNames();
  ASSERT_TRUE(names);
  ASSERT_EQ(names->size(), 2u);
  EXPECT_EQ((*names)[0].name, "shop.test");
  EXPECT_EQ((*names)[0].current_sha256, std::string(64, 'c'));
  EXPECT_EQ((*names)[1].domain_id, bare.id);
  EXPECT_TRUE((*names)[1].current_sha256.empty());
}

TEST_P(DiscoveryContractTest, UploadRequestsAreOnePerCertificateAndFinishOnce) {
  Machine m = AddMachine("web-01");
  Domain d = AddDomain("shop.test", {m.id});
  const std::string sha(64, 'b');
  auto first =
      store_->RequestUpload(actor_, {.machine_id = m.id, .domain_id = d.id, .sha256 = sha});
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->domain, "shop.test");
  EXPECT_EQ(first->state, UploadState::kPending);
  auto again =
      store_->RequestUpload(actor_, {.machine_id = m.id, .domain_id = d.id, .sha256 = sha});
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(store_->ListPendingUploads(m.id)->size(), 1u);
  auto failed = store_->FinishUpload(actor_, first->id, UploadState::kFailed, "gone");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->error, "gone");
  EXPECT_TRUE(store_->ListPendingUploads(std::nullopt)->empty());
  EXPECT_EQ(store_->FinishUpload(actor_, first->id, UploadState::kDone, "").error().code,
            ErrorCode::kConflict);
  auto retried =
      store_->RequestUpload(actor_, {.machine_id = m.id, .domain_id = d.id, .sha256 = sha});
  EXPECT_EQ(retried->state, UploadState::kPending) << "asking again after a failure retries";
  ASSERT_TRUE(store_->FinishUpload(actor_, first->id, UploadState::kDone, ""));
  EXPECT_EQ(store_->GetUploadRequest(first->id)->state, UploadState::kDone);
  EXPECT_EQ(Audit(events::kAuditUploadRequested).size(), 3u);
  EXPECT_EQ(Audit(events::kAuditUploadDone).size(), 1u);
  EXPECT_EQ(store_->RequestUpload(actor_, {.machine_id = 99, .domain_id = d.id, .sha256 = sha})
                .error()
                .code,
            ErrorCode::kNotFound);
}

TEST_P(DiscoveryContractTest, UploadRequestsGoWithTheirDomain) {
  Machine m = AddMachine("web-01");
  Domain d = AddDomain("shop.test", {m.id});
  auto r = store_->RequestUpload(actor_, {.machine_id = m.id, .domain_id = d.id, .sha256 = "x"});
  ASSERT_TRUE(r);
  ASSERT_TRUE(store_->DeleteDomain(actor_, d.id));
  EXPECT_TRUE(store_->ListPendingUploads(m.id)->empty());
  EXPECT_EQ(store_->GetUploadRequest(r->id).error().code, ErrorCode::kNotFound);
}

TEST_P(DiscoveryContractTest, ExternalChallengesAreServedUntilTheyExpireOrAreDeleted) {
  Domain d = AddDomain("shop.test");
  ExternalChallenge c{.token = "tok",
                      .key_authorization = "tok.thumb",
                      .domain_id = d.id,
                      .identifier = "www.shop.test",
                      .created_by = "token:2 (certbot)",
                      .expires_at = clock_.Now() + 10min};
  auto put = store_->PutExternalChallenge(actor_, c);
  ASSERT_TRUE(put) << put.error().message;
  EXPECT_EQ(store_->FindExternalChallenge("tok", clock_.Now()).value(), "tok.thumb");
  auto listed = store_->ListExternalChallenges(clock_.Now());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].identifier, "www.shop.test");
  EXPECT_EQ((*listed)[0].created_by, "token:2 (certbot)");
  clock_.Advance(10min);
  EXPECT_EQ(store_->FindExternalChallenge("tok", clock_.Now()).error().code, ErrorCode::kNotFound)
      << "expired at its expiry time";
  EXPECT_TRUE(store_->ListExternalChallenges(clock_.Now())->empty());
  c.token = "tok2";
  c.expires_at = clock_.Now() + 1h;
  ASSERT_TRUE(store_->PutExternalChallenge(actor_, c));
  ASSERT_TRUE(store_->DeleteExternalChallenge(actor_, "tok2"));
  EXPECT_FALSE(store_->FindExternalChallenge("tok2", clock_.Now()));
  EXPECT_EQ(store_->DeleteExternalChallenge(actor_, "tok2").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->DeleteExternalChallenge(actor_, "tok").error().code, ErrorCode::kNotFound)
      << "the expired one was swept by the next put";
  const auto audit = Audit(events::kAuditExternalChallengePut);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].target, "domain:shop.test");
  EXPECT_EQ(audit[0].details_json.find("tok.thumb"), std::string::npos)
      << "no key authorization in the audit log";
  EXPECT_EQ(Audit(events::kAuditExternalChallengeDelete).size(), 1u);
}

TEST_P(DiscoveryContractTest, ExternalChallengesNeedAKnownDomainAndAnAnswer) {
  EXPECT_EQ(store_
                ->PutExternalChallenge(actor_, {.token = "t",
                                                .key_authorization = "t.k",
                                                .domain_id = 42,
                                                .expires_at = clock_.Now() + 1h})
                .error()
                .code,
            ErrorCode::kNotFound);
  Domain d = AddDomain("shop.test");
  EXPECT_EQ(store_
                ->PutExternalChallenge(
                    actor_, {.token = "t", .domain_id = d.id, .expires_at = clock_.Now() + 1h})
                .error()
                .code,
            ErrorCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, DiscoveryContractTest,
                         ::testing::ValuesIn(contract::AllFactories()), contract::FactoryName);

}  // namespace
}  // namespace certfleet::store
