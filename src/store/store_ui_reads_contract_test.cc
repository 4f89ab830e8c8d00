// Contract tests of the reads the support staff's pages rely on, on every backend:
// ListDomains finding a domain by any of its names, and DeploymentLog::ListDeploymentGaps
// (which hosting machines do not serve their domain's current certificate, in one read).
#include <gtest/gtest.h>

#include "store/store_contract_fixture.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace certfleet::store {
namespace {

class DomainSearchContractTest : public contract::StoreContractTest {
 protected:
  std::vector<std::string> Found(const std::string& text) {
    auto page = store_->ListDomains(DomainQuery{.name_contains = text});
    EXPECT_TRUE(page) << page.error().message;
    std::vector<std::string> names;
    for (const auto& d : page.value_or(Page<Domain>{}).items) names.push_back(d.name);
    EXPECT_EQ(static_cast<std::int64_t>(names.size()), page.value_or(Page<Domain>{}).total);
    return names;
  }
};

TEST_P(DomainSearchContractTest, FindsADomainByAnyOfItsNames) {
  Domain shop;
  shop.name = "shop.example.com";
  shop.sans = {"www.shop.example.com", "static.cdn.example.net"};
  shop.issuer = "manual";
  shop.key_type = "ec256";
  ASSERT_TRUE(store_->CreateDomain(actor_, shop));
  AddDomain("blog.example.com");
  using Names = std::vector<std::string>;
  EXPECT_EQ(Found("cdn.example"), Names{"shop.example.com"}) << "a SAN must be found";
  EXPECT_EQ(Found("WWW.Shop"), Names{"shop.example.com"}) << "case-insensitive in SANs too";
  EXPECT_EQ(Found("example.com"), (Names{"blog.example.com", "shop.example.com"}))
      << "a domain matching by name and by SAN is listed once";
  EXPECT_EQ(Found("blog"), Names{"blog.example.com"});
  EXPECT_TRUE(Found("com\",\"static").empty()) << "a search must not match across two SANs";
  EXPECT_TRUE(Found("example.com\"").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, DomainSearchContractTest,
                         ::testing::ValuesIn(contract::AllFactories()), contract::FactoryName);

class DeploymentGapsContractTest : public contract::StoreContractTest {
 protected:
  void Report(const Machine& m, const CertificateVersion& c, DeploymentStatus status,
              const std::string& error = "") {
    auto r = store_->ReportDeployment(actor_, Deployment{.machine_id = m.id,
                                                         .certificate_id = c.id,
                                                         .status = status,
                                                         .sha256 = c.sha256,
                                                         .error = error});
    ASSERT_TRUE(r) << r.error().message;
  }
  DeploymentGaps Gaps(std::int64_t limit = 100) {
    auto gaps = store_->ListDeploymentGaps(limit);
    EXPECT_TRUE(gaps) << gaps.error().message;
    return gaps.value_or(DeploymentGaps{});
  }
};

// a: deployed on web-1, failed on web-2; b: nothing reported on web-1; c: no certificate;
// d: its older certificate is deployed, the current one not; e: deployed everywhere.
TEST_P(DeploymentGapsContractTest, ListsEachMachineMissingTheCurrentCertificate) {
  Machine web1 = AddMachine("web-1");
  Machine web2 = AddMachine("web-2");
  Domain a = AddDomain("a.example.com", {web1.id, web2.id});
  Domain b = AddDomain("b.example.com", {web1.id});
  AddDomain("c.example.com", {web1.id});
  Domain d = AddDomain("d.example.com", {web2.id});
  Domain e = AddDomain("e.example.com", {web1.id, web2.id});
  CertificateVersion ca = AddCert(a.id, std::string(64, 'a'));
  AddCert(b.id, std::string(64, 'b'));
  CertificateVersion d_old = AddCert(d.id, std::string(64, 'c'));
  CertificateVersion ce = AddCert(e.id, std::string(64, 'e'));
  Report(web1, ca, DeploymentStatus::kDeployed);
  Report(web2, ca, DeploymentStatus::kFailed, "nginx -t failed: no such file");
  Report(web2, d_old, DeploymentStatus::kDeployed);
  CertificateVersion d_new = AddCert(d.id, std::string(64, 'd'));
  Report(web1, ce, DeploymentStatus::kDeployed);
  Report(web2, ce, DeploymentStatus::kDeployed);

  DeploymentGaps gaps = Gaps();
  EXPECT_EQ(gaps.failed_domains, 1);
  EXPECT_EQ(gaps.undeployed_domains, 3) << "a, b and d; c has no certificate, e is everywhere";
  ASSERT_EQ(gaps.items.size(), 3u);
  const DeploymentGap& failed = gaps.items[0];
  EXPECT_EQ(failed.domain, "a.example.com") << "failures come first";
  EXPECT_EQ(failed.machine, "web-2");
  EXPECT_EQ(failed.machine_id, web2.id);
  EXPECT_EQ(failed.certificate_id, ca.id);
  EXPECT_EQ(failed.status, DeploymentStatus::kFailed);
  EXPECT_EQ(failed.error, "nginx -t failed: no such file");
  EXPECT_TRUE(failed.reported_at);
  EXPECT_EQ(gaps.items[1].domain, "b.example.com");
  EXPECT_EQ(gaps.items[1].domain_id, b.id);
  EXPECT_EQ(gaps.items[1].machine, "web-1");
  EXPECT_EQ(gaps.items[1].status, DeploymentStatus::kPending);
  EXPECT_FALSE(gaps.items[1].reported_at) << "nothing was reported for b";
  EXPECT_EQ(gaps.items[2].domain, "d.example.com");
  EXPECT_EQ(gaps.items[2].certificate_id, d_new.id) << "the old certificate's report counts";
}

TEST_P(DeploymentGapsContractTest, LimitCapsTheItemsNotTheCounts) {
  Machine web1 = AddMachine("web-1");
  for (int i = 0; i < 5; ++i) {
    Domain d = AddDomain("shop" + std::to_string(i) + ".example.com", {web1.id});
    CertificateVersion c = AddCert(d.id, std::string(64, static_cast<char>('0' + i)));
    if (i == 4) Report(web1, c, DeploymentStatus::kFailed, "disk full");
  }
  DeploymentGaps gaps = Gaps(2);
  EXPECT_EQ(gaps.undeployed_domains, 5);
  EXPECT_EQ(gaps.failed_domains, 1);
  ASSERT_EQ(gaps.items.size(), 2u);
  EXPECT_EQ(gaps.items[0].domain, "shop4.example.com") << "the failure is listed before the cap";
  EXPECT_EQ(gaps.items[1].domain, "shop0.example.com");
}

TEST_P(DeploymentGapsContractTest, EmptyFleetHasNoGaps) {
  DeploymentGaps gaps = Gaps();
  EXPECT_EQ(gaps.undeployed_domains, 0);
  EXPECT_EQ(gaps.failed_domains, 0);
  EXPECT_TRUE(gaps.items.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, DeploymentGapsContractTest,
                         ::testing::ValuesIn(contract::AllFactories()), contract::FactoryName);

}  // namespace
}  // namespace certfleet::store
