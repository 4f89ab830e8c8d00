#include "hub/discovery/inventory_report.h"

#include <map>
#include <set>

#include "common/domain_name.h"
#include "common/time_format.h"
#include "hub/discovery/json_checker.h"

namespace certfleet::hub::discovery {
namespace {

using nlohmann::json;

std::string At(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

class ReportParser {
 public:
  explicit ReportParser(const InventoryLimits& limits) : limits_(limits) {}

  Result<InventoryReport> Parse(const json& body) {
    const json& top = c_.Object(body, "",
                                {"schema", "collected_at", "source", "main_file", "nginx_error",
                                 "output_dir", "servers", "certificates", "probes", "problems"});
    if (c_.ok() && c_.Int(top, "schema", "", 1, 1) != 1) c_.Bad("schema", "must be 1");
    out_.collected_at = Time(top, "collected_at", "");
    out_.source = c_.Choice(top, "source", "", {"nginx -T", "files"});
    out_.main_file = c_.String(top, "main_file", "", limits_.path_bytes);
    out_.nginx_error = c_.String(top, "nginx_error", "", limits_.text_bytes, TextKind::kLoose);
    out_.output_dir = c_.String(top, "output_dir", "", limits_.path_bytes);
    Certificates(c_.Array(top, "certificates", "", limits_.certificates));
    Servers(c_.Array(top, "servers", "", limits_.servers));
    Probes(c_.Array(top, "probes", "", limits_.probes));
    const json& problems = c_.Array(top, "problems", "", limits_.problems);
    for (std::size_t i = 0; i < problems.size(); ++i) {
      out_.problems.push_back(
          c_.Element(problems[i], At("problems", i), limits_.text_bytes, TextKind::kLoose));
    }
    if (!c_.ok()) return Fail(*c_.error());
    for (auto& d : dropped_) {
      if (out_.problems.size() < limits_.problems) out_.problems.push_back(std::move(d));
    }
    return std::move(out_);
  }

 private:
  TimePoint Time(const json& o, std::string_view key, const std::string& path) {
    const std::string text = c_.String(o, key, path, 64);
    if (!c_.ok()) return {};
    auto t = ParseRfc3339(text);
    if (!t)
      c_.Bad(path.empty() ? std::string(key) : path + "." + std::string(key),
             "must be an RFC 3339 time");
    return t.value_or(TimePoint{});
  }

  // A fingerprint some server or probe refers to: must be listed in "certificates".
  std::string Reference(const json& o, const std::string& path) {
    std::string sha = c_.Sha256(o, "sha256", path, false);
    if (c_.ok() && !sha.empty() && known_.count(sha) == 0) {
      c_.Bad(path + ".sha256", "refers to a certificate not listed in \"certificates\"");
    }
    return sha;
  }

  void Certificates(const json& list) {
    for (std::size_t i = 0; i < list.size() && c_.ok(); ++i) {
      const std::string path = At("certificates", i);
      const json& o = c_.Object(list[i], path,
                                {"sha256", "names", "subject", "issuer", "serial", "not_before",
                                 "not_after", "key_type", "self_signed", "chain_length"});
      ReportCertificate cert;
      cert.sha256 = c_.Sha256(o, "sha256", path, true);
      if (c_.ok() && !known_.insert(cert.sha256).second)
        c_.Bad(path + ".sha256", "is listed twice");
      const json& names = c_.Array(o, "names", path, limits_.names_per_certificate);
      for (std::size_t n = 0; n < names.size() && c_.ok(); ++n) {
        const std::string raw = c_.Element(names[n], At(path + ".names", n), 300, TextKind::kLoose);
        auto canonical = NormalizeDomainName(raw, {.allow_wildcard = true});
        if (canonical)
          cert.names.push_back(std::move(*canonical));
        else
          ++cert.dropped_names;
      }
      cert.subject = c_.String(o, "subject", path, 1024, TextKind::kLoose);
      cert.issuer = c_.String(o, "issuer", path, 1024, TextKind::kLoose);
      cert.serial = c_.String(o, "serial", path, 128);
      cert.not_before = Time(o, "not_before", path);
      cert.not_after = Time(o, "not_after", path);
      cert.key_type = c_.String(o, "key_type", path, 64);
      cert.self_signed = c_.Bool(o, "self_signed", path);
      cert.chain_length = static_cast<std::int32_t>(c_.Int(o, "chain_length", path, 1, 100));
      if (cert.dropped_names > 0) {
        dropped_.push_back("certificate " + cert.sha256 + ": " +
                           std::to_string(cert.dropped_names) +
                           " name(s) that are not host names were left out");
      }
      out_.certificates.push_back(std::move(cert));
    }
  }

  ReportFile File(const json& value, const std::string& path) {
    const json& o = c_.Object(value, path, {"path", "file", "line", "status", "error", "sha256"});
    ReportFile f;
    f.path = c_.String(o, "path", path, limits_.path_bytes);
    f.file = c_.String(o, "file", path, limits_.path_bytes);
    f.line = static_cast<std::int32_t>(c_.Int(o, "line", path, 0, 100'000'000));
    f.status = c_.Choice(
        o, "status", path,
        {"ok", "missing", "unreadable", "invalid", "variable", "inline", "engine", "absent"});
    f.error = c_.String(o, "error", path, limits_.text_bytes, TextKind::kLoose);
    f.sha256 = Reference(o, path);
    return f;
  }

  void Server(const json& value, const std::string& path) {
    const json& o = c_.Object(
        value, path, {"context", "file", "line", "server_names", "listens", "tls", "pairs"});
    ReportServer s;
    s.context = c_.Choice(o, "context", path, {"http", "stream"});
    s.file = c_.String(o, "file", path, limits_.path_bytes);
    s.line = static_cast<std::int32_t>(c_.Int(o, "line", path, 0, 100'000'000));
    const json& names = c_.Array(o, "server_names", path, limits_.names_per_server);
    for (std::size_t i = 0; i < names.size() && c_.ok(); ++i) {
      s.server_names.push_back(c_.Element(names[i], At(path + ".server_names", i), 1024));
    }
    const json& listens = c_.Array(o, "listens", path, limits_.listens_per_server);
    for (std::size_t i = 0; i < listens.size() && c_.ok(); ++i) {
      s.listens.push_back(c_.Element(listens[i], At(path + ".listens", i), 1024));
    }
    s.tls = c_.Bool(o, "tls", path);
    const json& pairs = c_.Array(o, "pairs", path, limits_.pairs_per_server);
    for (std::size_t i = 0; i < pairs.size() && c_.ok(); ++i) {
      const std::string p = At(path + ".pairs", i);
      const json& pair = c_.Object(pairs[i], p, {"certificate", "key", "inherited"});
      ReportServer::Pair entry;
      entry.certificate =
          File(pair.contains("certificate") ? pair["certificate"] : json(), p + ".certificate");
      entry.key = File(pair.contains("key") ? pair["key"] : json(), p + ".key");
      entry.inherited = c_.Bool(pair, "inherited", p);
      s.pairs.push_back(std::move(entry));
    }
    out_.servers.push_back(std::move(s));
  }

  void Servers(const json& list) {
    for (std::size_t i = 0; i < list.size() && c_.ok(); ++i) Server(list[i], At("servers", i));
  }

  void Probes(const json& list) {
    for (std::size_t i = 0; i < list.size() && c_.ok(); ++i) {
      const std::string path = At("probes", i);
      const json& o = c_.Object(list[i], path, {"name", "address", "sha256", "error"});
      ReportProbe p;
      p.name = c_.String(o, "name", path, 253);
      p.address = c_.String(o, "address", path, 300);
      p.sha256 = Reference(o, path);
      p.error = c_.String(o, "error", path, limits_.text_bytes, TextKind::kLoose);
      out_.probes.push_back(std::move(p));
    }
  }

  const InventoryLimits& limits_;
  JsonChecker c_;
  InventoryReport out_;
  std::set<std::string> known_;
  std::vector<std::string> dropped_;
};

}  // namespace

const ReportCertificate* InventoryReport::Find(const std::string& sha256) const {
  for (const auto& c : certificates) {
    if (c.sha256 == sha256) return &c;
  }
  return nullptr;
}

Result<InventoryReport> ParseInventoryReport(std::string_view body, const InventoryLimits& limits) {
  const json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Fail(ErrorCode::kInvalidArgument,
                "inventory report: the body is not valid JSON (or not valid UTF-8)");
  }
  return ReportParser(limits).Parse(parsed);
}

}  // namespace certfleet::hub::discovery
