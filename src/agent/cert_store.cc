#include "agent/cert_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "agent/store_folders.h"
#include "common/atomic_file.h"
#include "common/domain_name.h"
#include "crypto/x509.h"

namespace certfleet::agent {
namespace {

namespace fs = std::filesystem;

constexpr mode_t kKeyMode = 0600;
constexpr mode_t kCertMode = 0644;
constexpr size_t kMaxPemBytes = 1u << 20;
constexpr const char* kManifest = "manifest.json";
// The next manifest is written here, then put in place (".tmp-": Repair deletes it).
constexpr const char* kStagedManifest = "manifest.json.tmp-staged";

constexpr mode_t kBundleMode = 0640;
constexpr const char* kBundle = "bundle.pem";

Result<std::string> ReadPem(const fs::path& file) { return ReadFile(file, kMaxPemBytes); }

// True when live/<domain>/cert.pem holds the leaf with fingerprint `sha256`. The live
// files were checked before they were installed, so their hash is enough: no X.509 parse
// per domain and pass (hosts carry hundreds of domains).
bool LiveLeafIs(const fs::path& live_dir, const std::string& sha256) {
  auto cert = ReadPem(live_dir / "cert.pem");
  if (!cert) return false;
  auto served = crypto::PemCertificateFingerprint(*cert);
  return served && *served == sha256;
}

}  // namespace

std::string BundleText(const PemFiles& files) {
  std::string text = files.fullchain;
  if (!text.empty() && text.back() != '\n') text += '\n';
  return text + files.privkey;
}

std::string DirectoryName(const std::string& domain) {
  if (domain.rfind("*.", 0) == 0) return "_wildcard" + domain.substr(1);
  return domain;
}

Result<PemFiles> ReadPemFiles(const fs::path& dir) {
  PemFiles f;
  auto cert = ReadPem(dir / "cert.pem");
  if (!cert) return Fail(cert.error());
  auto chain = ReadPem(dir / "chain.pem");
  auto full = ReadPem(dir / "fullchain.pem");
  auto key = ReadPem(dir / "privkey.pem");
  if (!chain || !full || !key) {
    return Fail(ErrorCode::kCorrupt, "incomplete certificate files in " + dir.string());
  }
  return PemFiles{std::move(*cert), std::move(*chain), std::move(*full), std::move(*key)};
}

CertStore::CertStore(fs::path output_dir, CertStoreOptions options)
    : out_(std::move(output_dir)), options_(options) {}

std::vector<FileToWrite> CertStore::ToWrite(const PemFiles& f) const {
  std::vector<FileToWrite> files{{"cert.pem", f.cert, kCertMode},
                                 {"chain.pem", f.chain, kCertMode},
                                 {"fullchain.pem", f.fullchain, kCertMode},
                                 {"privkey.pem", f.privkey, kKeyMode}};
  if (options_.bundle_group)
    files.push_back({kBundle, BundleText(f), kBundleMode, *options_.bundle_group});
  return files;
}

// live/<dir>/: private (0700), or in reload-free mode reachable by nginx's group (0750).
Status CertStore::EnsureLiveDir(const fs::path& dir) const {
  if (!options_.bundle_group) return EnsurePrivateChild(dir);
  return EnsureSharedDir(dir, *options_.bundle_group);
}
// Gives `to` the PEM files of `from` (four, or five with bundle.pem) as hard links: each linked under a temporary
// name, renamed over the old one, then (with `sync`) one fsync of `to`. The contents were
// made durable when `from` was written, so only the new directory entries need syncing —
// one fsync instead of five per folder, or none when the caller syncs the file system
// afterwards anyway. A file that live/ shares is never modified in place (next/'s files are
// written over only when they have one link: RewriteStagingFile), so sharing an inode
// between live/, next/ and previous/ is safe. False when linking is impossible (e.g. another
// file system): the caller then writes copies.
Result<bool> CertStore::LinkFiles(const fs::path& from, const fs::path& to, bool sync) const {
  for (const auto& file : ToWrite(PemFiles{})) {
    const fs::path temp = to / (file.name + ".tmp-link");  // ".tmp-": Repair deletes leftovers
    bool linked = ::link((from / file.name).c_str(), temp.c_str()) == 0;
    if (!linked && errno == EEXIST) {  // a leftover of a killed install
      ::unlink(temp.c_str());
      linked = ::link((from / file.name).c_str(), temp.c_str()) == 0;
    }
    if (!linked) return false;
    const bool renamed = ::rename(temp.c_str(), (to / file.name).c_str()) == 0;
    ::unlink(temp.c_str());  // still there if both names already were the same file
    if (!renamed) return Fail(ErrorCode::kIo, "cannot rename a link into place in " + to.string());
  }
  if (!sync) return true;
  if (auto s = SyncDirectory(to); !s) return Fail(s.error());
  return true;
}

// previous/ gets live/'s files as plain hard links: each old name unlinked, the new link
// made under the real name. No temporary name and rename as for live/: nobody reads
// previous/ while it changes, a crash halfway leaves it mixed either way (Rollback checks
// it in full against the manifest first), and the renames cost CPU on every install.
// False when linking is impossible (e.g. another file system).
bool CertStore::LinkPrevious(const fs::path& live, const fs::path& previous) const {
  for (const auto& file : ToWrite(PemFiles{})) {
    const fs::path target = previous / file.name;
    ::unlink(target.c_str());
    if (::link((live / file.name).c_str(), target.c_str()) != 0) return false;
  }
  return true;
}

// When next/ holds exactly the files live/ serves (the same inodes: live/ was linked from
// it), previous/ gets them by swapping the two folders in one step, and next/ then holds the
// version before, whose files no other name shares: WriteVersion writes over them. Replaces
// five unlinks and five links, and the inodes the old previous/ would have freed. False
// when they differ (e.g. after a Repair, which copies) or the file system cannot swap: the
// caller links instead.
Result<bool> CertStore::SwapNextIntoPrevious(const std::string& domain) const {
  const fs::path archive = ArchiveDir(domain);
  for (const auto& file : ToWrite(PemFiles{})) {
    struct stat in_next {
    }, in_live{};
    if (::stat((archive / "next" / file.name).c_str(), &in_next) != 0 ||
        ::stat((LiveDir(domain) / file.name).c_str(), &in_live) != 0 ||
        in_next.st_ino != in_live.st_ino || in_next.st_dev != in_live.st_dev) {
      return false;
    }
  }
  return ExchangeNames(archive / "next", archive / "previous");
}

// The files of `from` into `to`: linked when possible, else copied (synced; bundle.pem is
// made from the four others, so a version kept before reload-free mode was on gains one).
Status CertStore::PlaceFiles(const fs::path& from, const fs::path& to, bool sync) const {
  auto linked = LinkFiles(from, to, sync);
  if (!linked) return Fail(linked.error());
  if (*linked) return Ok();
  auto files = ReadPemFiles(from);  // only read when linking is impossible
  if (!files) return Fail(files.error());
  return WriteFilesAtomically(to, ToWrite(*files));
}

fs::path CertStore::LiveDir(const std::string& domain) const {
  return out_ / "live" / DirectoryName(domain);
}

fs::path CertStore::ArchiveDir(const std::string& domain) const {
  return out_ / "archive" / DirectoryName(domain);
}

Result<PemFiles> CertStore::ReadLive(const std::string& domain) const {
  return ReadPemFiles(LiveDir(domain));
}

Status CertStore::WriteVersion(const std::string& domain, const PemFiles& files, Manifest m,
                               Durability durability) {
  const fs::path archive = ArchiveDir(domain);
  // next/ (and previous/, swapped in by KeepPrevious) need no fsync per file: no reader
  // trusts them until the manifest below says "installing", and one syncfs makes them
  // all durable before it is written (docs/design/2026-11-29-agent-fewer-fsyncs.md). For the
  // same reason the files are written over the ones next/ holds when no other name shares
  // them (KeepPrevious made sure: the oldest version's files), instead of new files renamed
  // into place: an install then allocates and frees no inode
  // (docs/design/2026-12-07-agent-reuses-staging-inodes.md).
  for (const FileToWrite& file : ToWrite(files)) {
    if (auto s =
            RewriteStagingFile(archive / "next" / file.name, file.content, file.mode, file.group);
        !s) {
      return s;
    }
  }
  // The "installing" manifest is staged under a temporary name (".tmp-": Repair deletes a
  // leftover) so the same syncfs makes its content durable; putting it in place afterwards
  // keeps the order next/ → manifest, and costs one folder fsync instead of two.
  m.state = Manifest::State::kInstalling;
  if (auto s = RewriteStagingFile(archive / kStagedManifest, ManifestText(m), kKeyMode); !s)
    return s;
  if (auto s = SyncFileSystem(archive); !s) return s;
  if (auto s = PutStagedManifest(archive); !s) return s;
  if (fault_hook_) fault_hook_("installing");
  // live/ must be durable before the manifest says "installed" (its leaf alone is checked).
  const bool commit_now = durability == Durability::kCommitted;
  if (auto s = PlaceFiles(archive / "next", LiveDir(domain), /*sync=*/commit_now); !s) return s;
  if (fault_hook_) fault_hook_("live-written");
  if (!commit_now) return Ok();
  m.state = Manifest::State::kInstalled;
  return ReplaceManifest(archive, m);
}

// The staged manifest becomes manifest.json, durably. Exchanged rather than renamed over
// it where the file system can: the old manifest's inode becomes the next staging file
// instead of being freed (a leftover of it under the staging name is never read).
Status CertStore::PutStagedManifest(const fs::path& archive) const {
  const fs::path staged = archive / kStagedManifest;
  const fs::path manifest = archive / kManifest;
  auto exchanged = ExchangeNames(staged, manifest);
  if (!exchanged) return Fail(exchanged.error());
  if (!*exchanged && ::rename(staged.c_str(), manifest.c_str()) != 0) {
    return Fail(ErrorCode::kIo, "cannot put the staged manifest into place in " + archive.string() +
                                    ": " + std::strerror(errno));
  }
  return SyncDirectory(archive);
}

// WriteManifest without a new inode: the staging file synced, then put in place.
Status CertStore::ReplaceManifest(const fs::path& archive, const Manifest& m) const {
  if (auto s = RewriteStagingFile(archive / kStagedManifest, ManifestText(m), kKeyMode, kKeepGroup,
                                  FileSync::kEach);
      !s) {
    return s;
  }
  return PutStagedManifest(archive);
}

Status CertStore::Commit(const std::string& domain) {
  const fs::path manifest_file = ArchiveDir(domain) / kManifest;
  auto m = ReadManifest(manifest_file);
  if (!m) return Fail(m.error().WithContext(domain + ": committing the install"));
  if (m->state == Manifest::State::kInstalled) return Ok();
  if (!LiveLeafIs(LiveDir(domain), m->current.sha256)) {
    return Fail(ErrorCode::kCorrupt, domain + ": cannot commit the install, " +
                                         LiveDir(domain).string() + " does not hold certificate " +
                                         m->current.sha256);
  }
  if (auto s = SyncDirectory(LiveDir(domain)); !s)
    return Fail(s.error().WithContext(domain + ": committing"));
  m->state = Manifest::State::kInstalled;
  return ReplaceManifest(ArchiveDir(domain), *m);
}

// Links the installed version into previous/ when live/ still holds it, and records it.
// Only the leaf's hash is compared: the live files were fully checked (key, chain) before
// they were installed and are never modified in place, and Rollback checks previous/ in
// full before it uses it. Parsing the key and chain here cost every install three OpenSSL
// decodes (issue 4: ~1 ms per pass with 200 agents on two cores).
Status CertStore::KeepPrevious(const std::string& domain, Manifest& m) {
  const fs::path archive = ArchiveDir(domain);
  auto old = ReadManifest(archive / kManifest);
  if (!old) return old.error().code == ErrorCode::kNotFound ? Ok() : Status(Fail(old.error()));
  m.previous = old->previous;  // unless the current version is better (below)
  if (old->state != Manifest::State::kInstalled) return Ok();
  if (!LiveLeafIs(LiveDir(domain), old->current.sha256)) return Ok();
  if (!(old->previous && old->previous->sha256 == old->current.sha256)) {
    // Synced with next/ by WriteVersion's syncfs, before the manifest records it.
    auto swapped = SwapNextIntoPrevious(domain);
    if (!swapped) return Fail(swapped.error());
    if (!*swapped && !LinkPrevious(LiveDir(domain), archive / "previous")) {
      if (auto s = PlaceFiles(LiveDir(domain), archive / "previous", /*sync=*/false); !s) return s;
    }
  }
  m.previous = old->current;
  return Ok();
}

Status CertStore::Install(const std::string& domain, const PemFiles& files,
                          const InstalledCertificate& meta, Durability durability) {
  if (!IsCanonicalDomainName(domain, {.allow_wildcard = true})) {
    return Fail(ErrorCode::kInvalidArgument,
                "refusing to write files for domain name \"" + domain + "\"");
  }
  const fs::path archive = ArchiveDir(domain);
  for (const fs::path& dir : {archive, archive / "next", archive / "previous"}) {
    if (auto s = EnsurePrivateChild(dir); !s) return s;
  }
  if (auto s = EnsureLiveDir(LiveDir(domain)); !s) return s;
  Manifest m{domain, Manifest::State::kInstalling, meta, std::nullopt};
  if (auto s = KeepPrevious(domain, m); !s) {
    return Fail(s.error().WithContext(domain + ": keeping the previous version"));
  }
  if (auto s = WriteVersion(domain, files, m, durability); !s) {
    return Fail(s.error().WithContext(domain + ": installing"));
  }
  return Ok();
}

Status CertStore::Rollback(const std::string& domain) {
  auto m = ReadManifest(ArchiveDir(domain) / kManifest);
  if (!m) return Fail(m.error().WithContext(domain + ": rolling back"));
  if (!m->previous) return Remove(domain);
  auto files = ReadPemFiles(ArchiveDir(domain) / "previous");
  Status consistent =
      files ? CheckPemFiles(*files, m->previous->sha256) : Status(Fail(files.error()));
  if (!consistent) {
    return Fail(ErrorCode::kCorrupt,
                domain + ": cannot roll back, the previous version is not usable: " +
                    consistent.error().message);
  }
  Manifest back{domain, Manifest::State::kInstalling, *m->previous, m->previous};
  return WriteVersion(domain, *files, back);
}

Status CertStore::Remove(const std::string& domain) {
  if (!IsCanonicalDomainName(domain, {.allow_wildcard = true})) {
    return Fail(ErrorCode::kInvalidArgument,
                "refusing to remove files for domain name \"" + domain + "\"");
  }
  // live/ first: a crash in between leaves a manifest whose files are gone, which the
  // next pass sees (sha256 "") and removes again; the reverse would orphan live files.
  if (auto s = RemoveTree(LiveDir(domain)); !s) return s;
  return RemoveTree(ArchiveDir(domain));
}

Result<bool> CertStore::RepairOne(const fs::path& archive) {
  auto m = ReadManifest(archive / kManifest);
  if (!m) return m.error().code == ErrorCode::kNotFound ? Result<bool>(false) : Fail(m.error());
  if (!IsCanonicalDomainName(m->domain, {.allow_wildcard = true}) ||
      DirectoryName(m->domain) != archive.filename().string()) {
    return Fail(ErrorCode::kCorrupt,
                "manifest " + (archive / kManifest).string() + " names another domain");
  }
  for (const fs::path& dir :
       {archive, archive / "next", archive / "previous", LiveDir(m->domain)}) {
    RemoveTempFiles(dir);
  }
  if (m->state == Manifest::State::kInstalled) return false;
  auto next = ReadPemFiles(archive / "next");
  if (!next)
    return Fail(next.error().WithContext(m->domain + ": repairing an interrupted install"));
  if (auto s = CheckPemFiles(*next, m->current.sha256); !s) {
    return Fail(s.error().WithContext(m->domain + ": staged files"));
  }
  if (auto s = EnsureLiveDir(LiveDir(m->domain)); !s) return Fail(s.error());
  if (auto s = WriteFilesAtomically(LiveDir(m->domain), ToWrite(*next)); !s) return Fail(s.error());
  m->state = Manifest::State::kInstalled;
  if (auto s = WriteManifest(archive / kManifest, *m); !s) return Fail(s.error());
  return true;
}

Result<std::vector<std::string>> CertStore::Repair() {
  for (const char* top : {"live", "archive"}) {
    // In reload-free mode nginx's workers walk through live/ at every handshake: never
    // make it private, not even for a moment (EnsurePrivateDir would chmod it 0700 first).
    const bool shared = options_.bundle_group && std::string_view(top) == "live";
    if (auto s = shared ? EnsureSharedDir(out_ / top, *options_.bundle_group)
                        : EnsurePrivateDir(out_ / top);
        !s) {
      return Fail(s.error());
    }
    RemoveTrash(out_ / top);
  }
  std::vector<std::string> repaired;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out_ / "archive", ec)) {
    if (!entry.is_directory()) continue;
    auto fixed = RepairOne(entry.path());
    if (!fixed) return Fail(fixed.error());
    if (*fixed) repaired.push_back(entry.path().filename().string());
  }
  if (ec)
    return Fail(ErrorCode::kIo, "cannot list " + (out_ / "archive").string() + ": " + ec.message());
  return repaired;
}

Result<Inventory> CertStore::ReadInventory() const {
  Inventory inventory;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out_ / "archive", ec)) {
    auto m = ReadManifest(entry.path() / kManifest);
    if (!m) continue;  // staging without a manifest: nothing installed
    InstalledCertificate found{"", m->current.certificate_id};
    if (m->state == Manifest::State::kInstalled &&
        LiveLeafIs(LiveDir(m->domain), m->current.sha256)) {
      found.sha256 = m->current.sha256;
    }
    inventory[m->domain] = found;
  }
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return Fail(ErrorCode::kIo, "cannot list " + (out_ / "archive").string() + ": " + ec.message());
  }
  return inventory;
}

}  // namespace certfleet::agent
