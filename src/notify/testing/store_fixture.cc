#include "notify/testing/store_fixture.h"

#include <stdexcept>

#include "store/sqlite/sqlite_store.h"

namespace certfleet::notify::testing {
namespace {

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().message);
  return std::move(*r);
}

}  // namespace

StoreFixture::StoreFixture() {
  store_ = Must(store::OpenSqliteStore({.path = (dir_ / "hub.db").string(), .clock = &clock_}),
                "opening the test store");
}

store::Id StoreFixture::AddCustomer(const std::string& name) {
  return Must(store_->CreateCustomer(actor, {.name = name}), "creating a customer").id;
}

store::Id StoreFixture::AddMachine(const std::string& name, std::optional<store::Id> customer) {
  return Must(
             store_->CreateMachine(
                 actor, {.name = name, .address = name + ".hosting.test", .customer_id = customer}),
             "creating a machine")
      .id;
}

store::Id StoreFixture::AddDomain(const std::string& name, std::optional<store::Id> customer,
                                  std::vector<store::Id> machines, const std::string& issuer) {
  store::Domain d{.name = name,
                  .customer_id = customer,
                  .machine_ids = std::move(machines),
                  .issuer = issuer,
                  .key_type = "ec-p256"};
  return Must(store_->CreateDomain(actor, d), "creating a domain").id;
}

store::Id StoreFixture::AddCertificate(store::Id domain, TimePoint not_after,
                                       const std::string& serial) {
  ++certificates_;
  store::CertificateVersion c{.domain_id = domain,
                              .chain_pem = "-----BEGIN CERTIFICATE-----\nTEST\n",
                              .encrypted_key = "sealed-test-key",
                              .serial = serial,
                              .not_before = clock_.Now(),
                              .not_after = not_after,
                              .sha256 = "sha-" + std::to_string(certificates_),
                              .source = store::CertificateSource::kManual};
  return Must(store_->AddCertificate(actor, c), "storing a certificate").id;
}

}  // namespace certfleet::notify::testing
