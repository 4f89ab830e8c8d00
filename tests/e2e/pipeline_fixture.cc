#include "e2e/pipeline_fixture.h"

#include <cctype>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "harness/hub_process.h"
#include "harness/net.h"

namespace certfleet::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Debug + ASan binaries on 2 shared cores start slowly; these bound waits, they are not sleeps.
constexpr milliseconds kStartTimeout = seconds(30);

}  // namespace

bool IsValidWithCertificate(const json& view) {
  return view.value("status", "") == "valid" && view.contains("current_certificate") &&
         view["current_certificate"].is_object();
}

void PipelineFixture::SetUp() {
  dir_ = std::make_unique<harness::TempDir>("e2e");
  http_port_ = harness::FreeLoopbackPort();
  tls_port_ = harness::FreeLoopbackPort();
  hub_port_ = harness::FreeLoopbackPort();
  harness::PebbleOptions pebble_options = pebble_options_;
  pebble_options.http_port = http_port_;
  auto pebble = harness::PebbleServer::Start(pebble_options);
  ASSERT_TRUE(pebble) << "Pebble did not start: " << pebble.error().message;
  pebble_ = std::move(*pebble);

  WritePlaceholderCertificate();
  fs::create_directories(*dir_ / "sites");
  const std::string http_block =
      harness::NginxServer::ChallengeProxyServer(http_port_, hub_port_) +
      harness::NginxServer::TlsServer(tls_port_, "placeholder.invalid",
                                      (*dir_ / "placeholder/fullchain.pem").string(),
                                      (*dir_ / "placeholder/privkey.pem").string()) +
      "  include " + (*dir_ / "sites").string() + "/*.conf;\n";
  auto nginx = harness::NginxServer::Start(http_block, {http_port_, tls_port_});
  ASSERT_TRUE(nginx) << "nginx did not start: " << nginx.error().message;
  nginx_ = std::move(*nginx);

  WriteHubConfig();
  ASSERT_NO_FATAL_FAILURE(StartHub());
}

void PipelineFixture::TearDown() {
  if (!HasFailure()) return;
  if (hub_) std::cerr << "--- certfleet-hub log\n" << hub_->Log() << "\n";
  for (const auto& log : agent_logs_) {
    std::cerr << "--- " << log << "\n" << harness::ReadFileOrEmpty(log) << "\n";
  }
}

void PipelineFixture::WritePlaceholderCertificate() {
  fs::create_directories(*dir_ / "placeholder");
  auto made = harness::RunCommand({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                   "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj",
                                   "/CN=placeholder.invalid", "-keyout",
                                   (*dir_ / "placeholder/privkey.pem").string(), "-out",
                                   (*dir_ / "placeholder/fullchain.pem").string()});
  ASSERT_TRUE(made && made->exit_code == 0) << "cannot make nginx's placeholder certificate: "
                                            << (made ? made->output : made.error().message);
}

void PipelineFixture::WriteHubConfig() {
  std::ostringstream toml;
  toml << "data_dir = \"" << (*dir_ / "hub").string() << "\"\n"
       << "listen = \"127.0.0.1:" << hub_port_ << "\"\n\n"
       << "[[issuer]]\n"
       << "name = \"pebble\"\n"
       << "directory = \"" << pebble_->DirectoryUrl() << "\"\n"
       << "ca_file = \"" << pebble_->CaFile() << "\"\n"
       << "contact = \"e2e@certfleet.test\"\n"
       << hub_config_extra_;
  dir_->WriteFile("hub.toml", toml.str());
}

void PipelineFixture::StartHub() {
  ++hub_starts_;
  auto hub =
      harness::StartHubProcess({.binary = CERTFLEET_HUB_BIN,
                                .config_file = *dir_ / "hub.toml",
                                .data_dir = *dir_ / "hub",
                                .base_url = HubUrl(),
                                .log_file = *dir_ / ("hub-" + std::to_string(hub_starts_) + ".log"),
                                .start_timeout = kStartTimeout});
  ASSERT_TRUE(hub) << hub.error().message;
  hub_ = std::move(hub->process);
  admin_token_ = hub->admin_token;
}

void PipelineFixture::KillHub() {
  ASSERT_TRUE(hub_);
  hub_->Signal(SIGKILL);
  ASSERT_TRUE(hub_->Wait(seconds(10)).has_value()) << "certfleet-hub survived SIGKILL";
}

PipelineFixture::ApiAnswer PipelineFixture::Api(const std::string& method, const std::string& path,
                                                const std::string& token) {
  harness::HttpRequest request;
  request.method = method;
  request.headers = {"Authorization: Bearer " + (token.empty() ? admin_token_ : token)};
  if (method == "POST") {
    request.body = "{}";
    request.headers.emplace_back("Content-Type: application/json");
  }
  auto result = http_.Fetch(HubUrl() + path, request);
  ApiAnswer answer{result.status, json::parse(result.body, nullptr, /*allow_exceptions=*/false)};
  return answer;
}

