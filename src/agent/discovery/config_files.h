// Where nginx's configuration text comes from: the files of one configuration, by path.
//
// Two sources, one interface, so the walk over the effective configuration
// (nginx_tls_config.h) is the same for both:
// - DumpedConfigFiles: the output of `nginx -T`, which prints every file nginx read, each
//   after a line "# configuration file <path>:" (the main file first). This is what nginx
//   itself would load, includes resolved by nginx.
// - DiskConfigFiles: the files read from disk, for when `nginx -T` fails (it prints
//   nothing when the configuration does not load, e.g. because a certificate file that a
//   running nginx still serves from memory has been deleted).
//
// Paths are absolute. Not thread-safe (tests and one discovery pass use it alone).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace certfleet::agent::discovery {

inline constexpr std::size_t kMaxConfigFileBytes = 16u << 20;

class ConfigFiles {
 public:
  virtual ~ConfigFiles() = default;
  // The main configuration file (nginx's -c), absolute.
  virtual std::string MainFile() const = 0;
  // The text of one file; kNotFound / kPermissionDenied / kIo naming it.
  virtual Result<std::string> Read(const std::string& path) = 0;
  // The files an `include` pattern names (absolute; may contain * ? [ ]), sorted as
  // glob(3) sorts them. A pattern without wildcards yields itself even when it does not
  // exist (Read then reports it), as nginx does.
  virtual std::vector<std::string> Expand(const std::string& pattern) = 0;
};

class DumpedConfigFiles final : public ConfigFiles {
 public:
  // kInvalidArgument when the text does not start with "# configuration file ".
  static Result<DumpedConfigFiles> Parse(std::string_view dump);

  std::string MainFile() const override { return main_; }
  Result<std::string> Read(const std::string& path) override;
  std::vector<std::string> Expand(const std::string& pattern) override;
  const std::map<std::string, std::string>& files() const { return files_; }

 private:
  std::string main_;
  std::map<std::string, std::string> files_;
};

class DiskConfigFiles final : public ConfigFiles {
 public:
  explicit DiskConfigFiles(std::string main_file) : main_(std::move(main_file)) {}

  std::string MainFile() const override { return main_; }
  Result<std::string> Read(const std::string& path) override;
  std::vector<std::string> Expand(const std::string& pattern) override;

 private:
  std::string main_;
};

// True when `pattern` has a glob wildcard (* ? [).
bool HasWildcard(std::string_view pattern);

}  // namespace certfleet::agent::discovery
