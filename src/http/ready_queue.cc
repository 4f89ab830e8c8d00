// ReadyQueue (session.h): the sessions an io thread resumes before its next handler.
#include <boost/asio/post.hpp>
#include <utility>

#include "http/session.h"

namespace certfleet::http {

void ReadyQueue::Push(std::weak_ptr<Session> session) {
  bool first = false;
  {
    std::lock_guard lock(mu_);
    pushed_.push_back(std::move(session));
    first = !pending_.exchange(true, std::memory_order_acq_rel);
  }
  // The io thread may be waiting for I/O (it looks at this queue only between handlers): an
  // empty handler wakes it. One per run, not per session.
  if (first) boost::asio::post(io_, [] {});
}

std::size_t ReadyQueue::RunReady() {
  if (!pending_.load(std::memory_order_acquire)) return 0;
  {
    std::lock_guard lock(mu_);
    running_.swap(pushed_);
    pending_.store(false, std::memory_order_release);
  }
  const std::size_t count = running_.size();
  for (auto& weak : running_) {
    if (auto session = weak.lock()) session->ResumeDeferred();
  }
  running_.clear();
  return count;
}

}  // namespace certfleet::http
