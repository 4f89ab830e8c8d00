// The /metrics text from a real SQLite store: families, labels, the wanted/served serial
// pair, part-by-part writing, and Prometheus' own linter (promtool check metrics).
#include "hub/metrics/metrics_page.h"

#include <gtest/gtest.h>

#include <fstream>

#include "harness/subprocess.h"
#include "harness/temp_dir.h"
#include "store/sqlite/sqlite_store.h"

namespace certfleet::hub::metrics {
namespace {

using namespace std::chrono_literals;
using store::Id;

class MetricsPageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenSqliteStore({.path = (dir_.path() / "hub.db").string()});
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    auto view = store::OpenSqliteMetricsView((dir_.path() / "hub.db").string());
    ASSERT_TRUE(view) << view.error().message;
    view_ = std::move(*view);
    auto customer = store_->CreateCustomer(actor_, {.name = "Shop GmbH"});
    ASSERT_TRUE(customer);
    customer_ = customer->id;
  }

  Id Machine(const std::string& name) {
    auto m = store_->CreateMachine(actor_, {.name = name});
    EXPECT_TRUE(m) << m.error().message;
    return m.value_or(store::Machine{}).id;
  }

  Id Domain(const std::string& name, std::vector<Id> machines) {
    store::Domain d;
    d.name = name;
    d.issuer = "letsencrypt";
    d.key_type = "ec256";
    d.customer_id = customer_;
    d.machine_ids = std::move(machines);
    d.renew_at = now_ + 60 * 24h;
    auto created = store_->CreateDomain(actor_, d);
    EXPECT_TRUE(created) << created.error().message;
    return created.value_or(store::Domain{}).id;
  }

  Id Certificate(Id domain, const std::string& serial) {
    store::CertificateVersion c;
    c.domain_id = domain;
    c.chain_pem = "-----BEGIN CERTIFICATE-----\n...";
    c.encrypted_key = "sealed";
    c.serial = serial;
    c.sha256 = serial + "ff";
    c.not_before = now_ - 1h;
    c.not_after = now_ + 90 * 24h;
    auto stored = store_->AddCertificate(actor_, c);
    EXPECT_TRUE(stored) << stored.error().message;
    return stored.value_or(store::CertificateVersion{}).id;
  }

  void Served(Id machine, Id certificate) {
    auto r = store_->ReportDeployment(actor_, {.machine_id = machine,
                                               .certificate_id = certificate,
                                               .status = store::DeploymentStatus::kDeployed,
                                               .sha256 = "x"});
    ASSERT_TRUE(r) << r.error().message;
  }

  std::string Page(std::size_t budget = 64 * 1024) {
    auto snapshot = ReadFleetSnapshot(*view_);
    EXPECT_TRUE(snapshot) << snapshot.error().message;
    MetricsPage page(std::move(*snapshot), {.now = now_, .version = "9.9.9", .channels = {"ops"}});
    std::string text;
    std::string part;
    bool more = true;
    while (more) {
      part.clear();
      more = page.Next(part, budget);
      text += part;
    }
    return text;
  }

  static bool Has(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
  }

  harness::TempDir dir_{"metrics"};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::MetricsView> view_;
  store::Actor actor_{"test"};
  TimePoint now_ = SystemClock::Instance().Now();
  Id customer_ = 0;
};

TEST_F(MetricsPageTest, CertificateFamiliesCarryDomainCustomerAndIssuer) {
  const Id web = Machine("web-03");
  const Id domain = Domain("shop.example", {web});
  Certificate(domain, "0a0b");
  Domain("new.example", {web});  // no certificate yet
  const std::string text = Page();
  const std::string labels = R"({domain="shop.example",customer="Shop GmbH",issuer="letsencrypt"})";
  const auto seconds = [](TimePoint t) {
    return std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
  };
  EXPECT_TRUE(Has(text, "certfleet_certificate_expiration_timestamp_seconds" + labels + " " +
                            seconds(now_ + 90 * 24h)))
      << text;
  EXPECT_TRUE(Has(text, "certfleet_certificate_not_before_timestamp_seconds" + labels + " " +
                            seconds(now_ - 1h)));
  EXPECT_EQ(text.find(R"(certfleet_certificate_expiration_timestamp_seconds{domain="new.example")"),
            std::string::npos)
      << "no certificate, no expiry";
  EXPECT_TRUE(Has(
      text,
      R"(certfleet_certificate_ready_status{condition="True",domain="shop.example",customer="Shop GmbH",issuer="letsencrypt"} 1)"));
  EXPECT_TRUE(Has(
      text,
      R"(certfleet_certificate_ready_status{condition="False",domain="new.example",customer="Shop GmbH",issuer="letsencrypt"} 1)"));
  EXPECT_EQ(
      text.find(R"(certfleet_certificate_ready_status{condition="False",domain="shop.example")"),
      std::string::npos)
      << "only the condition that holds is written";
  EXPECT_EQ(text.find(R"(condition="Unknown")"), std::string::npos);
  EXPECT_TRUE(Has(text, R"(certfleet_domains{status="pending"} 2)"));
  EXPECT_TRUE(Has(text, R"(certfleet_notification_queue_depth{channel="ops"} 0)"));
  EXPECT_TRUE(Has(text, R"(certfleet_build_info{version="9.9.9"} 1)"));
}

