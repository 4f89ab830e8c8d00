#include "sim/fleet_sim.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "crypto/envelope.h"
#include "issuance/capacity.h"
#include "issuance/engine.h"
#include "issuance/renewal_policy.h"
#include "net/testing/fake_transport.h"
#include "notify/names.h"
#include "notify/scans.h"
#include "sim/sim_job.h"
#include "store/testing/memory_store.h"

namespace certfleet::sim {
namespace {

constexpr const char* kIssuer = "sim-ca";
constexpr const char* kDirectoryUrl = "https://ca.sim.test/dir";
constexpr const char* kNonceUrl = "https://ca.sim.test/nonce";

// The directory and newNonce, as far as the reachability probe needs them; nothing else
// goes over the wire in the simulation (the job is simulated whole).
class SimCaEndpoint {
 public:
  SimCaEndpoint(const SimWorld& world, const Clock& clock, FleetResult& result, CaTraffic& traffic)
      : world_(world), clock_(clock), result_(result), traffic_(traffic) {}

  Result<net::HttpResponse> Handle(const net::HttpRequest& request) const {
    if (request.url == kDirectoryUrl) ++result_.probes;
    if (world_.CaDown(clock_.Now())) {
      return Fail(ErrorCode::kUnavailable, request.url + ": connection refused (simulated)");
    }
    traffic_.Requests(clock_.Now(), 1);
    net::HttpResponse response;
    response.status = 200;
    if (request.url == kDirectoryUrl) {
      response.headers.Add("Content-Type", "application/json");
      response.body = nlohmann::json{{"newNonce", kNonceUrl},
                                     {"newAccount", "https://ca.sim.test/account"},
                                     {"newOrder", "https://ca.sim.test/order"},
                                     {"revokeCert", "https://ca.sim.test/revoke"},
                                     {"keyChange", "https://ca.sim.test/key-change"}}
                          .dump();
      return response;
    }
    if (request.url == kNonceUrl) {
      response.headers.Add("Replay-Nonce", "sim-nonce");
      return response;
    }
    response.status = 404;
    return response;
  }

 private:
  const SimWorld& world_;
  const Clock& clock_;
  FleetResult& result_;
  CaTraffic& traffic_;
};

class Simulation {
 public:
  explicit Simulation(const FleetConfig& config)
      : config_(config),
        world_(config.world),
        clock_(config.world.start),
        traffic_(result_, config.pacing_window),
        endpoint_(world_, clock_, result_, traffic_),
        agents_(world_),
        job_(config_, world_, agents_, result_, traffic_),
        rng_(std::make_shared<std::mt19937_64>(config.world.seed)) {}

  FleetResult Run();

 private:
  Status Setup();
  Status SaveDomain(int index);
  Status SaveDueDomains(TimePoint now);
  std::optional<TimePoint> NextSave() const;
  void ScanExpiring(TimePoint now);
  void CheckCapacity(TimePoint now);
  void FindFirstLapse();
  TimePoint NextStep(TimePoint now, TimePoint end);
  void CheckTheEnd(TimePoint end);

