#include "acme/nonce.h"

#include <gtest/gtest.h>

#include "net/testing/fake_transport.h"

namespace certfleet::acme {
namespace {

net::HttpResponse WithNonce(std::string nonce) {
  net::HttpResponse response{200, {}, ""};
  response.headers.Add("replay-nonce", std::move(nonce));  // lower case: lookup ignores case
  return response;
}

TEST(NoncePoolTest, HeadsNewNonceWhenEmpty) {
  net::FakeTransport transport;
  transport.Enqueue(WithNonce("fresh-nonce_1"));
  NoncePool pool(transport, "https://ca.test/new-nonce");
  auto nonce = pool.Take();
  ASSERT_TRUE(nonce) << nonce.error().message;
  EXPECT_EQ(*nonce, "fresh-nonce_1");
  ASSERT_EQ(transport.requests().size(), 1u);
  EXPECT_EQ(transport.requests()[0].method, "HEAD");
  EXPECT_EQ(transport.requests()[0].url, "https://ca.test/new-nonce");
}

TEST(NoncePoolTest, ReusesNoncesFromResponsesWithoutAnyRequest) {
  net::FakeTransport transport;  // any request would fail: nothing is scripted
  NoncePool pool(transport, "https://ca.test/new-nonce");
  pool.Observe(WithNonce("observed"));
  auto nonce = pool.Take();
  ASSERT_TRUE(nonce) << nonce.error().message;
  EXPECT_EQ(*nonce, "observed");
  EXPECT_EQ(transport.request_count(), 0u) << "a stored nonce must not cost a HEAD request";
  EXPECT_EQ(pool.size(), 0u) << "nonces are single-use";
}

TEST(NoncePoolTest, IgnoresInvalidNonces) {
  net::FakeTransport transport;
  NoncePool pool(transport, "https://ca.test/new-nonce");
  pool.Put("");
  pool.Put("has space");
  pool.Put("has+plus/slash=");
  EXPECT_EQ(pool.size(), 0u);
}

TEST(NoncePoolTest, DropsOldestBeyondCapacity) {
  net::FakeTransport transport;
  NoncePool pool(transport, "https://ca.test/new-nonce", 2);
  pool.Put("n1");
  pool.Put("n2");
  pool.Put("n3");
  EXPECT_EQ(pool.size(), 2u);
  EXPECT_EQ(*pool.Take(), "n3");
  EXPECT_EQ(*pool.Take(), "n2");
}

TEST(NoncePoolTest, NewNonceWithoutHeaderIsAProtocolError) {
  net::FakeTransport transport;
  transport.EnqueueJson(200, "");
  NoncePool pool(transport, "https://ca.test/new-nonce");
  auto nonce = pool.Take();
  ASSERT_FALSE(nonce);
  EXPECT_EQ(nonce.error().code, ErrorCode::kProtocol);
}

TEST(NoncePoolTest, NewNonceAnswering5xxIsTransientNotAProtocolError) {
  net::FakeTransport transport;
  transport.Enqueue(net::HttpResponse{503, {}, "Service Unavailable"});
  NoncePool pool(transport, "https://ca.test/new-nonce");
  auto nonce = pool.Take();
  ASSERT_FALSE(nonce);
  EXPECT_EQ(nonce.error().code, ErrorCode::kUnavailable) << nonce.error().message;
  EXPECT_EQ(nonce.error().message,
            "getting a fresh nonce from https://ca.test/new-nonce: the CA answered HTTP 503");
}

TEST(NoncePoolTest, UnreachableNewNonceNamesTheUrl) {
  net::FakeTransport transport;
  transport.Enqueue(Fail(ErrorCode::kUnavailable, "connection refused"));
  NoncePool pool(transport, "https://ca.test/new-nonce");
  auto nonce = pool.Take();
  ASSERT_FALSE(nonce);
  EXPECT_EQ(nonce.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(nonce.error().message.find("https://ca.test/new-nonce"), std::string::npos);
}

}  // namespace
}  // namespace certfleet::acme
