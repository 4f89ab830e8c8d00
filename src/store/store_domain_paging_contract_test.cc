// Contract tests of the domain list's paging on every backend (issue 14's 100,000 domains,
// docs/design/2026-12-07-domain-list-paging.md): each sort orders by its column and then
// the unique name, with a missing time first ascending and last descending; keyset pages
// (DomainQuery::after = KeyOf the last row) walk exactly that order; count_limit caps the
// count; and DeploymentLog::ListDomainsDeployments answers a page's states at once.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/store_contract_fixture.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace certfleet::store {
namespace {

using namespace std::chrono_literals;

constexpr int kDomains = 23;

class DomainPagingContractTest : public contract::StoreContractTest {
 protected:
  // 23 domains whose names do not follow their creation order, with ties in every sort
  // column (so the name must break them) and missing times (no certificate, no retry).
  void Seed() {
    const TimePoint start = clock_.Now();
    for (int i = 0; i < kDomains; ++i) {
      Domain d;
      const int n = (i * 7) % kDomains;
      d.name = std::string("p") + (n < 10 ? "0" : "") + std::to_string(n) + ".example.com";
      d.issuer = "letsencrypt";
      d.status = i % 3 == 0 ? DomainStatus::kFailed
                            : (i % 3 == 1 ? DomainStatus::kValid : DomainStatus::kPending);
      if (i % 4 != 0) d.next_attempt_at = start + (i % 5) * 1h;
      if (i % 2 == 0) clock_.Advance(1s);  // updated_at ties in pairs
      auto created = store_->CreateDomain(actor_, d);
      ASSERT_TRUE(created) << created.error().message;
      if (i % 3 != 2) {
        const TimePoint now = clock_.Now();
        clock_.Set(start + (i % 4) * 1h);  // not_after ties across the domains
        AddCert(created->id, std::string(64, static_cast<char>('a' + i % 6)));
        clock_.Set(now);
      }
    }
  }

  std::vector<std::string> Names(const std::vector<Domain>& domains) {
    std::vector<std::string> out;
    for (const auto& d : domains) out.push_back(d.name);
    return out;
  }

  // The whole list in one page.
  std::vector<Domain> All(DomainQuery q) {
    q.limit = 1000;
    auto page = store_->ListDomains(q);
    EXPECT_TRUE(page) << page.error().message;
    return page.value_or(Page<Domain>{}).items;
  }

