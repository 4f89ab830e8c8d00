#include "agent/discovery/config_files.h"

#include <fnmatch.h>
#include <glob.h>

#include <algorithm>
#include <optional>

#include "common/local_file.h"

namespace certfleet::agent::discovery {
namespace {

constexpr std::string_view kHeader = "# configuration file ";

// "# configuration file /etc/nginx/nginx.conf:" → "/etc/nginx/nginx.conf".
std::optional<std::string> HeaderPath(std::string_view line) {
  if (line.substr(0, kHeader.size()) != kHeader || line.size() < kHeader.size() + 2 ||
      line.back() != ':') {
    return std::nullopt;
  }
  return std::string(line.substr(kHeader.size(), line.size() - kHeader.size() - 1));
}

}  // namespace

bool HasWildcard(std::string_view pattern) {
  return pattern.find_first_of("*?[") != std::string_view::npos;
}

Result<DumpedConfigFiles> DumpedConfigFiles::Parse(std::string_view dump) {
  DumpedConfigFiles out;
  std::string* current = nullptr;
  size_t pos = 0;
  while (pos < dump.size()) {
    size_t end = dump.find('\n', pos);
    if (end == std::string_view::npos) end = dump.size();
    const std::string_view line = dump.substr(pos, end - pos);
    if (auto path = HeaderPath(line)) {
      if (out.main_.empty()) out.main_ = *path;
      current = &out.files_[*path];
      current->clear();
    } else if (current == nullptr) {
      return Fail(ErrorCode::kInvalidArgument,
                  "the output of nginx -T does not start with \"# configuration file <path>:\"");
    } else {
      current->append(line);
      current->push_back('\n');
    }
    pos = end + 1;
  }
  if (out.main_.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "the output of nginx -T names no configuration file");
  }
  // nginx writes one line feed after each file's contents: not part of the file.
  for (auto& [path, text] : out.files_) {
    if (text.size() >= 2 && text.compare(text.size() - 2, 2, "\n\n") == 0) text.pop_back();
  }
  return out;
}

Result<std::string> DumpedConfigFiles::Read(const std::string& path) {
  auto it = files_.find(path);
  if (it == files_.end()) {
    return Fail(ErrorCode::kNotFound, path + " is not in the output of nginx -T");
  }
  return it->second;
}

std::vector<std::string> DumpedConfigFiles::Expand(const std::string& pattern) {
  if (!HasWildcard(pattern)) return {pattern};
  std::vector<std::string> out;
  for (const auto& [path, text] : files_) {
    if (::fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME) == 0) out.push_back(path);
  }
  return out;  // std::map keeps them sorted, like glob(3) in the C locale
}

Result<std::string> DiskConfigFiles::Read(const std::string& path) {
  return ReadLocalFile(path, kMaxConfigFileBytes);
}

std::vector<std::string> DiskConfigFiles::Expand(const std::string& pattern) {
  if (!HasWildcard(pattern)) return {pattern};
  glob_t found{};
  std::vector<std::string> out;
  if (::glob(pattern.c_str(), 0, nullptr, &found) == 0) {
    for (size_t i = 0; i < found.gl_pathc; ++i) out.emplace_back(found.gl_pathv[i]);
  }
  ::globfree(&found);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace certfleet::agent::discovery
