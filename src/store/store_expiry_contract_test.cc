// Contract tests of Catalog::ListExpiryCandidates, the expiry scan's read, on every
// backend: only domains that may need a warning (manual, failed, failing, or ending within
// `ending_soon`) with a certificate ending before `ending_before`, in (not_after, id)
// order, in keyset pages that visit each once — and a domain leaves the list as soon as
// its renewal succeeds.
#include <gtest/gtest.h>

#include <set>

#include "store/store_contract_fixture.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace certfleet::store {
namespace {

using namespace std::chrono_literals;
constexpr std::chrono::hours kDay{24};

class ExpiryCandidatesContractTest : public contract::StoreContractTest {
 protected:
  // A domain of `issuer` whose current certificate ends `left` from now.
  Domain WithCertificate(const std::string& name, Duration left,
                         const std::string& issuer = "letsencrypt") {
    Domain d;
    d.name = name;
    d.issuer = issuer;
    d.key_type = "ec256";
    auto created = store_->CreateDomain(actor_, d);
    EXPECT_TRUE(created) << created.error().message;
    CertificateVersion c;
    c.domain_id = created.value_or(Domain{}).id;
    c.chain_pem = "-----BEGIN CERTIFICATE-----\n...";
    c.encrypted_key = "cfv1 sealed";
    c.serial = "0a";
    c.sha256 = name + "-sha";
    c.not_before = clock_.Now() - kDay;
    c.not_after = clock_.Now() + left;
    if (issuer == kManualIssuer) c.source = CertificateSource::kManual;
    auto stored = store_->AddCertificate(actor_, c);
    EXPECT_TRUE(stored) << stored.error().message;
    return store_->GetDomain(c.domain_id).value_or(Domain{});
  }
  // Sets the domain's status and failure count as the API's update would.
  void SetState(Id id, DomainStatus status, int failures) {
    Domain d = store_->GetDomain(id).value();
    d.status = status;
    d.failure_count = failures;
    auto updated = store_->UpdateDomain(actor_, d);
    ASSERT_TRUE(updated) << updated.error().message;
  }
  // The scan's query at now: certificates ending within 30 days, whatever the state within 1.
  std::vector<std::string> Candidates(std::int64_t limit = 500) {
    std::vector<std::string> names;
    ExpiryCandidateQuery q{.ending_before = clock_.Now() + 30 * kDay,
                           .ending_soon = clock_.Now() + kDay,
                           .limit = limit};
    while (true) {
      auto page = store_->ListExpiryCandidates(q);
      EXPECT_TRUE(page) << page.error().message;
      if (!page) return names;
      for (const Domain& d : *page) names.push_back(d.name);
      if (static_cast<std::int64_t>(page->size()) < limit) return names;
      q.after = std::make_pair(*page->back().current_not_after, page->back().id);
    }
  }
};

TEST_P(ExpiryCandidatesContractTest, ListsOnlyDomainsThatMayNeedAWarningInOrderOfTheirEnd) {
  WithCertificate("healthy.example.com", 20 * kDay);
  SetState(WithCertificate("failed.example.com", 20 * kDay).id, DomainStatus::kFailed, 3);
  SetState(WithCertificate("failing.example.com", 10 * kDay).id, DomainStatus::kRenewing, 1);
  WithCertificate("manual.example.com", 25 * kDay, std::string(kManualIssuer));
  WithCertificate("last-day.example.com", 12h);
  SetState(WithCertificate("failed-later.example.com", 40 * kDay).id, DomainStatus::kFailed, 1);
  SetState(AddDomain("never-issued.example.com").id, DomainStatus::kFailed, 2);
  using Names = std::vector<std::string>;
  EXPECT_EQ(Candidates(), (Names{"last-day.example.com", "failing.example.com",
                                 "failed.example.com", "manual.example.com"}))
      << "a healthy ACME domain renews by itself; beyond 30 days or without a certificate "
         "there is nothing to warn about";
}

TEST_P(ExpiryCandidatesContractTest, KeysetPagesVisitEveryCandidateOnceAcrossEqualEnds) {
  std::vector<std::string> expected;
  for (int i = 0; i < 7; ++i) {
    const std::string name = "f" + std::to_string(i) + ".example.com";
    // Pairs share an end: the id breaks the tie, so no page boundary loses or repeats one.
    SetState(WithCertificate(name, (5 + i / 2) * kDay).id, DomainStatus::kFailed, 1);
    expected.push_back(name);
  }
  EXPECT_EQ(Candidates(3), expected);
  EXPECT_EQ(Candidates(2), expected);
  EXPECT_EQ(Candidates(1000), expected);
}

TEST_P(ExpiryCandidatesContractTest, ADomainLeavesTheListWhenItsRenewalSucceeds) {
  const Domain d = AddDomain("renewing.example.com", {}, clock_.Now() - 1s);
  auto claimed = store_->ClaimDueDomains({.owner = "w", .now = clock_.Now()});
  ASSERT_TRUE(claimed && claimed->size() == 1u);
  Lease lease{d.id, "w", claimed->front().lease_until.value()};
  CertificateVersion c{.domain_id = d.id,
                       .chain_pem = "-----BEGIN CERTIFICATE-----\n...",
                       .encrypted_key = "cfv1 sealed",
                       .serial = "01",
                       .not_before = clock_.Now() - kDay,
                       .not_after = clock_.Now() + 10 * kDay,
                       .sha256 = "first"};
  ASSERT_TRUE(store_->AddCertificate(actor_, c));
  auto failed = store_->UpdateAttempt(actor_, lease,
                                      {.status = DomainStatus::kFailed,
                                       .last_error = "CA down",
                                       .failure_count = 1,
                                       .next_attempt_at = clock_.Now() - 1s,
                                       .release = true});
  ASSERT_TRUE(failed) << failed.error().message;
  EXPECT_EQ(Candidates(), std::vector<std::string>{"renewing.example.com"}) << "failing";
  claimed = store_->ClaimDueDomains({.owner = "w", .now = clock_.Now()});
  ASSERT_TRUE(claimed && claimed->size() == 1u);
  lease.until = claimed->front().lease_until.value();
  c.sha256 = "second";
  c.not_before = clock_.Now();
  c.not_after = clock_.Now() + 20 * kDay;
  ASSERT_TRUE(store_->AddCertificate(actor_, c));
  auto valid = store_->UpdateAttempt(actor_, lease,
                                     {.status = DomainStatus::kValid,
                                      .next_attempt_at = clock_.Now() + 10 * kDay,
                                      .renew_at = clock_.Now() + 10 * kDay,
                                      .release = true});
  ASSERT_TRUE(valid) << valid.error().message;
  EXPECT_TRUE(Candidates().empty()) << "renewed: it renews by itself again";
  clock_.Advance(19 * kDay + 1h);
  EXPECT_EQ(Candidates(), std::vector<std::string>{"renewing.example.com"})
      << "with less than a day left it is listed whatever its state";
}

INSTANTIATE_TEST_SUITE_P(Backends, ExpiryCandidatesContractTest,
                         ::testing::ValuesIn(contract::AllFactories()), contract::FactoryName);

}  // namespace
}  // namespace certfleet::store
