// CurlLibrary: the libcurl functions CurlTransport uses, loaded with dlopen on first use.
//
// Why not link libcurl: Debian's libcurl pulls ~25 shared libraries (LDAP, Kerberos,
// SSH, RTMP, GnuTLS ...) into every process that links it, and loading and relocating
// them cost `certfleet` ~15 ms of CPU at every start, even for commands that never make
// an HTTP request through libcurl. Loading on first use puts that cost only on the
// processes that really create a CurlTransport.
//
// Thread safety: Get() is safe to call concurrently; the table never changes after load.
#pragma once

#include <curl/curl.h>

#include "common/error.h"

namespace certfleet::net::internal {

struct CurlLibrary {
  decltype(&curl_global_init) global_init = nullptr;
  decltype(&curl_share_init) share_init = nullptr;
  decltype(&curl_share_setopt) share_setopt = nullptr;
  decltype(&curl_share_cleanup) share_cleanup = nullptr;
  decltype(&curl_easy_init) easy_init = nullptr;
  decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&curl_easy_reset) easy_reset = nullptr;
  decltype(&curl_easy_setopt) easy_setopt = nullptr;
  decltype(&curl_easy_perform) easy_perform = nullptr;
  decltype(&curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&curl_easy_strerror) easy_strerror = nullptr;
  decltype(&curl_slist_append) slist_append = nullptr;
  decltype(&curl_slist_free_all) slist_free_all = nullptr;

  // Loads libcurl.so.4 once (and runs curl_global_init) and returns the table; the
  // library stays loaded for the life of the process. kUnavailable naming the library
  // and dlerror() when it or one of its functions is missing.
  static Result<const CurlLibrary*> Get();
};

}  // namespace certfleet::net::internal
