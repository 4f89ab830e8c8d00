// StoreFixture: a real SQLite store in a temp dir with a FakeClock, plus helpers that
// create customers, machines, domains and certificates for notify tests.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "harness/temp_dir.h"
#include "store/store.h"

namespace certfleet::notify::testing {

class StoreFixture {
 public:
  StoreFixture();  // aborts the test (throws) if the store cannot be opened

  store::Store& store() { return *store_; }
  FakeClock& clock() { return clock_; }

  store::Id AddCustomer(const std::string& name);
  store::Id AddMachine(const std::string& name, std::optional<store::Id> customer = std::nullopt);
  // A domain with the given issuer ("manual" or an ACME issuer name) on `machines`.
  store::Id AddDomain(const std::string& name, std::optional<store::Id> customer,
                      std::vector<store::Id> machines, const std::string& issuer = "manual");
  // Stores a certificate valid until `not_after` as the domain's current one.
  store::Id AddCertificate(store::Id domain, TimePoint not_after, const std::string& serial);

  const store::Actor actor{"test"};

 private:
  FakeClock clock_;
  harness::TempDir dir_{"notify"};
  std::unique_ptr<store::Store> store_;
  int certificates_ = 0;
};

}  // namespace certfleet::notify::testing
