#include "issuance/acme_metrics.h"

#include <gtest/gtest.h>

namespace certfleet::issuance {
namespace {

TEST(AcmePathLabel, KeepsTheResourceTypeAndHidesObjectIds) {
  EXPECT_EQ(AcmePathLabel("/directory"), "/directory");
  EXPECT_EQ(AcmePathLabel("/acme/new-order"), "/acme/new-order");
  EXPECT_EQ(AcmePathLabel("/acme/order/1234/5678"), "/acme/order/*");
  EXPECT_EQ(AcmePathLabel("/acme/chall-v3/99/AbCd"), "/acme/chall-v3/*");
  EXPECT_EQ(AcmePathLabel("/acme/authz-v3/123456"), "/acme/authz-v3/*");
  EXPECT_EQ(AcmePathLabel("/chalZ/x7Qp"), "/chalZ/*");
  EXPECT_EQ(AcmePathLabel("/my-order/aBcDeFgHiJkLmNoPqRsTuVwXyZ"), "/my-order/*");
  EXPECT_EQ(AcmePathLabel("/acme/renewal-info/aYhba4dGQEH.AO8P"), "/acme/renewal-info/*");
  EXPECT_EQ(AcmePathLabel("/dir?x=1"), "/dir");
  EXPECT_EQ(AcmePathLabel(""), "/");
}

TEST(AcmeRequestTable, CountsByHostPathMethodAndStatus) {
  net::HttpRequest request{
      .method = "POST", .url = "https://ca.test:14000/my-order/AAAA1", .headers = {}, .body = ""};
  RecordAcmeRequest(request, 200, std::chrono::milliseconds(30));
  RecordAcmeRequest(request, 200, std::chrono::milliseconds(10));
  RecordAcmeRequest(request, 0, std::chrono::milliseconds(5));
  int seen = 0;
  for (const auto& row : AcmeRequestTable()) {
    if (row.key.host != "ca.test:14000") continue;
    EXPECT_EQ(row.key.scheme, "https");
    EXPECT_EQ(row.key.path, "/my-order/*");
    EXPECT_EQ(row.key.method, "POST");
    if (row.key.status == "200") {
      EXPECT_EQ(row.count, 2u);
      EXPECT_NEAR(row.seconds, 0.040, 1e-9);
      ++seen;
    } else {
      EXPECT_EQ(row.key.status, "error") << "no response";
      EXPECT_EQ(row.count, 1u);
      ++seen;
    }
  }
  EXPECT_EQ(seen, 2);
}

}  // namespace
}  // namespace certfleet::issuance
