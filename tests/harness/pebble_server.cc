#include "harness/pebble_server.h"

#include <gtest/gtest.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "harness/http_client.h"
#include "harness/net.h"

namespace certfleet::harness {
namespace {

std::string Tail(const std::string& text, size_t max = 4000) {
  return text.size() <= max ? text : "..." + text.substr(text.size() - max);
}

// Runs openssl; a failure carries its output, which says what was wrong.
Status OpenSsl(const std::vector<std::string>& args, std::string_view step) {
  std::vector<std::string> argv = {"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = RunCommand(argv);
  if (!result) return Fail(result.error().WithContext(std::string(step)));
  if (result->exit_code != 0) {
    return Fail(ErrorCode::kIo, std::string(step) + ": openssl exited " +
                                    std::to_string(result->exit_code) + ": " + result->output);
  }
  return Ok();
}

}  // namespace

Result<std::unique_ptr<PebbleServer>> PebbleServer::Start(PebbleOptions options) {
  std::unique_ptr<PebbleServer> server(new PebbleServer(std::move(options)));
  if (server->options_.http_port == 0) server->options_.http_port = FreeLoopbackPort();
  if (server->options_.tls_port == 0) server->options_.tls_port = FreeLoopbackPort();
  server->listen_port_ = FreeLoopbackPort();
  server->management_port_ = FreeLoopbackPort();
  server->dns_port_ = FreeLoopbackPort();
  server->challtestsrv_port_ = FreeLoopbackPort();
  for (auto step : {&PebbleServer::MakeCertificates, &PebbleServer::WriteConfig,
                    &PebbleServer::StartChalltestsrv, &PebbleServer::StartPebble}) {
    if (step == &PebbleServer::StartChalltestsrv && !server->options_.dns_server.empty()) continue;
    if (auto status = (server.get()->*step)(); !status) return Fail(status.error());
  }
  return server;
}

PebbleServer::~PebbleServer() {
  if (::testing::Test::HasFailure()) {
    std::cerr << "---- pebble logs (" << dir_.path().string() << ") ----\n"
              << Tail(Logs(), 8000) << "\n---- end of pebble logs ----\n";
  }
  Stop();
}

Status PebbleServer::MakeCertificates() {
  std::string dir = dir_.path().string();
  dir_.WriteFile("san.ext",
                 "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                 "basicConstraints=critical,CA:FALSE\n"
                 "extendedKeyUsage=serverAuth\n");
  std::vector<std::vector<std::string>> steps = {
      {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
       dir + "/ca.key", "-out", dir + "/ca.pem", "-days", "30", "-subj",
       "/CN=certfleet test Pebble HTTPS CA", "-addext", "basicConstraints=critical,CA:TRUE",
       "-addext", "keyUsage=critical,keyCertSign,cRLSign"},
      {"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
       dir + "/key.pem", "-out", dir + "/cert.csr", "-subj", "/CN=localhost"},
      {"x509", "-req", "-in", dir + "/cert.csr", "-CA", dir + "/ca.pem", "-CAkey", dir + "/ca.key",
       "-CAcreateserial", "-out", dir + "/cert.pem", "-days", "30", "-extfile", dir + "/san.ext"},
  };
  for (const auto& step : steps) {
    if (auto status = OpenSsl(step, "making Pebble's HTTPS certificate"); !status) return status;
  }
  return Ok();
}

Status PebbleServer::WriteConfig() {
  nlohmann::json pebble = {
      {"listenAddress", "127.0.0.1:" + std::to_string(listen_port_)},
      {"managementListenAddress", "127.0.0.1:" + std::to_string(management_port_)},
      {"certificate", (dir_ / "cert.pem").string()},
      {"privateKey", (dir_ / "key.pem").string()},
      {"httpPort", options_.http_port},
      {"tlsPort", options_.tls_port},
      {"ocspResponderURL", ""},
      {"externalAccountBindingRequired", options_.eab_required},
  };
  if (!options_.eab_keys.empty()) pebble["externalAccountMACKeys"] = options_.eab_keys;
  if (options_.certificate_validity.count() > 0)
    pebble["certificateValidityPeriod"] = options_.certificate_validity.count();
  dir_.WriteFile("pebble.json", nlohmann::json{{"pebble", pebble}}.dump(2));
  return Ok();
}

Status PebbleServer::StartChalltestsrv() {
  SubprocessOptions options;
  options.argv = {"pebble-challtestsrv",
                  "-defaultIPv4",
                  "127.0.0.1",
                  "-defaultIPv6",
                  "",
                  "-dns01",
                  "127.0.0.1:" + std::to_string(dns_port_),
                  "-http01",
                  "",
                  "-https01",
                  "",
                  "-tlsalpn01",
                  "",
                  "-management",
                  "127.0.0.1:" + std::to_string(challtestsrv_port_)};
  options.log_file = dir_ / "challtestsrv.log";
  auto child = Subprocess::Start(std::move(options));
  if (!child) return Fail(child.error().WithContext("starting pebble-challtestsrv"));
  challtestsrv_ = std::move(*child);
  bool up = WaitFor([&] { return CanConnect(challtestsrv_port_) || !challtestsrv_->IsRunning(); },
                    options_.start_timeout);
  if (!up || !challtestsrv_->IsRunning()) {
    return Fail(ErrorCode::kUnavailable,
                "pebble-challtestsrv did not come up: " + Tail(challtestsrv_->Log()));
  }
  return Ok();
}

Status PebbleServer::StartPebble() {
  SubprocessOptions options;
  const std::string dns =
      options_.dns_server.empty() ? "127.0.0.1:" + std::to_string(dns_port_) : options_.dns_server;
  options.argv = {"pebble", "-config", (dir_ / "pebble.json").string(), "-dnsserver", dns};
  options.env["PEBBLE_VA_NOSLEEP"] = "1";
  auto set = [&](const char* name, const std::optional<int>& value) {
    if (value) options.env[name] = std::to_string(*value);
  };
  set("PEBBLE_WFE_NONCEREJECT", options_.nonce_reject_percent);
  set("PEBBLE_CHAIN_LENGTH", options_.chain_length);
  set("PEBBLE_AUTHZREUSE", options_.authz_reuse_percent);
  set("PEBBLE_ALTERNATE_ROOTS", options_.alternate_roots);
  if (options_.always_valid) options.env["PEBBLE_VA_ALWAYS_VALID"] = "1";
  options.log_file = dir_ / "pebble.log";
  auto child = Subprocess::Start(std::move(options));
  if (!child) return Fail(child.error().WithContext("starting pebble"));
  pebble_ = std::move(*child);
  bool ready = WaitFor(
      [&] {
        return !pebble_->IsRunning() ||
               HttpGet(DirectoryUrl(), CaFile(), std::chrono::milliseconds(500)).status == 200;
      },
      options_.start_timeout, std::chrono::milliseconds(10));
  if (!ready || !pebble_->IsRunning()) {
    return Fail(ErrorCode::kUnavailable,
                "pebble did not answer " + DirectoryUrl() + ": " + Tail(pebble_->Log()));
  }
  return Ok();
}

std::string PebbleServer::DirectoryUrl() const {
  return "https://127.0.0.1:" + std::to_string(listen_port_) + "/dir";
}

std::string PebbleServer::CaFile() const { return (dir_ / "ca.pem").string(); }

Result<std::string> PebbleServer::Fetch(const std::string& path) const {
  std::string url = "https://127.0.0.1:" + std::to_string(management_port_) + path;
  HttpResult result = HttpGet(url, CaFile());
  if (result.status != 200) {
    return Fail(ErrorCode::kUnavailable,
                "GET " + url + ": " +
                    (result.ok() ? "HTTP " + std::to_string(result.status) : result.error));
  }
  return result.body;
}

Result<std::string> PebbleServer::RootPem(int index) const {
  return Fetch("/roots/" + std::to_string(index));
}

Result<std::string> PebbleServer::IntermediatePem(int index) const {
  return Fetch("/intermediates/" + std::to_string(index));
}

void PebbleServer::StopPebble() {
  if (pebble_) pebble_->Stop();
}

Status PebbleServer::RestartPebble() {
  StopPebble();
  return StartPebble();
}

void PebbleServer::Stop() {
  if (pebble_) pebble_->Stop();
  if (challtestsrv_) challtestsrv_->Stop();
}

std::string PebbleServer::Logs() const {
  std::string logs;
  if (pebble_) logs += "[pebble]\n" + pebble_->Log();
  if (challtestsrv_) logs += "\n[pebble-challtestsrv]\n" + challtestsrv_->Log();
  return logs;
}

}  // namespace certfleet::harness
