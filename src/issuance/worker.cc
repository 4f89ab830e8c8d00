#include "issuance/worker.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "common/log_fields.h"
#include "common/scan_registry.h"
#include "issuance/acme_metrics.h"
#include "issuance/issuance_job.h"
#include "issuance/issuer_account.h"
#include "issuance/issuer_runtime.h"
#include "issuance/worker_identity.h"
#include "net/curl/curl_transport.h"

namespace certfleet::issuance {
namespace {

Result<std::unique_ptr<net::HttpTransport>> CurlTransportFor(const IssuerConfig& issuer) {
  auto transport = net::CurlTransport::Create({.ca_file = issuer.ca_file});
  if (!transport) return Fail(transport.error());
  return std::unique_ptr<net::HttpTransport>(std::move(*transport));
}

class WorkerImpl final : public Worker {
 public:
  WorkerImpl(store::Store& store, const crypto::Envelope& envelope, Clock& clock,
             WorkerOptions options, std::string owner, std::optional<WorkerIdentity> identity)
      : options_(std::move(options)),
        env_{store,
             envelope,
             clock,
             options_.poll,
             options_.retry,
             options_.lease_for,
             {"system:issuance"},
             &stop_requested_,
             options_.dns01},
        identity_(std::move(identity)),
        owner_(std::move(owner)) {}

  ~WorkerImpl() override { Stop(); }

  Status AddIssuer(const IssuerConfig& config);
  void StartThreads();
  void Wake() override;
  void Stop() override;

 private:
  void Loop(const std::string& owner);
  // True when a domain was claimed and worked on.
  bool RunOne(const std::string& owner);
  void RunGuarded(const store::Domain& domain, const store::Lease& lease);
  void WaitForWork(std::uint64_t seen_generation);

  const WorkerOptions options_;
  const JobEnvironment env_;
  const std::optional<WorkerIdentity> identity_;  // holds worker.id locked while we run
  const std::string owner_;
  std::map<std::string, std::unique_ptr<IssuerRuntime>, std::less<>> issuers_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::uint64_t wake_generation_ = 0;
  bool stopping_ = false;
  std::atomic<bool> stop_requested_ = false;  // read by running jobs between steps
};

Status WorkerImpl::AddIssuer(const IssuerConfig& config) {
  if (auto valid = ValidateIssuerName(config.name); !valid) return Fail(valid.error());
  if (issuers_.count(config.name) != 0) {
    return Fail(ErrorCode::kInvalidArgument, "issuer \"" + config.name + "\" is configured twice");
  }
  auto transport =
      options_.transport_factory ? options_.transport_factory(config) : CurlTransportFor(config);
  if (!transport) return Fail(transport.error().WithContext("issuer " + config.name));
  issuers_.emplace(config.name, std::make_unique<IssuerRuntime>(
                                    config, MeasureAcmeRequests(std::move(*transport)),
                                    env_.envelope, env_.clock, options_.data_dir));
  return Ok();
}

void WorkerImpl::StartThreads() {
  // Slot i's owner id is the same in every run of this hub, so after a crash the slot
  // re-takes the leases it held (ClaimDueDomains accepts the owner's own lease).
  for (int i = 0; i < std::max(options_.concurrency, 1); ++i) {
    threads_.emplace_back([this, owner = owner_ + "/" + std::to_string(i)] { Loop(owner); });
  }
}

void WorkerImpl::Wake() {
  std::lock_guard lock(mu_);
  ++wake_generation_;
  cv_.notify_all();
}

void WorkerImpl::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    stop_requested_ = true;
    cv_.notify_all();
  }
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void WorkerImpl::Loop(const std::string& owner) {
  while (true) {
    std::uint64_t generation = 0;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      generation = wake_generation_;
    }
    if (!RunOne(owner)) WaitForWork(generation);
  }
}

// Sleeps until Wake() (unless it already happened since `seen_generation`), Stop(), or
// the poll interval. Real time: the wait must be interruptible, which Clock's is not.
void WorkerImpl::WaitForWork(std::uint64_t seen_generation) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, options_.poll_interval,
               [&] { return stopping_ || wake_generation_ != seen_generation; });
}

bool WorkerImpl::RunOne(const std::string& owner) {
  store::ClaimRequest request{owner, env_.clock.Now(), options_.lease_for, 1};
  auto claimed = env_.store.ClaimDueDomains(request);
  if (!claimed) {
    spdlog::error("issuance worker {}: claiming due domains: {}", owner, claimed.error().message);
    return false;
  }
  RecordScanSuccess("issuance_claim", request.now);
  if (claimed->empty()) return false;
  const store::Domain& domain = claimed->front();
  RunGuarded(domain, store::Lease{domain.id, owner,
                                  domain.lease_until.value_or(request.now + request.lease_for)});
  return true;
}

// One of the three exception boundaries: whatever a job throws becomes a recorded failure.
void WorkerImpl::RunGuarded(const store::Domain& domain, const store::Lease& lease) {
  auto issuer = issuers_.find(domain.issuer);
  IssuerRuntime* runtime = issuer == issuers_.end() ? nullptr : issuer->second.get();
  ScopedLogFields fields({{"domain", domain.name}, {"issuer", domain.issuer}});
  try {
    RunIssuanceJob(env_, runtime, domain, lease);
  } catch (const std::exception& e) {
    spdlog::error("{}: the issuance job threw: {}", domain.name, e.what());
    RecordFailure(env_, domain, lease,
                  Error{ErrorCode::kInternal, domain.name + ": internal error: " + e.what()});
  } catch (...) {
    spdlog::error("{}: the issuance job threw a non-exception", domain.name);
    RecordFailure(env_, domain, lease,
                  Error{ErrorCode::kInternal, domain.name + ": internal error"});
  }
}

}  // namespace

Result<std::unique_ptr<Worker>> Worker::Start(store::Store& store, const crypto::Envelope& envelope,
                                              Clock& clock, std::vector<IssuerConfig> issuers,
                                              WorkerOptions options) {
  std::optional<WorkerIdentity> identity;
  std::string owner = options.owner;
  if (owner.empty()) {
    auto acquired = WorkerIdentity::Acquire(options.data_dir);
    if (!acquired) return Fail(acquired.error().WithContext("the issuance worker's id"));
    identity.emplace(std::move(*acquired));
    owner = identity->id();
  }
  auto worker = std::make_unique<WorkerImpl>(store, envelope, clock, std::move(options),
                                             std::move(owner), std::move(identity));
  for (const IssuerConfig& issuer : issuers) {
    if (auto added = worker->AddIssuer(issuer); !added) return Fail(added.error());
  }
  worker->StartThreads();
  return std::unique_ptr<Worker>(std::move(worker));
}

}  // namespace certfleet::issuance
