// Customers, machines, domains, manual uploads and the challenge responder over HTTP.
#include <set>

#include "common/encoding.h"
#include "crypto/testing/test_ca.h"
#include "hub/api/api_test_fixture.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

TEST_F(ApiTest, CreateDomainAndShowIt) {
  ASSERT_EQ(
      Call("POST", "/api/v1/customers", R"({"name":"acme","support_expires":"2030-01-31"})").status,
      201);
  MakeMachine("web-1");
  MakeMachine("web-2");
  auto created = MakeDomain({{"name", "Shop.Example.com."},
                             {"sans", {"www.shop.example.com"}},
                             {"customer", "acme"},
                             {"machines", {"web-2", "web-1"}}});
  EXPECT_EQ(created["name"], "shop.example.com") << "names are stored canonical";
  EXPECT_EQ(created["issuer"], "pebble");
  EXPECT_EQ(created["status"], "pending");
  EXPECT_EQ(created["machines"], json({"web-1", "web-2"}));
  EXPECT_GE(wakes_.load(), 1) << "a new ACME domain must wake the issuance worker";
  auto show = Call("GET", "/api/v1/domains/SHOP.example.com");
  ASSERT_EQ(show.status, 200) << show.body;
  auto body = Body(show);
  EXPECT_EQ(body["customer"], "acme");
  EXPECT_TRUE(body["current_certificate"].is_null());
  EXPECT_EQ(body["deployments"].size(), 0u);
  EXPECT_TRUE(body.contains("next_attempt_at"));
}

TEST_F(ApiTest, DuplicateDomainIs409) {
  MakeDomain({{"name", "a.example.com"}});
  auto r = Call("POST", "/api/v1/domains", R"({"name":"A.example.com"})");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(ErrorCodeOf(r), "already_exists") << r.body;
}

TEST_F(ApiTest, InvalidDomainNamesAreRefusedAndNothingIsSaved) {
  for (const std::string name : {"../x", "a/b", "a\\\\b.example.com", "bad..example.com", "x",
                                 "-a.example.com", "a b.example.com", "*.example.com"}) {
    auto r = Call("POST", "/api/v1/domains", R"({"name":")" + name + R"("})");
    EXPECT_EQ(r.status, 400) << name << ": " << r.body;
    EXPECT_EQ(ErrorMessageOf(r).rfind("Domain name: invalid domain name", 0), 0u)
        << name << ": " << r.body;
  }
  EXPECT_EQ(Body(Call("GET", "/api/v1/domains"))["total"], 0);
  EXPECT_EQ(Call("GET", "/api/v1/domains/..%2Fx").status, 400);
}

TEST_F(ApiTest, WildcardNeedsADns01Issuer) {
  auto r = Call("POST", "/api/v1/domains", R"({"name":"*.example.com","issuer":"pebble"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(ErrorMessageOf(r).find("DNS-01"), std::string::npos) << r.body;
  MakeDomain({{"name", "*.example.com"}, {"issuer", "dns"}});
}

TEST_F(ApiTest, UnknownMachineIs404AndNothingIsSaved) {
  auto r = Call("POST", "/api/v1/domains", R"({"name":"a.example.com","machines":["nope"]})");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorMessageOf(r), "Machines: machine 'nope' not found");
  EXPECT_EQ(Body(Call("GET", "/api/v1/domains"))["total"], 0);
}

TEST_F(ApiTest, StaleVersionIs409) {
  auto d = MakeDomain({{"name", "a.example.com"}});
  const auto version = d["version"].get<std::int64_t>();
  EXPECT_EQ(Call("PATCH", "/api/v1/domains/a.example.com",
                 json{{"profile", "x"}, {"version", version}}.dump())
                .status,
            200);
  auto r = Call("PATCH", "/api/v1/domains/a.example.com",
                json{{"profile", "y"}, {"version", version}}.dump());
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(Body(Call("GET", "/api/v1/domains/a.example.com"))["profile"], "x");
}