json PipelineFixture::ShowDomain(const std::string& name) {
  auto answer = Api("GET", "/api/v1/domains/" + name);
  EXPECT_EQ(answer.status, 200) << "GET domain " << name << ": " << answer.body.dump();
  return answer.body;
}

json PipelineFixture::WaitForDomain(const std::string& name,
                                    const std::function<bool(const json&)>& done,
                                    milliseconds timeout, bool* ok) {
  json view;
  *ok = harness::WaitFor(
      [&] {
        auto answer = Api("GET", "/api/v1/domains/" + name);
        if (answer.status != 200) return false;
        view = std::move(answer.body);
        return done(view);
      },
      timeout, milliseconds(5));
  return view;
}

std::string PipelineFixture::Cli(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {CERTFLEET_CLI, "--hub", HubUrl(), "--token", admin_token_};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = harness::RunCommand(argv, seconds(60));
  if (!result) {
    ADD_FAILURE() << "cannot run the certfleet CLI: " << result.error().message;
    return "";
  }
  std::string shown;
  for (const auto& a : args) shown += " " + a;
  if (result->exit_code != 0) {
    ADD_FAILURE() << "certfleet" << shown << " exited " << result->exit_code << ": "
                  << result->output;
  }
  return result->output;
}

std::string PipelineFixture::AgentTokenFor(const std::string& machine) {
  if (Api("GET", "/api/v1/customers/acme").status == 404) Cli({"customer", "add", "acme"});
  if (Api("GET", "/api/v1/machines/" + machine).status == 404)
    Cli({"machine", "add", machine, "--customer", "acme"});
  std::string secret = Cli(
      {"token", "create", "--role", "agent", "--machine", machine, "--name", machine + "-agent"});
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == ' ')) secret.pop_back();
  EXPECT_EQ(secret.rfind("cf_", 0), 0u) << "token create did not print a token: " << secret;
  return secret;
}

void PipelineFixture::AddNginxSite(const std::string& domain, const std::string& out) {
  const fs::path live = fs::path(out) / "live" / domain;
  dir_->WriteFile(
      "sites/" + domain + ".conf",
      harness::NginxServer::TlsServer(tls_port_, domain, (live / "fullchain.pem").string(),
                                      (live / "privkey.pem").string()));
}

std::string PipelineFixture::WriteAgentConfig(const std::string& name, const std::string& token,
                                              const std::string& out) {
  const std::string nginx = "nginx -p " + nginx_->dir().path().string() + " -c " +
                            nginx_->ConfigPath() + " -e " +
                            (nginx_->dir() / "logs" / "error.log").string();
  std::ostringstream toml;
  toml << "hub_url = \"" << HubUrl() << "\"\n"
       << "token = \"" << token << "\"\n"
       << "output_dir = \"" << out << "\"\n"
       << "test_command = \"" << nginx << " -t -q\"\n"
       << "reload_command = \"" << nginx << " -s reload\"\n"
       << "verify_address = \"127.0.0.1:" << tls_port_ << "\"\n"
       << "verify_timeout = \"10s\"\n"
       << "watch_wait = \"20s\"\n";
  return dir_->WriteFile(name + ".toml", toml.str()).string();
}

std::unique_ptr<harness::Subprocess> PipelineFixture::StartAgent(const std::string& config_path) {
  const fs::path log = fs::path(config_path).replace_extension(".log");
  agent_logs_.push_back(log.string());
  auto agent = harness::Subprocess::Start(
      {.argv = {CERTFLEET_AGENT_BIN, "-c", config_path}, .log_file = log});
  EXPECT_TRUE(agent) << agent.error().message;
  return agent ? std::move(*agent) : nullptr;
}

std::string PipelineFixture::ServedSha256(const std::string& server_name) {
  const std::string script =
      "openssl s_client -connect 127.0.0.1:" + std::to_string(tls_port_) + " -servername " +
      server_name +
      " </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256 2>/dev/null";
  auto result = harness::RunCommand({"sh", "-c", script}, seconds(30));
  if (!result || result->exit_code != 0) return "";
  std::string hex;
  const auto eq = result->output.find('=');
  if (eq == std::string::npos) return "";
  for (char c : result->output.substr(eq + 1)) {
    if (std::isxdigit(static_cast<unsigned char>(c)))
      hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return hex;
}

void PipelineFixture::SignalNginx(int signal) {
  auto children = harness::RunCommand({"pgrep", "-P", std::to_string(nginx_->pid())});
  ASSERT_TRUE(children) << children.error().message;
  std::istringstream pids(children->output);
  for (pid_t pid = 0; pids >> pid;) ::kill(pid, signal);
  ::kill(nginx_->pid(), signal);
}

void PipelineFixture::FreezeNginx() { SignalNginx(SIGSTOP); }
void PipelineFixture::ThawNginx() { SignalNginx(SIGCONT); }

}  // namespace certfleet::e2e
