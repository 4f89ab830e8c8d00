#include "hub/service/service_test_fixture.h"

#include "hub/service/customers.h"
#include "store/sqlite/sqlite_store.h"

namespace certfleet::hub::service {

void ServiceTest::SetUp() {
  dir_ = std::make_unique<harness::TempDir>("hub-service");
  config_.data_dir = dir_->path();
  config_.issuers.push_back({.name = "pebble", .directory_url = "https://127.0.0.1:1/dir"});
  auto store = store::OpenSqliteStore({.path = (dir_->path() / "hub.db").string()});
  ASSERT_TRUE(store) << store.error().message;
  store_ = std::move(*store);
  envelope_.emplace(crypto::Envelope::Create(std::string(32, 'k')).value());
  s_.emplace(ServiceContext{*store_, clock_, config_, *envelope_, [this] { ++wakes_; }});
}

void ServiceTest::MakeCustomer(const std::string& name) {
  auto c = CreateCustomer(*s_, actor_, {.name = name});
  ASSERT_TRUE(c) << c.error().message;
}

void ServiceTest::MakeMachine(const std::string& name) {
  auto m = CreateMachine(*s_, actor_, {.name = name});
  ASSERT_TRUE(m) << m.error().message;
}

}  // namespace certfleet::hub::service
