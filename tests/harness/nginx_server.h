// NginxServer: a private nginx instance for integration tests (see ../shared/TESTBED.md).
//
// Everything lives in its TempDir: nginx.conf, pid, logs/error.log, logs/access.log and
// the five *_temp_path folders. The caller supplies what goes inside `http { ... }`
// (server blocks), helped by ChallengeProxyServer() and TlsServer(). nginx runs in the
// foreground (daemon off), so the PID we hold is the master's; it is quit by PID.
//
//   auto nginx = NginxServer::Start(
//       NginxServer::ChallengeProxyServer(http_port, hub_port), {http_port});
//
// Not thread-safe. The destructor prints the error log when the current test failed.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace certfleet::harness {

class NginxServer {
 public:
  // Writes the config, checks it with `nginx -t`, starts nginx and waits until every
  // port in `wait_for_ports` accepts connections and a worker runs. Fails with nginx's own
  // message.
  // `worker_user` ("nobody nogroup"): nginx's `user` directive, so the workers run as that
  // user as on a real host (default: root's own user when run as root); the private
  // folder is then made traversable (0711) for it.
  static Result<std::unique_ptr<NginxServer>> Start(
      const std::string& http_block, const std::vector<std::uint16_t>& wait_for_ports,
      std::chrono::milliseconds timeout = std::chrono::seconds(10),
      const std::string& worker_user = "");
  ~NginxServer();

  // `nginx -t` on the current config: Ok, or kInvalidArgument with nginx's output.
  Status TestConfig() const;
  // Replaces the http block, checks it with -t (on failure the new text stays on disk
  // but nginx keeps serving the old config), sends SIGHUP and returns once the reload is
  // over: a new worker runs and every worker the master had before has exited. Until an
  // old worker handles the master's shutdown message it accepts connections on the shared
  // listening socket and answers with the OLD configuration — seconds on a busy machine,
  // even after a few handshakes reached the new worker (issue 13). kDeadlineExceeded
  // (naming the old workers) when they are still there after `timeout`.
  Status Reload(const std::string& http_block,
                std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Graceful stop (SIGQUIT by PID), then SIGKILL after `grace`. Idempotent.
  void Quit(std::chrono::milliseconds grace = std::chrono::seconds(5));
  bool IsRunning() { return process_ && process_->IsRunning(); }

  pid_t pid() const { return process_ ? process_->pid() : -1; }
  const TempDir& dir() const { return dir_; }
  std::string ConfigPath() const { return (dir_ / "nginx.conf").string(); }
  std::string ErrorLog() const;
  std::string AccessLog() const;

  // A plain-HTTP server on 127.0.0.1:`listen_port` that proxies
  // /.well-known/acme-challenge/ to 127.0.0.1:`upstream_port` (keeping Host) and
  // answers 404 for everything else.
  static std::string ChallengeProxyServer(std::uint16_t listen_port, std::uint16_t upstream_port);
  // A TLS server block on 127.0.0.1:`port` for `server_name`, serving the given chain
  // and key and answering 200 "ok <server_name>".
  static std::string TlsServer(std::uint16_t port, const std::string& server_name,
                               const std::string& fullchain_path, const std::string& key_path);

 private:
  NginxServer() : dir_("nginx") {}
  void WriteConfig(const std::string& http_block) const;
  std::vector<std::string> Command(std::vector<std::string> extra) const;

  TempDir dir_;
  std::string worker_user_;
  std::unique_ptr<Subprocess> process_;
};

}  // namespace certfleet::harness
