#include "issuance/worker.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "issuance/engine.h"
#include "issuance/housekeeping.h"
#include "issuance/worker_identity.h"

namespace certfleet::issuance {
namespace {

class WorkerImpl final : public Worker {
 public:
  WorkerImpl(const WorkerOptions& options, std::string owner,
             std::optional<WorkerIdentity> identity)
      : concurrency_(std::max(options.concurrency, 1)),
        poll_interval_(options.poll_interval),
        identity_(std::move(identity)),
        owner_(std::move(owner)) {}

  ~WorkerImpl() override { Stop(); }

  Status CreateEngine(store::Store& store, const crypto::Envelope& envelope, Clock& clock,
                      const std::vector<IssuerConfig>& issuers, const WorkerOptions& options);
  void StartThreads();
  void Wake() override;
  void Stop() override;
  std::vector<TimePoint> UsedSlots(const std::string& issuer, TimePoint now) override {
    IssuerRuntime* runtime = engine_->Issuer(issuer);
    return runtime ? runtime->pacer().Starts(now) : std::vector<TimePoint>{};
  }

 private:
  void Loop(const std::string& owner);
  void WaitForWork(std::uint64_t seen_generation);

  const int concurrency_;
  const Duration poll_interval_;
  const std::optional<WorkerIdentity> identity_;  // holds worker.id locked while we run
  const std::string owner_;
  Clock* clock_ = nullptr;
  std::unique_ptr<IssuanceEngine> engine_;
  std::unique_ptr<Housekeeping> housekeeping_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::uint64_t wake_generation_ = 0;
  bool stopping_ = false;
  std::atomic<bool> stop_requested_ = false;  // read by running jobs between steps
};

Status WorkerImpl::CreateEngine(store::Store& store, const crypto::Envelope& envelope, Clock& clock,
                                const std::vector<IssuerConfig>& issuers,
                                const WorkerOptions& options) {
  clock_ = &clock;
  auto engine =
      IssuanceEngine::Create(store, envelope, clock, issuers, options.engine, &stop_requested_);
  if (!engine) return Fail(engine.error());
  engine_ = std::move(*engine);
  housekeeping_ = std::make_unique<Housekeeping>(store, options.engine.dns01, clock);
  return Ok();
}

void WorkerImpl::StartThreads() {
  // Slot i's owner id is the same in every run of this hub, so after a crash the slot
  // re-takes the leases it held (ClaimDueDomains accepts the owner's own lease).
  for (int i = 0; i < concurrency_; ++i) {
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
    engine_->ProbeDueIssuers();
    housekeeping_->MaybeRun();
    if (!engine_->RunOne(owner)) WaitForWork(generation);
  }
}

// Sleeps until Wake() (unless it already happened since `seen_generation`), Stop(), the
// next due time the engine knows of, or the poll interval, on the clock (Clock::WaitFor).
void WorkerImpl::WaitForWork(std::uint64_t seen_generation) {
  Duration wait = poll_interval_;
  if (auto next = engine_->NextWake()) {
    const auto until = std::chrono::duration_cast<Duration>(*next - clock_->Now());
    wait = std::clamp(until, Duration{0}, poll_interval_);
  }
  std::unique_lock lock(mu_);
  clock_->WaitFor(lock, cv_, wait,
                  [&] { return stopping_ || wake_generation_ != seen_generation; });
}

}  // namespace

Result<std::unique_ptr<Worker>> Worker::Start(store::Store& store, const crypto::Envelope& envelope,
                                              Clock& clock, std::vector<IssuerConfig> issuers,
                                              WorkerOptions options) {
  std::optional<WorkerIdentity> identity;
  std::string owner = options.owner;
  if (owner.empty()) {
    auto acquired = WorkerIdentity::Acquire(options.engine.data_dir);
    if (!acquired) return Fail(acquired.error().WithContext("the issuance worker's id"));
    identity.emplace(std::move(*acquired));
    owner = identity->id();
    if (options.open_liveness_lock) {
      std::shared_ptr<store::LeaderLock> alive = options.open_liveness_lock(owner);
      options.engine.may_claim = [alive] { return alive->Held(); };
    }
  }
  auto worker = std::make_unique<WorkerImpl>(options, std::move(owner), std::move(identity));
  if (auto created = worker->CreateEngine(store, envelope, clock, issuers, options); !created)
    return Fail(created.error());
  worker->StartThreads();
  return std::unique_ptr<Worker>(std::move(worker));
}

}  // namespace certfleet::issuance
