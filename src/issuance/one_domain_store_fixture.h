// What the store-backed issuance tests share (housekeeping_test, ari_refresh_test,
// store_challenge_solver_test): a hub database (SQLite in a temporary folder, on a FakeClock)
// holding one domain of issuer "ca".
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "common/clock.h"
#include "harness/temp_dir.h"
#include "store/sqlite/sqlite_store.h"

namespace certfleet::issuance {

class OneDomainStoreFixture : public ::testing::Test {
 protected:
  OneDomainStoreFixture(std::string_view dir_prefix, std::string domain_name)
      : dir_(dir_prefix), domain_name_(std::move(domain_name)) {}

  // Opens store_ and creates the domain (domain_id_).
  void SetUp() override {
    auto store = store::OpenSqliteStore({.path = (dir_ / "hub.db").string(), .clock = &clock_});
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    store::Domain domain;
    domain.name = domain_name_;
    domain.issuer = "ca";
    auto created = store_->CreateDomain({"test"}, domain);
    ASSERT_TRUE(created) << created.error().message;
    domain_id_ = created->id;
  }

  harness::TempDir dir_;
  const std::string domain_name_;
  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  store::Id domain_id_ = 0;
};

}  // namespace certfleet::issuance
