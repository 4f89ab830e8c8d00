// ReloadFreeFiles: what certfleet's reload-free nginx snippet reads besides the bundles
// (docs/nginx.md "4. Reload-free"; issue 16). nginx ≥ 1.15.9 loads `ssl_certificate` at
// handshake time when its path has variables, so replacing a bundle is the deployment.
// The path must never be built from what a client sends: nginx does not sanitise
// $ssl_server_name (an SNI of "../../etc" made it open live/../../etc/…). So:
//
//   <out>/nginx/certfleet-map.conf   included once in nginx's http {}: a `map` from the
//       TLS server name to a bundle path. A name becomes part of a path only when it is a
//       plain lower-case host name (labels of [a-z0-9-], no leading or trailing '-', no
//       empty label: no '/', no '..'), and then only as a file name in <out>/sni/.
//       Wildcard names, and exact names a wildcard would shadow (nginx prefers wildcard
//       entries to regular expressions), are listed explicitly: nginx learns those at its
//       next reload only. Anything else gets the fallback certificate.
//   <out>/sni/<name>                 a symlink "../live/<dir>/bundle.pem" per exact name
//       (domain and SANs) of every installed certificate: a new name is served without
//       a reload, an unknown one finds no file.
//   <out>/nginx/fallback.pem         fallback_certificate.h
//
// Folders are 0750 with nginx's group, fallback.pem 0640, the map 0644 (read by the root
// master). Every file is replaced by rename. Not thread-safe: the agent's pass thread only.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/error.h"

namespace certfleet::agent {

// The names of one installed domain (canonical; wildcards as "*.example.com").
struct DomainNames {
  std::string domain;
  std::vector<std::string> names;  // the domain itself first, then its SANs
  // False for a domain kept on disk that the hub no longer lists (remove_policy keep): its
  // SANs are unknown, so its existing links stay.
  bool names_known = true;
};

class ReloadFreeFiles {
 public:
  ReloadFreeFiles(std::filesystem::path output_dir, gid_t group);

  // Creates sni/ and nginx/, fallback.pem when missing, and the map: kept when it is what
  // this agent writes, rewritten (keeping its entries) when missing, written by another
  // version or edited by hand. True when it was written: nginx must reload to read it.
  Result<bool> Prepare();

  // Makes sni/ and the map agree with `installed`. A name claimed by several domains goes
  // to the first that has it as its own name, else the first that lists it (in the given
  // order). Returns the map entries that are new: nginx serves those names only after its
  // next reload.
  Result<std::set<std::string>> Sync(const std::vector<DomainNames>& installed);

  // The names the map lists explicitly (as last written).
  const std::map<std::string, std::string>& map_entries() const { return entries_; }

  std::filesystem::path MapFile() const { return out_ / "nginx" / "certfleet-map.conf"; }
  std::filesystem::path FallbackFile() const { return out_ / "nginx" / "fallback.pem"; }
  std::filesystem::path SniDir() const { return out_ / "sni"; }

  // The map file's text for these explicit entries (name → bundle path).
  static std::string MapText(const std::filesystem::path& output_dir,
                             const std::map<std::string, std::string>& entries);

 private:
  Status SyncLinks(const std::map<std::string, std::string>& links,
                   const std::set<std::string>& keep_targets);
  Status WriteMap(const std::map<std::string, std::string>& entries);

  std::filesystem::path out_;
  gid_t group_;
  std::map<std::string, std::string> entries_;
};

// True for what the map's regular expression accepts: a lower-case host name of at least
// two labels (the same test, in C++, for the agent's own checks and tests).
bool IsPlainHostName(const std::string& name);

}  // namespace certfleet::agent