TEST_F(ApiTest, PatchMovesADomainBetweenMachinesInPlace) {
  MakeMachine("web-1");
  MakeMachine("web-2");
  MakeMachine("web-3");
  MakeDomain({{"name", "a.example.com"}, {"machines", {"web-1", "web-2"}}});
  auto r = Call(
      "PATCH", "/api/v1/domains/a.example.com",
      R"({"add_machines":["web-3"],"remove_machines":["web-1"],"add_sans":["WWW.a.example.com"]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r)["machines"], json({"web-2", "web-3"}));
  EXPECT_EQ(Body(r)["sans"], json({"www.a.example.com"}));
}

TEST_F(ApiTest, RotateIssuesANewAgentTokenAndRevokesTheOld) {
  MakeMachine("web-1");
  const std::string old_secret = TokenFor("agent", "web-1");
  auto r = Call("POST", "/api/v1/tokens/rotate", R"({"machine":"web-1","revoke_old":true})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Body(r)["revoked"].size(), 1u);
  EXPECT_EQ(Body(r)["name"], "web-1 agent");
  EXPECT_EQ(CallAs(old_secret, "GET", "/api/v1/agent/desired").status, 401);
  EXPECT_EQ(CallAs(Body(r)["secret"], "GET", "/api/v1/agent/desired").status, 200);
}

TEST_F(ApiTest, DeleteCustomerInUseIs409) {
  ASSERT_EQ(Call("POST", "/api/v1/customers", R"({"name":"acme"})").status, 201);
  MakeDomain({{"name", "a.example.com"}, {"customer", "acme"}});
  auto r = Call("DELETE", "/api/v1/customers/acme");
  EXPECT_EQ(r.status, 409) << r.body;
}

TEST_F(ApiTest, SearchFilterAndPaginate) {
  MakeMachine("web-1");
  for (int i = 0; i < 5; ++i) {
    json body = {{"name", "site" + std::to_string(i) + ".example.com"}};
    if (i % 2 == 0) body["machines"] = {"web-1"};
    MakeDomain(body);
  }
  MakeDomain({{"name", "other.test"}, {"issuer", "manual"}});
  auto page = Body(Call("GET", "/api/v1/domains?q=site&limit=2&offset=2"));
  EXPECT_EQ(page["total"], 5);
  ASSERT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["items"][0]["name"], "site2.example.com");
  EXPECT_EQ(Body(Call("GET", "/api/v1/domains?machine=web-1"))["total"], 3);
  EXPECT_EQ(Body(Call("GET", "/api/v1/domains?issuer=manual"))["total"], 1);
  EXPECT_EQ(Call("GET", "/api/v1/domains?limit=0").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/domains?status=bogus").status, 400);
}

TEST_F(ApiTest, CursorPagesFollowNextToTheEndInEveryOrder) {
  for (int i = 0; i < 7; ++i) MakeDomain({{"name", "c" + std::to_string(i) + ".example.com"}});
  for (std::string order : {"sort=name", "sort=name&order=desc", "sort=not_after",
                            "sort=status&order=desc", "sort=updated_at", "sort=next_attempt_at"}) {
    SCOPED_TRACE(order);
    auto whole = Body(Call("GET", "/api/v1/domains?limit=100&" + order));
    EXPECT_TRUE(whole["next"].is_null()) << "one page held everything";
    EXPECT_EQ(whole["total"], 7);
    EXPECT_EQ(whole["total_is_lower_bound"], false);
    std::vector<std::string> walked;
    std::string path = "/api/v1/domains?limit=3&" + order;
    int pages = 0;
    for (; pages < 10; ++pages) {
      auto r = Call("GET", path);
      ASSERT_EQ(r.status, 200) << r.body;
      auto page = Body(r);
      for (const auto& d : page["items"]) walked.push_back(d["name"]);
      if (page["next"].is_null()) break;
      path = "/api/v1/domains?limit=3&" + order + "&after=" + page["next"].get<std::string>();
    }
    EXPECT_EQ(pages + 1, 3) << "7 domains in pages of 3";
    std::vector<std::string> expected;
    for (const auto& d : whole["items"]) expected.push_back(d["name"]);
    EXPECT_EQ(walked, expected);
  }
}

TEST_F(ApiTest, BadCursorIs400AndSaysWhatToDo) {
  for (int i = 0; i < 3; ++i) MakeDomain({{"name", "b" + std::to_string(i) + ".example.com"}});
  auto garbage = Call("GET", "/api/v1/domains?after=not-a-cursor!");
  EXPECT_EQ(garbage.status, 400) << garbage.body;
  EXPECT_NE(garbage.body.find("after"), std::string::npos) << garbage.body;
  auto truncated = Body(Call("GET", "/api/v1/domains?limit=1"))["next"].get<std::string>();
  auto cut = Call("GET", "/api/v1/domains?after=" + truncated.substr(0, truncated.size() / 2));
  EXPECT_EQ(cut.status, 400) << cut.body;
  // A cursor of one order used with another would skip or repeat rows: refused.
  auto other = Call("GET", "/api/v1/domains?sort=not_after&after=" + truncated);
  EXPECT_EQ(other.status, 400) << other.body;
  EXPECT_NE(other.body.find("sort=name"), std::string::npos) << other.body;
  auto ok = Call("GET", "/api/v1/domains?after=" + truncated);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Body(ok)["items"][0]["name"], "b1.example.com");
  EXPECT_EQ(Call("GET", "/api/v1/domains?after=").status, 200) << "empty = the first page";
  // A forged time past what a TimePoint holds is refused, not wrapped (signed overflow).
  const std::string forged = Base64UrlEncode(
      R"({"sort":"not_after","order":"asc","name":"b0.example.com","time":9000000000000000000})");
  auto far = Call("GET", "/api/v1/domains?sort=not_after&after=" + forged);
  EXPECT_EQ(far.status, 400) << far.body;
  EXPECT_NE(far.body.find("out of range"), std::string::npos) << far.body;
}

TEST_F(ApiTest, SearchFindsADomainByAnyOfItsNamesInAnySpelling) {
  MakeDomain({{"name", "shop.example.com"},
              {"sans", {"www.shop.example.com", "müller-shop.example"}},
              {"issuer", "manual"}});
  MakeDomain({{"name", "blog.example.com"}, {"issuer", "manual"}});
  // www.shop, a SAN in capitals, the IDN SAN as stored, as typed (müller-shop) and in
  // capitals with its parent (Müller-Shop.example).
  for (const char* q : {"www.shop", "WWW.SHOP.example.com", "xn--mller-shop", "m%C3%BCller-shop",
                        "M%C3%BCller-Shop.example"}) {
    auto page = Body(Call("GET", std::string("/api/v1/domains?q=") + q));
    ASSERT_EQ(page["total"], 1) << q << ": " << page.dump();
    EXPECT_EQ(page["items"][0]["name"], "shop.example.com") << q;
  }
  EXPECT_EQ(Body(Call("GET", "/api/v1/domains?q=example.com"))["total"], 2);
}

TEST_F(ApiTest, IssueButtonWakesTheWorkerButNotForManualDomains) {
  MakeDomain({{"name", "a.example.com"}});
  const int before = wakes_.load();
  auto r = Call("POST", "/api/v1/domains/a.example.com/issue");
  EXPECT_EQ(r.status, 202) << r.body;
  EXPECT_GT(wakes_.load(), before);
  MakeDomain({{"name", "m.example.com"}, {"issuer", "manual"}});
  r = Call("POST", "/api/v1/domains/m.example.com/issue");
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(ErrorMessageOf(r).find("upload"), std::string::npos);
  EXPECT_EQ(Call("POST", "/api/v1/domains/nope.example.com/issue").status, 404);
}

class UploadApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    auto ca = crypto::testing::TestCa::Create();
    ASSERT_TRUE(ca);
    ca_.emplace(std::move(*ca));
    MakeDomain(
        {{"name", "shop.example.com"}, {"sans", {"www.shop.example.com"}}, {"issuer", "manual"}});
  }
  crypto::testing::IssuedLeaf Leaf(crypto::testing::LeafOptions options) {
    if (options.dns_names.empty()) options.dns_names = {"shop.example.com", "www.shop.example.com"};
    return ca_->Issue(options).value();
  }
  harness::HttpResult Upload(const std::string& chain, const std::string& key) {
    return Call("POST", "/api/v1/domains/shop.example.com/certificate",
                json{{"chain_pem", chain}, {"key_pem", key}}.dump());
  }
  std::optional<crypto::testing::TestCa> ca_;
};

