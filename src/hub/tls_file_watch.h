// TlsFileWatch: reloads the hub server's TLS certificate when its files change.
//
// Polls the certificate and key files every `interval` (default 2 s) and calls
// Server::ReloadTls when either changed (inode, size or mtime): an agent on the hub host
// renews the hub's own certificate by renaming new files into place, an editor writes in
// place. A failed reload keeps the current certificate and is logged; it is tried again at
// the next change. Stops (joins its thread) in the destructor, which must run before the
// server is destroyed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/server.h"

namespace certfleet::hub {

class TlsFileWatch {
 public:
  TlsFileWatch(http::Server& server, std::vector<std::string> files,
               std::chrono::milliseconds interval = std::chrono::seconds(2));
  ~TlsFileWatch();
  TlsFileWatch(const TlsFileWatch&) = delete;
  TlsFileWatch& operator=(const TlsFileWatch&) = delete;

 private:
  std::string Stamp() const;  // "" while a file is missing (mid-replacement)
  void Run();

  http::Server& server_;
  std::vector<std::string> files_;
  std::chrono::milliseconds interval_;
  std::string seen_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;  // last: starts after the members it reads
};

}  // namespace certfleet::hub
