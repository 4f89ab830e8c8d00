#include "hub/app.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <atomic>
#include <memory>
#include <mutex>

#include "bus/outbox_relay.h"
#include "bus/rabbitmq/rabbitmq_publisher.h"
#include "http/server.h"
#include "hub/api/body_admission.h"
#include "hub/api/context.h"
#include "hub/api/event_waiters.h"
#include "hub/api/notify_routes.h"
#include "hub/api/routes.h"
#include "hub/auth.h"
#include "hub/delegated_zone.h"
#include "hub/master_key.h"
#include "hub/metrics/metrics_route.h"
#include "hub/tls_file_watch.h"
#include "hub/ui/routes.h"
#include "issuance/capacity.h"
#include "issuance/capacity_log.h"
#include "issuance/dns01_runtime.h"
#include "issuance/worker.h"
#include "notify/scans.h"
#include "notify/service.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace certfleet::hub {

// Members in construction order; destroyed in reverse, after Stop.
struct App::Parts {
  HubConfig config;
  Clock* clock = nullptr;
  std::unique_ptr<store::Store> store;
  std::optional<store::PostgresOptions> postgres;  // with [store] backend = "postgres"
  std::optional<crypto::Envelope> envelope;
  std::unique_ptr<Authenticator> auth;
  std::unique_ptr<api::EventWaiters> waiters;
  std::unique_ptr<store::LeaderLock> leader;      // PostgreSQL: which hub relays and notifies
  std::unique_ptr<bus::OutboxRelay> relay;        // only with [rabbitmq]
  std::unique_ptr<notify::Service> notify;        // only with [[notify.channel]]
  std::unique_ptr<DelegatedZone> delegated_zone;  // only with [dns01.delegation]
  std::unique_ptr<issuance::Dns01Runtime> dns01;  // only with [dns01]
  std::unique_ptr<issuance::Worker> worker;
  // The worker once it runs, for the notifier's capacity scan (its pacing slots in use):
  // set after the notifier's threads started, read by them.
  std::atomic<issuance::Worker*> started_worker{nullptr};
  std::unique_ptr<api::ApiContext> ctx;
  std::unique_ptr<store::MetricsView> metrics_view;  // GET /metrics' own read connection
  std::unique_ptr<http::Server> server;
  std::unique_ptr<TlsFileWatch> tls_watch;         // with [tls]
  std::unique_ptr<http::Server> challenge_server;  // only with challenge_listen
  bool created_admin_token = false;
  std::once_flag stopped;
};

namespace {

Status PrepareDataDir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Fail(ErrorCode::kIo, "creating data dir " + dir.string() + ": " + ec.message());
  // It holds the master key and the database. A folder this process does not own (and so
  // cannot chmod) is fine when nobody else can enter it (review 2026-12-06, F12).
  if (::chmod(dir.c_str(), 0700) != 0) {
    struct stat info {};
    if (::stat(dir.c_str(), &info) != 0 || (info.st_mode & 077) != 0) {
      return Fail(ErrorCode::kPermissionDenied,
                  "data dir " + dir.string() +
                      " is open to other users and cannot be made private (chmod 700 " +
                      dir.string() + ", as its owner)");
    }
  }
  return Ok();
}

// SQLite: <data_dir>/hub.db. PostgreSQL: the [store] url, shared with other hubs, which
// must hold the same master key (the store refuses another one).
Result<std::unique_ptr<store::Store>> OpenStore(App::Parts& p) {
  const StoreSettings& settings = p.config.store;
  if (settings.EffectiveBackend() != "postgres") {
    store::SqliteOptions options;
    options.path = (p.config.data_dir / "hub.db").string();
    options.clock = p.clock;
    return store::OpenSqliteStore(options);
  }
  auto password = ResolveStorePassword(settings);
  if (!password) return Fail(password.error());
  store::PostgresOptions& options = p.postgres.emplace();
  options.url = settings.url;
  options.password = std::move(*password);
  options.ca_file = settings.ca_file;
  options.connections = settings.connections;
  options.clock = p.clock;
  options.master_key_fingerprint = p.envelope->Fingerprint();
  auto store = store::OpenPostgresStore(options);
  if (store) spdlog::info("hub: store on {}", store::DescribePostgresUrl(settings.url));
  return store;
}

