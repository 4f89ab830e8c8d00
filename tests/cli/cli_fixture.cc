#include "cli_fixture.h"

#include <atomic>
#include <fstream>
#include <sstream>

#include "harness/http_client.h"
#include "harness/net.h"
#include "harness/subprocess.h"

namespace certfleet::cli_test {

std::string CliTest::admin_token_;
std::unique_ptr<harness::TempDir> CliTest::dir_;
std::unique_ptr<harness::Subprocess> CliTest::hub_;
std::uint16_t CliTest::port_ = 0;

void CliTest::SetUpTestSuite() {
  dir_ = std::make_unique<harness::TempDir>("cli");
  port_ = harness::FreeLoopbackPort();
  std::ostringstream toml;
  toml << "data_dir = \"" << (dir_->path() / "hub").string() << "\"\n"
       << "listen = \"127.0.0.1:" << port_ << "\"\n\n"
       << "[issuance]\npoll_interval_seconds = 1\n\n"
       << "[[issuer]]\nname = \"le\"\ndirectory = \"https://127.0.0.1:1/directory\"\n";
  dir_->WriteFile("hub.toml", toml.str());
  auto hub = harness::StartHubProcess({.binary = CERTFLEET_HUB_BIN,
                                       .config_file = dir_->path() / "hub.toml",
                                       .data_dir = dir_->path() / "hub",
                                       .base_url = HubUrl(),
                                       .log_file = dir_->path() / "hub.log"});
  ASSERT_TRUE(hub) << hub.error().message;
  hub_ = std::move(hub->process);
  admin_token_ = hub->admin_token;
}

void CliTest::TearDownTestSuite() {
  if (hub_) hub_->Stop();
  hub_.reset();
  dir_.reset();
}

std::string CliTest::HubUrl() { return "http://127.0.0.1:" + std::to_string(port_); }

CliRun CliTest::Cli(const std::vector<std::string>& args, const std::string& token) {
  static std::atomic<int> n{0};
  const auto err_file = dir_->path() / ("stderr-" + std::to_string(++n));
  // sh keeps stderr apart: RunCommand's output is then stdout only.
  std::vector<std::string> argv = {
      "/bin/sh", "-c",      "exec \"$0\" \"$@\" 2>" + err_file.string(), CERTFLEET_CLI, "--hub",
      HubUrl(),  "--token", token.empty() ? admin_token_ : token};
  argv.insert(argv.end(), args.begin(), args.end());
  CliRun run;
  auto result = harness::RunCommand(argv, std::chrono::seconds(60), {{"NO_COLOR", "1"}});
  if (!result) {
    ADD_FAILURE() << "cannot run certfleet: " << result.error().message;
    return run;
  }
  run.exit_code = result->exit_code;
  run.out = result->output;
  run.err = harness::ReadFileOrEmpty(err_file);
  return run;
}

std::string CliTest::Ok(const std::vector<std::string>& args) {
  CliRun run = Cli(args);
  std::string shown;
  for (const auto& a : args) shown += " " + a;
  EXPECT_EQ(run.exit_code, 0) << "certfleet" << shown << "\nstdout: " << run.out
                              << "\nstderr: " << run.err;
  return run.out;
}

nlohmann::json CliTest::Get(const std::string& path) {
  harness::HttpClient client;
  harness::HttpRequest request;
  request.headers.push_back("Authorization: Bearer " + admin_token_);
  std::string encoded;  // names with spaces or Unicode in the path
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    static constexpr char kHex[] = "0123456789ABCDEF";
    if (c > 0x20 && c < 0x7f) {
      encoded += static_cast<char>(c);
    } else {
      encoded += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  auto r = client.Fetch(HubUrl() + encoded, request);
  EXPECT_TRUE(r.ok()) << path << ": " << r.error;
  auto value = nlohmann::json::parse(r.body, nullptr, false);
  return value.is_discarded() ? nlohmann::json() : value;
}

std::string CliTest::Unique(const std::string& prefix) {
  static std::atomic<int> n{0};
  return prefix + "-" + std::to_string(++n);
}

}  // namespace certfleet::cli_test
