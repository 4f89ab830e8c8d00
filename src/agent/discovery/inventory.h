// Inventory: what discovery found on this host, as reported to the hub
// (POST /api/v1/agent/inventory; the JSON is written by inventory_json.h).
//
// Certificates are listed once each (by SHA-256 of the leaf); server blocks and probes
// refer to them by that fingerprint. The private keys are never read: a key is only
// checked for being there and readable.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace certfleet::agent::discovery {

// What one certificate file or served certificate says about itself.
struct CertificateFacts {
  std::string sha256;              // lower-case hex of the leaf's DER
  std::vector<std::string> names;  // dNSName SANs (subject CN first if not among them)
  std::string subject;             // subject CN
  std::string issuer;              // issuer DN, RFC 2253
  std::string serial;              // lower-case hex
  TimePoint not_before{};
  TimePoint not_after{};
  std::string key_type;  // crypto::PublicKeyTypeName: "ec-p256", "rsa-2048", ...
  bool self_signed = false;
  int chain_length = 1;  // certificates in the file (leaf + intermediates)
};

enum class FileStatus {
  kOk,          // read (certificate) / readable (key)
  kMissing,     // does not exist
  kUnreadable,  // exists, this process may not read it
  kInvalid,     // not a certificate, too large, not a regular file, ...
  kVariable,    // the path holds a variable: nginx resolves it per handshake
  kInline,      // "data:" in the configuration
  kEngine,      // "engine:" key
  kAbsent,      // no ssl_certificate_key for this ssl_certificate
};
std::string_view FileStatusName(FileStatus status);  // "ok", "missing", ...

struct FileReport {
  std::string path;  // absolute, or as written for variable/inline/engine
  std::string file;  // configuration file of the directive
  int line = 0;
  FileStatus status = FileStatus::kOk;
  std::string error;   // why, for anything but kOk
  std::string sha256;  // certificates read: the leaf's fingerprint
};

struct ServerReport {
  std::string context;  // "http", "stream"
  std::string file;
  int line = 0;
  std::vector<std::string> server_names;
  std::vector<std::string> listens;  // as written
  bool tls = false;
  struct Pair {
    FileReport certificate;
    FileReport key;
    bool inherited = false;
  };
  std::vector<Pair> pairs;
};

struct ProbeReport {
  std::string name;     // SNI sent
  std::string address;  // "127.0.0.1:443"
  std::string sha256;   // of the leaf served; "" when the handshake failed
  std::string error;
};

struct Inventory {
  TimePoint collected_at{};
  std::string source;       // "nginx -T" or "files" (nginx -T failed; files read from disk)
  std::string main_file;    // nginx's main configuration file
  std::string nginx_error;  // why nginx -T failed, when it did
  std::string output_dir;   // where this agent writes live/<domain>/ (for the nginx lines)
  std::vector<ServerReport> servers;
  std::vector<CertificateFacts> certificates;  // unique by sha256: files and served ones
  std::vector<ProbeReport> probes;
  std::vector<std::string> problems;  // parts of the configuration that could not be read
};

}  // namespace certfleet::agent::discovery
