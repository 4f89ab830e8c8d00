// The TLS part of nginx's effective configuration: every server block that has a
// certificate or a TLS listener, with its names, listeners and certificate/key pairs.
//
// Reads the main file from a ConfigFiles source and follows `include` directives as nginx
// does (patterns relative to the main file's directory, sorted glob matches, up to
// kMaxIncludeDepth levels). Servers of `http { }` and `stream { }` are covered:
// - ssl_certificate / ssl_certificate_key pair up by position, as nginx pairs them;
//   pairs set on `http`/`stream` level are inherited by servers that set none;
// - a server is TLS when one of its listeners says "ssl", or another server's listener
//   on the same address and port does (nginx shares the flag per socket), or "ssl on";
// - paths are resolved against the main file's directory; paths with variables
//   ($ssl_server_name...), inline "data:" certificates and "engine:" keys are kept as
//   written and marked, never guessed.
// What cannot be read (an include that fails, a bad listen) goes into `problems`; the
// rest is still reported. Pure apart from the ConfigFiles it is given.
#pragma once

#include <string>
#include <vector>

#include "agent/discovery/config_files.h"
#include "agent/discovery/listen.h"
#include "common/error.h"

namespace certfleet::agent::discovery {

inline constexpr int kMaxIncludeDepth = 16;

enum class PathKind {
  kFile,      // a plain path: `path` is absolute
  kVariable,  // contains a variable; resolved by nginx per handshake
  kInline,    // "data:..." (the PEM itself in the configuration)
  kEngine,    // "engine:name:id": a key in an OpenSSL engine
};

// One ssl_certificate or ssl_certificate_key value and where it is set.
struct ConfigPath {
  std::string written;  // as in the configuration (for "data:", only "data:")
  std::string path;     // absolute when kind is kFile, else = written
  PathKind kind = PathKind::kFile;
  std::string file;  // the configuration file of the directive
  int line = 0;
};

struct CertificatePair {
  ConfigPath certificate;
  ConfigPath key;          // key.written empty: no matching ssl_certificate_key
  bool inherited = false;  // set on http/stream level, not in the server block
};

struct TlsServer {
  std::string context;  // "http" or "stream"
  std::string file;
  int line = 0;
  std::vector<std::string> server_names;  // as written ("*.example.com", "~^re$", "_")
  std::vector<Listen> listens;
  bool tls = false;
  std::vector<CertificatePair> certificates;
};

struct NginxTlsConfig {
  std::string main_file;
  std::vector<TlsServer> servers;     // in configuration order
  std::vector<std::string> problems;  // "include /etc/nginx/x/*.conf (nginx.conf line 9): ..."
};

// kInvalidArgument / kNotFound ... when the main file cannot be read or parsed; problems in
// included files are collected instead.
Result<NginxTlsConfig> ReadTlsConfig(ConfigFiles& files);

// Where nginx finds relative paths: the directory of the main file, with a trailing "/".
std::string ConfigPrefix(const std::string& main_file);

}  // namespace certfleet::agent::discovery
