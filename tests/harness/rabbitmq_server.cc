#include "harness/rabbitmq_server.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <iostream>
#include <sstream>

#include "harness/net.h"

namespace certfleet::harness {
namespace {

std::string Tail(const std::string& text, size_t max = 6000) {
  return text.size() <= max ? text : "..." + text.substr(text.size() - max);
}

bool Alive(pid_t pid) { return pid > 0 && ::kill(pid, 0) == 0; }

constexpr int kStartAttempts = 3;

// What a node that could not bind one of its ports prints before it halts: the
// distribution port (prelaunch), the AMQP/TLS listener, or epmd's port (registration).
bool PortTaken(const std::string& output) {
  for (const char* sign : {"dist_port_already_used", "could_not_start_listener", "eaddrinuse",
                           "register/listen error"}) {
    if (output.find(sign) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<RabbitMqServer>> RabbitMqServer::Start(RabbitMqOptions options) {
  std::unique_ptr<RabbitMqServer> server(new RabbitMqServer());
  server->options_ = options;
  if (auto s = server->Prepare(); !s) return Fail(s.error());
  if (auto s = server->StartBroker(); !s) return Fail(s.error());
  return server;
}

RabbitMqServer::~RabbitMqServer() {
  if (::testing::Test::HasFailure()) {
    std::cerr << "---- rabbitmq logs (" << dir_.path().string() << ") ----\n"
              << Tail(Logs()) << "\n---- end of rabbitmq logs ----\n";
  }
  Stop();
}

void RabbitMqServer::ChoosePorts(bool client_ports) {
  dist_port_ = dist_port_ == 0 && options_.dist_port != 0 ? options_.dist_port : FreeLoopbackPort();
  if (!client_ports) return;
  amqp_port_ = FreeLoopbackPort();
  epmd_port_ = FreeLoopbackPort();
  std::string conf = "listeners.tcp.default = 127.0.0.1:" + std::to_string(amqp_port_) +
                     "\nloopback_users = none\n";
  if (options_.tls) {
    tls_port_ = FreeLoopbackPort();
    std::string rmq = (dir_ / "rmq").string();
    conf += "listeners.ssl.default = 127.0.0.1:" + std::to_string(tls_port_) +
            "\nssl_options.cacertfile = " + rmq + "/ca.pem\nssl_options.certfile = " + rmq +
            "/cert.pem\nssl_options.keyfile = " + rmq +
            "/key.pem\nssl_options.verify = verify_none\n"
            "ssl_options.fail_if_no_peer_cert = false\n";
  }
  dir_.WriteFile("rmq/rabbitmq.conf", conf);
}

Status RabbitMqServer::Prepare() {
  if (options_.tls) {
    if (auto s = MakeTlsFiles(); !s) return s;
  }
  ChoosePorts(true);
  dir_.WriteFile("rmq/enabled_plugins", "[].\n");
  // The broker runs as user rabbitmq: it must reach and own its directory.
  std::filesystem::permissions(dir_.path(), std::filesystem::perms(0755));
  auto chown = RunCommand({"chown", "-R", "rabbitmq:rabbitmq", (dir_ / "rmq").string()});
  if (!chown || chown->exit_code != 0) {
    return Fail(ErrorCode::kIo, "chown rabbitmq " + (dir_ / "rmq").string() + ": " +
                                    (chown ? chown->output : chown.error().message) +
                                    " (is rabbitmq-server installed? scripts/install-deps)");
  }
  return Ok();
}

Status RabbitMqServer::MakeTlsFiles() {
  std::string rmq = (dir_ / "rmq").string();
  dir_.WriteFile("rmq/san.ext",
                 "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                 "basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n");
  std::vector<std::vector<std::string>> steps = {
      {"openssl",
       "req",
       "-x509",
       "-newkey",
       "ec",
       "-pkeyopt",
       "ec_paramgen_curve:P-256",
       "-nodes",
       "-keyout",
       rmq + "/ca.key",
       "-out",
       rmq + "/ca.pem",
       "-days",
       "30",
       "-subj",
       "/CN=certfleet test RabbitMQ CA",
       "-addext",
       "basicConstraints=critical,CA:TRUE",
       "-addext",
       "keyUsage=critical,keyCertSign,cRLSign"},
      {"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
       "-keyout", rmq + "/key.pem", "-out", rmq + "/cert.csr", "-subj", "/CN=localhost"},
      {"openssl", "x509", "-req", "-in", rmq + "/cert.csr", "-CA", rmq + "/ca.pem", "-CAkey",
       rmq + "/ca.key", "-CAcreateserial", "-out", rmq + "/cert.pem", "-days", "30", "-extfile",
       rmq + "/san.ext"},
  };
  for (const auto& step : steps) {
    auto result = RunCommand(step);
    if (!result || result->exit_code != 0) {
      return Fail(ErrorCode::kIo, "making RabbitMQ's TLS certificate: " +
                                      (result ? result->output : result.error().message));
    }
  }
  return Ok();
}

std::string RabbitMqServer::TlsUrl() const {
  return "amqps://localhost:" + std::to_string(tls_port_) + "/";
}

std::string RabbitMqServer::CaFile() const { return (dir_ / "rmq/ca.pem").string(); }

std::map<std::string, std::string> RabbitMqServer::Env() const {
  std::string rmq = (dir_ / "rmq").string();
  return {
      {"RABBITMQ_NODENAME", "rabbit-" + std::to_string(amqp_port_) + "@localhost"},
      {"RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1"},
      {"RABBITMQ_NODE_PORT", std::to_string(amqp_port_)},
      {"RABBITMQ_DIST_PORT", std::to_string(dist_port_)},
      {"RABBITMQ_CONFIG_FILE", rmq + "/rabbitmq.conf"},
      {"RABBITMQ_ENABLED_PLUGINS_FILE", rmq + "/enabled_plugins"},
      {"RABBITMQ_MNESIA_BASE", rmq + "/mnesia"},
      {"RABBITMQ_LOG_BASE", rmq + "/log"},
      {"RABBITMQ_PID_FILE", rmq + "/rabbit.pid"},
      {"ERL_EPMD_ADDRESS", "127.0.0.1"},
      {"ERL_EPMD_PORT", std::to_string(epmd_port_)},
  };
}

pid_t RabbitMqServer::ReadPid() const {
  std::string text = ReadFileOrEmpty(dir_ / "rmq/rabbit.pid");
  try {
    return text.empty() ? -1 : static_cast<pid_t>(std::stol(text));
  } catch (const std::exception&) {
    return -1;
  }
}

Status RabbitMqServer::StartBroker() {
  if (running_) return Ok();
  for (int attempt = 1;; ++attempt) {
    Status started = StartNode();
    if (started) {
      started_once_ = true;
      return Ok();
    }
    if (started.error().code != ErrorCode::kAlreadyExists || attempt == kStartAttempts) {
      return started;
    }
    std::cerr << "RabbitMQ: " << started.error().message.substr(0, 200)
              << "... — starting again on fresh ports\n";
    // Our epmd (if it started) goes with the failed node; a restart keeps the client ports.
    if (!started_once_) {
      (void)RunCommand({"epmd", "-port", std::to_string(epmd_port_), "-kill"},
                       std::chrono::seconds(10), Env());
    }
    ChoosePorts(!started_once_);
  }
}

Status RabbitMqServer::StartNode() {
  std::error_code ignored;
  std::filesystem::remove(dir_ / "rmq/rabbit.pid", ignored);
  std::filesystem::remove(dir_ / "node.log", ignored);  // this start's output only
  SubprocessOptions options;
  options.argv = {"rabbitmq-server"};
  options.env = Env();
  options.log_file = dir_ / "node.log";
  auto node = Subprocess::Start(std::move(options));
  if (!node) return Fail(node.error().WithContext("starting rabbitmq-server"));
  node_ = std::move(*node);
  running_ = true;  // from here on Stop() must clean up
  const auto ports_open = [&] {
    return CanConnect(amqp_port_) && (tls_port_ == 0 || CanConnect(tls_port_));
  };
  const bool listening = WaitFor([&] { return !node_->IsRunning() || ports_open(); },
                                 options_.start_timeout, std::chrono::milliseconds(50));
  const auto describe = [&] {
    return " (node rabbit-" + std::to_string(amqp_port_) + "@localhost, AMQP " +
           std::to_string(amqp_port_) + ", dist " + std::to_string(dist_port_) + ", epmd " +
           std::to_string(epmd_port_) + "): " + Tail(Logs(), 5000);
  };
  if (!node_->IsRunning()) {
    const std::string output = node_->Log();
    std::string why = "RabbitMQ exited while starting" + describe();
    node_.reset();
    running_ = false;
    return Fail(PortTaken(output) ? ErrorCode::kAlreadyExists : ErrorCode::kUnavailable, why);
  }
  if (!listening) {
    return Fail(ErrorCode::kUnavailable, "RabbitMQ did not open its ports within " +
                                             std::to_string(options_.start_timeout.count()) +
                                             " ms" + describe());
  }
  auto booted = RunCommand({"rabbitmqctl", "await_startup", "--timeout", "60"},
                           std::chrono::seconds(70), Env());
  if (!booted || booted->exit_code != 0) {
    return Fail(ErrorCode::kUnavailable,
                "rabbitmqctl await_startup: " +
                    Tail(booted ? booted->output : booted.error().message) + describe());
  }
  return Ok();
}

Status RabbitMqServer::StopBroker() {
  if (!running_) return Ok();
  pid_t pid = ReadPid();
  auto stopped = RunCommand({"rabbitmqctl", "stop", (dir_ / "rmq/rabbit.pid").string()},
                            std::chrono::seconds(60), Env());
  if (Alive(pid) && !WaitFor([&] { return !Alive(pid); }, std::chrono::seconds(10))) {
    ::kill(pid, SIGKILL);  // the fallback: rabbitmqctl could not stop it
    WaitFor([&] { return !Alive(pid); }, std::chrono::seconds(10));
  }
  if (node_) {
    (void)node_->Stop(std::chrono::seconds(10));  // su and the script end with the node
    node_.reset();
  }
  running_ = false;
  if (!stopped || stopped->exit_code != 0) {
    return Fail(ErrorCode::kUnavailable, "rabbitmqctl stop failed (killed by PID instead): " +
                                             (stopped ? stopped->output : stopped.error().message));
  }
  return Ok();
}

void RabbitMqServer::Stop() {
  (void)StopBroker();
  if (epmd_port_ != 0) {
    (void)RunCommand({"epmd", "-port", std::to_string(epmd_port_), "-kill"},
                     std::chrono::seconds(10), Env());
    epmd_port_ = 0;
  }
}

std::string RabbitMqServer::Url() const {
  return "amqp://127.0.0.1:" + std::to_string(amqp_port_) + "/";
}

Result<CommandResult> RabbitMqServer::Ctl(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {"rabbitmqctl"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, std::chrono::seconds(60), Env());
}

Result<long> RabbitMqServer::QueueDepth(const std::string& queue) const {
  auto listed = Ctl({"list_queues", "--quiet", "--no-table-headers", "name", "messages_ready"});
  if (!listed) return Fail(listed.error());
  if (listed->exit_code != 0) {
    return Fail(ErrorCode::kUnavailable, "rabbitmqctl list_queues: " + listed->output);
  }
  std::istringstream lines(listed->output);
  std::string name;
  long count = 0;
  while (lines >> name >> count) {
    if (name == queue) return count;
  }
  return -1;
}

std::string RabbitMqServer::Logs() const {
  std::string logs = "[node.log]\n" + ReadFileOrEmpty(dir_ / "node.log");
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_ / "rmq/log", ec)) {
    logs += "[" + entry.path().filename().string() + "]\n" + ReadFileOrEmpty(entry.path());
  }
  return logs;
}

}  // namespace certfleet::harness
