// `certfleet-hub migrate --from sqlite:<dir> --to postgresql://…` end to end (issue 14), real
// processes only: a SQLite hub issues three certificates from Pebble and its agent deploys
// them; the hub is stopped and copied into PostgreSQL; a second run is refused because the
// database now holds data; two hubs on PostgreSQL then serve it. The agent, pointed at one
// of them, keeps its certificates: no file is rewritten (same inode, same mtime), the keys
// still open on the new hubs (the agent API hands out the very key on disk), and a domain
// saved on the other hub is issued with the copied ACME account and deployed.
#include <sys/stat.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/http_client.h"
#include "harness/net.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"
#include "multi_hub_fixture.h"

namespace certfleet::multihub {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct FileStamp {
  ino_t inode = 0;
  std::int64_t mtime_ns = 0;
  std::string content;
  bool operator==(const FileStamp&) const = default;
};

FileStamp Stamp(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return {};
  return {st.st_ino, std::int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec,
          harness::ReadFileOrEmpty(file)};
}

// Every file the agent wrote for `names` under `out`.
std::map<fs::path, FileStamp> Stamps(const fs::path& out, const std::vector<std::string>& names) {
  std::map<fs::path, FileStamp> stamps;
  for (const auto& name : names) {
    for (const char* file : {"cert.pem", "chain.pem", "fullchain.pem", "privkey.pem"})
      stamps[out / "live" / name / file] = Stamp(out / "live" / name / file);
  }
  return stamps;
}

bool Deployed(const fs::path& out, const std::vector<std::string>& names) {
  for (const auto& name : names) {
    if (harness::ReadFileOrEmpty(out / "live" / name / "privkey.pem").empty()) return false;
  }
  return true;
}

TEST_F(MultiHubTest, ASqliteHubMigratedToPostgresIsServedByTwoHubsAndItsAgentKeepsItsFiles) {
  sqlite_store_ = true;
  ASSERT_NO_FATAL_FAILURE(StartHub(0));
  const std::string token = AddMachine("web-1");
  const auto names = DomainNames(0, 3);
  for (const auto& name : names) SaveDomain(0, name, "web-1");
  ASSERT_TRUE(WaitAllValid(0, names));
  const fs::path out = StartAgent("web-1", token, 0);
  ASSERT_TRUE(harness::WaitFor([&] { return Deployed(out, names); }, 60s, 100ms))
      << "the agent did not deploy from the SQLite hub";
  agents_.back()->Stop();
  const auto before = Stamps(out, names);
  for (const auto& [file, stamp] : before) ASSERT_NE(stamp.inode, 0u) << file << " was not written";
  ASSERT_NO_FATAL_FAILURE(StopHub(0));

  // --data-dir: this host's data dir, whose master.key must be the SQLite hub's (it is).
  const std::vector<std::string> migrate = {CERTFLEET_HUB_BIN,
                                            "migrate",
                                            "--from",
                                            "sqlite:" + (dir_ / "hub0").string(),
                                            "--to",
                                            pg_->Url("certfleet"),
                                            "--data-dir",
                                            (dir_ / "hub0").string()};
  const std::map<std::string, std::string> password = {
      {"CERTFLEET_HUB_STORE_PASSWORD_FILE", (dir_ / "db.password").string()}};
  auto copied = harness::RunCommand(migrate, 60s, password);
  ASSERT_TRUE(copied) << copied.error().message;
  ASSERT_EQ(copied->exit_code, 0) << copied->output;
  EXPECT_NE(copied->output.find("domains 3"), std::string::npos) << copied->output;
  auto again = harness::RunCommand(migrate, 60s, password);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->exit_code, 2) << "a second copy must not write into a filled database";
  EXPECT_NE(again->output.find("already holds data"), std::string::npos) << again->output;
  EXPECT_NE(again->output.find("--overwrite"), std::string::npos) << again->output;

  sqlite_store_ = false;
  ASSERT_NO_FATAL_FAILURE(StartHub(0));
  ASSERT_NO_FATAL_FAILURE(StartHub(1));
  StartAgent("web-1", token, 1);
  const auto later = DomainNames(3, 1);
  SaveDomain(0, later[0], "web-1");
  ASSERT_TRUE(WaitAllValid(1, later));
  ASSERT_TRUE(harness::WaitFor([&] { return Deployed(out, later); }, 60s, 100ms))
      << "the agent on hub 1 did not deploy a domain saved on hub 0 after the migration";
  EXPECT_EQ(Stamps(out, names), before) << "files of the migrated certificates were rewritten";

  // The keys still open: hub 1 hands the agent the very key it has on disk.
  harness::HttpRequest as_agent{.headers = {"Authorization: Bearer " + token}};
  auto desired = harness::HttpFetch(BaseUrl(1) + "/api/v1/agent/desired", as_agent);
  ASSERT_EQ(desired.status, 200) << desired.body;
  auto certificates = nlohmann::json::parse(desired.body)["certificates"];
  ASSERT_EQ(certificates.size(), names.size() + later.size()) << desired.body;
  for (const auto& entry : certificates) {
    const std::string domain = entry.value("domain", "");
    auto cert = harness::HttpFetch(
        BaseUrl(1) + "/api/v1/agent/certificates/" + entry["certificate_id"].dump(), as_agent);
    ASSERT_EQ(cert.status, 200) << domain << ": " << cert.body;
    EXPECT_EQ(nlohmann::json::parse(cert.body).value("key_pem", ""),
              harness::ReadFileOrEmpty(out / "live" / domain / "privkey.pem"))
        << domain << ": the key the hub on PostgreSQL opens is not the deployed one";
  }
  auto all = names;
  all.push_back(later[0]);
  ExpectIssuedExactlyOnce(all);  // nothing was ordered again after the move
}

}  // namespace
}  // namespace certfleet::multihub