Status OpenStorage(App::Parts& p) {
  if (auto s = PrepareDataDir(p.config.data_dir); !s) return s;
  auto envelope = LoadOrCreateMasterKey(p.config.data_dir);
  if (!envelope) return Fail(envelope.error());
  p.envelope.emplace(std::move(*envelope));
  auto store = OpenStore(p);
  if (!store) return Fail(store.error());
  p.store = std::move(*store);
  auto created = BootstrapAdminToken(*p.store, p.config.data_dir);
  if (!created) return Fail(created.error());
  p.created_admin_token = *created;
  if (*created) {
    spdlog::info("hub: created the first admin token in {}",
                 (p.config.data_dir / "admin.token").string());
  }
  return Ok();
}

// Several hubs on PostgreSQL: one at a time relays the outbox and runs the notifier
// (store/leader_lock.h); the others stand by and take over when it dies. SQLite: one hub,
// no lock.
std::function<bool()> LeaderPredicate(App::Parts& p) {
  if (!p.postgres) return {};
  if (!p.leader) p.leader = store::OpenPostgresLeaderLock(*p.postgres, "hub-singletons");
  return [lock = p.leader.get(), was = std::make_shared<std::atomic<int>>(-1)] {
    const bool held = lock->Held();
    if (was->exchange(held ? 1 : 0) != (held ? 1 : 0)) {
      spdlog::info("hub: {}", held ? "this hub relays events and notifies (leader lock taken)"
                                   : "another hub relays events and notifies (standby)");
    }
    return held;
  };
}

// With [rabbitmq], events go from the outbox to the broker on the relay's own thread:
// the broker being down or refusing the login is logged there and never blocks the API
// or issuance (the events wait in the outbox).
Status StartRelay(App::Parts& p) {
  if (!p.config.rabbitmq) return Ok();
  auto publisher = bus::rabbitmq::MakeRabbitMqPublisher(*p.config.rabbitmq);
  if (!publisher) return Fail(publisher.error().WithContext("config [rabbitmq]"));
  spdlog::info("hub: publishing events to {}", (*publisher)->Describe());
  bus::RelayOptions relay_options;
  relay_options.is_leader = LeaderPredicate(p);
  p.relay = std::make_unique<bus::OutboxRelay>(*p.store, std::move(*publisher), *p.clock,
                                               std::move(relay_options));
  p.relay->Start();
  return Ok();
}

// The notifier's scan of the issuers' order capacity (issue 20): a warning per issuer whose
// pacing cannot keep up, once a day while it lasts; logged when it starts, changes, clears
// and once a day (issuance::CapacityLog), not at every scan.
std::function<Result<std::vector<notify::PendingNotice>>(TimePoint)> CapacityScan(
    store::Store& store, std::vector<issuance::IssuerConfig> issuers,
    issuance::UsedSlots used_slots) {
  auto log = std::make_shared<issuance::CapacityLog>();  // the dispatcher thread's only
  return [&store, issuers = std::move(issuers), used_slots = std::move(used_slots),
          log](TimePoint now) -> Result<std::vector<notify::PendingNotice>> {
    auto warnings = issuance::CheckCapacity(store, issuers, now, used_slots);
    if (!warnings) return Fail(warnings.error());
    for (const auto& line : log->Update(*warnings, now)) {
      spdlog::log(line.warning ? spdlog::level::warn : spdlog::level::info, "{}", line.text);
    }
    std::vector<notify::PendingNotice> out;
    for (const auto& w : *warnings) {
      out.push_back(
          notify::CapacityNotice(w.issuer, w.critical, w.summary, issuance::kCapacityAdvice, now));
    }
    return out;
  };
}

// With notify channels, the notifier follows the outbox on its own threads and delivers
// from the persistent queue in the store: a channel that is down delays only itself.
Status StartNotifier(App::Parts& p) {
  if (p.config.notify.channels.empty()) return Ok();
  notify::ServiceOptions options;
  options.retry = p.config.notify.retry;
  options.is_leader = LeaderPredicate(p);
  options.dispatcher.extra_scan =
      CapacityScan(*p.store, p.config.issuers, [&p](const std::string& issuer, TimePoint now) {
        issuance::Worker* worker = p.started_worker.load();
        return worker ? worker->UsedSlots(issuer, now) : std::vector<TimePoint>{};
      });
  auto service = notify::Service::Start(*p.store, *p.clock, p.config.notify, options);
  if (!service) return Fail(service.error().WithContext("config [notify]"));
  p.notify = std::move(*service);
  spdlog::info("hub: notifying {} channel(s)", p.config.notify.channels.size());
  return Ok();
}

