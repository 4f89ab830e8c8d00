// CertStore: the agent's certificate files, crash-safe, in certbot's layout.
//
//   <out>/live/<dir>/{cert,chain,fullchain,privkey}.pem   what nginx reads
//   <out>/archive/<dir>/next/…                            the version being installed
//   <out>/archive/<dir>/previous/…                        the version before, for Rollback
//   <out>/archive/<dir>/manifest.json                     see manifest.h
//
//   <out>/live/<dir>/bundle.pem                           reload-free mode only (below)
//
// <dir> is the canonical domain name ("*.example.com" → "_wildcard.example.com").
// privkey.pem is mode 0600; the live/ and archive/ trees are 0700.
//
// Reload-free mode (CertStoreOptions::bundle_group): each version also has bundle.pem,
// fullchain + key in ONE file, which nginx reads at handshake time through certfleet's
// snippet (docs/nginx.md). Replacing one file is one rename, so a reader can never find a
// leaf and a key of different versions in it. nginx's workers are not root: bundle.pem is
// 0640 with the configured group, and live/ and live/<dir>/ are 0750 with that group so
// the workers can reach it (certificates are public; the key is the one secret there). live/
// gets its files as hard links of next/ (no rewrite): a file under live/ is never modified
// in place, only replaced by rename. An install swaps next/ and previous/ (previous/ then
// holds the files live/ serves) and writes the new version over the files of the version
// before, which no other name shares any more (checked: one link); manifests are staged
// and exchanged into place the same way. So an install allocates and frees no inode
// (docs/design/2026-12-07-agent-reuses-staging-inodes.md); a reader that kept a file of
// live/ open across two whole installs could see it change. An install syncs 5 times: one
// syncfs for next/, previous/ and the staged "installing" manifest, the archive folder once
// that manifest is in place, live/'s folder, and the "installed" manifest (file + folder);
// with Durability::kVisible the last three happen in Commit().
//
// Invariant: after Repair(), and after any crash followed by Repair(), every
// live/<dir>/ with a manifest holds one consistent version (leaf and key belong
// together): an install interrupted between its renames is rolled forward from next/,
// which is complete before the manifest says "installing".
//
// Not thread-safe: one CertStore per output directory, used from one thread.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "agent/bundle_check.h"
#include "agent/manifest.h"
#include "agent/reconciler.h"
#include "common/atomic_file.h"
#include "common/error.h"

namespace certfleet::agent {

struct CertStoreOptions {
  // Set: reload-free mode, bundle.pem readable by this group (see above).
  std::optional<gid_t> bundle_group;
};

class CertStore {
 public:
  explicit CertStore(std::filesystem::path output_dir, CertStoreOptions options = {});

  // Creates the top-level folders, finishes installs a crash interrupted, and deletes
  // leftover temporary files and half-removed folders. Returns the repaired domains.
  Result<std::vector<std::string>> Repair();

  // What is installed, by domain (from the manifests, checked against live/*/cert.pem:
  // a domain whose leaf differs from its manifest gets sha256 "").
  Result<Inventory> ReadInventory() const;

  // How far Install goes before it returns.
  //   kCommitted: live/ and the manifest "installed" are durable.
  //   kVisible: live/ holds the new files and the manifest says "installing" (durable, with
  //     next/ durable too, so a crash from here on rolls forward); Commit() pays the last
  //     three syncs. The deployer reloads the server first: what a reload reads needs no
  //     durability, and the syncs then overlap the reload instead of delaying it (issue 4).
  //     Until Commit, ReadInventory reports the domain with sha256 "" (not installed).
  enum class Durability { kCommitted, kVisible };

  // Installs `files` for `domain` (canonical) and keeps the version it replaces for
  // Rollback when live/ still holds it (its leaf's hash is the manifest's; Rollback checks
  // the kept files in full before using them). kInvalidArgument for a non-canonical name.
  Status Install(const std::string& domain, const PemFiles& files, const InstalledCertificate& meta,
                 Durability durability = Durability::kCommitted);

  // Finishes a kVisible install: live/'s folder fsync, then the manifest "installed".
  // Ok if already installed; kCorrupt if live/ no longer holds the manifest's leaf.
  Status Commit(const std::string& domain);

  // Puts back the version Install replaced; if there was none, removes the domain
  // (as before the first install). kCorrupt if the previous files are not consistent.
  Status Rollback(const std::string& domain);

  // Removes live/<dir> and archive/<dir> (each by one rename, then deletion).
  Status Remove(const std::string& domain);

  Result<PemFiles> ReadLive(const std::string& domain) const;
  std::filesystem::path LiveDir(const std::string& domain) const;
  std::filesystem::path ArchiveDir(const std::string& domain) const;
  const std::filesystem::path& output_dir() const { return out_; }
  bool writes_bundles() const { return options_.bundle_group.has_value(); }

  // Fault injection for crash tests: called with "installing" (manifest says installing,
  // live/ untouched) and "live-written" (live/ renamed, manifest not yet "installed").
  void SetFaultHookForTesting(std::function<void(std::string_view step)> hook) {
    fault_hook_ = std::move(hook);
  }

 private:
  Status WriteVersion(const std::string& domain, const PemFiles& files, Manifest manifest,
                      Durability durability = Durability::kCommitted);
  Status KeepPrevious(const std::string& domain, Manifest& manifest);
  Result<bool> RepairOne(const std::filesystem::path& archive_dir);
  std::vector<FileToWrite> ToWrite(const PemFiles& files) const;
  Status EnsureLiveDir(const std::filesystem::path& dir) const;
  Result<bool> LinkFiles(const std::filesystem::path& from, const std::filesystem::path& to,
                         bool sync) const;
  bool LinkPrevious(const std::filesystem::path& live, const std::filesystem::path& previous) const;
  Result<bool> SwapNextIntoPrevious(const std::string& domain) const;
  Status PutStagedManifest(const std::filesystem::path& archive) const;
  Status ReplaceManifest(const std::filesystem::path& archive, const Manifest& manifest) const;
  Status PlaceFiles(const std::filesystem::path& from, const std::filesystem::path& to,
                    bool sync) const;

  std::filesystem::path out_;
  CertStoreOptions options_;
  std::function<void(std::string_view)> fault_hook_;
};

// The folder name of a canonical domain: "*.x" → "_wildcard.x", else the name itself.
std::string DirectoryName(const std::string& domain);

// The content of bundle.pem: fullchain then key (nginx's ssl_certificate takes the first
// certificate and the chain after it, ssl_certificate_key the first key).
std::string BundleText(const PemFiles& files);

// Reads the four PEM files of a folder (kNotFound if cert.pem is missing).
Result<PemFiles> ReadPemFiles(const std::filesystem::path& dir);

}  // namespace certfleet::agent
