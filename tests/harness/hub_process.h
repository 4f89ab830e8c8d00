// A real certfleet-hub for integration and end-to-end tests: started from a config file,
// up once /healthz answers, with the admin token it wrote on first start.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "common/error.h"
#include "harness/http_client.h"
#include "harness/subprocess.h"

namespace certfleet::harness {

struct HubProcessOptions {
  std::string binary;                 // path of certfleet-hub
  std::filesystem::path config_file;  // hub.toml
  std::filesystem::path data_dir;     // the config's data_dir (holds admin.token)
  std::string base_url;               // http://127.0.0.1:PORT, the config's listen address
  std::filesystem::path log_file;     // stdout + stderr (appended)
  std::chrono::milliseconds start_timeout{60'000};
};

struct HubProcess {
  std::unique_ptr<Subprocess> process;
  std::string admin_token;  // from <data_dir>/admin.token, without the trailing newline
  std::string base_url;     // http://127.0.0.1:PORT

  // `method path` on the hub's API with the admin token (a JSON body when given).
  HttpResult AdminApi(const std::string& method, const std::string& path,
                      const std::string& body = "") const;
};

// Starts the hub and waits until GET /healthz answers 200 and admin.token exists. Fails
// with the hub's log in the message when it does not come up in time.
Result<HubProcess> StartHubProcess(const HubProcessOptions& options);

}  // namespace certfleet::harness