TEST_F(UploadApiTest, GoodUploadBecomesTheCurrentCertificate) {
  auto leaf = Leaf({});
  auto r = Upload(leaf.chain_pem, leaf.key_pem);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.body.find("PRIVATE KEY"), std::string::npos) << "no key material in responses";
  auto show = Body(Call("GET", "/api/v1/domains/shop.example.com"));
  EXPECT_EQ(show["status"], "valid");
  EXPECT_EQ(show["current_certificate"]["sha256"], leaf.leaf.Sha256Fingerprint());
  EXPECT_EQ(show["current_certificate"]["serial"], leaf.leaf.SerialHex());
  EXPECT_EQ(Body(Call("GET", "/api/v1/domains/shop.example.com/certificates"))["items"].size(), 1u);
}

TEST_F(UploadApiTest, WrongKeyIsRefused) {
  auto r = Upload(Leaf({}).chain_pem, Leaf({}).key_pem);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(ErrorMessageOf(r).find("the private key does not match the certificate"),
            std::string::npos)
      << r.body;
  EXPECT_TRUE(
      Body(Call("GET", "/api/v1/domains/shop.example.com"))["current_certificate"].is_null());
}

TEST_F(UploadApiTest, ExpiredIsRefused) {
  const TimePoint now = SystemClock::Instance().Now();
  auto leaf =
      Leaf({.not_before = now - std::chrono::hours(48), .not_after = now - std::chrono::hours(1)});
  auto r = Upload(leaf.chain_pem, leaf.key_pem);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(ErrorMessageOf(r).find("expired"), std::string::npos) << r.body;
}

TEST_F(UploadApiTest, SanMismatchIsRefused) {
  auto leaf = Leaf({.dns_names = {"shop.example.com"}});
  auto r = Upload(leaf.chain_pem, leaf.key_pem);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(ErrorMessageOf(r).find("does not cover www.shop.example.com"), std::string::npos)
      << r.body;
}

