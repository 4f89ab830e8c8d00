#include "harness/nginx_server.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>

#include "harness/net.h"

namespace certfleet::harness {

namespace {

// The part of nginx.conf the harness owns: keep every path inside the private dir,
// since Debian's defaults point at /run and /var/lib/nginx.
std::string MainConfig(const std::string& dir, const std::string& http_block,
                       const std::string& worker_user) {
  std::string user = !worker_user.empty() ? "user " + worker_user + ";\n"
                     : ::geteuid() == 0   ? "user root;\n"
                                          : "";
  return user + "daemon off;\nworker_processes 1;\npid " + dir + "/nginx.pid;\nerror_log " + dir +
         "/logs/error.log info;\nevents { worker_connections 512; }\nhttp {\n"
         "  access_log " +
         dir +
         "/logs/access.log;\n"
         "  client_body_temp_path " +
         dir +
         "/tmp/client_body;\n"
         "  proxy_temp_path " +
         dir +
         "/tmp/proxy;\n"
         "  fastcgi_temp_path " +
         dir +
         "/tmp/fastcgi;\n"
         "  uwsgi_temp_path " +
         dir +
         "/tmp/uwsgi;\n"
         "  scgi_temp_path " +
         dir +
         "/tmp/scgi;\n"
         "  default_type application/octet-stream;\n" +
         http_block + "\n}\n";
}

// The master's child processes (its workers) that have not exited, by PID: read from
// /proc/<master>/task/<master>/children (the master is single-threaded); an exited child
// the master has not reaped yet (state Z) holds no socket any more and does not count.
std::set<pid_t> LiveChildren(pid_t master) {
  std::ifstream in("/proc/" + std::to_string(master) + "/task/" + std::to_string(master) +
                   "/children");
  std::set<pid_t> alive;
  for (pid_t child = 0; in >> child;) {
    std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
    std::string line;
    std::getline(stat, line);
    const size_t comm_end = line.rfind(')');  // "PID (comm) STATE PPID ..."
    if (comm_end == std::string::npos || comm_end + 2 >= line.size()) continue;  // gone
    if (line[comm_end + 2] != 'Z' && line[comm_end + 2] != 'X') alive.insert(child);
  }
  return alive;
}

std::string JoinPids(const std::set<pid_t>& pids) {
  std::string out;
  for (pid_t pid : pids) out += (out.empty() ? "" : ", ") + std::to_string(pid);
  return out;
}

}  // namespace

Result<std::unique_ptr<NginxServer>> NginxServer::Start(
    const std::string& http_block, const std::vector<std::uint16_t>& wait_for_ports,
    std::chrono::milliseconds timeout, const std::string& worker_user) {
  std::unique_ptr<NginxServer> server(new NginxServer());
  server->worker_user_ = worker_user;
  std::filesystem::create_directories(server->dir_ / "logs");
  std::filesystem::create_directories(server->dir_ / "tmp");
  if (!worker_user.empty()) {
    std::filesystem::permissions(server->dir_.path(), std::filesystem::perms::owner_all |
                                                          std::filesystem::perms::group_exec |
                                                          std::filesystem::perms::others_exec);
  }
  server->WriteConfig(http_block);
  if (auto tested = server->TestConfig(); !tested) return Fail(tested.error());
  SubprocessOptions options;
  options.argv = server->Command({});
  options.log_file = server->dir_ / "logs" / "stderr.log";
  auto child = Subprocess::Start(std::move(options));
  if (!child) return Fail(child.error().WithContext("starting nginx"));
  server->process_ = std::move(*child);
  // The master listens before it forks its worker (a connection then waits in the backlog):
  // up means a worker runs too, so that a Reload right away has a worker to replace.
  bool up = WaitFor(
      [&] {
        if (!server->process_->IsRunning()) return true;
        for (std::uint16_t port : wait_for_ports) {
          if (!CanConnect(port)) return false;
        }
        return !LiveChildren(server->pid()).empty();
      },
      timeout, std::chrono::milliseconds(2));
  if (!up || !server->process_->IsRunning()) {
    return Fail(ErrorCode::kUnavailable,
                "nginx did not start: " + server->ErrorLog() + server->process_->Log());
  }
  return server;
}

NginxServer::~NginxServer() {
  if (::testing::Test::HasFailure()) {
    std::cerr << "---- nginx error log (" << dir_.path().string() << ") ----\n"
              << ErrorLog() << "\n---- end of nginx error log ----\n";
  }
  Quit();
}

std::vector<std::string> NginxServer::Command(std::vector<std::string> extra) const {
  std::vector<std::string> argv = {"nginx",
                                   "-p",
                                   dir_.path().string(),
                                   "-c",
                                   ConfigPath(),
                                   "-e",
                                   (dir_ / "logs" / "error.log").string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

void NginxServer::WriteConfig(const std::string& http_block) const {
  dir_.WriteFile("nginx.conf", MainConfig(dir_.path().string(), http_block, worker_user_));
}

Status NginxServer::TestConfig() const {
  auto result = RunCommand(Command({"-t", "-q"}));
  if (!result) return Fail(result.error().WithContext("nginx -t"));
  if (result->exit_code != 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "nginx -t rejected " + ConfigPath() + ": " + result->output);
  }
  return Ok();
}

Status NginxServer::Reload(const std::string& http_block, std::chrono::milliseconds timeout) {
  WriteConfig(http_block);
  if (auto tested = TestConfig(); !tested) return tested;
  if (!IsRunning()) return Fail(ErrorCode::kUnavailable, "nginx is not running; cannot reload");
  const std::set<pid_t> before = LiveChildren(pid());
  if (before.empty()) {
    return Fail(ErrorCode::kUnavailable,
                "cannot see nginx's workers in /proc/" + std::to_string(pid()) + "/task/" +
                    std::to_string(pid()) + "/children, so cannot tell when a reload is over");
  }
  process_->Signal(SIGHUP);
  std::set<pid_t> old = before;
  bool started = false;
  const bool over = WaitFor(
      [&] {
        const std::set<pid_t> now = LiveChildren(pid());
        old.clear();
        std::set_intersection(now.begin(), now.end(), before.begin(), before.end(),
                              std::inserter(old, old.end()));
        started = now.size() > old.size();
        return (started && old.empty()) || !IsRunning();
      },
      timeout, std::chrono::milliseconds(2));
  if (!IsRunning()) return Fail(ErrorCode::kUnavailable, "nginx exited on reload (see its log)");
  if (!over) {
    return Fail(ErrorCode::kDeadlineExceeded,
                "nginx reload not over after " + std::to_string(timeout.count()) + " ms: " +
                    (started ? "old worker(s) " + JoinPids(old) + " still running"
                             : "no new worker started"));
  }
  return Ok();
}

void NginxServer::Quit(std::chrono::milliseconds grace) {
  if (!process_) return;
  process_->Signal(SIGQUIT);
  if (!process_->Wait(grace)) process_->Stop(std::chrono::milliseconds(0));
}

std::string NginxServer::ErrorLog() const { return ReadFileOrEmpty(dir_ / "logs" / "error.log"); }

std::string NginxServer::AccessLog() const { return ReadFileOrEmpty(dir_ / "logs" / "access.log"); }

std::string NginxServer::ChallengeProxyServer(std::uint16_t listen_port,
                                              std::uint16_t upstream_port) {
  std::string port = std::to_string(listen_port);
  return "  server {\n"
         "    listen 127.0.0.1:" +
         port +
         ";\n"
         "    server_name _;\n"
         "    location /.well-known/acme-challenge/ {\n"
         "      proxy_pass http://127.0.0.1:" +
         std::to_string(upstream_port) +
         ";\n"
         "      proxy_set_header Host $host;\n"
         "    }\n"
         "    location / { return 404; }\n"
         "  }\n";
}

std::string NginxServer::TlsServer(std::uint16_t port, const std::string& server_name,
                                   const std::string& fullchain_path, const std::string& key_path) {
  return "  server {\n"
         "    listen 127.0.0.1:" +
         std::to_string(port) +
         " ssl;\n"
         "    server_name " +
         server_name +
         ";\n"
         "    ssl_certificate " +
         fullchain_path +
         ";\n"
         "    ssl_certificate_key " +
         key_path +
         ";\n"
         "    location / { return 200 \"ok " +
         server_name +
         "\\n\"; }\n"
         "  }\n";
}

}  // namespace certfleet::harness
