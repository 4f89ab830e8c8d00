#include "harness/hub_process.h"

#include "harness/http_client.h"
#include "harness/net.h"
#include "harness/temp_dir.h"

namespace certfleet::harness {

Result<HubProcess> StartHubProcess(const HubProcessOptions& options) {
  auto hub = Subprocess::Start({.argv = {options.binary, "--config", options.config_file.string()},
                                .log_file = options.log_file});
  if (!hub) return Fail(hub.error());
  const bool up = WaitFor(
      [&] {
        return HttpGet(options.base_url + "/healthz", "", std::chrono::milliseconds(500)).status ==
               200;
      },
      options.start_timeout, std::chrono::milliseconds(10));
  if (!up) {
    return Fail(ErrorCode::kUnavailable,
                "certfleet-hub did not answer " + options.base_url + "/healthz:\n" + (*hub)->Log());
  }
  const std::filesystem::path token_file = options.data_dir / "admin.token";
  std::string token = ReadFileOrEmpty(token_file);
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  if (token.empty()) {
    return Fail(ErrorCode::kUnavailable, "the hub wrote no admin token to " + token_file.string());
  }
  return HubProcess{std::move(*hub), std::move(token), options.base_url};
}

HttpResult HubProcess::AdminApi(const std::string& method, const std::string& path,
                                const std::string& body) const {
  return HttpFetch(base_url + path, {.method = method,
                                     .body = body,
                                     .headers = {"Authorization: Bearer " + admin_token,
                                                 "Content-Type: application/json"}});
}

}  // namespace certfleet::harness
