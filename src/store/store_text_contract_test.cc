// Contract tests: text that is not valid UTF-8 can never be stored, and a write that
// carries it neither fails nor leaves the store unable to write (review 2026-12-06, F1).
//
// The API and the agent validate at their boundaries; these tests pin down the last line
// (the store itself), because one strict JSON encoder throwing inside a write transaction
// used to leave the writer inside it, and every later write failed until restart.
#include <gtest/gtest.h>

#include "common/utf8.h"
#include "store/store_contract_fixture.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace certfleet::store {
namespace {

class StoreTextContractTest : public contract::StoreContractTest {
 protected:
  // The store can still write: a new customer commits.
  void ExpectWritable(const std::string& name) {
    auto c = store_->CreateCustomer(actor_, Customer{.name = name});
    EXPECT_TRUE(c) << "the store no longer writes: " << c.error().message;
  }
};

TEST_P(StoreTextContractTest, DeploymentErrorCutInsideACharacterIsStoredValidAndTheStoreWrites) {
  Machine m = AddMachine("web-1");
  Domain d = AddDomain("shop.example.com", {m.id});
  CertificateVersion cert = AddCert(d.id, std::string(64, 'a'));
  const std::string error = std::string(4095, 'a') + "\xC3";  // é cut after its first byte
  auto stored = store_->ReportDeployment(actor_, Deployment{.machine_id = m.id,
                                                            .certificate_id = cert.id,
                                                            .status = DeploymentStatus::kFailed,
                                                            .error = error});
  ASSERT_TRUE(stored) << stored.error().message;
  auto deployments = store_->ListDomainDeployments(d.id);
  ASSERT_TRUE(deployments) << deployments.error().message;
  ASSERT_EQ(deployments->size(), 1u);
  EXPECT_TRUE(IsValidUtf8((*deployments)[0].error)) << "invalid UTF-8 was stored";
  for (const Event& e : AllEvents()) EXPECT_TRUE(IsValidUtf8(e.payload_json)) << e.type;
  ExpectWritable("after-report");
}

TEST_P(StoreTextContractTest, CertificateNamesThatAreNotUtf8AreStoredValidAndTheStoreWrites) {
  Domain d = AddDomain("bad.example.com");
  CertificateVersion c;
  c.domain_id = d.id;
  c.chain_pem = "-----BEGIN CERTIFICATE-----\n...";
  c.encrypted_key = "sealed";
  c.serial = "01";
  c.sha256 = std::string(64, 'b');
  c.issuer_cn = "Issuer \xFF";
  c.names = {"bad.example.com", "\xFF.bad.example.com"};
  c.not_before = clock_.Now();
  c.not_after = clock_.Now() + std::chrono::hours(24);
  auto stored = store_->AddCertificate(actor_, c);
  ASSERT_TRUE(stored) << stored.error().message;
  auto read = store_->GetCertificate(stored->id);
  ASSERT_TRUE(read) << read.error().message;
  for (const auto& name : read->names) EXPECT_TRUE(IsValidUtf8(name)) << name;
  EXPECT_TRUE(IsValidUtf8(read->issuer_cn));
  ExpectWritable("after-certificate");
}

TEST_P(StoreTextContractTest, AgentVersionThatIsNotUtf8IsStoredValid) {
  Machine m = AddMachine("web-1");
  ASSERT_TRUE(store_->RecordAgentSeen(m.id, clock_.Now(), "v\xFF"));
  auto read = store_->GetMachine(m.id);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_TRUE(IsValidUtf8(read->agent_version)) << read->agent_version;
  ExpectWritable("after-heartbeat");
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTextContractTest,
                         ::testing::ValuesIn(contract::AllFactories()), contract::FactoryName);

}  // namespace
}  // namespace certfleet::store
