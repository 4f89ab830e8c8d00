#include "hub/service/customers.h"

#include "hub/service/field_error.h"
#include "hub/service/lookup.h"
#include "hub/service/names.h"

namespace certfleet::hub::service {
namespace {

Status Apply(const CustomerInput& in, store::Customer& c) {
  if (in.name) c.name = *in.name;
  if (in.contact) c.contact = *in.contact;
  if (in.support_expires) {
    if (in.support_expires->empty()) {
      c.support_expires.reset();
    } else {
      auto date = ParseDate(*in.support_expires, label::kSupportUntil);
      if (!date) return Fail(date.error());
      c.support_expires = *date;
    }
  }
  if (c.contact.size() > 1000) return FieldError(label::kContact, "use at most 1000 characters");
  return CheckName(c.name, label::kName);
}

Status Apply(ServiceContext& s, const MachineInput& in, store::Machine& m) {
  if (in.name) m.name = *in.name;
  if (in.address) m.address = *in.address;
  if (m.address.size() > 253) return FieldError(label::kAddress, "use at most 253 characters");
  if (in.customer) {
    auto id = CustomerIdOf(s.store, *in.customer);
    if (!id) return Fail(id.error());
    m.customer_id = *id;
  }
  return CheckName(m.name, label::kName);
}

}  // namespace

Result<store::Customer> CreateCustomer(ServiceContext& s, const store::Actor& actor,
                                       const CustomerInput& in) {
  store::Customer c;
  if (auto st = Apply(in, c); !st) return Fail(st.error());
  return s.store.CreateCustomer(actor, c);
}

Result<store::Customer> UpdateCustomer(ServiceContext& s, const store::Actor& actor,
                                       std::string_view name, const CustomerInput& in) {
  auto c = FindCustomer(s.store, name);
  if (!c) return c;
  if (in.version) c->version = *in.version;
  if (auto st = Apply(in, *c); !st) return Fail(st.error());
  return s.store.UpdateCustomer(actor, *c);
}

Status DeleteCustomer(ServiceContext& s, const store::Actor& actor, std::string_view name) {
  auto c = FindCustomer(s.store, name);
  if (!c) return Fail(c.error());
  return s.store.DeleteCustomer(actor, c->id);
}

Result<store::Machine> CreateMachine(ServiceContext& s, const store::Actor& actor,
                                     const MachineInput& in) {
  store::Machine m;
  if (auto st = Apply(s, in, m); !st) return Fail(st.error());
  return s.store.CreateMachine(actor, m);
}

Result<store::Machine> UpdateMachine(ServiceContext& s, const store::Actor& actor,
                                     std::string_view name, const MachineInput& in) {
  auto m = FindMachine(s.store, name);
  if (!m) return m;
  if (in.version) m->version = *in.version;
  if (auto st = Apply(s, in, *m); !st) return Fail(st.error());
  return s.store.UpdateMachine(actor, *m);
}

Status DeleteMachine(ServiceContext& s, const store::Actor& actor, std::string_view name) {
  auto m = FindMachine(s.store, name);
  if (!m) return Fail(m.error());
  return s.store.DeleteMachine(actor, m->id);
}

}  // namespace certfleet::hub::service