TEST_F(UploadApiTest, WrongOrderIsRefused) {
  auto ca = crypto::testing::TestCa::Create(2).value();
  auto leaf = ca.Issue({.dns_names = {"shop.example.com", "www.shop.example.com"}}).value();
  auto r = Upload(leaf.leaf_pem + ca.intermediates()[0].ToPem() + ca.intermediates()[1].ToPem(),
                  leaf.key_pem);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(ErrorMessageOf(r).find("certificate chain:"), std::string::npos) << r.body;
}

TEST_F(UploadApiTest, AcmeDomainsTakeNoUploads) {
  MakeDomain({{"name", "acme.example.com"}});
  auto leaf = Leaf({.dns_names = {"acme.example.com"}});
  auto r = Call("POST", "/api/v1/domains/acme.example.com/certificate",
                json{{"chain_pem", leaf.chain_pem}, {"key_pem", leaf.key_pem}}.dump());
  EXPECT_EQ(r.status, 409) << r.body;
}

TEST_F(ApiTest, ChallengeResponderServesOnlyPendingTokens) {
  auto d = MakeDomain({{"name", "a.example.com"}});
  store::Challenge c;
  c.token = "tok_123-abc";
  c.key_authorization = "tok_123-abc.thumbprint";
  c.domain_id = d["id"].get<std::int64_t>();
  c.expires_at = SystemClock::Instance().Now() + std::chrono::minutes(5);
  ASSERT_TRUE(store_->PutChallenge(c));
  auto r = CallAs("", "GET", "/.well-known/acme-challenge/tok_123-abc");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "tok_123-abc.thumbprint");
  EXPECT_EQ(r.headers["content-type"].rfind("text/plain", 0), 0u);
  EXPECT_EQ(CallAs("", "GET", "/.well-known/acme-challenge/unknown").status, 404);
  ASSERT_TRUE(store_->FinishChallenge("tok_123-abc"));
  EXPECT_EQ(CallAs("", "GET", "/.well-known/acme-challenge/tok_123-abc").status, 404)
      << "finished challenges must not be served";
}

}  // namespace
}  // namespace certfleet::hub::api

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

TEST_F(ApiTest, UnknownAndRepeatedQueryParametersAreRefused) {
  auto typo = Call("GET", "/api/v1/domains?expiring=30");
  EXPECT_EQ(typo.status, 400) << typo.body;
  EXPECT_NE(ErrorMessageOf(typo).find("unknown query parameter(s): expiring (allowed: q,"),
            std::string::npos)
      << typo.body;
  auto twice = Call("GET", "/api/v1/domains?status=valid&status=failed");
  EXPECT_EQ(twice.status, 400) << twice.body;
  EXPECT_EQ(ErrorMessageOf(twice), "query parameter 'status' is given 2 times; give it once");
  EXPECT_EQ(Call("GET", "/api/v1/customers/x?bogus=1").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/tokens?role=agent").status, 400);
}

TEST_F(ApiTest, DomainsCarryTheirHonestState) {
  MakeDomain({{"name", "m.example.com"}, {"issuer", "manual"}});
  auto list = Body(Call("GET", "/api/v1/domains"));
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["state"]["label"], "awaiting upload");
  EXPECT_EQ(list["items"][0]["state"]["tone"], "warn");
  EXPECT_TRUE(list["items"][0]["days_left"].is_null());
  auto one = Body(Call("GET", "/api/v1/domains/m.example.com"));
  EXPECT_EQ(one["state"]["label"], "awaiting upload");
}

TEST_F(ApiTest, StatusSaysWhatNeedsAttention) {
  auto empty = Body(Call("GET", "/api/v1/status"));
  EXPECT_EQ(empty["needs_attention"], false) << empty.dump();
  MakeDomain({{"name", "m.example.com"}, {"issuer", "manual"}});
  MakeMachine("web-1");
  auto r = Call("GET", "/api/v1/status");
  ASSERT_EQ(r.status, 200) << r.body;
  auto status = Body(r);
  EXPECT_EQ(status["needs_attention"], true);
  EXPECT_EQ(status["counts"]["awaiting_upload"], 1);
  EXPECT_EQ(status["counts"]["agents_silent"], 1);
  std::set<std::string> kinds;
  for (const auto& a : status["attention"]) kinds.insert(a["kind"].get<std::string>());
  EXPECT_EQ(kinds, (std::set<std::string>{"awaiting_upload", "agent_never_seen"}));
  EXPECT_EQ(status["expiry_weeks"].size(), 13u);
  EXPECT_EQ(CallAs(TokenFor("readonly"), "GET", "/api/v1/status").status, 200)
      << "readonly may read the status";
}

}  // namespace
}  // namespace certfleet::hub::api
