#include "hub/tls_file_watch.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

namespace certfleet::hub {

TlsFileWatch::TlsFileWatch(http::Server& server, std::vector<std::string> files,
                           std::chrono::milliseconds interval)
    : server_(server),
      files_(std::move(files)),
      interval_(interval),
      seen_(Stamp()),
      thread_([this] { Run(); }) {}

TlsFileWatch::~TlsFileWatch() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

std::string TlsFileWatch::Stamp() const {
  std::string stamp;
  for (const auto& file : files_) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) return "";
    stamp += std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" +
             std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + ";";
  }
  return stamp;
}

void TlsFileWatch::Run() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, interval_, [this] { return stop_; })) {
    const std::string now = Stamp();
    if (now.empty() || now == seen_) continue;
    seen_ = now;
    if (auto s = server_.ReloadTls(); !s) {
      spdlog::error("hub: the TLS files changed but cannot be used (keeping the current ones): {}",
                    s.error().message);
    } else {
      spdlog::info("hub: TLS certificate reloaded from {}", files_.front());
    }
  }
}

}  // namespace certfleet::hub