// The store has one commit listener: it forwards to everyone who follows commits.
// /healthz's "rabbitmq" entry: the relay's state (its last error names the broker, never the
// password).
std::function<std::vector<api::ComponentHealth>()> RelayHealth(bus::OutboxRelay& relay) {
  return [&relay] {
    const bus::RelayStatus status = relay.status();
    if (status.standby) {
      return std::vector<api::ComponentHealth>{
          {"rabbitmq", true, "standby: another hub on this database relays the events"}};
    }
    std::string detail = status.healthy ? "publishing; last published revision " +
                                              std::to_string(status.last_published)
                                        : status.last_error;
    return std::vector<api::ComponentHealth>{{"rabbitmq", status.healthy, std::move(detail)}};
  };
}

void ListenToCommits(App::Parts& p) {
  p.store->SetCommitListener([&p](store::Revision r) {
    p.waiters->OnCommit(r);
    if (p.relay) p.relay->Wake();
    if (p.notify) p.notify->OnCommit();
  });
}

// With [dns01], the DNS-01 solvers the worker threads share; with [dns01.delegation], also
// this hub's authoritative DNS for the delegated zone, answering from the store.
Status StartDns01(App::Parts& p) {
  if (p.config.dns01.empty()) return Ok();
  solver::DelegatedTxtBoard* board = nullptr;
  std::vector<dns::ServerAddress> responders;
  if (p.config.dns01.delegation) {
    auto zone = DelegatedZone::Start(*p.config.dns01.delegation, *p.store, *p.clock);
    if (!zone) return Fail(zone.error().WithContext("config " + p.config.source));
    p.delegated_zone = std::move(*zone);
    board = &p.delegated_zone->board();
    responders = p.delegated_zone->Responders();
  }
  auto runtime = issuance::Dns01Runtime::Create(p.config.dns01, board, responders, *p.clock);
  if (!runtime) return Fail(runtime.error().WithContext("config [dns01]"));
  p.dns01 = std::move(*runtime);
  p.ctx->dns01 = p.dns01.get();
  spdlog::info("hub: DNS-01 for {} zone(s)", p.config.dns01.zones.size());
  return Ok();
}

Status StartWorker(App::Parts& p) {
  if (auto s = StartDns01(p); !s) return s;
  issuance::WorkerOptions options;
  options.engine.dns01 = p.dns01.get();
  options.concurrency = p.config.issuance.concurrency;
  options.poll_interval = std::chrono::seconds(p.config.issuance.poll_interval_seconds);
  options.engine.lease_for = std::chrono::seconds(p.config.issuance.lease_seconds);
  options.engine.data_dir = p.config.data_dir;
  if (p.postgres) {
    options.open_liveness_lock = [&p](const std::string& worker_id) {
      return store::OpenPostgresLeaderLock(*p.postgres, worker_id);
    };
  }
  options.engine.reachability.probe_interval =
      std::chrono::seconds(p.config.issuance.ca_probe_seconds);
  auto worker = issuance::Worker::Start(*p.store, *p.envelope, *p.clock, p.config.issuers, options);
  if (!worker) return Fail(worker.error().WithContext("starting the issuance worker"));
  p.worker = std::move(*worker);
  p.started_worker = p.worker.get();
  p.ctx->wake_issuance = [worker = p.worker.get()] { worker->Wake(); };
  return Ok();
}

Status StartServer(App::Parts& p) {
  http::Router router;
  api::AddApiRoutes(router, *p.ctx);
  ui::AddUiRoutes(router, *p.ctx);
  api::AddNotifyRoutes(router, *p.ctx, p.notify.get());
  auto view = p.postgres ? store::OpenPostgresMetricsView(*p.postgres)
                         : store::OpenSqliteMetricsView((p.config.data_dir / "hub.db").string());
  if (!view) return Fail(view.error());
  p.metrics_view = std::move(*view);
  metrics::MetricsRouteOptions metrics_options{.public_access = p.config.metrics_public,
                                               .outbox_relay = p.relay != nullptr,
                                               .channels = {},
                                               .issuers = p.config.issuers};
  for (const auto& channel : p.config.notify.channels) {
    metrics_options.channels.push_back(channel.name);
  }
  metrics::AddMetricsRoute(router, *p.ctx, *p.metrics_view, std::move(metrics_options));
  http::ServerOptions options;
  options.listen = p.config.listen;
  options.io_threads = p.config.io_threads;
  options.body_limit = p.config.body_limit;
  options.max_connections = p.config.max_connections;
  options.max_connections_per_address = p.config.max_connections_per_address;
  options.admit_body = [ctx = p.ctx.get()](const http::Request& head) {
    return api::AdmitBody(*ctx, head);
  };
  options.name = "hub";
  if (!p.config.tls_cert_file.empty()) {
    options.tls = http::TlsOptions{p.config.tls_cert_file, p.config.tls_key_file};
  }
  auto server = http::Server::Start(options, std::move(router));
  if (!server) return Fail(server.error());
  p.server = std::move(*server);
  if (options.tls) {
    p.tls_watch = std::make_unique<TlsFileWatch>(
        *p.server, std::vector<std::string>{p.config.tls_cert_file, p.config.tls_key_file});
  }
  return Ok();
}

