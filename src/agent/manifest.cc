#include "agent/manifest.h"

#include <nlohmann/json.hpp>

#include "agent/json_integer.h"
#include "common/atomic_file.h"

namespace certfleet::agent {
namespace {

using nlohmann::json;

constexpr size_t kMaxManifestBytes = 64 * 1024;

json CertificateJson(const InstalledCertificate& c) {
  return {{"sha256", c.sha256},
          {"certificate_id", c.certificate_id ? json(*c.certificate_id) : json(nullptr)}};
}

InstalledCertificate CertificateFromJson(const json& j) {
  InstalledCertificate c;
  c.sha256 = j.at("sha256").get<std::string>();
  if (!j.at("certificate_id").is_null())
    c.certificate_id = JsonInteger<CertificateId>(j.at("certificate_id"));
  return c;
}

}  // namespace

Result<Manifest> ReadManifest(const std::filesystem::path& file) {
  auto text = ReadFile(file, kMaxManifestBytes);
  if (!text) return Fail(text.error());
  return ParseManifest(*text, file.string());
}

Result<Manifest> ParseManifest(std::string_view text, std::string_view source) {
  // nlohmann reports malformed input by exception; contain it here.
  try {
    const json j = json::parse(text);
    Manifest m;
    m.domain = j.at("domain").get<std::string>();
    const std::string state = j.at("state").get<std::string>();
    if (state != "installing" && state != "installed")
      throw std::runtime_error("bad state " + state);
    m.state = state == "installing" ? Manifest::State::kInstalling : Manifest::State::kInstalled;
    m.current = CertificateFromJson(j.at("current"));
    if (!j.at("previous").is_null()) m.previous = CertificateFromJson(j.at("previous"));
    return m;
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kCorrupt,
                "manifest " + std::string(source) + " is unreadable: " + e.what());
  }
}

std::string ManifestText(const Manifest& m) {
  json j = {{"domain", m.domain},
            {"state", m.state == Manifest::State::kInstalling ? "installing" : "installed"},
            {"current", CertificateJson(m.current)},
            {"previous", m.previous ? CertificateJson(*m.previous) : json(nullptr)}};
  return j.dump(2) + "\n";
}

Status WriteManifest(const std::filesystem::path& file, const Manifest& m) {
  return WriteFileAtomically(file, ManifestText(m), 0600);
}

}  // namespace certfleet::agent
