#include "net/status_code.h"

#include <gtest/gtest.h>

namespace certfleet::net {
namespace {

struct Row {
  int status;
  ErrorCode code;
};

TEST(StatusToErrorCodeTest, MapsEveryStatusTheClientsActOn) {
  const Row rows[] = {
      {400, ErrorCode::kInvalidArgument},  {413, ErrorCode::kInvalidArgument},
      {422, ErrorCode::kInvalidArgument},  {401, ErrorCode::kUnauthenticated},
      {403, ErrorCode::kPermissionDenied}, {404, ErrorCode::kNotFound},
      {408, ErrorCode::kDeadlineExceeded}, {409, ErrorCode::kConflict},
      {429, ErrorCode::kRateLimited},      {500, ErrorCode::kUnavailable},
      {502, ErrorCode::kUnavailable},      {503, ErrorCode::kUnavailable},
      {599, ErrorCode::kUnavailable},      {302, ErrorCode::kProtocol},
      {418, ErrorCode::kProtocol},         {100, ErrorCode::kProtocol},
      {600, ErrorCode::kProtocol},         {0, ErrorCode::kProtocol},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(StatusToErrorCode(row.status), row.code)
        << "HTTP " << row.status << " maps to " << ErrorCodeName(StatusToErrorCode(row.status))
        << ", want " << ErrorCodeName(row.code);
  }
}

TEST(StatusToErrorCodeTest, SuccessIsNotAnErrorAndSaysSo) {
  EXPECT_EQ(StatusToErrorCode(200), ErrorCode::kInternal);
  EXPECT_EQ(StatusToErrorCode(204), ErrorCode::kInternal);
}

}  // namespace
}  // namespace certfleet::net
