// Manifest: the writer's record of one domain's installed version, kept at
// <out>/archive/<dir>/manifest.json and always replaced atomically.
//
// state "installing" is written after the new files are staged (complete and synced) in
// archive/<dir>/next/ and before they are renamed into live/<dir>/; a manifest left in
// that state means a crash interrupted the renames, and the writer rolls forward.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "agent/desired_state.h"
#include "agent/reconciler.h"
#include "common/error.h"

namespace certfleet::agent {

struct Manifest {
  enum class State { kInstalling, kInstalled };
  std::string domain;  // canonical name
  State state = State::kInstalled;
  InstalledCertificate current;
  std::optional<InstalledCertificate> previous;  // what archive/<dir>/previous/ holds
};

// kNotFound when the file does not exist; kCorrupt when it cannot be read as a manifest.
Result<Manifest> ReadManifest(const std::filesystem::path& file);
// Parses a manifest's text; `source` (the file) names it in errors. kCorrupt for anything
// ManifestText did not write. Pure, never throws (a fuzz target: tests/fuzz).
Result<Manifest> ParseManifest(std::string_view text, std::string_view source);
Status WriteManifest(const std::filesystem::path& file, const Manifest& manifest);

// The manifest's file content (JSON), for callers that stage and sync it themselves.
std::string ManifestText(const Manifest& manifest);

}  // namespace certfleet::agent
