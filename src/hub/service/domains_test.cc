// The rules of saving a domain, without HTTP: validation, the schedule, the wake.
#include "hub/service/domains.h"

#include "crypto/testing/test_ca.h"
#include "hub/service/lookup.h"
#include "hub/service/service_test_fixture.h"

namespace certfleet::hub::service {
namespace {

class DomainServiceTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    ASSERT_NO_FATAL_FAILURE(MakeCustomer("acme-shop"));
    ASSERT_NO_FATAL_FAILURE(MakeMachine("web-1"));
    ASSERT_NO_FATAL_FAILURE(MakeMachine("web-2"));
  }

  store::Domain Create(DomainInput in) {
    auto d = CreateDomain(*s_, actor_, in);
    EXPECT_TRUE(d) << d.error().message;
    return d ? *d : store::Domain{};
  }

  std::vector<std::string> MachinesOf(const store::Domain& d) {
    std::vector<std::string> names;
    for (auto id : d.machine_ids) names.push_back(store_->GetMachine(id)->name);
    return names;
  }

  static std::string ErrorOf(const Result<store::Domain>& r) { return r ? "" : r.error().message; }
};

TEST_F(DomainServiceTest, AnAcmeDomainIsDueAtOnceAndWakesTheWorker) {
  auto d = Create({.name = "Shop.Example.COM", .customer = "acme-shop", .machines = {{"web-1"}}});
  EXPECT_EQ(d.name, "shop.example.com");
  EXPECT_EQ(d.issuer, "pebble") << "the first configured issuer is the default";
  EXPECT_EQ(d.status, store::DomainStatus::kPending);
  EXPECT_EQ(d.next_attempt_at, clock_.Now());
  EXPECT_EQ(wakes_, 1);
}

TEST_F(DomainServiceTest, AManualDomainWaitsForAnUploadWithoutWaking) {
  auto d = Create({.name = "manual.example.com", .issuer = "manual"});
  EXPECT_EQ(d.status, store::DomainStatus::kPending);
  EXPECT_FALSE(d.next_attempt_at.has_value());
  EXPECT_EQ(wakes_, 0);
}

TEST_F(DomainServiceTest, CreateNeedsAName) {
  EXPECT_EQ(ErrorOf(CreateDomain(*s_, actor_, {})).rfind("Domain name: enter the name", 0), 0u);
}

TEST_F(DomainServiceTest, UnknownReferencesNameTheFieldAndSuggest) {
  auto r = CreateDomain(*s_, actor_, {.name = "a.example.com", .customer = "ACME-shop"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().message,
            "Customer: customer 'ACME-shop' not found (did you mean 'acme-shop'?)");
  EXPECT_EQ(ErrorOf(CreateDomain(*s_, actor_, {.name = "a.example.com", .machines = {{"web-3"}}})),
            "Machines: machine 'web-3' not found (did you mean 'web-1'?)");
  EXPECT_EQ(store_->ListDomains({})->total, 0) << "a refused create stores nothing";
}

TEST_F(DomainServiceTest, MovingToAnotherMachineKeepsTheScheduleAndDoesNotWake) {
  auto d = Create({.name = "a.example.com", .machines = {{"web-1"}}});
  clock_.Advance(std::chrono::minutes(5));
  auto moved = UpdateDomain(*s_, actor_, "a.example.com",
                            {.add_machines = {"web-2"}, .remove_machines = {"web-1"}});
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(MachinesOf(*moved), std::vector<std::string>{"web-2"});
  EXPECT_EQ(moved->next_attempt_at, d.next_attempt_at) << "a move needs no new certificate";
  EXPECT_EQ(wakes_, 1) << "only the create woke the worker";
}

TEST_F(DomainServiceTest, ANewOtherNameMakesItDueNow) {
  Create({.name = "a.example.com"});
  clock_.Advance(std::chrono::minutes(5));
  auto d = UpdateDomain(*s_, actor_, "A.example.com.", {.add_sans = {"WWW.a.example.com"}});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->sans, std::vector<std::string>{"www.a.example.com"});
  EXPECT_EQ(d->next_attempt_at, clock_.Now());
  EXPECT_EQ(wakes_, 2);
  auto removed = UpdateDomain(*s_, actor_, "a.example.com", {.remove_sans = {"www.A.example.com"}});
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_TRUE(removed->sans.empty()) << "removal compares canonical names";
}

