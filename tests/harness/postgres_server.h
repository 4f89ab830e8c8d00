// PostgresServer: a private PostgreSQL 15 on a free loopback port, for integration tests
// and the store contract tests. See ../shared/TESTBED.md.
//
//   auto pg = PostgresServer::Start();
//   ASSERT_TRUE(pg) << pg.error().message;
//   ASSERT_TRUE((*pg)->CreateDatabase("hub"));
//   options.url = (*pg)->Url("hub");            // postgresql://postgres@127.0.0.1:P/hub
//   options.password = (*pg)->password();
//
// initdb runs as user postgres (it refuses root) in a TempDir, with password
// authentication (scram-sha-256) for TCP, so tests can see a wrong password refused.
// The server process is started as user postgres with setpriv (which execs, so the PID
// we hold is the postmaster's) and stopped by that PID: SIGINT (fast shutdown), then
// SIGKILL. fsync is off: test data need not survive a power cut. Its log lives in the
// TempDir and is printed when the current test has failed. Not thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace certfleet::harness {

struct PostgresOptions {
  std::chrono::milliseconds start_timeout{60'000};
  // Extra "-c name=value" settings for the server.
  std::vector<std::string> settings;
};

class PostgresServer {
 public:
  // initdb + start; waits until the server accepts connections. Fails naming the step,
  // with the server's log in the message.
  static Result<std::unique_ptr<PostgresServer>> Start(PostgresOptions options = {});
  ~PostgresServer();

  std::uint16_t port() const { return port_; }
  // The superuser's password (user "postgres").
  const std::string& password() const { return password_; }
  // "postgresql://postgres@127.0.0.1:<port>/<database>" (no password in it).
  std::string Url(const std::string& database) const;
  pid_t pid() const;

  // Runs SQL as the superuser with psql (ON_ERROR_STOP); returns psql's output.
  Result<std::string> Psql(const std::string& sql, const std::string& database = "postgres") const;
  // CREATE DATABASE (optionally from a template database).
  Status CreateDatabase(const std::string& name, const std::string& template_db = "") const;
  // DROP DATABASE ... WITH (FORCE): ends the connections to it first.
  Status DropDatabase(const std::string& name) const;

  // Stops the server by PID (fast shutdown, SIGKILL after `grace`). Idempotent.
  void Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  // SIGKILLs the postmaster (a crash; the children exit on their own).
  void Kill();
  // Starts it again on the same port and data (after Stop or Kill).
  Status Restart();
  bool IsRunning() const;

  std::string Log() const;

 private:
  explicit PostgresServer(PostgresOptions options)
      : options_(std::move(options)), dir_("postgres") {}
  Status Init();
  Status StartServer();
  Status WaitReady();

  PostgresOptions options_;
  TempDir dir_;
  std::uint16_t port_ = 0;
  std::string password_;
  std::unique_ptr<Subprocess> server_;
};

}  // namespace certfleet::harness
