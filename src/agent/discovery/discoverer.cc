#include "agent/discovery/discoverer.h"

#include <unistd.h>

#include <cstdlib>
#include <set>

#include "agent/discovery/certificate_facts.h"
#include "agent/discovery/config_files.h"
#include "agent/discovery/nginx_tls_config.h"
#include "agent/discovery/probe_plan.h"
#include "agent/live_verifier.h"
#include "agent/shell_command.h"
#include "common/local_file.h"

namespace certfleet::agent::discovery {
namespace {

constexpr std::size_t kMaxDumpBytes = 64u << 20;
constexpr std::size_t kMaxErrorChars = 2000;

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.size() > kMaxErrorChars) text = text.substr(0, kMaxErrorChars) + "…";
  return text;
}

Result<std::string> RunDump(const std::string& command, Duration timeout) {
  char path[] = "/tmp/certfleet-nginx-T.XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return Fail(ErrorCode::kIo, "cannot create a temporary file for nginx -T");
  ::close(fd);
  auto outcome = RunShellCommand(command + " >" + path, timeout);
  Result<std::string> dump = Fail(ErrorCode::kInternal, "not run");
  if (!outcome) {
    dump = Fail(outcome.error());
  } else if (outcome->exit_code != 0) {
    dump = Fail(ErrorCode::kUnavailable, "`" + command + "` exited with " +
                                             std::to_string(outcome->exit_code) + ": " +
                                             Trimmed(outcome->output));
  } else {
    dump = ReadLocalFile(path, kMaxDumpBytes);
  }
  ::unlink(path);
  return dump;
}

class Pass {
 public:
  Pass(const DiscoveryOptions& options, const DiscoverySeams& seams, Inventory& out)
      : options_(options), seams_(seams), out_(out) {}

  void Run() {
    auto config = LoadConfig();
    if (!config) {
      out_.problems.push_back(config.error().message);
      return;
    }
    out_.main_file = config->main_file;
    out_.problems = config->problems;
    for (const TlsServer& server : config->servers) out_.servers.push_back(Server(server));
    if (options_.probe) {
      for (const ProbeTarget& target : PlanProbes(*config, options_.max_probes)) Probe(target);
    }
  }

 private:
  Result<NginxTlsConfig> LoadConfig() {
    auto dump = seams_.run_dump(options_.dump_command, options_.command_timeout);
    if (dump) {
      auto files = DumpedConfigFiles::Parse(*dump);
      if (files) {
        out_.source = "nginx -T";
        return ReadTlsConfig(*files);
      }
      out_.nginx_error = files.error().message;
    } else {
      out_.nginx_error = dump.error().message;
    }
    out_.source = "files";
    DiskConfigFiles disk(options_.nginx_config);
    return ReadTlsConfig(disk);
  }

  void Remember(CertificateFacts facts) {
    if (known_.insert(facts.sha256).second) out_.certificates.push_back(std::move(facts));
  }

  FileReport Certificate(const ConfigPath& p) {
    FileReport r{p.path, p.file, p.line, FileStatus::kOk, "", ""};
    if (p.kind != PathKind::kFile) {
      r.status = p.kind == PathKind::kVariable ? FileStatus::kVariable : FileStatus::kInline;
      r.error = p.kind == PathKind::kVariable ? "the path holds a variable; nginx resolves it "
                                                "for each handshake"
                                              : "the certificate is inline (data:)";
      return r;
    }
    auto facts = ReadCertificateFacts(p.path);
    if (!facts) {
      r.status = StatusForError(facts.error());
      r.error = facts.error().message;
      return r;
    }
    r.sha256 = facts->sha256;
    Remember(std::move(*facts));
    return r;
  }

  static FileReport Key(const ConfigPath& p) {
    FileReport r{p.path, p.file, p.line, FileStatus::kOk, "", ""};
    if (p.written.empty()) {
      r.status = FileStatus::kAbsent;
      r.error = "no ssl_certificate_key for this ssl_certificate";
    } else if (p.kind != PathKind::kFile) {
      r.status = p.kind == PathKind::kVariable ? FileStatus::kVariable
                 : p.kind == PathKind::kEngine ? FileStatus::kEngine
                                               : FileStatus::kInline;
    } else if (auto readable = CheckReadable(p.path); !readable) {
      r.status = StatusForError(readable.error());
      r.error = readable.error().message;
    }
    return r;
  }

  ServerReport Server(const TlsServer& s) {
    ServerReport r{s.context, s.file, s.line, s.server_names, {}, s.tls, {}};
    for (const Listen& l : s.listens) r.listens.push_back(l.text);
    for (const CertificatePair& p : s.certificates) {
      r.pairs.push_back({Certificate(p.certificate), Key(p.key), p.inherited});
    }
    return r;
  }

  void Probe(const ProbeTarget& t) {
    ProbeReport r{t.name, t.address, "", ""};
    auto leaf = seams_.probe(t.address, t.name, options_.probe_timeout);
    if (leaf) {
      CertificateFacts facts = FactsOf(*leaf, 1);
      r.sha256 = facts.sha256;
      Remember(std::move(facts));
    } else {
      r.error = leaf.error().message;
    }
    out_.probes.push_back(std::move(r));
  }

  const DiscoveryOptions& options_;
  const DiscoverySeams& seams_;
  Inventory& out_;
  std::set<std::string> known_;
};

}  // namespace

DiscoverySeams SystemSeams() {
  return {RunDump, [](const std::string& address, const std::string& name, Duration timeout) {
            return FetchServedCertificate(address, name, timeout);
          }};
}

Inventory Discover(const DiscoveryOptions& options, Clock& clock, const DiscoverySeams& seams) {
  Inventory out;
  out.collected_at = clock.Now();
  out.output_dir = options.output_dir;
  Pass(options, seams, out).Run();
  return out;
}

}  // namespace certfleet::agent::discovery
