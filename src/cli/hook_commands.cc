#include "cli/hook_commands.h"

#include <cstdlib>
#include <filesystem>
#include <ostream>

#include "cli/import/import_candidate.h"
#include "cli/import_commands.h"
#include "common/local_file.h"

namespace certfleet::cli {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxPemBytes = 1u << 20;

Result<std::string> Need(const Environment& env, const std::string& name, const char* hook) {
  auto value = env(name);
  if (!value || value->empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(hook) + ": " + name + " is not set (run this as certbot's hook)");
  }
  return *value;
}

// Reads the pair and sends it to POST /api/v1/import with apply.
Status Deploy(HubClient& hub, const std::string& label, const std::string& chain_path,
              const std::string& key_path, const std::string& preferred, const DeployHookOptions& o,
              std::ostream& out) {
  auto chain = ReadLocalFile(chain_path, kMaxPemBytes);
  if (!chain) return Fail(chain.error());
  auto key = ReadLocalFile(key_path, kMaxPemBytes);
  if (!key) return Fail(key.error());
  auto candidate = import::MakeCandidate(label, chain_path, *chain, std::move(*key), preferred);
  if (!candidate) return Fail(candidate.error().WithContext(label));
  ImportOptions options{
      .dir = {}, .issuer = "manual", .machines = o.machines, .customer = o.customer, .apply = true};
  auto answer = SendImport(hub, *candidate, options);
  if (!answer) return Fail(answer.error().WithContext("uploading " + candidate->name));
  out << candidate->name << ": " << answer->value("action", "?") << " (serial " << candidate->serial
      << ")\n";
  return Ok();
}

}  // namespace

Environment ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Status RunCertbotAuthHook(HubClient& hub, const Environment& env, std::ostream& out) {
  auto domain = Need(env, "CERTBOT_DOMAIN", "certbot-auth");
  auto token = domain ? Need(env, "CERTBOT_TOKEN", "certbot-auth") : domain;
  auto validation = token ? Need(env, "CERTBOT_VALIDATION", "certbot-auth") : token;
  if (!validation) return Fail(validation.error());
  auto answer =
      hub.Post("/api/v1/challenges/http-01",
               {{"identifier", *domain}, {"token", *token}, {"key_authorization", *validation}});
  if (!answer)
    return Fail(
        answer.error().WithContext("handing the HTTP-01 answer for " + *domain + " to the hub"));
  out << "hub answers " << *domain << " until " << answer->value("expires_at", "?") << "\n";
  return Ok();
}

Status RunCertbotCleanupHook(HubClient& hub, const Environment& env, std::ostream& out) {
  auto token = Need(env, "CERTBOT_TOKEN", "certbot-cleanup");
  if (!token) return Fail(token.error());
  auto answer = hub.Delete("/api/v1/challenges/http-01/" + UrlEncode(*token));
  if (!answer && answer.error().code != ErrorCode::kNotFound) {
    return Fail(answer.error().WithContext("withdrawing the HTTP-01 answer"));
  }
  out << "withdrawn\n";
  return Ok();
}

Status RunCertbotDeployHook(HubClient& hub, const Environment& env, const DeployHookOptions& o,
                            std::ostream& out) {
  auto lineage = Need(env, "RENEWED_LINEAGE", "certbot-deploy");
  if (!lineage) return Fail(lineage.error());
  const std::string label = std::filesystem::path(*lineage).filename().string();
  return Deploy(hub, label, *lineage + "/fullchain.pem", *lineage + "/privkey.pem", label, o, out);
}

Status RunLegoDeployHook(HubClient& hub, const Environment& env, const DeployHookOptions& o,
                         std::ostream& out) {
  auto domain = Need(env, "LEGO_CERT_DOMAIN", "lego-deploy");
  auto cert = domain ? Need(env, "LEGO_CERT_PATH", "lego-deploy") : domain;
  auto key = cert ? Need(env, "LEGO_CERT_KEY_PATH", "lego-deploy") : cert;
  if (!key) return Fail(key.error());
  return Deploy(hub, *domain, *cert, *key, *domain, o, out);
}

}  // namespace certfleet::cli
