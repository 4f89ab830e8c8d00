// Contract tests of the outbox vocabulary: every backend persists exactly the events the
// backend-neutral builders (store/events.h) produce, in the same transaction, and
// signals its commit listener.
#include <gtest/gtest.h>

#include <atomic>

#include "store/events.h"
#include "store/store_contract_fixture.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace certfleet::store {
namespace events {
// How gtest shows a draft in a failure message.
void PrintTo(const EventDraft& d, std::ostream* os) {
  *os << d.type << " [" << d.subject << "] " << d.payload_json;
}
}  // namespace events

namespace {

using namespace std::chrono_literals;

class StoreEventContractTest : public contract::StoreContractTest {
 protected:
  // The events appended since `since`, as (type, subject, payload) drafts.
  std::vector<events::EventDraft> DraftsSince(Revision since) {
    std::vector<events::EventDraft> out;
    auto list = store_->ListEventsSince(since, 1000);
    EXPECT_TRUE(list) << list.error().message;
    for (const auto& e : list.value_or(std::vector<Event>{})) {
      out.push_back({e.type, e.subject, e.payload_json});
    }
    return out;
  }
  Revision Now() { return store_->MaxRevision().value_or(-1); }
};

TEST_P(StoreEventContractTest, DomainCreationPersistsTheBuildersEvents) {
  Machine web = AddMachine("web-1");
  const Revision before = Now();
  Domain d = AddDomain("shop.example.com", {web.id});
  EXPECT_EQ(DraftsSince(before), (std::vector<events::EventDraft>{
                                     events::DomainCreated(d),
                                     events::DesiredChanged(web.id, "web-1", "shop.example.com")}));
}

TEST_P(StoreEventContractTest, UpdateTellsOnlyTheMachinesItAffects) {
  Machine a = AddMachine("web-a");
  Machine b = AddMachine("web-b");
  Machine c = AddMachine("web-c");
  Domain d = AddDomain("shop.example.com", {a.id, b.id});
  const Revision before = Now();
  Domain changed = d;
  changed.machine_ids = {b.id, c.id};
  auto updated = store_->UpdateDomain(actor_, changed);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(DraftsSince(before), (std::vector<events::EventDraft>{
                                     events::DomainUpdated(d, *updated),
                                     events::DesiredChanged(a.id, "web-a", "shop.example.com"),
                                     events::DesiredChanged(c.id, "web-c", "shop.example.com")}));
}

TEST_P(StoreEventContractTest, CertificateEventsFollowTheBuilders) {
  Machine web = AddMachine("web-1");
  Domain d = AddDomain("shop.example.com", {web.id});
  Revision before = Now();
  CertificateVersion first = AddCert(d.id, "aa");
  EXPECT_EQ(DraftsSince(before), (std::vector<events::EventDraft>{
                                     events::CertificateStored(d, first),
                                     events::DesiredChanged(web.id, "web-1", "shop.example.com")}));
  Domain with_first = *store_->GetDomain(d.id);
  before = Now();
  CertificateVersion second = AddCert(d.id, "bb");
  auto drafts = DraftsSince(before);
  ASSERT_FALSE(drafts.empty());
  EXPECT_EQ(drafts[0], events::CertificateStored(with_first, second));
  EXPECT_EQ(drafts[0].type, events::kCertificateRenewed);
}

TEST_P(StoreEventContractTest, EveryAuditedMutationAuditsItsEventPayload) {
  const Revision before = Now();
  Customer c = AddCustomer("ACME GmbH");
  auto audit = store_->ListAudit(AuditQuery{.target = "customer:ACME GmbH"});
  ASSERT_TRUE(audit) << audit.error().message;
  ASSERT_EQ(audit->size(), 1u);
  const auto expected = events::CustomerCreated(c);
  EXPECT_EQ((*audit)[0].action, expected.type);
  EXPECT_EQ((*audit)[0].details_json, expected.payload_json);
  EXPECT_EQ(DraftsSince(before), (std::vector<events::EventDraft>{expected}));
}

TEST_P(StoreEventContractTest, CommitListenerHearsEveryAppendingCommit) {
  std::atomic<Revision> heard{0};
  store_->SetCommitListener([&](Revision r) { heard = r; });
  AddCustomer("a");
  EXPECT_EQ(heard.load(), Now()) << "the listener did not get the committed revision";
  const Revision quiet = heard.load();
  ASSERT_TRUE(store_->SetCursor("notifier", 5));  // housekeeping appends nothing
  EXPECT_EQ(heard.load(), quiet);
  store_->SetCommitListener(nullptr);
  AddCustomer("b");
  EXPECT_EQ(heard.load(), quiet) << "a removed listener was still called";
}

TEST_P(StoreEventContractTest, RelayCursorAndPublishingAreIdempotent) {
  AddCustomer("a");
  AddCustomer("b");
  auto unpublished = store_->ListUnpublishedEvents(10);
  ASSERT_TRUE(unpublished);
  ASSERT_EQ(unpublished->size(), 2u);
  ASSERT_TRUE(store_->MarkEventsPublished({(*unpublished)[0].revision}, clock_.Now()));
  ASSERT_TRUE(store_->MarkEventsPublished({(*unpublished)[0].revision}, clock_.Now() + 1h));
  auto rest = store_->ListUnpublishedEvents(10);
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].revision, (*unpublished)[1].revision);
  auto first = store_->ListEventsSince(0, 1);
  ASSERT_TRUE(first);
  EXPECT_EQ((*first)[0].published_at, std::optional<TimePoint>(clock_.Now()))
      << "a second mark moved published_at";
  EXPECT_EQ(*store_->GetCursor("relay"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreEventContractTest,
                         ::testing::ValuesIn(contract::AllFactories()), contract::FactoryName);

}  // namespace
}  // namespace certfleet::store
