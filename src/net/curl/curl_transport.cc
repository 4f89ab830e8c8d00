#include "net/curl/curl_transport.h"

#include <array>
#include <fstream>
#include <mutex>
#include <vector>

#include "net/curl/curl_library.h"

#ifndef CERTFLEET_VERSION
#define CERTFLEET_VERSION "dev"
#endif

namespace certfleet::net {
namespace {

constexpr size_t kMaxIdleHandles = 32;

// Collects one response; libcurl calls the callbacks below with it as userdata.
struct Collector {
  HttpResponse response;
  size_t max_bytes = 0;
  bool too_large = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* userdata) {
  auto* collector = static_cast<Collector*>(userdata);
  size_t bytes = size * count;
  if (collector->response.body.size() + bytes > collector->max_bytes) {
    collector->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  collector->response.body.append(data, bytes);
  return bytes;
}

size_t OnHeader(char* data, size_t size, size_t count, void* userdata) {
  auto* collector = static_cast<Collector*>(userdata);
  size_t bytes = size * count;
  std::string_view line(data, bytes);
  if (line.starts_with("HTTP/")) {
    collector->response.headers = HttpHeaders();  // a new response (after 100 Continue)
    return bytes;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
    value.remove_suffix(1);
  collector->response.headers.Add(std::string(line.substr(0, colon)), std::string(value));
  return bytes;
}

ErrorCode CurlErrorCode(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return ErrorCode::kDeadlineExceeded;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return ErrorCode::kInvalidArgument;
    default:
      return ErrorCode::kUnavailable;
  }
}

}  // namespace

using internal::CurlLibrary;

struct CurlTransport::State {
  const CurlLibrary* lib = nullptr;  // libcurl, loaded on first use
  CurlTransportOptions options;
  std::string user_agent;
  CURLSH* share = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks;
  std::mutex pool_mu;
  std::vector<CURL*> idle;

  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* userptr) {
    static_cast<State*>(userptr)->share_locks[static_cast<size_t>(data)].lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* userptr) {
    static_cast<State*>(userptr)->share_locks[static_cast<size_t>(data)].unlock();
  }

  CURL* Acquire() {
    {
      std::lock_guard lock(pool_mu);
      if (!idle.empty()) {
        CURL* handle = idle.back();
        idle.pop_back();
        return handle;
      }
    }
    return lib->easy_init();
  }

