#include "harness/postgres_server.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <iostream>
#include <random>

#include "harness/net.h"

namespace certfleet::harness {
namespace {

constexpr const char* kBin = "/usr/lib/postgresql/15/bin/";

std::string Tail(const std::string& text, size_t max = 6000) {
  return text.size() <= max ? text : "..." + text.substr(text.size() - max);
}

std::string RandomPassword() {
  std::random_device rd;
  std::string out;
  for (int i = 0; i < 24; ++i) out += "abcdefghijklmnopqrstuvwxyz0123456789"[rd() % 36];
  return out;
}

// argv run as user postgres (setpriv execs the program itself, keeping the PID).
std::vector<std::string> AsPostgres(std::vector<std::string> argv) {
  std::vector<std::string> out = {"setpriv", "--reuid=postgres", "--regid=postgres",
                                  "--init-groups"};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

}  // namespace

Result<std::unique_ptr<PostgresServer>> PostgresServer::Start(PostgresOptions options) {
  std::unique_ptr<PostgresServer> server(new PostgresServer(std::move(options)));
  if (auto s = server->Init(); !s) return Fail(s.error());
  if (auto s = server->StartServer(); !s) return Fail(s.error());
  return server;
}

PostgresServer::~PostgresServer() {
  if (::testing::Test::HasFailure()) {
    std::cerr << "---- postgres log (" << dir_.path().string() << ") ----\n"
              << Tail(Log()) << "\n---- end of postgres log ----\n";
  }
  Stop();
}

Status PostgresServer::Init() {
  password_ = RandomPassword();
  port_ = FreeLoopbackPort();
  // The server runs as postgres: it must reach the TempDir and own its folder.
  std::filesystem::permissions(dir_.path(), std::filesystem::perms(0711));
  dir_.WriteFile("pg/pwfile", password_ + "\n");
  auto chown = RunCommand({"chown", "-R", "postgres:postgres", (dir_ / "pg").string()});
  if (!chown || chown->exit_code != 0) {
    return Fail(ErrorCode::kIo, "chown postgres " + (dir_ / "pg").string() + ": " +
                                    (chown ? chown->output : chown.error().message) +
                                    " (is postgresql installed? scripts/install-deps)");
  }
  auto init = RunCommand(
      AsPostgres({std::string(kBin) + "initdb", "-D", (dir_ / "pg/data").string(), "-U", "postgres",
                  "--pwfile", (dir_ / "pg/pwfile").string(), "--auth-local=trust",
                  "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"}),
      std::chrono::seconds(120));
  if (!init || init->exit_code != 0) {
    return Fail(ErrorCode::kIo, "initdb failed: " + (init ? init->output : init.error().message));
  }
  std::filesystem::remove(dir_ / "pg/pwfile");
  return Ok();
}

Status PostgresServer::StartServer() {
  std::vector<std::string> argv = {std::string(kBin) + "postgres",
                                   "-D",
                                   (dir_ / "pg/data").string(),
                                   "-p",
                                   std::to_string(port_),
                                   "-k",
                                   (dir_ / "pg").string(),
                                   "-c",
                                   "listen_addresses=127.0.0.1",
                                   "-c",
                                   "fsync=off",
                                   "-c",
                                   "synchronous_commit=off",
                                   "-c",
                                   "full_page_writes=off",
                                   "-c",
                                   "max_connections=200"};
  for (const auto& s : options_.settings) {
    argv.push_back("-c");
    argv.push_back(s);
  }
  SubprocessOptions options;
  options.argv = AsPostgres(std::move(argv));
  options.log_file = dir_ / "postgres.log";
  options.kill_with_parent = false;  // setuid clears it anyway; Stop() ends it by PID
  auto started = Subprocess::Start(std::move(options));
  if (!started) return Fail(started.error());
  server_ = std::move(*started);
  return WaitReady();
}

Status PostgresServer::WaitReady() {
  const bool ready = WaitFor(
      [&] {
        if (!server_->IsRunning()) return true;
        auto probe = RunCommand({std::string(kBin) + "pg_isready", "-h", "127.0.0.1", "-p",
                                 std::to_string(port_), "-U", "postgres", "-t", "1"},
                                std::chrono::seconds(5));
        return probe && probe->exit_code == 0;
      },
      options_.start_timeout, std::chrono::milliseconds(50));
  if (!ready || !server_->IsRunning()) {
    return Fail(ErrorCode::kUnavailable,
                "postgres did not start on port " + std::to_string(port_) + ": " + Tail(Log()));
  }
  return Ok();
}

std::string PostgresServer::Url(const std::string& database) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

pid_t PostgresServer::pid() const { return server_ ? server_->pid() : -1; }

Result<std::string> PostgresServer::Psql(const std::string& sql,
                                         const std::string& database) const {
  auto result =
      RunCommand({"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                  std::to_string(port_), "-U", "postgres", "-d", database, "-At", "-c", sql},
                 std::chrono::seconds(60), {{"PGPASSWORD", password_}});
  if (!result) return Fail(result.error());
  if (result->exit_code != 0) {
    return Fail(ErrorCode::kIo, "psql " + sql + ": " + result->output);
  }
  return result->output;
}

Status PostgresServer::CreateDatabase(const std::string& name,
                                      const std::string& template_db) const {
  std::string sql = "CREATE DATABASE \"" + name + "\"";
  if (!template_db.empty()) sql += " TEMPLATE \"" + template_db + "\"";
  auto out = Psql(sql);
  if (!out) return Fail(out.error());
  return Ok();
}

Status PostgresServer::DropDatabase(const std::string& name) const {
  auto out = Psql("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
  if (!out) return Fail(out.error());
  return Ok();
}

void PostgresServer::Stop(std::chrono::milliseconds grace) {
  if (!server_) return;
  server_->Signal(SIGINT);  // fast shutdown: ends sessions, checkpoints, exits
  if (!server_->Wait(grace)) server_->Signal(SIGKILL);
  server_->Stop(std::chrono::milliseconds(2000));
  server_.reset();
}

void PostgresServer::Kill() {
  if (!server_) return;
  server_->Signal(SIGKILL);
  server_->Stop(std::chrono::milliseconds(2000));
  server_.reset();
  // The backends notice the dead postmaster and exit; wait so the port is free again.
  WaitFor([&] { return !CanConnect(port_); }, std::chrono::seconds(10));
  std::filesystem::remove(dir_ / "pg/data/postmaster.pid");
}

Status PostgresServer::Restart() {
  if (server_) return Ok();
  return StartServer();
}

bool PostgresServer::IsRunning() const { return server_ && server_->IsRunning(); }

std::string PostgresServer::Log() const { return ReadFileOrEmpty(dir_ / "postgres.log"); }

}  // namespace certfleet::harness
