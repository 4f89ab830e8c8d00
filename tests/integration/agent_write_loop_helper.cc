// Test helper for agent_crash_test: installs two versions of a domain's certificate
// alternately, forever, through CertStore (the agent's writer), so the test can SIGKILL
// it at random points of a write.
//   agent_write_loop_helper <output_dir> <domain> <version_a_dir> <version_b_dir> [<gid>]
// Each version dir holds cert.pem, chain.pem, fullchain.pem, privkey.pem and sha256. With
// <gid>, reload-free mode: bundle.pem too, readable by that group.
#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <random>
#include <string>

#include "agent/cert_store.h"
#include "common/atomic_file.h"

int main(int argc, char** argv) {
  using namespace certfleet;
  if (argc != 5 && argc != 6) {
    std::cerr << "usage: agent_write_loop_helper OUT DOMAIN DIR_A DIR_B [GID]\n";
    return 2;
  }
  agent::CertStoreOptions options;
  if (argc == 6) options.bundle_group = static_cast<gid_t>(std::stoul(argv[5]));
  agent::CertStore store(argv[1], options);
  if (auto repaired = store.Repair(); !repaired) {
    std::cerr << "repair: " << repaired.error().message << "\n";
    return 1;
  }
  agent::PemFiles files[2];
  std::string sha[2];
  for (int i = 0; i < 2; ++i) {
    auto f = agent::ReadPemFiles(argv[3 + i]);
    auto s = ReadFile(std::string(argv[3 + i]) + "/sha256");
    if (!f || !s) return 1;
    files[i] = *f;
    sha[i] = *s;
  }
  // Besides the test's random SIGKILLs, kill ourselves now and then exactly inside the
  // install's critical window (after the first install, so there is a version to keep).
  std::mt19937 rng(static_cast<unsigned>(::getpid()));
  bool armed = false;
  store.SetFaultHookForTesting([&](std::string_view) {
    if (armed && rng() % 8 == 0) ::kill(::getpid(), SIGKILL);
  });
  for (long n = 0;; ++n) {
    armed = n > 0;
    const int i = static_cast<int>(n % 2);
    // Every other pair of installs goes the deployer's way: visible first, Commit later
    // (a kill between the two leaves the manifest "installing": Repair rolls forward).
    const bool visible = (n / 2) % 2 == 1;
    const auto durability =
        visible ? agent::CertStore::Durability::kVisible : agent::CertStore::Durability::kCommitted;
    Status s = store.Install(argv[2], files[i], {sha[i], i + 1}, durability);
    if (s && visible) s = store.Commit(argv[2]);
    if (!s) {
      std::cerr << "install: " << s.error().message << "\n";
      return 1;
    }
    std::cout << n << std::endl;
  }
}
