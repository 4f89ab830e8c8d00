// TempDir: a private scratch directory that removes itself.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace certfleet::harness {

class TempDir {
 public:
  // Creates /tmp/certfleet-<prefix>-XXXXXX (mode 0700). Throws std::runtime_error when
  // it cannot (tests cannot go on without it). Set CERTFLEET_KEEP_TEMP=1 to keep every
  // directory for a post-mortem.
  explicit TempDir(std::string_view prefix = "test");
  ~TempDir();  // removes the tree (errors ignored)
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

  // Writes `contents` to path()/name (creating parent directories); throws on failure.
  std::filesystem::path WriteFile(std::string_view name, std::string_view contents) const;

 private:
  std::filesystem::path path_;
};

// The whole file, or "" when it cannot be read.
std::string ReadFileOrEmpty(const std::filesystem::path& path);

}  // namespace certfleet::harness