  void Release(CURL* handle) {
    std::lock_guard lock(pool_mu);
    if (idle.size() < kMaxIdleHandles) {
      idle.push_back(handle);
    } else {
      lib->easy_cleanup(handle);
    }
  }
};

Result<std::unique_ptr<CurlTransport>> CurlTransport::Create(CurlTransportOptions options) {
  auto lib = CurlLibrary::Get();  // also runs curl_global_init, once
  if (!lib) return Fail(lib.error());
  if (!options.ca_file.empty() && !std::ifstream(options.ca_file).good()) {
    return Fail(ErrorCode::kInvalidArgument, "cannot read the CA file " + options.ca_file);
  }
  auto state = std::make_unique<State>();
  state->lib = *lib;
  state->user_agent = options.user_agent.empty() ? std::string("certfleet/") + CERTFLEET_VERSION
                                                 : options.user_agent;
  state->options = std::move(options);
  const CurlLibrary& curl = **lib;
  state->share = curl.share_init();
  if (state->share == nullptr) return Fail(ErrorCode::kInternal, "curl_share_init failed");
  // Share connections, DNS and TLS sessions so keep-alive works across handles and threads.
  curl.share_setopt(state->share, CURLSHOPT_LOCKFUNC, &State::Lock);
  curl.share_setopt(state->share, CURLSHOPT_UNLOCKFUNC, &State::Unlock);
  curl.share_setopt(state->share, CURLSHOPT_USERDATA, state.get());
  curl.share_setopt(state->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  curl.share_setopt(state->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl.share_setopt(state->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  return std::unique_ptr<CurlTransport>(new CurlTransport(std::move(state)));
}

CurlTransport::CurlTransport(std::unique_ptr<State> state) : state_(std::move(state)) {}

CurlTransport::~CurlTransport() {
  for (CURL* handle : state_->idle) state_->lib->easy_cleanup(handle);
  state_->lib->share_cleanup(state_->share);
}

namespace {

void SetOptions(const CurlLibrary& lib, CURL* handle, const HttpRequest& request,
                const CurlTransportOptions& options, const std::string& user_agent,
                curl_slist* headers, CURLSH* share, Collector* collector) {
  lib.easy_setopt(handle, CURLOPT_SHARE, share);
  lib.easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  lib.easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  lib.easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  lib.easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                  static_cast<long>(options.connect_timeout.count()));
  lib.easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout.count()));
  lib.easy_setopt(handle, CURLOPT_USERAGENT, user_agent.c_str());
  lib.easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
  lib.easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_file.empty()) lib.easy_setopt(handle, CURLOPT_CAINFO, options.ca_file.c_str());
  lib.easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
  lib.easy_setopt(handle, CURLOPT_WRITEFUNCTION, &OnBody);
  lib.easy_setopt(handle, CURLOPT_WRITEDATA, collector);
  lib.easy_setopt(handle, CURLOPT_HEADERFUNCTION, &OnHeader);
  lib.easy_setopt(handle, CURLOPT_HEADERDATA, collector);
  if (request.method == "HEAD") {
    lib.easy_setopt(handle, CURLOPT_NOBODY, 1L);
  } else if (request.method == "POST" || !request.body.empty()) {  // PATCH/PUT carry one too
    lib.easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                    static_cast<curl_off_t>(request.body.size()));
    lib.easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.c_str());
    if (request.method != "POST") {
      lib.easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
  } else if (request.method != "GET") {
    lib.easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
}

struct SlistDeleter {
  const CurlLibrary* lib;
  void operator()(curl_slist* list) const { lib->slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

Slist BuildHeaders(const CurlLibrary& lib, const HttpRequest& request) {
  curl_slist* list = nullptr;
  for (const auto& field : request.headers.fields()) {
    list = lib.slist_append(list, (field.name + ": " + field.value).c_str());
  }
  // No "Expect: 100-continue": it would stall larger POSTs (CSRs) for a round trip.
  list = lib.slist_append(list, "Expect:");
  return Slist(list, SlistDeleter{&lib});
}

}  // namespace

Result<HttpResponse> CurlTransport::Send(const HttpRequest& request) {
  const CurlLibrary& curl = *state_->lib;
  CURL* handle = state_->Acquire();
  if (handle == nullptr) return Fail(ErrorCode::kInternal, "curl_easy_init failed");
  curl.easy_reset(handle);
  Slist headers = BuildHeaders(curl, request);
  Collector collector;
  collector.max_bytes = state_->options.max_response_bytes;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  SetOptions(curl, handle, request, state_->options, state_->user_agent, headers.get(),
             state_->share, &collector);
  curl.easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer.data());
  CURLcode code = curl.easy_perform(handle);
  long status = 0;
  curl.easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  curl.easy_setopt(handle, CURLOPT_ERRORBUFFER, nullptr);
  state_->Release(handle);
  if (collector.too_large) {
    return Fail(ErrorCode::kProtocol,
                request.method + " " + request.url + ": the response is larger than " +
                    std::to_string(state_->options.max_response_bytes) + " bytes");
  }
  if (code != CURLE_OK) {
    std::string detail = error_buffer[0] != '\0' ? error_buffer.data() : curl.easy_strerror(code);
    return Fail(CurlErrorCode(code), request.method + " " + request.url + ": " + detail);
  }
  collector.response.status = static_cast<int>(status);
  return std::move(collector.response);
}

}  // namespace certfleet::net
