// A certfleet-hub SIGKILLed in the middle of a DNS-01 order by RFC 2136 (issue 15) finishes
// the order after a restart and leaves no TXT record in the provider's zone. All real
// processes: BIND (the provider's DNS, updated with TSIG, and Pebble's resolver), Pebble
// and the hub. The hub sends its updates through a TcpGate, which holds a chosen update so
// that the kill happens at a known step:
//   - just after the CA validated: both adds passed, the first delete is held. The restarted
//     hub finds both authorizations valid, so its order never cleans them up itself; only
//     the record kept in the store tells it what to remove.
//   - while waiting for propagation: one of the two servers the record must reach never
//     answers; the hub is killed with the first record added, then restarted with that
//     server fixed.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/net.h"
#include "harness/tcp_gate.h"
#include "hub_dns01_fixture.h"

namespace certfleet::hubdns01 {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kRecord = "_acme-challenge.shop.example.test";

class HubDns01ResumeTest : public HubDns01Fixture {
 protected:
  HubDns01ResumeTest() : HubDns01Fixture("hub-dns01-resume") {}
  void SetUp() override { StartDnsAndCa(); }

  // (Re)starts the hub on the same data dir: DNS-01 only, example.test by RFC 2136 with
  // updates sent to `update_server` and the record awaited on `check_servers`.
  void StartHub(const std::string& update_server, const std::vector<std::string>& check_servers) {
    HubDns01Fixture::StartHub(R"(["dns-01"])",
                              Rfc2136Zone(update_server, named_->KeyFile(), check_servers, 60));
  }

  void KillHub() {
    hub_->process->Signal(SIGKILL);
    hub_->process->Wait(5s);
    hub_.reset();
  }

  std::size_t TxtServed() {
    auto lines = named_->Dig(kRecord, "TXT");
    EXPECT_TRUE(lines) << lines.error().message;
    return lines ? lines->size() : 0;
  }
};

TEST_F(HubDns01ResumeTest, KilledJustAfterValidationTheOrderEndsValidAndNoTxtIsLeft) {
  auto gate = harness::TcpGate::Start(named_->port(), /*pass=*/2);  // the two adds
  ASSERT_TRUE(gate) << gate.error().message;
  const std::string through_gate = "127.0.0.1:" + std::to_string((*gate)->port());
  StartHub(through_gate, {named_->Address()});
  AddShopWithWildcard();
  ASSERT_TRUE(harness::WaitFor([&] { return (*gate)->held() > 0; }, kIssueTimeout, 10ms))
      << "the hub never started deleting its records (" << (*gate)->accepted() << " updates seen)";
  KillHub();  // validated by the CA, first delete in flight
  ASSERT_EQ(TxtServed(), 2u) << "the kill came too late: the records were already deleted";

  (*gate)->PassAll();
  StartHub(through_gate, {named_->Address()});
  json view = WaitForStatus("valid");
  EXPECT_EQ(view.value("last_error", ""), "");
  EXPECT_EQ(TxtServed(), 0u) << "a TXT record was left in the provider's zone";
}

TEST_F(HubDns01ResumeTest, KilledWhileWaitingForPropagationTheOrderEndsValidAndNoTxtIsLeft) {
  // A second "authoritative server" nobody answers on: the record never propagates.
  const std::string silent = "127.0.0.1:" + std::to_string(harness::FreeLoopbackUdpTcpPort());
  StartHub(named_->Address(), {named_->Address(), silent});
  AddShopWithWildcard();
  ASSERT_TRUE(harness::WaitFor([&] { return TxtServed() > 0; }, kIssueTimeout, 20ms))
      << "the hub never added its first record";
  KillHub();
  ASSERT_EQ(TxtServed(), 1u);

  StartHub(named_->Address(), {named_->Address()});
  WaitForStatus("valid");
  EXPECT_EQ(TxtServed(), 0u) << "a TXT record was left in the provider's zone";
}

}  // namespace
}  // namespace certfleet::hubdns01
