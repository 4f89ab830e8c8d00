#include "hub/store_config.h"

#include <sys/stat.h>

#include <fstream>

#include "common/atomic_file.h"
#include "store/postgres/postgres_store.h"

namespace certfleet::hub {
namespace {

Status Invalid(std::string_view source, std::string_view key, const std::string& what) {
  return Fail(ErrorCode::kInvalidArgument,
              "config " + std::string(source) + ": store." + std::string(key) + ": " + what);
}

std::string OctalMode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace

std::string StoreSettings::EffectiveBackend() const {
  if (!backend.empty()) return backend == "postgresql" ? "postgres" : backend;
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return "postgres";
  return "sqlite";
}

Status ReadStoreSection(TomlTableReader& top, std::string_view source, StoreSettings& out) {
  const toml::node* node = top.Take("store");
  if (node == nullptr) return Ok();
  if (!node->is_table()) return top.Bad("store", "must be a table ([store])");
  TomlTableReader r(*node->as_table(), "store.", source);
  Status s = r.String("backend", out.backend);
  if (s) s = r.String("url", out.url);
  if (s) s = r.String("password_file", out.password_file);
  if (s) s = r.String("ca_file", out.ca_file);
  if (s) s = r.Int("connections", 1, 256, out.connections);
  if (s && node->as_table()->contains("password")) {
    return Invalid(source, "password",
                   "a password does not belong in hub.toml: use store.password_file (mode "
                   "0600) or CERTFLEET_HUB_STORE_PASSWORD");
  }
  if (s) s = r.RejectUnknown();
  return s;
}

void ApplyStoreEnvironment(StoreSettings& out, const StoreEnvLookup& env) {
  if (auto v = env("CERTFLEET_HUB_STORE_BACKEND")) out.backend = *v;
  if (auto v = env("CERTFLEET_HUB_STORE_URL")) out.url = *v;
  if (auto v = env("CERTFLEET_HUB_STORE_PASSWORD")) out.password = *v;
  if (auto v = env("CERTFLEET_HUB_STORE_PASSWORD_FILE")) out.password_file = *v;
  if (auto v = env("CERTFLEET_HUB_STORE_CA_FILE")) out.ca_file = *v;
}

Status ValidateStoreSettings(const StoreSettings& settings, std::string_view source) {
  const std::string backend = settings.EffectiveBackend();
  if (backend == "sqlite") {
    if (!settings.url.empty()) {
      return Invalid(source, "url",
                     "is for backend \"postgres\" (the SQLite store is <data_dir>/hub.db)");
    }
    return Ok();
  }
  if (backend != "postgres") {
    return Invalid(source, "backend",
                   "must be \"sqlite\" or \"postgres\", got \"" + settings.backend + "\"");
  }
  if (settings.url.empty()) {
    return Invalid(source, "url",
                   "is required for backend \"postgres\" (or CERTFLEET_HUB_STORE_URL), e.g. "
                   "\"postgresql://certfleet@db.example.net:5432/certfleet?sslmode=verify-full\"");
  }
  if (auto s = store::ValidatePostgresUrl(settings.url); !s) {
    return Invalid(source, "url", s.error().message);
  }
  if (!settings.ca_file.empty() && !std::ifstream(settings.ca_file).good()) {
    return Invalid(source, "ca_file", "cannot read " + settings.ca_file);
  }
  return Ok();
}

Result<std::string> ResolveStorePassword(const StoreSettings& settings) {
  if (!settings.password.empty() || settings.password_file.empty()) return settings.password;
  struct stat info {};
  if (::stat(settings.password_file.c_str(), &info) != 0) {
    return Fail(ErrorCode::kNotFound,
                "store.password_file " + settings.password_file + " cannot be read");
  }
  if ((info.st_mode & 077) != 0) {
    return Fail(ErrorCode::kPermissionDenied, "store.password_file " + settings.password_file +
                                                  " has mode " + OctalMode(info.st_mode) +
                                                  ": make it 0600 (chmod 600 " +
                                                  settings.password_file + ")");
  }
  auto text = ReadFile(settings.password_file, 4096);
  if (!text) return Fail(text.error().WithContext("reading store.password_file"));
  std::string password = text->substr(0, text->find('\n'));
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "store.password_file " + settings.password_file + " is empty");
  }
  return password;
}

}  // namespace certfleet::hub
