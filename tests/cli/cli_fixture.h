// CliTest: one real certfleet-hub process per test suite (SQLite in a temp dir, an ACME
// issuer "le" whose CA is a closed port, so its orders fail with the transport's words),
// and the certfleet binary run against it with stdout and stderr kept apart.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/hub_process.h"
#include "harness/temp_dir.h"

namespace certfleet::cli_test {

struct CliRun {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  // certfleet --hub URL --token ADMIN ARGS… (or `token` instead of the admin's).
  static CliRun Cli(const std::vector<std::string>& args, const std::string& token = "");
  // Like Cli, and fails the test unless it exits 0.
  static std::string Ok(const std::vector<std::string>& args);
  // The hub's JSON over curl-free HTTP (GET), as admin.
  static nlohmann::json Get(const std::string& path);
  // A unique name for this test ("<prefix>-<n>"), so tests sharing the hub never collide.
  static std::string Unique(const std::string& prefix);

  static std::string HubUrl();
  static std::string admin_token_;
  static std::unique_ptr<harness::TempDir> dir_;
  static std::unique_ptr<harness::Subprocess> hub_;
  static std::uint16_t port_;
};

}  // namespace certfleet::cli_test
