#include "solver/dns01/delegation.h"

#include <gtest/gtest.h>

#include <set>

#include "acme/challenge.h"
#include "dns/responder/dns_server.h"
#include "solver/dns01/delegation_solver.h"
#include "solver/dns01/testing/memory_txt_board.h"

namespace certfleet::solver {
namespace {

TEST(DelegationTest, LabelsAreSixteenBase32CharactersAndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string label = NewDelegationLabel();
    EXPECT_TRUE(IsDelegationLabel(label)) << label;
    seen.insert(label);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_FALSE(IsDelegationLabel("short"));
  EXPECT_FALSE(IsDelegationLabel("ABCDEFGHIJKLMNOP"));
  EXPECT_FALSE(IsDelegationLabel("abcdefgh.jklmnop"));
}

TEST(DelegationTest, OneRecordPerNameTheWildcardSharesItsApex) {
  auto records = DelegationRecords({"shop.example.com", "*.shop.example.com", "Www.Example.com"},
                                   "k7wq3vd2mzx4tq5a", "acme.provider.net.");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].name, "_acme-challenge.shop.example.com");
  EXPECT_EQ(records[0].target, "k7wq3vd2mzx4tq5a.acme.provider.net");
  EXPECT_EQ(records[1].name, "_acme-challenge.www.example.com");
}

TEST(DelegationSolverTest, PresentPublishesAndWaitsForTheResponderCleanUpWithdraws) {
  testing::MemoryTxtBoard board;
  auto answerer = dns::ZoneAnswerer::Create(
      {.zone = "acme.provider.test", .nameservers = {"hub1.provider.test"}}, board);
  ASSERT_TRUE(answerer);
  auto responder = dns::DnsServer::Start({.listen = "127.0.0.1:0"}, **answerer);
  ASSERT_TRUE(responder) << responder.error().message;
  DelegationSolver solver(board,
                          {.zone = "acme.provider.test",
                           .label = "k7wq3vd2mzx4tq5a",
                           .wait_for = {(*responder)->address()}},
                          SystemClock::Instance());
  acme::ChallengeTask apex{"shop.example.com", "dns-01", "token-apex", "token-apex.thumb", "u1"};
  acme::ChallengeTask wildcard{"shop.example.com", "dns-01", "token-wild",
                               "token-wild.thumb", "u2",     true};
  ASSERT_TRUE(solver.Present(apex));
  ASSERT_TRUE(solver.Present(wildcard));
  EXPECT_EQ(board.Lookup("k7wq3vd2mzx4tq5a"),
            (std::vector<std::string>{acme::Dns01TxtValue("token-apex.thumb"),
                                      acme::Dns01TxtValue("token-wild.thumb")}));
  ASSERT_TRUE(solver.CleanUp(apex));
  ASSERT_TRUE(solver.CleanUp(wildcard));
  ASSERT_TRUE(solver.CleanUp(wildcard)) << "cleaning up twice is fine";
  EXPECT_EQ(board.size(), 0u);
}

TEST(DelegationSolverTest, AResponderThatNeverAnswersTimesOutNamingIt) {
  testing::MemoryTxtBoard board;
  testing::MemoryTxtBoard elsewhere;  // a "peer" hub that never sees the record
  auto answerer = dns::ZoneAnswerer::Create(
      {.zone = "acme.provider.test", .nameservers = {"hub1.provider.test"}}, elsewhere);
  ASSERT_TRUE(answerer);
  auto peer = dns::DnsServer::Start({.listen = "127.0.0.1:0"}, **answerer);
  ASSERT_TRUE(peer);
  DelegationSolver solver(board,
                          {.zone = "acme.provider.test",
                           .label = "k7wq3vd2mzx4tq5a",
                           .wait_for = {(*peer)->address()},
                           .wait_timeout = std::chrono::milliseconds(300)},
                          SystemClock::Instance());
  auto presented = solver.Present({"shop.example.com", "dns-01", "tok", "tok.thumb", "u"});
  ASSERT_FALSE(presented);
  EXPECT_EQ(presented.error().code, ErrorCode::kDeadlineExceeded);
  EXPECT_NE(presented.error().message.find((*peer)->address().ToString() + " answered NXDOMAIN"),
            std::string::npos)
      << presented.error().message;
}

}  // namespace
}  // namespace certfleet::solver
