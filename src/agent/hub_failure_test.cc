#include "agent/hub_failure.h"

#include <gtest/gtest.h>

namespace certfleet::agent {
namespace {

Error E(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

TEST(HubFailureTest, A401IsTheTokenNotTheNetwork) {
  const Error e = E(ErrorCode::kUnauthenticated,
                    "fetching the desired state from the hub: hub answered 401 to GET "
                    "/api/v1/agent/desired: unknown or revoked token");
  EXPECT_EQ(ClassifyHubFailure(e), HubFailure::kTokenRefused);
  const std::string text = DescribeHubFailure(e);
  EXPECT_EQ(text.rfind("the hub refused this agent's token", 0), 0u) << text;
  EXPECT_NE(text.find("token_file"), std::string::npos) << "the fix must be named: " << text;
  EXPECT_EQ(text.find("unreachable"), std::string::npos) << "the hub answered: " << text;
  EXPECT_NE(text.find("unknown or revoked token"), std::string::npos) << text;
}

TEST(HubFailureTest, A403NamesTheRole) {
  const Error e = E(ErrorCode::kPermissionDenied, "hub answered 403 …: token 3 is not bound");
  EXPECT_EQ(ClassifyHubFailure(e), HubFailure::kForbidden);
  EXPECT_NE(DescribeHubFailure(e).find("role agent"), std::string::npos);
}

TEST(HubFailureTest, AnUnresolvableHostIsNamedAsDns) {
  const Error e = E(ErrorCode::kUnavailable,
                    "GET https://hub.example.invalid/api/v1/agent/desired: resolving "
                    "hub.example.invalid: Host not found (authoritative)");
  EXPECT_EQ(ClassifyHubFailure(e), HubFailure::kDns);
  EXPECT_NE(DescribeHubFailure(e).find("cannot resolve the hub's host name"), std::string::npos);
}

TEST(HubFailureTest, AnUntrustedCertificateIsNamedAsTlsTrust) {
  const Error e = E(ErrorCode::kUnavailable,
                    "TLS handshake with hub.example.net: certificate verify failed (SSL routines) "
                    "(unable to get local issuer certificate)");
  EXPECT_EQ(ClassifyHubFailure(e), HubFailure::kTlsTrust);
  EXPECT_NE(DescribeHubFailure(e).find("ca_file"), std::string::npos);
}

TEST(HubFailureTest, ARefusedConnectionIsUnreachable) {
  const Error e = E(ErrorCode::kUnavailable, "connecting to 127.0.0.1:1: Connection refused");
  EXPECT_EQ(ClassifyHubFailure(e), HubFailure::kUnreachable);
  EXPECT_FALSE(NeedsOperator(HubFailure::kUnreachable));
  EXPECT_EQ(DescribeHubFailure(e).rfind("hub unreachable, keeping the certificates on disk", 0),
            0u);
}

TEST(HubFailureTest, ADiskProblemIsNotBlamedOnTheHub) {
  const Error e = E(ErrorCode::kIo, "reading what is on disk: cannot list /etc/certfleet/archive");
  EXPECT_EQ(ClassifyHubFailure(e), HubFailure::kLocal);
  EXPECT_EQ(DescribeHubFailure(e), e.message);
}

}  // namespace
}  // namespace certfleet::agent
