#include "agent/discovery/nginx_tls_config.h"

#include <set>

#include "agent/discovery/nginx_syntax.h"

namespace certfleet::agent::discovery {
namespace {

using Directives = std::vector<NginxDirective>;

std::string Where(const NginxDirective& d) { return d.file + " line " + std::to_string(d.line); }

class Walker {
 public:
  explicit Walker(ConfigFiles& files) : files_(files), prefix_(ConfigPrefix(files.MainFile())) {}

  Result<NginxTlsConfig> Run() {
    out_.main_file = files_.MainFile();
    auto text = files_.Read(out_.main_file);
    if (!text) return Fail(text.error());
    auto tree = ParseNginxConfig(*text, out_.main_file);
    if (!tree) return Fail(tree.error());
    Directives top = Expand(std::move(*tree), 0);
    for (const auto& d : top) {
      if (d.block && (d.name == "http" || d.name == "stream")) Context(d.name, d.children);
    }
    return std::move(out_);
  }

 private:
  std::string Absolute(const std::string& path) const {
    return !path.empty() && path[0] == '/' ? path : prefix_ + path;
  }

  // Replaces every `include` (at any depth) by the directives of the files it names.
  Directives Expand(Directives in, int depth) {
    Directives out;
    for (auto& d : in) {
      if (d.name == "include" && !d.block) {
        Include(d, depth, out);
        continue;
      }
      if (d.block) d.children = Expand(std::move(d.children), depth);
      out.push_back(std::move(d));
    }
    return out;
  }

  void Include(const NginxDirective& d, int depth, Directives& out) {
    if (d.args.size() != 1) {
      out_.problems.push_back("include at " + Where(d) + ": needs exactly one file pattern");
      return;
    }
    if (depth >= kMaxIncludeDepth) {
      out_.problems.push_back("include " + d.args[0] + " at " + Where(d) + ": nested deeper than " +
                              std::to_string(kMaxIncludeDepth) + " levels");
      return;
    }
    for (const std::string& path : files_.Expand(Absolute(d.args[0]))) {
      auto text = files_.Read(path);
      auto tree = text ? ParseNginxConfig(*text, path) : Result<Directives>(Fail(text.error()));
      if (!tree) {
        out_.problems.push_back("include " + d.args[0] + " at " + Where(d) + ": " +
                                tree.error().message);
        continue;
      }
      for (auto& included : Expand(std::move(*tree), depth + 1)) out.push_back(std::move(included));
    }
  }

  ConfigPath PathOf(const NginxDirective& d, size_t index, bool key) const {
    ConfigPath p;
    p.file = d.file;
    p.line = d.line;
    const std::string& value = d.args.size() > index ? d.args[index] : std::string();
    if (value.rfind("data:", 0) == 0) {
      p.kind = PathKind::kInline;
      p.written = p.path = "data:";
    } else if (key && value.rfind("engine:", 0) == 0) {
      p.kind = PathKind::kEngine;
      p.written = p.path = value;
    } else if (value.find('$') != std::string::npos) {
      p.kind = PathKind::kVariable;
      p.written = p.path = value;
    } else {
      p.written = value;
      p.path = Absolute(value);
    }
    return p;
  }

  // The ssl_certificate/ssl_certificate_key pairs set directly in `block`.
  std::vector<CertificatePair> Pairs(const Directives& block) const {
    std::vector<ConfigPath> certs;
    std::vector<ConfigPath> keys;
    for (const auto& d : block) {
      if (d.name == "ssl_certificate" && !d.args.empty()) certs.push_back(PathOf(d, 0, false));
      if (d.name == "ssl_certificate_key" && !d.args.empty()) keys.push_back(PathOf(d, 0, true));
    }
    std::vector<CertificatePair> pairs;
    for (size_t i = 0; i < certs.size(); ++i) {
      pairs.push_back({certs[i], i < keys.size() ? keys[i] : ConfigPath{}, false});
    }
    return pairs;
  }

  static bool SslOn(const Directives& block) {
    for (const auto& d : block) {
      if (d.name == "ssl" && d.args.size() == 1 && d.args[0] == "on") return true;
    }
    return false;
  }

  TlsServer Server(const std::string& context, const NginxDirective& s,
                   const std::vector<CertificatePair>& inherited) {
    TlsServer server{context, s.file, s.line, {}, {}, SslOn(s.children), Pairs(s.children)};
    for (const auto& d : s.children) {
      if (d.name == "server_name") {
        server.server_names.insert(server.server_names.end(), d.args.begin(), d.args.end());
      } else if (d.name == "listen") {
        auto listen = ParseListen(d.args);
        if (listen) {
          server.listens.push_back(std::move(*listen));
        } else {
          out_.problems.push_back(Where(d) + ": " + listen.error().message);
        }
      }
    }
    if (server.certificates.empty()) {
      server.certificates = inherited;
      for (auto& pair : server.certificates) pair.inherited = true;
    }
    return server;
  }

  void Context(const std::string& name, const Directives& block) {
    const std::vector<CertificatePair> inherited = Pairs(block);
    const bool ssl_on_everywhere = SslOn(block);
    std::vector<TlsServer> servers;
    std::set<std::string> tls_endpoints;
    for (const auto& d : block) {
      if (!d.block || d.name != "server") continue;
      servers.push_back(Server(name, d, inherited));
      for (const auto& l : servers.back().listens) {
        if (l.ssl) tls_endpoints.insert(l.Endpoint());
      }
    }
    for (auto& server : servers) {
      const bool ssl_on = server.tls || ssl_on_everywhere;  // legacy "ssl on": every listener
      server.tls = ssl_on && server.listens.empty();
      for (auto& l : server.listens) {
        l.ssl = ssl_on || tls_endpoints.count(l.Endpoint()) != 0;
        server.tls = server.tls || l.ssl;
      }
      // A plain-HTTP server inherits http-level pairs it never uses: not worth a report.
      if (!server.tls && !server.certificates.empty() && server.certificates[0].inherited) {
        server.certificates.clear();
      }
      if (server.tls || !server.certificates.empty()) out_.servers.push_back(std::move(server));
    }
  }

  ConfigFiles& files_;
  std::string prefix_;
  NginxTlsConfig out_;
};

}  // namespace

std::string ConfigPrefix(const std::string& main_file) {
  const size_t slash = main_file.rfind('/');
  return slash == std::string::npos ? std::string("/") : main_file.substr(0, slash + 1);
}

Result<NginxTlsConfig> ReadTlsConfig(ConfigFiles& files) { return Walker(files).Run(); }

}  // namespace certfleet::agent::discovery
