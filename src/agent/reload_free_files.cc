#include "agent/reload_free_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <regex>

#include "agent/cert_store.h"
#include "agent/fallback_certificate.h"
#include "common/atomic_file.h"

namespace certfleet::agent {
namespace {

namespace fs = std::filesystem;

constexpr mode_t kSharedDirMode = 0750;
constexpr mode_t kFallbackMode = 0640;
constexpr mode_t kMapMode = 0644;
constexpr const char* kLinkTemp = ".tmp-link";  // ".tmp-": never a host name

// One label: [a-z0-9], optionally [a-z0-9-]{0,61} and a closing [a-z0-9].
constexpr const char* kLabel = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";

std::string HostNamePattern() { return std::string(kLabel) + "([.]" + kLabel + ")+"; }

bool IsWildcard(const std::string& name) { return name.rfind("*.", 0) == 0; }

// True when nginx's hostnames map would match `name` with the entry `wildcard`
// ("*.example.com" matches any name ending in ".example.com", at any depth).
bool Shadows(const std::string& wildcard, const std::string& name) {
  const std::string suffix = wildcard.substr(1);
  return name.size() > suffix.size() && name.ends_with(suffix);
}

Status MakeSharedDir(const fs::path& dir, gid_t group) {
  if (::mkdir(dir.c_str(), kSharedDirMode) != 0 && errno != EEXIST) {
    return Fail(ErrorCode::kIo,
                "cannot create directory " + dir.string() + ": " + std::strerror(errno));
  }
  if (::chown(dir.c_str(), static_cast<uid_t>(-1), group) != 0 ||
      ::chmod(dir.c_str(), kSharedDirMode) != 0) {
    return Fail(ErrorCode::kIo, "cannot give " + dir.string() + " mode 0750 and group " +
                                    std::to_string(group) + ": " + std::strerror(errno));
  }
  return Ok();
}

// The explicit entries of a map file this class wrote: lines `    "NAME" "PATH";`.
std::map<std::string, std::string> ParseEntries(const std::string& text) {
  static const std::regex kEntry("^    \"([^\"~][^\"]*)\" \"([^\"]*)\";$");
  std::map<std::string, std::string> entries;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::smatch m;
    const std::string line = text.substr(start, end - start);
    if (std::regex_match(line, m, kEntry)) entries[m[1].str()] = m[2].str();
    start = end + 1;
  }
  return entries;
}

std::string BundlePath(const fs::path& out, const std::string& domain) {
  return (out / "live" / DirectoryName(domain) / "bundle.pem").string();
}

std::string LinkTarget(const std::string& domain) {
  return "../live/" + DirectoryName(domain) + "/bundle.pem";
}

// The domain folder a link target names ("../live/<dir>/bundle.pem" → "<dir>"), or "".
std::string TargetDir(const std::string& target) {
  const std::string prefix = "../live/";
  const std::string suffix = "/bundle.pem";
  if (!target.starts_with(prefix) || !target.ends_with(suffix)) return "";
  return target.substr(prefix.size(), target.size() - prefix.size() - suffix.size());
}

}  // namespace

bool IsPlainHostName(const std::string& name) {
  static const std::regex kHostName(HostNamePattern());
  return std::regex_match(name, kHostName);
}

ReloadFreeFiles::ReloadFreeFiles(fs::path output_dir, gid_t group)
    : out_(std::move(output_dir)), group_(group) {}

std::string ReloadFreeFiles::MapText(const fs::path& out,
                                     const std::map<std::string, std::string>& entries) {
  std::string text =
      "# Written by certfleet-agent (reload_free = true), which rewrites it: do not edit.\n"
      "# Include it once in nginx's http {} block; server blocks then use\n"
      "#     ssl_certificate     $certfleet_bundle;\n"
      "#     ssl_certificate_key $certfleet_bundle;\n"
      "# and nginx reads the certificate at each handshake (docs/nginx.md, \"Reload-free\").\n"
      "# A TLS server name becomes part of a path only if it is a plain lower-case host name,\n"
      "# and then only below " +
      (out / "sni").string() +
      "/, where the agent keeps one link per name it installed.\n"
      "map $ssl_server_name $certfleet_bundle {\n"
      "    hostnames;\n"
      "    default \"" +
      (out / "nginx" / "fallback.pem").string() + "\";\n";
  for (const auto& [name, path] : entries) text += "    \"" + name + "\" \"" + path + "\";\n";
  text += "    \"~^(?<certfleet_sni>" + HostNamePattern() + ")$\" \"" + (out / "sni").string() +
          "/$certfleet_sni\";\n}\n";
  return text;
}

