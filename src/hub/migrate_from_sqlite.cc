#include "hub/migrate_from_sqlite.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "hub/master_key.h"
#include "hub/sqlite_copy.h"

namespace certfleet::hub {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kScheme = "sqlite:";

// Holds <dir>/worker.id's lock while the copy runs, so the SQLite hub cannot start (or be
// running: it holds the lock while it lives, issuance/worker_identity.h).
class SourceLock {
 public:
  ~SourceLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Take(const fs::path& dir) {
    const fs::path file = dir / "worker.id";
    fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return Ok();  // no hub ever ran issuance there
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
      return Fail(ErrorCode::kConflict, "the SQLite hub of " + dir.string() + " is running (" +
                                            file.string() +
                                            " is locked): stop it first, then copy");
    }
    return Ok();
  }

 private:
  int fd_ = -1;
};

// The master key the copied keys are sealed under: the SQLite hub's. A master.key in this
// hub's data dir must be the same one.
Result<std::string> SourceFingerprint(const fs::path& source_dir, const fs::path& data_dir) {
  const fs::path source_key = source_dir / "master.key";
  if (!fs::exists(source_key)) {
    return Fail(ErrorCode::kNotFound,
                source_key.string() +
                    " not found: the copied private keys are sealed under the SQLite hub's "
                    "master key, which must be beside its hub.db");
  }
  auto source = LoadOrCreateMasterKey(source_dir);
  if (!source) return Fail(source.error());
  if (fs::exists(data_dir / "master.key") && fs::canonical(data_dir) != fs::canonical(source_dir)) {
    auto own = LoadOrCreateMasterKey(data_dir);
    if (!own) return Fail(own.error());
    if (own->Fingerprint() != source->Fingerprint()) {
      return Fail(ErrorCode::kConflict,
                  (data_dir / "master.key").string() +
                      " is not the master key of the SQLite hub (" + source_key.string() +
                      "): every hub on the copy needs the SQLite hub's key — copy it over this "
                      "one (install -m 0600 " +
                      source_key.string() + " " + (data_dir / "master.key").string() + ")");
    }
  }
  return source->Fingerprint();
}

}  // namespace

Result<std::string> MigrateFromSqlite(const HubConfig& config, std::string_view from,
                                      bool overwrite) {
  if (!from.starts_with(kScheme) || from.size() == kScheme.size()) {
    return Fail(ErrorCode::kInvalidArgument,
                "--from takes sqlite:<the SQLite hub's data dir or hub.db>, e.g. "
                "--from sqlite:/var/lib/certfleet");
  }
  if (config.store.EffectiveBackend() != "postgres") {
    return Fail(ErrorCode::kInvalidArgument,
                "--from copies into PostgreSQL: the config needs [store] backend = \"postgres\" "
                "and url = \"postgresql://…\" (the database to copy into)");
  }
  const fs::path source(from.substr(kScheme.size()));
  const fs::path db = fs::is_directory(source) ? source / "hub.db" : source;
  const fs::path source_dir = db.parent_path().empty() ? fs::path(".") : db.parent_path();
  if (!fs::is_regular_file(db))
    return Fail(ErrorCode::kNotFound, "no SQLite hub database at " + db.string());
  SourceLock lock;
  if (auto s = lock.Take(source_dir); !s) return Fail(s.error());
  auto fingerprint = SourceFingerprint(source_dir, config.data_dir);
  if (!fingerprint) return Fail(fingerprint.error());
  auto password = ResolveStorePassword(config.store);
  if (!password) return Fail(password.error());
  store::PostgresOptions options;
  options.url = config.store.url;
  options.password = std::move(*password);
  options.ca_file = config.store.ca_file;
  options.master_key_fingerprint = *fingerprint;
  auto copied = store::CopySqliteIntoPostgres(db.string(), options, {.overwrite = overwrite});
  if (!copied) return Fail(copied.error());
  std::string counts;
  for (const auto& t : *copied)
    counts += (counts.empty() ? "" : ", ") + t.table + " " + std::to_string(t.rows);
  return "copied " + db.string() + " into PostgreSQL " + store::DescribePostgresUrl(options.url) +
         (overwrite ? " (its previous data replaced)" : "") + " (rows, verified: " + counts +
         "); every hub on it needs " + (source_dir / "master.key").string();
}

}  // namespace certfleet::hub