TEST_F(DomainServiceTest, SwitchingToManualStopsOrdering) {
  Create({.name = "a.example.com"});
  auto d = UpdateDomain(*s_, actor_, "a.example.com", {.issuer = "manual"});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_FALSE(d->next_attempt_at.has_value());
  EXPECT_EQ(wakes_, 1);
}

TEST_F(DomainServiceTest, AStaleVersionIsAConflict) {
  auto d = Create({.name = "a.example.com"});
  ASSERT_TRUE(UpdateDomain(*s_, actor_, "a.example.com", {.customer = "acme-shop"}));
  auto stale = UpdateDomain(*s_, actor_, "a.example.com", {.customer = "", .version = d.version});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_NE(stale.error().message.find("changed by someone else"), std::string::npos);
}

TEST_F(DomainServiceTest, RenamingIsRefused) {
  Create({.name = "a.example.com"});
  EXPECT_EQ(ErrorOf(UpdateDomain(*s_, actor_, "a.example.com", {.name = "b.example.com"}))
                .rfind("Domain name: a domain cannot be renamed", 0),
            0u);
}

TEST_F(DomainServiceTest, TheButtonOnAManualDomainSaysWhatToDoInstead) {
  Create({.name = "m.example.com", .issuer = "manual"});
  auto r = RequestIssuance(*s_, actor_, "m.example.com");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_NE(r.error().message.find("certfleet cert upload m.example.com"), std::string::npos);
  EXPECT_EQ(wakes_, 0);
}

TEST_F(DomainServiceTest, TheButtonMakesItDueAndWakes) {
  Create({.name = "a.example.com"});
  clock_.Advance(std::chrono::hours(1));
  auto d = RequestIssuance(*s_, actor_, "a.example.com");
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->next_attempt_at, clock_.Now());
  EXPECT_EQ(wakes_, 2);
}

TEST_F(DomainServiceTest, DeleteRemovesIt) {
  Create({.name = "a.example.com"});
  ASSERT_TRUE(DeleteDomain(*s_, actor_, "A.example.com"));
  auto again = DeleteDomain(*s_, actor_, "a.example.com");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

TEST_F(DomainServiceTest, AnotherNameIsNotFoundButItsDomainIsNamed) {
  Create({.name = "shop.example.com", .sans = {{"www.shop.example.com", "shop.example.net"}}});
  for (const auto* name : {"WWW.shop.example.com.", "www.shop.example.com"}) {
    auto d = FindDomain(*store_, name);
    ASSERT_FALSE(d) << name << " must not find the domain it is a SAN of (writes go by own name)";
    EXPECT_EQ(d.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(d.error().message,
              "domain www.shop.example.com not found: it is another name (SAN) of the domain "
              "shop.example.com");
  }
  EXPECT_EQ(FindDomain(*store_, "shop.example.net").error().message,
            "domain shop.example.net not found: it is another name (SAN) of the domain "
            "shop.example.com")
      << "a SAN outside the domain's own tree names its domain too";
  auto del = DeleteDomain(*s_, actor_, "www.shop.example.com");
  ASSERT_FALSE(del);
  EXPECT_TRUE(FindDomain(*store_, "shop.example.com")) << "deleting a SAN deletes nothing";
  EXPECT_EQ(FindDomain(*store_, "api.shop.example.com").error().message,
            "domain api.shop.example.com not found")
      << "a name under the domain that it does not list is just not found";
}

TEST_F(DomainServiceTest, UploadMakesAManualDomainValid) {
  Create({.name = "m.example.com", .issuer = "manual"});
  auto ca = crypto::testing::TestCa::Create();
  ASSERT_TRUE(ca) << ca.error().message;
  auto leaf = ca->Issue({.dns_names = {"m.example.com"}});
  ASSERT_TRUE(leaf) << leaf.error().message;
  auto wrong = ca->Issue({.dns_names = {"other.example.com"}});
  ASSERT_TRUE(wrong);
  auto refused = UploadCertificate(*s_, actor_, "m.example.com", wrong->chain_pem, wrong->key_pem);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message.rfind("upload for m.example.com: the certificate does not "
                                          "cover m.example.com",
                                          0),
            0u)
      << refused.error().message;
  auto stored = UploadCertificate(*s_, actor_, "m.example.com", leaf->chain_pem, leaf->key_pem);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(store_->GetDomainByName("m.example.com")->status, store::DomainStatus::kValid);
}

TEST_F(DomainServiceTest, UploadForAnAcmeDomainIsRefused) {
  Create({.name = "a.example.com"});
  auto r = UploadCertificate(*s_, actor_, "a.example.com", "x", "y");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
}

}  // namespace
}  // namespace certfleet::hub::service
