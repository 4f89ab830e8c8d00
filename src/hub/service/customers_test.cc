// Customers and machines through the service: names, dates, references, deletes in use.
#include "hub/service/customers.h"

#include "hub/service/domains.h"
#include "hub/service/lookup.h"
#include "hub/service/names.h"
#include "hub/service/service_test_fixture.h"

namespace certfleet::hub::service {
namespace {

using CustomerServiceTest = ServiceTest;

TEST_F(CustomerServiceTest, CreateUpdateAndClearTheSupportDate) {
  auto c = CreateCustomer(
      *s_, actor_,
      {.name = "Müller Hosting", .contact = "ops@m.test", .support_expires = "2027-03-31"});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(DateString(*c->support_expires), "2027-03-31");
  auto renamed = UpdateCustomer(*s_, actor_, "Müller Hosting",
                                {.name = "Müller Hosting GmbH", .support_expires = ""});
  ASSERT_TRUE(renamed) << renamed.error().message;
  EXPECT_EQ(renamed->name, "Müller Hosting GmbH");
  EXPECT_FALSE(renamed->support_expires.has_value());
  EXPECT_EQ(renamed->contact, "ops@m.test") << "absent fields keep their value";
}

TEST_F(CustomerServiceTest, ABadDateShowsTheFormat) {
  auto c = CreateCustomer(*s_, actor_, {.name = "x", .support_expires = "31.12.2027"});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message,
            "Support until: use a date like 2027-03-31 (year-month-day), got \"31.12.2027\"");
}

TEST_F(CustomerServiceTest, NamesAreChecked) {
  EXPECT_EQ(CreateCustomer(*s_, actor_, {.name = ""}).error().message, "Name: enter a name");
  EXPECT_EQ(CreateCustomer(*s_, actor_, {.name = "a/b"}).error().message,
            "Name: use no '/', '\\' or control characters");
  ASSERT_NO_FATAL_FAILURE(MakeCustomer("acme"));
  auto taken = CreateCustomer(*s_, actor_, {.name = "acme"});
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, ErrorCode::kAlreadyExists);
}

TEST_F(CustomerServiceTest, ACustomerInUseIsNotDeleted) {
  ASSERT_NO_FATAL_FAILURE(MakeCustomer("acme"));
  ASSERT_TRUE(CreateMachine(*s_, actor_, {.name = "web-1", .customer = "acme"}));
  auto refused = DeleteCustomer(*s_, actor_, "acme");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  ASSERT_TRUE(DeleteMachine(*s_, actor_, "web-1"));
  EXPECT_TRUE(DeleteCustomer(*s_, actor_, "acme"));
}

TEST_F(CustomerServiceTest, AMachineHostingDomainsIsNotDeleted) {
  ASSERT_NO_FATAL_FAILURE(MakeMachine("web-1"));
  ASSERT_TRUE(CreateDomain(*s_, actor_, {.name = "a.example.com", .machines = {{"web-1"}}}));
  auto refused = DeleteMachine(*s_, actor_, "web-1");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("web-1"), std::string::npos) << refused.error().message;
}

TEST_F(CustomerServiceTest, MachineCustomerCanBeSetAndCleared) {
  ASSERT_NO_FATAL_FAILURE(MakeCustomer("acme"));
  ASSERT_NO_FATAL_FAILURE(MakeMachine("web-1"));
  auto m = UpdateMachine(*s_, actor_, "web-1", {.address = "10.0.0.1", .customer = "acme"});
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_TRUE(m->customer_id.has_value());
  m = UpdateMachine(*s_, actor_, "web-1", {.customer = ""});
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_FALSE(m->customer_id.has_value());
  EXPECT_EQ(m->address, "10.0.0.1");
  EXPECT_EQ(UpdateMachine(*s_, actor_, "web-1", {.customer = "nobody"}).error().message,
            "Customer: customer 'nobody' not found");
}

// Pickers, the customer's machines and the fleet status read every machine, not the first
// page: shown with pages of 2 rows so the test needs only a few machines.
TEST_F(CustomerServiceTest, AllMachinesAndCustomersReadEveryPage) {
  for (const auto* name : {"web-1", "web-2", "web-3", "web-4", "db-1"}) MakeMachine(name);
  MakeCustomer("acme");
  MakeCustomer("globex");
  MakeCustomer("initech");
  auto machines = AllMachines(*store_, "", 2);
  ASSERT_TRUE(machines) << machines.error().message;
  std::vector<std::string> names;
  for (const auto& m : *machines) names.push_back(m.name);
  EXPECT_EQ(names, (std::vector<std::string>{"db-1", "web-1", "web-2", "web-3", "web-4"}));
  EXPECT_EQ(AllMachines(*store_, "WEB", 3)->size(), 4u) << "the filter applies to every page";
  EXPECT_EQ(AllCustomers(*store_, "", 1)->size(), 3u);
  EXPECT_TRUE(AllCustomers(*store_, "nobody", 2)->empty());
}

}  // namespace
}  // namespace certfleet::hub::service
