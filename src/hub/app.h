// App: the certfleet-hub process, wired together (DESIGN.md "main.cc files only wire").
//
//   config → data dir → store (SQLite <data-dir>/hub.db) → master key → admin token
//   bootstrap → event waiters → issuance worker → router → HTTP server
//
// Start returns once the server listens; Stop (or the destructor) shuts down in reverse
// order: server (answers waiting long-polls with 503), worker (running steps finish and
// save their state), event dispatcher, store. Thread safety: Stop may be called from any
// thread, once Start returned; it is idempotent.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/error.h"
#include "hub/config.h"

namespace certfleet::hub {

class App {
 public:
  // `config` must already be validated (ValidateHubConfig). `clock` must outlive the App.
  static Result<std::unique_ptr<App>> Start(HubConfig config, Clock& clock);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  std::uint16_t port() const;
  std::string BaseUrl() const;  // "http://127.0.0.1:PORT" ("https://…" with [tls])
  // True when this start created <data-dir>/admin.token.
  bool created_admin_token() const;
  // With [tls]: reads the certificate and key files again (SIGHUP; the hub also does it by
  // itself within 2 s of a change). Errors keep the current certificate and are logged.
  Status ReloadTls();
  void Stop();

  struct Parts;

 private:
  explicit App(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace certfleet::hub
