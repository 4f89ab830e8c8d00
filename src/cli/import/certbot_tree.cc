#include "cli/import/certbot_tree.h"

#include <algorithm>
#include <map>
#include <set>

#include "cli/import/renewal_conf.h"
#include "common/local_file.h"

namespace certfleet::cli::import {
namespace {

namespace fs = std::filesystem;
constexpr std::size_t kMaxPemBytes = 1u << 20;

struct Found {
  std::string label;
  std::string origin;
  std::string chain_path;
  std::string key_path;
  std::string acme_server;
};

// Entries of `dir` (sorted), or none when it cannot be listed.
std::vector<fs::directory_entry> Entries(const fs::path& dir) {
  std::vector<fs::directory_entry> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    out.push_back(*it);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void Add(const Found& f, ImportSet& out) {
  auto chain = ReadLocalFile(f.chain_path, kMaxPemBytes);
  auto key = chain ? ReadLocalFile(f.key_path, kMaxPemBytes) : Result<std::string>();
  if (!chain || !key) {
    out.problems.push_back({f.label, f.origin, (!chain ? chain : key).error().message});
    return;
  }
  auto candidate = MakeCandidate(f.label, f.origin, *chain, std::move(*key), f.label);
  if (!candidate) {
    out.problems.push_back({f.label, f.origin, candidate.error().message});
    return;
  }
  candidate->acme_server = f.acme_server;
  out.candidates.push_back(std::move(*candidate));
}

// renewal/<label>.conf → where its files are; a problem when the conf is unusable.
Result<Found> FromRenewalConf(const fs::path& conf, const std::string& label) {
  auto text = ReadLocalFile(conf.string(), kMaxPemBytes);
  if (!text) return Fail(text.error());
  auto parsed = ParseRenewalConf(*text, "renewal/" + conf.filename().string());
  if (!parsed) return Fail(parsed.error());
  Found f{label, conf.string(), parsed->Get("fullchain"), parsed->Get("privkey"),
          parsed->Param("server")};
  if (f.chain_path.empty() || f.key_path.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "renewal/" + conf.filename().string() + " names no " +
                                                 (f.chain_path.empty() ? "fullchain" : "privkey") +
                                                 " file");
  }
  return f;
}

void Sort(ImportSet& set) {
  std::sort(set.candidates.begin(), set.candidates.end(),
            [](const auto& a, const auto& b) { return a.label < b.label; });
  std::sort(set.problems.begin(), set.problems.end(),
            [](const auto& a, const auto& b) { return a.label < b.label; });
}

}  // namespace

Result<ImportSet> ReadCertbotTree(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir / "renewal", ec) && !fs::is_directory(dir / "live", ec)) {
    return Fail(ErrorCode::kInvalidArgument,
                dir.string() + " is not a certbot configuration directory (no renewal/ or live/)");
  }
  ImportSet out;
  std::set<std::string> seen;
  for (const auto& entry : Entries(dir / "renewal")) {
    if (entry.path().extension() != ".conf") continue;
    const std::string label = entry.path().stem().string();
    seen.insert(label);
    auto found = FromRenewalConf(entry.path(), label);
    if (!found) {
      out.problems.push_back({label, entry.path().string(), found.error().message});
      continue;
    }
    Add(*found, out);
  }
  for (const auto& entry : Entries(dir / "live")) {
    const std::string label = entry.path().filename().string();
    if (!entry.is_directory(ec) || seen.count(label) != 0) continue;
    Add({label, entry.path().string(), (entry.path() / "fullchain.pem").string(),
         (entry.path() / "privkey.pem").string(), ""},
        out);
  }
  Sort(out);
  return out;
}

Result<ImportSet> ReadPemDirectory(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Fail(ErrorCode::kInvalidArgument, dir.string() + " is not a directory");
  }
  std::map<std::string, std::pair<std::string, std::string>> pairs;  // stem → (.crt, .key)
  for (const auto& entry : Entries(dir)) {
    const std::string ext = entry.path().extension().string();
    if (ext == ".crt") pairs[entry.path().stem().string()].first = entry.path().string();
    if (ext == ".key") pairs[entry.path().stem().string()].second = entry.path().string();
  }
  ImportSet out;
  for (const auto& [stem, files] : pairs) {
    if (files.first.empty() || files.second.empty()) {
      const std::string& there = files.first.empty() ? files.second : files.first;
      out.problems.push_back({stem, there,
                              there + " has no " +
                                  (files.first.empty() ? stem + ".crt" : stem + ".key") +
                                  " beside it"});
      continue;
    }
    Add({stem, files.first, files.first, files.second, ""}, out);
  }
  Sort(out);
  return out;
}

}  // namespace certfleet::cli::import
