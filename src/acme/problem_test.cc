#include "acme/problem.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace certfleet::acme {
namespace {

TEST(ProblemTest, ParsesTypeDetailAndSubproblemsWithIdentifiers) {
  // RFC 8555 §6.7.1's example.
  auto problem = ParseProblem(R"({
    "type": "urn:ietf:params:acme:error:malformed",
    "detail": "Some of the identifiers requested were rejected",
    "subproblems": [
      {"type": "urn:ietf:params:acme:error:malformed",
       "detail": "Invalid underscore in DNS name \"_example.org\"",
       "identifier": {"type": "dns", "value": "_example.org"}},
      {"type": "urn:ietf:params:acme:error:rejectedIdentifier",
       "detail": "This CA will not issue for \"example.net\"",
       "identifier": {"type": "dns", "value": "example.net"}}
    ]})",
                              400);
  ASSERT_TRUE(problem) << problem.error().message;
  EXPECT_TRUE(problem->Is("malformed"));
  EXPECT_EQ(problem->status, 400);
  ASSERT_EQ(problem->subproblems.size(), 2u);
  EXPECT_EQ(problem->subproblems[1].identifier_value, "example.net");
  EXPECT_EQ(problem->subproblems[1].type, "urn:ietf:params:acme:error:rejectedIdentifier");
  std::string text = problem->Describe();
  EXPECT_NE(text.find("example.net: rejectedIdentifier: This CA will not issue"), std::string::npos)
      << text;
}

TEST(ProblemTest, MapsAcmeTypesToErrorCodes) {
  EXPECT_EQ(ProblemErrorCode("rateLimited"), ErrorCode::kRateLimited);
  EXPECT_EQ(ProblemErrorCode("badNonce"), ErrorCode::kUnavailable);
  EXPECT_EQ(ProblemErrorCode("unauthorized"), ErrorCode::kPermissionDenied);
  EXPECT_EQ(ProblemErrorCode("accountDoesNotExist"), ErrorCode::kNotFound);
  EXPECT_EQ(ProblemErrorCode("orderNotReady"), ErrorCode::kConflict);
  EXPECT_EQ(ProblemErrorCode("rejectedIdentifier"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ProblemErrorCode("connection"), ErrorCode::kAcmeProblem);
}

TEST(ProblemTest, ErrorMessageQuotesTheCaAndRetryAfter) {
  auto problem = ParseProblem(
      R"({"type":"urn:ietf:params:acme:error:rateLimited","detail":"too many certificates"})", 429);
  ASSERT_TRUE(problem);
  problem->retry_after = std::chrono::seconds(30);
  Error error = ProblemToError(*problem);
  EXPECT_EQ(error.code, ErrorCode::kRateLimited);
  EXPECT_EQ(error.message, "the CA said: rateLimited: too many certificates (retry after 30 s)");
  EXPECT_EQ(error.retry_after, std::chrono::milliseconds(30000))
      << "the scheduler needs the CA's Retry-After";
}

TEST(ProblemTest, MissingTypeIsAboutBlank) {
  auto problem = ParseProblem(R"({"detail":"oops"})", 500);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->type, "about:blank");
  EXPECT_EQ(problem->status, 500);
}

TEST(ProblemTest, WrongMemberTypesAreProtocolErrors) {
  for (const char* body :
       {"", "[]", R"({"type": 1})", R"({"detail": {}})", R"({"subproblems": [1]})",
        R"({"subproblems": [{"identifier": {"value": 7}}]})"}) {
    auto problem = ParseProblem(body, 400);
    ASSERT_FALSE(problem) << "accepted: " << body;
    EXPECT_EQ(problem.error().code, ErrorCode::kProtocol) << body;
  }
}

TEST(ProblemTest, RoundTripsThroughJson) {
  Problem problem{
      "urn:ietf:params:acme:error:dns", "no such host", 400, "", {{"t", "d", "dns", "a.test"}}, {}};
  auto back = ProblemFromJson(ProblemToJson(problem), 0);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->type, problem.type);
  EXPECT_EQ(back->detail, problem.detail);
  ASSERT_EQ(back->subproblems.size(), 1u);
  EXPECT_EQ(back->subproblems[0].identifier_value, "a.test");
}

}  // namespace
}  // namespace certfleet::acme
