// NamedServer: a private BIND 9 (Debian's `named`) on a free loopback port, for DNS-01
// tests. See ../shared/TESTBED.md.
//
//   auto named = NamedServer::Start({.zones = {{"example.test", "shop A 127.0.0.1\n"}}});
//   ASSERT_TRUE(named) << named.error().message;
//   std::string server = (*named)->Address();          // "127.0.0.1:PORT" (UDP and TCP)
//   (*named)->key_name(), (*named)->key_secret();      // the TSIG key (hmac-sha256)
//
// Each zone gets a generated SOA (negative TTL 1 s), NS ns.<zone> and ns.<zone> A
// 127.0.0.1 ahead of the records given; `allow_update` lets the TSIG key update it
// (RFC 2136). Zones in `forwards` are sent to another server (e.g. the hub's DNS
// responder), and recursion is on for 127.0.0.1: the same named is then the resolver
// Pebble and the hub's delegation check use — it follows a CNAME from one of its own
// zones into a forwarded one. DNSSEC validation is off (the test zones are unsigned).
// Not thread-safe. The log is printed when the current test has failed.
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

struct NamedZone {
  std::string name;     // "example.test"
  std::string records;  // zone-file lines after the generated SOA/NS/ns A
  bool allow_update = true;
};

struct NamedForward {
  std::string zone;  // "acme.hub.test"
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;
};

struct NamedOptions {
  std::vector<NamedZone> zones;
  std::vector<NamedForward> forwards;
  bool recursion = true;  // for clients on 127.0.0.1
  std::string key_name = "acme-key";
  std::chrono::milliseconds start_timeout{15'000};
};

class NamedServer {
 public:
  // Makes the TSIG key (tsig-keygen), writes named.conf and the zones, starts named and
  // waits until every zone answers its SOA. Fails with named's log in the message.
  static Result<std::unique_ptr<NamedServer>> Start(NamedOptions options);
  ~NamedServer();

  std::uint16_t port() const { return port_; }
  std::string Address() const;  // "127.0.0.1:PORT"
  const std::string& key_name() const { return options_.key_name; }
  const std::string& key_secret() const { return key_secret_; }
  const TempDir& dir() const { return dir_; }
  // The key file tsig-keygen wrote (mode 0600), usable as a TSIG secret file.
  std::string KeyFile() const;

  // Runs `dig @named -p PORT +short name type` and returns its lines (for assertions).
  Result<std::vector<std::string>> Dig(const std::string& name, const std::string& type) const;

  // Stops named by PID. Idempotent; the destructor calls it.
  void Stop();
  std::string Logs() const;

 private:
  explicit NamedServer(NamedOptions options) : options_(std::move(options)), dir_("named") {}
  Status MakeKey();
  Status WriteConfig();
  Status StartNamed();
  bool ZonesAnswer() const;

  NamedOptions options_;
  TempDir dir_;
  std::uint16_t port_ = 0;
  std::string key_secret_;
  std::unique_ptr<Subprocess> named_;
};

}  // namespace certfleet::harness