Result<bool> ReloadFreeFiles::Prepare() {
  for (const fs::path& dir : {SniDir(), out_ / "nginx"}) {
    if (auto s = MakeSharedDir(dir, group_); !s) return Fail(s.error());
  }
  std::error_code ec;
  if (!fs::exists(FallbackFile(), ec)) {
    auto bundle = MakeFallbackBundle();
    if (!bundle) return Fail(bundle.error().WithContext("making " + FallbackFile().string()));
    FileToWrite file{FallbackFile().filename().string(), *bundle, kFallbackMode, group_};
    if (auto s = WriteFilesAtomically(out_ / "nginx", {file}); !s) return Fail(s.error());
  }
  auto text = ReadFile(MapFile(), 1u << 24);
  if (!text && text.error().code != ErrorCode::kNotFound) return Fail(text.error());
  const auto entries = text ? ParseEntries(*text) : std::map<std::string, std::string>{};
  entries_ = entries;
  if (text && *text == MapText(out_, entries)) return false;
  if (auto s = WriteMap(entries); !s) return Fail(s.error());
  return true;
}

Status ReloadFreeFiles::WriteMap(const std::map<std::string, std::string>& entries) {
  if (auto s = WriteFileAtomically(MapFile(), MapText(out_, entries), kMapMode); !s) return s;
  entries_ = entries;
  return Ok();
}

Result<std::set<std::string>> ReloadFreeFiles::Sync(const std::vector<DomainNames>& installed) {
  // Claims: own names first, then SANs, each in the given order.
  std::map<std::string, std::string> owner;
  for (const auto& d : installed) owner.emplace(d.domain, d.domain);
  for (const auto& d : installed) {
    for (const auto& name : d.names) owner.emplace(name, d.domain);
  }
  std::map<std::string, std::string> entries;
  std::map<std::string, std::string> links;
  for (const auto& [name, domain] : owner) {
    if (IsWildcard(name)) entries[name] = BundlePath(out_, domain);
  }
  for (const auto& [name, domain] : owner) {
    if (IsWildcard(name)) continue;
    links[name] = domain;
    for (const auto& [wildcard, path] : entries) {
      if (IsWildcard(wildcard) && Shadows(wildcard, name)) {
        entries[name] = BundlePath(out_, domain);
        break;
      }
    }
  }
  std::set<std::string> keep_targets;  // folders of domains whose SANs we do not know
  for (const auto& d : installed) {
    if (!d.names_known) keep_targets.insert(DirectoryName(d.domain));
  }
  if (auto s = SyncLinks(links, keep_targets); !s) return Fail(s.error());
  std::set<std::string> added;
  for (const auto& [name, path] : entries) {
    auto old = entries_.find(name);
    if (old == entries_.end() || old->second != path) added.insert(name);
  }
  if (entries != entries_) {
    if (auto s = WriteMap(entries); !s) return Fail(s.error());
  }
  return added;
}

Status ReloadFreeFiles::SyncLinks(const std::map<std::string, std::string>& links,
                                  const std::set<std::string>& keep_targets) {
  std::error_code ec;
  std::map<std::string, std::string> present;  // name → target
  for (const auto& entry : fs::directory_iterator(SniDir(), ec)) {
    const std::string name = entry.path().filename().string();
    std::error_code link_ec;
    const fs::path target = fs::read_symlink(entry.path(), link_ec);
    present[name] = link_ec ? "" : target.string();
  }
  if (ec) return Fail(ErrorCode::kIo, "cannot list " + SniDir().string() + ": " + ec.message());
  for (const auto& [name, target] : present) {
    if (links.count(name) > 0) continue;
    if (keep_targets.count(TargetDir(target)) > 0 && IsPlainHostName(name)) continue;
    fs::remove(SniDir() / name, ec);
  }
  for (const auto& [name, domain] : links) {
    const std::string target = LinkTarget(domain);
    auto it = present.find(name);
    if (it != present.end() && it->second == target) continue;
    const fs::path temp = SniDir() / kLinkTemp;
    ::unlink(temp.c_str());
    if (::symlink(target.c_str(), temp.c_str()) != 0 ||
        ::rename(temp.c_str(), (SniDir() / name).c_str()) != 0) {
      return Fail(ErrorCode::kIo,
                  "cannot link " + (SniDir() / name).string() + ": " + std::strerror(errno));
    }
  }
  return Ok();
}

}  // namespace certfleet::agent