  // The list walked by keyset pages of `size`.
  std::vector<Domain> Walk(DomainQuery q, std::int64_t size, int* pages) {
    q.limit = size;
    q.count_limit = 0;
    std::vector<Domain> out;
    *pages = 0;
    for (int guard = 0; guard < 100; ++guard) {
      auto page = store_->ListDomains(q);
      EXPECT_TRUE(page) << page.error().message;
      if (!page) break;
      ++*pages;
      out.insert(out.end(), page->items.begin(), page->items.end());
      EXPECT_LE(static_cast<std::int64_t>(page->items.size()), size);
      if (!page->more) break;
      EXPECT_EQ(static_cast<std::int64_t>(page->items.size()), size)
          << "a page that says more follows is full";
      q.after = KeyOf(page->items.back(), q.sort);
    }
    return out;
  }
};

// (sort column, name), missing times first: < 0 when `a` comes first ascending.
int Compare(const DomainKey& a, const DomainKey& b) {
  if (a.time != b.time) {
    if (!a.time) return -1;
    if (!b.time) return 1;
    return *a.time < *b.time ? -1 : 1;
  }
  if (a.value != b.value) return a.value < b.value ? -1 : 1;
  return a.name.compare(b.name);
}

constexpr DomainSort kSorts[] = {DomainSort::kName, DomainSort::kNotAfter, DomainSort::kUpdatedAt,
                                 DomainSort::kStatus, DomainSort::kNextAttempt};

TEST_P(DomainPagingContractTest, EverySortOrdersByItsColumnThenName) {
  Seed();
  for (DomainSort sort : kSorts) {
    for (bool descending : {false, true}) {
      SCOPED_TRACE("sort " + std::to_string(static_cast<int>(sort)) +
                   (descending ? " descending" : " ascending"));
      auto all = All({.sort = sort, .descending = descending});
      ASSERT_EQ(all.size(), static_cast<std::size_t>(kDomains));
      for (std::size_t i = 1; i < all.size(); ++i) {
        const int c = Compare(KeyOf(all[i - 1], sort), KeyOf(all[i], sort));
        EXPECT_TRUE(descending ? c > 0 : c < 0)
            << all[i - 1].name << " comes before " << all[i].name;
      }
    }
  }
  // The seed has what the order must handle: ties and missing times.
  auto by_not_after = All({.sort = DomainSort::kNotAfter});
  EXPECT_FALSE(by_not_after.front().current_not_after) << "no certificate sorts first";
  EXPECT_TRUE(by_not_after.back().current_not_after);
  auto by_retry = All({.sort = DomainSort::kNextAttempt, .descending = true});
  EXPECT_FALSE(by_retry.back().next_attempt_at) << "no retry time sorts last descending";
}

TEST_P(DomainPagingContractTest, KeysetPagesWalkTheSameOrderAsOnePage) {
  Seed();
  for (DomainSort sort : kSorts) {
    for (bool descending : {false, true}) {
      SCOPED_TRACE("sort " + std::to_string(static_cast<int>(sort)) +
                   (descending ? " descending" : " ascending"));
      DomainQuery q{.sort = sort, .descending = descending};
      int pages = 0;
      EXPECT_EQ(Names(Walk(q, 4, &pages)), Names(All(q)));
      EXPECT_EQ(pages, 6) << "23 domains in pages of 4";
      EXPECT_EQ(Names(Walk(q, 1, &pages)), Names(All(q)));
      EXPECT_EQ(pages, kDomains);
    }
  }
  // With a filter: the key continues inside the filtered list.
  DomainQuery valid{.status = DomainStatus::kValid, .sort = DomainSort::kNotAfter};
  int pages = 0;
  auto walked = Walk(valid, 2, &pages);
  EXPECT_EQ(Names(walked), Names(All(valid)));
  EXPECT_EQ(walked.size(), 8u);
}

TEST_P(DomainPagingContractTest, AfterTheLastRowIsEmptyAndOffsetCountsFromTheKey) {
  Seed();
  auto all = All({});
  auto past = store_->ListDomains({.after = KeyOf(all.back(), DomainSort::kName)});
  ASSERT_TRUE(past) << past.error().message;
  EXPECT_TRUE(past->items.empty());
  EXPECT_FALSE(past->more);
  EXPECT_EQ(past->total, kDomains) << "the count is of the filter, not of the rows after the key";
  // A key need not be a row's: the rows after it in the order.
  auto from_p10 =
      store_->ListDomains({.limit = 2, .after = DomainKey{"", std::nullopt, "p10"}, .offset = 1});
  ASSERT_TRUE(from_p10) << from_p10.error().message;
  EXPECT_EQ(Names(from_p10->items),
            (std::vector<std::string>{"p11.example.com", "p12.example.com"}));
  EXPECT_TRUE(from_p10->more);
}

TEST_P(DomainPagingContractTest, CountLimitCapsTheTotalAndSaysSo) {
  Seed();
  auto exact = store_->ListDomains({.limit = 2});
  ASSERT_TRUE(exact) << exact.error().message;
  EXPECT_EQ(exact->total, kDomains);
  EXPECT_FALSE(exact->total_is_lower_bound);
  EXPECT_TRUE(exact->more);
  auto capped = store_->ListDomains({.limit = 2, .count_limit = 5});
  EXPECT_EQ(capped->total, 5);
  EXPECT_TRUE(capped->total_is_lower_bound) << "23 match: more than the 5 counted";
  auto at_limit = store_->ListDomains({.limit = 2, .count_limit = kDomains});
  EXPECT_EQ(at_limit->total, kDomains);
  EXPECT_FALSE(at_limit->total_is_lower_bound) << "exactly the limit matches: the count is exact";
  auto filtered =
      store_->ListDomains({.status = DomainStatus::kFailed, .limit = 2, .count_limit = 100});
  EXPECT_EQ(filtered->total, 8);
  EXPECT_FALSE(filtered->total_is_lower_bound);
  auto uncounted = store_->ListDomains({.limit = 2, .count_limit = 0});
  EXPECT_EQ(uncounted->total, 0);
  EXPECT_EQ(uncounted->items.size(), 2u);
  auto whole = store_->ListDomains({.limit = 1000});
  EXPECT_FALSE(whole->more) << "everything fit on the page";
}

TEST_P(DomainPagingContractTest, ListDomainsDeploymentsAnswersLikeOneDomainAtATime) {
  Machine m1 = AddMachine("web-1");
  Machine m2 = AddMachine("web-2");
  std::vector<Id> ids;
  // More than one statement's worth (100 domains per read).
  for (int i = 0; i < 105; ++i) {
    std::vector<Id> hosts;
    if (i % 3 != 0) hosts.push_back(m1.id);
    if (i % 2 == 0) hosts.push_back(m2.id);
    Domain d = AddDomain("h" + std::to_string(i) + ".example.com", hosts);
    ids.push_back(d.id);
    if (i % 5 == 4) continue;  // no certificate
    CertificateVersion c = AddCert(d.id, std::string(64, 'a'));
    if (i % 4 == 1 && !hosts.empty()) {
      auto r = store_->ReportDeployment(
          actor_,
          Deployment{.machine_id = hosts.front(),
                     .certificate_id = c.id,
                     .status = i % 8 == 1 ? DeploymentStatus::kDeployed : DeploymentStatus::kFailed,
                     .sha256 = std::string(64, 'a'),
                     .error = i % 8 == 1 ? "" : "nginx -t failed"});
      ASSERT_TRUE(r) << r.error().message;
    }
  }
  std::reverse(ids.begin(), ids.end());
  ids.insert(ids.begin() + 3, 987654);  // no such domain
  auto batch = store_->ListDomainsDeployments(ids);
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->size(), ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const DomainDeployments& got = (*batch)[i];
    EXPECT_EQ(got.domain_id, ids[i]);
    if (ids[i] == 987654) {
      EXPECT_FALSE(got.certificate_names);
      EXPECT_TRUE(got.deployments.empty());
      continue;
    }
    Domain d = store_->GetDomain(ids[i]).value();
    SCOPED_TRACE(d.name);
    if (d.current_certificate_id) {
      ASSERT_TRUE(got.certificate_names);
      EXPECT_EQ(*got.certificate_names, store_->GetCertificate(*d.current_certificate_id)->names);
    } else {
      EXPECT_FALSE(got.certificate_names);
    }
    auto one = store_->ListDomainDeployments(ids[i]).value();
    ASSERT_EQ(got.deployments.size(), one.size());
    for (std::size_t k = 0; k < one.size(); ++k) {
      EXPECT_EQ(got.deployments[k].machine_id, one[k].machine_id);
      EXPECT_EQ(got.deployments[k].certificate_id, one[k].certificate_id);
      EXPECT_EQ(got.deployments[k].status, one[k].status);
      EXPECT_EQ(got.deployments[k].error, one[k].error);
      EXPECT_EQ(got.deployments[k].reported_at, one[k].reported_at);
    }
  }
  auto none = store_->ListDomainsDeployments({});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, DomainPagingContractTest,
                         ::testing::ValuesIn(contract::AllFactories()), contract::FactoryName);

}  // namespace
}  // namespace certfleet::store
