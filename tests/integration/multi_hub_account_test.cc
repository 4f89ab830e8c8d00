// Several certfleet-hub processes on one PostgreSQL share ONE ACME account (issue 14): the
// account lives in the database (store/acme_account_book.h), so hubs with data dirs of
// their own do not each register one. Proven at the CA: Pebble answers a POST-as-GET for an
// order only when it is signed by the account that placed the order, and every order —
// whichever hub placed it — answers to the one account stored in the database.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "acme/session.h"
#include "common/atomic_file.h"
#include "common/encoding.h"
#include "crypto/envelope.h"
#include "crypto/sealed_key.h"
#include "multi_hub_fixture.h"
#include "net/curl/curl_transport.h"

namespace certfleet::multihub {
namespace {

std::vector<std::string> Lines(const Result<std::string>& out) {
  std::vector<std::string> lines;
  std::istringstream in(out ? *out : "");
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

TEST_F(MultiHubTest, EveryHubOrdersWithTheOneAcmeAccountKeptInTheDatabase) {
  // Two hubs start on an empty database and order at once: they race to store the account.
  StartHub(0);
  StartHub(1);
  const auto first = DomainNames(0, 4);
  for (std::size_t k = 0; k < first.size(); ++k) SaveDomain(static_cast<int>(k % 2), first[k]);
  ASSERT_TRUE(WaitAllValid(0, first));
  // A third hub, with a data dir of its own and no account file, orders alone.
  KillHub(0);
  KillHub(1);
  StartHub(2);
  const auto later = DomainNames(4, 1);
  SaveDomain(2, later[0]);
  ASSERT_TRUE(WaitAllValid(2, later));

  const auto accounts = Lines(pg_->Psql(
      "SELECT account_url || ' ' || encode(sealed_key, 'hex') FROM acme_accounts", "certfleet"));
  ASSERT_EQ(accounts.size(), 1u) << "ACME accounts stored for the one CA";
  std::istringstream row(accounts[0]);
  std::string account_url, sealed_hex;
  row >> account_url >> sealed_hex;
  ASSERT_FALSE(account_url.empty()) << "the stored account was never registered";
  auto master = ReadFile(dir_ / "hub0" / "master.key");
  ASSERT_TRUE(master) << master.error().message;
  auto envelope = crypto::Envelope::Create(*master);
  ASSERT_TRUE(envelope) << envelope.error().message;
  auto key = crypto::OpenAccountKey(*envelope, HexDecode(sealed_hex).value_or(""),
                                    pebble_->DirectoryUrl());
  ASSERT_TRUE(key) << key.error().message;

  auto transport = net::CurlTransport::Create({.ca_file = pebble_->CaFile()});
  ASSERT_TRUE(transport) << transport.error().message;
  auto session = acme::Session::Open(**transport, SystemClock::Instance(), pebble_->DirectoryUrl());
  ASSERT_TRUE(session) << session.error().message;
  const auto orders = Lines(
      pg_->Psql("SELECT acme_state::json->>'order_url' FROM orders ORDER BY id", "certfleet"));
  ASSERT_EQ(orders.size(), first.size() + later.size());
  for (const std::string& order : orders) {
    auto got = (*session)->PostAsGet(acme::Signer{*key, account_url}, order);
    EXPECT_TRUE(got) << order
                     << " was placed by another account: " << (got ? "" : got.error().message);
  }
}

}  // namespace
}  // namespace certfleet::multihub