  const FleetConfig config_;
  const SimWorld world_;
  FakeClock clock_;
  FleetResult result_;
  CaTraffic traffic_;
  SimCaEndpoint endpoint_;
  SimAgents agents_;
  SimJob job_;
  std::shared_ptr<std::mt19937_64> rng_;
  std::unique_ptr<store::Store> store_;
  std::optional<crypto::Envelope> envelope_;
  std::unique_ptr<issuance::IssuanceEngine> engine_;
  std::vector<store::Id> ids_;  // world index → domain id
  int saved_ = 0;               // domains saved so far
  TimePoint next_scan_{};
  TimePoint next_capacity_check_{};
  issuance::IssuerConfig issuer_;
  std::set<std::string> notices_;  // dedup keys seen
};

Status Simulation::SaveDomain(int index) {
  store::Domain d;
  d.name = "d" + std::to_string(index) + ".sim.test";
  d.issuer = kIssuer;
  d.key_type = "ec-p256";
  d.next_attempt_at = clock_.Now();
  auto created = store_->CreateDomain(store::Actor{"sim"}, d);
  if (!created) return Fail(created.error());
  ids_.push_back(created->id);
  job_.AddDomain(created->id, index);
  return Ok();
}

// The burst's domains are saved at even intervals over its span.
std::optional<TimePoint> Simulation::NextSave() const {
  const Burst& b = config_.world.burst;
  const int k = saved_ - config_.world.domains;
  if (k < 0 || k >= b.count) return std::nullopt;
  return b.at + b.over * k / b.count;
}

Status Simulation::SaveDueDomains(TimePoint now) {
  for (auto at = NextSave(); at && *at <= now; at = NextSave()) {
    if (auto saved = SaveDomain(saved_); !saved) return saved;
    ++saved_;
  }
  return Ok();
}

Status Simulation::Setup() {
  store_ = store::testing::OpenMemoryStore(store::testing::NewMemoryDatabase(config_.world.seed),
                                           &clock_);
  auto envelope = crypto::Envelope::Create(std::string(32, 's'));
  if (!envelope) return Fail(envelope.error());
  envelope_.emplace(std::move(*envelope));
  for (; saved_ < config_.world.domains; ++saved_) {
    if (auto saved = SaveDomain(saved_); !saved) return saved;
  }
  issuance::EngineOptions options;
  options.data_dir = "/nonexistent/certfleet-sim";  // the simulated job never signs
  options.retry = config_.retry;
  options.reachability = config_.reachability;
  options.transport_factory = [this](const issuance::IssuerConfig&) {
    return Result<std::unique_ptr<net::HttpTransport>>(std::make_unique<net::FakeTransport>(
        [this](const net::HttpRequest& r) { return endpoint_.Handle(r); }));
  };
  options.seed = [rng = rng_] { return (*rng)(); };
  options.run_job = [this](const issuance::JobEnvironment& env, issuance::IssuerRuntime* issuer,
                           const store::Domain& domain, const store::Lease& lease) {
    return job_.Run(env, *issuer, domain, lease);
  };
  issuance::IssuerConfig issuer;
  issuer.name = kIssuer;
  issuer.directory_url = kDirectoryUrl;
  issuer.orders_per_window = config_.orders_per_window;
  issuer.window = std::chrono::duration_cast<std::chrono::seconds>(config_.pacing_window);
  issuer_ = issuer;
  auto engine =
      issuance::IssuanceEngine::Create(*store_, *envelope_, clock_, {issuer}, options, nullptr);
  if (!engine) return Fail(engine.error());
  engine_ = std::move(*engine);
  next_scan_ = config_.world.start;
  next_capacity_check_ = config_.world.start;
  return Ok();
}

// The hub's expiry scan (notify::ScanExpiring, thresholds [30, 14, 7, 1] days): the first
// notice for each certificate is remembered for the at-risk check.
void Simulation::ScanExpiring(TimePoint now) {
  if (config_.warning_scan <= Duration{0} || now < next_scan_) return;
  next_scan_ = now + config_.warning_scan;
  notify::Names names(*store_);
  auto notices = notify::ScanExpiring(*store_, names, now, {30, 14, 7, 1});
  if (!notices) return;
  for (const notify::PendingNotice& n : *notices) {
    if (!notices_.insert(n.dedup_key).second) continue;
    ++result_.warnings;
    // "expiry:<domain>:<certificate id>:<days>d"
    const auto end = n.dedup_key.rfind(':');
    const auto begin = n.dedup_key.rfind(':', end - 1);
    const std::int64_t id = std::stoll(n.dedup_key.substr(begin + 1, end - begin - 1));
    auto it = job_.certificates().find(id);
    if (it != job_.certificates().end() && !it->second.warned_at) it->second.warned_at = now;
  }
}

// The hub's capacity check (notify's extra scan in hub/app.cc): the first warning counts.
void Simulation::CheckCapacity(TimePoint now) {
  if (config_.capacity_scan <= Duration{0} || result_.capacity_warned_at ||
      now < next_capacity_check_) {
    return;
  }
  next_capacity_check_ = now + config_.capacity_scan;
  auto warnings = issuance::CheckCapacity(
      *store_, {issuer_}, now, [this](const std::string& issuer, TimePoint at) {
        issuance::IssuerRuntime* runtime = engine_->Issuer(issuer);
        return runtime ? runtime->pacer().Starts(at) : std::vector<TimePoint>{};
      });
  if (!warnings || warnings->empty()) return;
  result_.capacity_warned_at = now;
  result_.capacity_message = warnings->front().Message();
}

void Simulation::FindFirstLapse() {
  const auto earlier = [this](TimePoint t) {
    if (!result_.first_lapse || t < *result_.first_lapse) result_.first_lapse = t;
  };
  for (const Expiry& e : result_.expiries) {
    // A domain that never got a certificate lapsed nothing (its entry carries created_at).
    if (e.last_error.rfind("never issued", 0) != 0) earlier(e.not_after);
  }
  for (const ServedLapse& l : result_.served_expired) earlier(l.from);
  for (const ServedLapse& l : result_.served_revoked) earlier(l.from);
}

TimePoint Simulation::NextStep(TimePoint now, TimePoint end) {
  TimePoint next = std::min(now + config_.poll, end);
  const auto consider = [&](std::optional<TimePoint> t) {
    if (t) next = std::min(next, std::max(*t, now + Duration(1)));
  };
  consider(engine_->NextWake());
  consider(world_.NextChange(now));
  consider(agents_.NextWake());
  consider(NextSave());
  if (config_.warning_scan > Duration{0}) consider(next_scan_);
  if (config_.capacity_scan > Duration{0} && !result_.capacity_warned_at) {
    consider(next_capacity_check_);
  }
  return next;
}

// A certificate still current at the end that expired before it, or a domain that never
// got one, is an expiry too; certificates that came within the warning horizon without a
// successor are checked for a timely notice.
void Simulation::CheckTheEnd(TimePoint end) {
  for (store::Id id : ids_) {
    auto d = store_->GetDomain(id);
    if (!d) continue;
    if (!d->current_not_after) {
      result_.expiries.push_back({d->name, d->created_at,
                                  std::chrono::duration_cast<Duration>(end - d->created_at),
                                  "never issued: " + d->last_error});
    } else if (*d->current_not_after < end) {
      result_.expiries.push_back({d->name, *d->current_not_after,
                                  std::chrono::duration_cast<Duration>(end - *d->current_not_after),
                                  d->last_error});
    }
  }
  const Duration horizon = issuance::WarningHorizon(config_.lifetime);
  for (const auto& [id, c] : job_.certificates()) {
    const TimePoint risk_at = c.cert.not_after - horizon;
    if (risk_at >= end || (c.successor_at && *c.successor_at <= risk_at)) continue;
    result_.at_risk.push_back(
        {c.domain, c.cert.not_after, c.warned_at, c.warned_at && *c.warned_at <= risk_at});
  }
  agents_.Finish(end);
  result_.served_expired = agents_.expired();
  result_.served_revoked = agents_.revoked();
  result_.deployments = agents_.deployments();
  result_.failed_installs = agents_.failed_installs();
  FindFirstLapse();
}

FleetResult Simulation::Run() {
  const std::clock_t cpu_start = std::clock();
  if (auto ready = Setup(); !ready) {
    result_.expiries.push_back(Expiry{"(setup)", {}, {}, ready.error().message});
    return result_;
  }
  const TimePoint end = config_.world.start + config_.world.length;
  while (true) {
    const TimePoint now = clock_.Now();
    if (auto saved = SaveDueDomains(now); !saved) {
      result_.expiries.push_back(Expiry{"(save)", now, {}, saved.error().message});
      break;
    }
    engine_->RunAllDue("sim/0");
    agents_.RunDue(now);
    ScanExpiring(now);
    CheckCapacity(now);
    if (now >= end) break;
    clock_.Set(NextStep(now, end));
    ++result_.steps;
  }
  CheckTheEnd(end);
  result_.cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  return result_;
}

}  // namespace

FleetResult RunFleet(const FleetConfig& config) {
  const auto level = spdlog::default_logger()->level();
  spdlog::set_level(spdlog::level::off);  // thousands of expected warnings
  Simulation simulation(config);
  FleetResult result = simulation.Run();
  spdlog::set_level(level);
  return result;
}

}  // namespace certfleet::sim
