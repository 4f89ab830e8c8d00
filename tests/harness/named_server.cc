#include "harness/named_server.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <iostream>
#include <sstream>

#include "harness/net.h"

namespace certfleet::harness {
namespace {

std::string Tail(const std::string& text, size_t max = 4000) {
  return text.size() <= max ? text : "..." + text.substr(text.size() - max);
}

std::string ZoneFile(const NamedZone& zone) {
  return "$TTL 60\n"
         "@ IN SOA ns." +
         zone.name + ". hostmaster." + zone.name +
         ". 1 3600 600 86400 1\n"
         "@ IN NS ns." +
         zone.name +
         ".\n"
         "ns IN A 127.0.0.1\n" +
         zone.records + "\n";
}

// Lines of `text` without empty ones.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

}  // namespace

Result<std::unique_ptr<NamedServer>> NamedServer::Start(NamedOptions options) {
  std::unique_ptr<NamedServer> server(new NamedServer(std::move(options)));
  server->port_ = FreeLoopbackUdpTcpPort();
  for (auto step : {&NamedServer::MakeKey, &NamedServer::WriteConfig, &NamedServer::StartNamed}) {
    if (auto status = (server.get()->*step)(); !status) return Fail(status.error());
  }
  return server;
}

NamedServer::~NamedServer() {
  if (::testing::Test::HasFailure()) {
    std::cerr << "---- named log (" << dir_.path().string() << ") ----\n"
              << Tail(Logs(), 8000) << "\n---- end of named log ----\n";
  }
  Stop();
}

Status NamedServer::MakeKey() {
  auto result = RunCommand({"tsig-keygen", "-a", "hmac-sha256", options_.key_name});
  if (!result) return Fail(result.error().WithContext("tsig-keygen"));
  if (result->exit_code != 0)
    return Fail(ErrorCode::kIo,
                "tsig-keygen exited " + std::to_string(result->exit_code) + ": " + result->output);
  const std::string& text = result->output;
  const size_t start = text.find("secret \"");
  const size_t end = start == std::string::npos ? start : text.find('"', start + 8);
  if (end == std::string::npos)
    return Fail(ErrorCode::kIo, "tsig-keygen printed no secret: " + text);
  key_secret_ = text.substr(start + 8, end - start - 8);
  ::chmod(dir_.WriteFile("key.conf", text).c_str(), 0600);
  return Ok();
}

std::string NamedServer::KeyFile() const { return (dir_ / "key.conf").string(); }

Status NamedServer::WriteConfig() {
  const std::string dir = dir_.path().string();
  std::string conf = "include \"" + dir + "/key.conf\";\n";
  conf += "options {\n  directory \"" + dir + "\";\n  pid-file \"" + dir + "/named.pid\";\n";
  conf += "  session-keyfile \"" + dir + "/session.key\";\n";
  conf += "  listen-on port " + std::to_string(port_) + " { 127.0.0.1; };\n";
  conf += "  listen-on-v6 { none; };\n  dnssec-validation no;\n  notify no;\n";
  conf += "  minimal-responses yes;\n";
  conf += options_.recursion ? "  recursion yes;\n  allow-recursion { 127.0.0.1; };\n"
                             : "  recursion no;\n";
  conf += "};\ncontrols { };\n";
  for (const NamedZone& zone : options_.zones) {
    dir_.WriteFile(zone.name + ".zone", ZoneFile(zone));
    conf +=
        "zone \"" + zone.name + "\" { type primary; file \"" + dir + "/" + zone.name + ".zone\";";
    if (zone.allow_update) conf += " allow-update { key \"" + options_.key_name + "\"; };";
    conf += " };\n";
  }
  for (const NamedForward& forward : options_.forwards) {
    conf += "zone \"" + forward.zone + "\" { type forward; forward only; forwarders { " +
            forward.address + " port " + std::to_string(forward.port) + "; }; };\n";
  }
  dir_.WriteFile("named.conf", conf);
  return Ok();
}

bool NamedServer::ZonesAnswer() const {
  for (const NamedZone& zone : options_.zones) {
    auto soa = Dig(zone.name, "SOA");
    if (!soa || soa->empty()) return false;
  }
  return true;
}

Status NamedServer::StartNamed() {
  SubprocessOptions options;
  // -g: foreground, log to stderr; -4: IPv4 only.
  options.argv = {"named", "-g", "-4", "-c", (dir_ / "named.conf").string()};
  options.log_file = dir_ / "named.log";
  auto child = Subprocess::Start(std::move(options));
  if (!child) return Fail(child.error().WithContext("starting named"));
  named_ = std::move(*child);
  bool up = WaitFor([&] { return !named_->IsRunning() || (CanConnect(port_) && ZonesAnswer()); },
                    options_.start_timeout, std::chrono::milliseconds(20));
  if (!up || !named_->IsRunning())
    return Fail(ErrorCode::kUnavailable, "named did not come up: " + Tail(named_->Log()));
  return Ok();
}

std::string NamedServer::Address() const { return "127.0.0.1:" + std::to_string(port_); }

Result<std::vector<std::string>> NamedServer::Dig(const std::string& name,
                                                  const std::string& type) const {
  auto result = RunCommand({"dig", "@127.0.0.1", "-p", std::to_string(port_), "+short", "+tries=1",
                            "+time=2", name, type},
                           std::chrono::seconds(10));
  if (!result) return Fail(result.error());
  if (result->exit_code != 0)
    return Fail(ErrorCode::kUnavailable, "dig " + name + " " + type + ": " + result->output);
  return Lines(result->output);
}

void NamedServer::Stop() {
  if (named_) named_->Stop();
}

std::string NamedServer::Logs() const { return named_ ? named_->Log() : ""; }

}  // namespace certfleet::harness