// With challenge_listen: a listener with the HTTP-01 responder alone. Customer hosts' nginx
// proxies the challenge path here (docs/nginx.md §1); nothing else answers, and no request
// may carry a body.
Status StartChallengeServer(App::Parts& p) {
  if (p.config.challenge_listen.empty()) return Ok();
  http::Router router;
  api::AddChallengeRoutes(router, *p.ctx);
  http::ServerOptions options;
  options.listen = p.config.challenge_listen;
  options.io_threads = 1;
  options.max_connections = p.config.max_connections;
  options.max_connections_per_address = p.config.max_connections_per_address;
  options.admit_body = [](const http::Request& head) {
    return http::BodyAdmission{
        .reject = http::Response::NotFound(head.method + " " + head.path +
                                           ": the challenge listener serves "
                                           "GET /.well-known/acme-challenge/{token} only")};
  };
  options.name = "hub-challenge";
  auto server = http::Server::Start(options, std::move(router));
  if (!server) return Fail(server.error().WithContext("challenge_listen"));
  p.challenge_server = std::move(*server);
  return Ok();
}

}  // namespace

Result<std::unique_ptr<App>> App::Start(HubConfig config, Clock& clock) {
  auto parts = std::make_unique<Parts>();
  parts->config = std::move(config);
  parts->clock = &clock;
  if (auto s = OpenStorage(*parts); !s) return Fail(s.error());
  parts->auth = std::make_unique<Authenticator>(*parts->store, clock);
  parts->waiters = std::make_unique<api::EventWaiters>(*parts->store, clock);
  if (auto s = StartRelay(*parts); !s) return Fail(s.error());
  if (auto s = StartNotifier(*parts); !s) return Fail(s.error());
  ListenToCommits(*parts);
  parts->ctx.reset(new api::ApiContext{*parts->store, *parts->envelope, clock, parts->config,
                                       *parts->auth, *parts->waiters});
  if (parts->relay) parts->ctx->component_health = RelayHealth(*parts->relay);
  std::unique_ptr<App> app(new App(std::move(parts)));
  if (auto s = StartWorker(*app->parts_); !s) return Fail(s.error());
  if (auto s = StartServer(*app->parts_); !s) return Fail(s.error());
  if (auto s = StartChallengeServer(*app->parts_); !s) return Fail(s.error());
  spdlog::info("hub: listening on {} (data dir {})", app->BaseUrl(),
               app->parts_->config.data_dir.string());
  return app;
}

App::App(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

App::~App() { Stop(); }

void App::Stop() {
  std::call_once(parts_->stopped, [p = parts_.get()] {
    p->tls_watch.reset();
    if (p->server) p->server->Stop();
    if (p->ctx) p->ctx->reports->Stop();  // writes the reports the server took in
    if (p->challenge_server) p->challenge_server->Stop();
    if (p->worker) p->worker->Stop();
    if (p->delegated_zone) p->delegated_zone->Stop();
    if (p->store) p->store->SetCommitListener(nullptr);
    if (p->waiters) p->waiters->Stop();
    if (p->relay) p->relay->Stop();
    if (p->notify) p->notify->Stop();
  });
}

std::uint16_t App::port() const { return parts_->server->port(); }
std::string App::BaseUrl() const { return parts_->server->BaseUrl(); }
bool App::created_admin_token() const { return parts_->created_admin_token; }

Status App::ReloadTls() { return parts_->server->ReloadTls(); }

}  // namespace certfleet::hub
