// certfleet-hub issuing by DNS-01 through RFC 2136 + TSIG (issue 15), all real processes:
// BIND (the provider's authoritative server for example.test, updated with TSIG, and the
// resolver Pebble asks), Pebble (validating DNS-01 through BIND, and HTTP-01 against the
// hub's own port) and the hub, configured only through its config file.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hub_dns01_fixture.h"

namespace certfleet::hubdns01 {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class HubDns01Test : public HubDns01Fixture {
 protected:
  HubDns01Test() : HubDns01Fixture("hub-dns01") {}
  void SetUp() override { StartDnsAndCa(); }

  // Starts the hub with issuer "pebble" allowed `challenges` and example.test answered by
  // RFC 2136 updates to BIND, signed with the secret in `secret_file`.
  void StartHub(const std::string& challenges, const std::string& secret_file) {
    HubDns01Fixture::StartHub(challenges,
                              Rfc2136Zone(named_->Address(), secret_file, {named_->Address()}, 20));
  }
};

TEST_F(HubDns01Test, IssuesApexAndWildcardByRfc2136AndRemovesTheRecords) {
  StartHub(R"(["dns-01"])", named_->KeyFile());
  AddShopWithWildcard();
  WaitForStatus("valid");
  EXPECT_EQ(CertificateNames(),
            (std::vector<std::string>{"*.shop.example.test", "shop.example.test"}));
  auto left = named_->Dig("_acme-challenge.shop.example.test", "TXT");
  ASSERT_TRUE(left) << left.error().message;
  EXPECT_TRUE(left->empty()) << "the TXT records must be removed after the order";
}

TEST_F(HubDns01Test, AMixedOrderTakesHttp01ForTheApexAndDns01ForTheWildcard) {
  StartHub(R"(["http-01", "dns-01"])", named_->KeyFile());
  AddShopWithWildcard();
  WaitForStatus("valid");
  EXPECT_EQ(CertificateNames(),
            (std::vector<std::string>{"*.shop.example.test", "shop.example.test"}));
}

TEST_F(HubDns01Test, AWrongTsigSecretFailsTheDomainNamingTheKeyAndIssuesNothing) {
  const fs::path wrong = dir_.path() / "wrong.key";
  std::ofstream(wrong) << "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
  ::chmod(wrong.c_str(), 0600);
  StartHub(R"(["dns-01"])", wrong.string());
  AddShopWithWildcard();
  json view = WaitForStatus("failed");
  const std::string error = view.value("last_error", "");
  // The first authorization to fail is named (the apex's or the wildcard's: the CA's order).
  EXPECT_NE(error.find("shop.example.test: presenting the dns-01 challenge"), std::string::npos)
      << error;
  EXPECT_NE(error.find("BADSIG"), std::string::npos) << error;
  EXPECT_TRUE(CertificateNames().empty());
}

}  // namespace
}  // namespace certfleet::hubdns01