TEST_F(MetricsPageTest, WantedAndServedSerialsShowWhatIsNotServedYet) {
  const Id a = Machine("web-a");
  const Id b = Machine("web-b");
  const Id domain = Domain("shop.example", {a, b});
  const Id first = Certificate(domain, "01");
  Served(a, first);
  std::string text = Page();
  EXPECT_TRUE(Has(
      text,
      R"(certfleet_deployment_wanted_serial_info{machine="web-a",domain="shop.example",serial="01"} 1)"))
      << text;
  EXPECT_TRUE(Has(
      text,
      R"(certfleet_deployment_wanted_serial_info{machine="web-b",domain="shop.example",serial="01"} 1)"));
  EXPECT_TRUE(Has(
      text,
      R"(certfleet_deployment_served_serial_info{machine="web-a",domain="shop.example",serial="01"} 1)"));
  EXPECT_EQ(text.find(R"(certfleet_deployment_served_serial_info{machine="web-b")"),
            std::string::npos)
      << "web-b never reported the certificate served";

  Certificate(domain, "02");  // renewed: web-a still serves 01
  text = Page();
  EXPECT_TRUE(Has(
      text,
      R"(certfleet_deployment_wanted_serial_info{machine="web-a",domain="shop.example",serial="02"} 1)"))
      << text;
  EXPECT_TRUE(Has(
      text,
      R"(certfleet_deployment_served_serial_info{machine="web-a",domain="shop.example",serial="01"} 1)"));
}

TEST_F(MetricsPageTest, LabelValuesAreEscapedOnce) {
  auto customer = store_->CreateCustomer(actor_, {.name = R"(Bau "Nord" \ Süd)"});
  ASSERT_TRUE(customer) << customer.error().message;
  store::Domain d;
  d.name = "bau.example";
  d.issuer = "letsencrypt";
  d.key_type = "ec256";
  d.customer_id = customer->id;
  d.machine_ids = {Machine("web-03")};
  auto created = store_->CreateDomain(actor_, d);
  ASSERT_TRUE(created) << created.error().message;
  Certificate(created->id, "0c");
  const std::string text = Page();
  EXPECT_TRUE(Has(
      text,
      R"(certfleet_certificate_ready_status{condition="True",domain="bau.example",customer="Bau \"Nord\" \\ Süd",issuer="letsencrypt"} 1)"))
      << text;
}

TEST_F(MetricsPageTest, OutboxFamiliesOnlyWithTheRelay) {
  Machine("web-03");  // one event, never published (no relay ran)
  EXPECT_EQ(Page().find("certfleet_outbox"), std::string::npos);
  auto snapshot = ReadFleetSnapshot(*view_);
  ASSERT_TRUE(snapshot);
  MetricsPage page(std::move(*snapshot), {.now = now_ + 90s, .outbox_relay = true});
  std::string text;
  while (page.Next(text, 1 << 20)) {
  }
  EXPECT_TRUE(Has(text, "certfleet_outbox_unpublished_events 2")) << text;  // customer + machine
  // The events were written a few ms after now_; whole seconds either side of a boundary.
  EXPECT_TRUE(Has(text, "certfleet_outbox_lag_seconds 90") ||
              Has(text, "certfleet_outbox_lag_seconds 89"))
      << text;
}

// Issue 18: on a hub without RabbitMQ nothing publishes events, and counting them was a
// quarter of a scrape at 100,000 domains for a family the page does not show.
TEST_F(MetricsPageTest, TheOutboxIsReadOnlyForAVisitorThatWantsIt) {
  Machine("web-03");
  struct Counting final : store::MetricsVisitor {
    bool wants = true;
    int outbox_calls = 0;
    std::int64_t unpublished = -1;
    std::optional<TimePoint> oldest;
    void Machine(Id, std::string_view, std::optional<TimePoint>) override {}
    void Domain(const store::DomainMetricsRow&) override {}
    void Hosting(Id, Id) override {}
    void Served(Id, Id, Id, TimePoint) override {}
    void OrderCount(std::string_view, std::int64_t) override {}
    void NotificationQueue(std::string_view, std::int64_t) override {}
    void Outbox(std::int64_t n, std::optional<TimePoint> at) override {
      ++outbox_calls;
      unpublished = n;
      oldest = at;
    }
    bool WantsOutbox() const override { return wants; }
  };
  Counting without;
  without.wants = false;
  ASSERT_TRUE(view_->Visit(without));
  EXPECT_EQ(without.outbox_calls, 0) << "the outbox was read for a page that does not show it";
  Counting with;
  ASSERT_TRUE(view_->Visit(with));
  EXPECT_EQ(with.outbox_calls, 1);
  EXPECT_EQ(with.unpublished, 2) << "customer + machine";
  ASSERT_TRUE(with.oldest.has_value());
  EXPECT_LE(std::chrono::abs(*with.oldest - now_), std::chrono::seconds(5)) << "the queue's head";
}

TEST_F(MetricsPageTest, SmallPartsAddUpToTheSameText) {
  const Id web = Machine("web-03");
  for (int i = 0; i < 50; ++i) {
    const Id d = Domain("d" + std::to_string(i) + ".example", {web});
    Certificate(d, "0" + std::to_string(i));
  }
  EXPECT_EQ(Page(100), Page());
}

TEST_F(MetricsPageTest, PromtoolAcceptsThePage) {
  const Id web = Machine("web-03");
  const Id domain = Domain("shop.example", {web});
  Served(web, Certificate(domain, "0a0b"));
  const auto file = dir_.path() / "metrics.txt";
  std::ofstream(file) << Page();
  auto checked =
      harness::RunCommand({"/bin/sh", "-c", "promtool check metrics < " + file.string()});
  ASSERT_TRUE(checked) << checked.error().message;
  EXPECT_EQ(checked->exit_code, 0) << checked->output;
}

}  // namespace
}  // namespace certfleet::hub::metrics
