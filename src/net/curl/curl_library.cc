#include "net/curl/curl_library.h"

#include <dlfcn.h>

#include <string>

namespace certfleet::net::internal {
namespace {

constexpr const char* kLibraryName = "libcurl.so.4";

// Resolves `name` into `slot`; false (and `missing` set) when the symbol is absent.
template <class Fn>
bool Resolve(void* library, const char* name, Fn& slot, std::string& missing) {
  void* symbol = dlsym(library, name);
  if (symbol == nullptr) {
    missing = name;
    return false;
  }
  slot = reinterpret_cast<Fn>(symbol);  // dlsym's documented use: object → function pointer
  return true;
}

Result<CurlLibrary> Load() {
  void* library = dlopen(kLibraryName, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = dlerror();
    return Fail(ErrorCode::kUnavailable,
                std::string("cannot load ") + kLibraryName +
                    " (install libcurl4): " + (why != nullptr ? why : "unknown error"));
  }
  CurlLibrary lib;
  std::string missing;
  const bool ok = Resolve(library, "curl_global_init", lib.global_init, missing) &&
                  Resolve(library, "curl_share_init", lib.share_init, missing) &&
                  Resolve(library, "curl_share_setopt", lib.share_setopt, missing) &&
                  Resolve(library, "curl_share_cleanup", lib.share_cleanup, missing) &&
                  Resolve(library, "curl_easy_init", lib.easy_init, missing) &&
                  Resolve(library, "curl_easy_cleanup", lib.easy_cleanup, missing) &&
                  Resolve(library, "curl_easy_reset", lib.easy_reset, missing) &&
                  Resolve(library, "curl_easy_setopt", lib.easy_setopt, missing) &&
                  Resolve(library, "curl_easy_perform", lib.easy_perform, missing) &&
                  Resolve(library, "curl_easy_getinfo", lib.easy_getinfo, missing) &&
                  Resolve(library, "curl_easy_strerror", lib.easy_strerror, missing) &&
                  Resolve(library, "curl_slist_append", lib.slist_append, missing) &&
                  Resolve(library, "curl_slist_free_all", lib.slist_free_all, missing);
  if (!ok)
    return Fail(ErrorCode::kUnavailable,
                std::string(kLibraryName) + " lacks the function " + missing);
  if (lib.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    return Fail(ErrorCode::kUnavailable, std::string("curl_global_init failed in ") + kLibraryName);
  }
  return lib;  // `library` is never closed: libcurl keeps global state
}

}  // namespace

Result<const CurlLibrary*> CurlLibrary::Get() {
  static const Result<CurlLibrary> loaded = Load();  // thread-safe static initialization
  if (!loaded) return Fail(loaded.error());
  return &*loaded;
}

}  // namespace certfleet::net::internal
