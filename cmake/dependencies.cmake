# Every dependency comes from a Debian 12 package; scripts/install-deps installs them.
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(CURL REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(tl-expected REQUIRED)
find_package(spdlog REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Boost 1.81 EXACT REQUIRED COMPONENTS url)
find_package(SQLite3 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(IDN2 REQUIRED IMPORTED_TARGET libidn2)
if(CERTFLEET_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(CERTFLEET_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()

# OpenSSL and Boost.URL for our targets: shared by default, static archives in executables
# that call certfleet_static_runtime(). Short-lived commands pay for every shared library at
# each start (ld.so relocations and page faults were ~40 % of a `certfleet acme issue`'s CPU);
# one definition here keeps every library target agnostic of how the executable links.
find_library(CERTFLEET_LIBSSL_A NAMES libssl.a REQUIRED)
find_library(CERTFLEET_LIBCRYPTO_A NAMES libcrypto.a REQUIRED)
find_library(CERTFLEET_LIBBOOST_URL_A NAMES libboost_url.a REQUIRED)
set(certfleet_static "$<BOOL:$<TARGET_PROPERTY:CERTFLEET_STATIC_RUNTIME>>")
set(certfleet_shared "$<NOT:${certfleet_static}>")
add_library(certfleet_openssl_crypto INTERFACE)
target_link_libraries(certfleet_openssl_crypto INTERFACE
  "$<${certfleet_static}:${CERTFLEET_LIBCRYPTO_A}>" "$<${certfleet_shared}:OpenSSL::Crypto>"
  ${CMAKE_DL_LIBS} Threads::Threads)
target_include_directories(certfleet_openssl_crypto SYSTEM INTERFACE ${OPENSSL_INCLUDE_DIR})
add_library(certfleet_openssl_ssl INTERFACE)
target_link_libraries(certfleet_openssl_ssl INTERFACE
  "$<${certfleet_static}:${CERTFLEET_LIBSSL_A}>" "$<${certfleet_shared}:OpenSSL::SSL>"
  certfleet_openssl_crypto)
add_library(certfleet_boost_url INTERFACE)
target_link_libraries(certfleet_boost_url INTERFACE
  "$<${certfleet_static}:${CERTFLEET_LIBBOOST_URL_A}>" "$<${certfleet_shared}:Boost::url>"
  Boost::headers)

# Links OpenSSL and Boost.URL statically into `target` (an executable). libstdc++ stays
# shared: spdlog and fmt (shared only in Debian) need it, and two copies in one process
# would not share exception and stream state. Debian's libcrypto.a is not
# position-independent, so the executable is not a PIE.
function(certfleet_static_runtime target)
  set_target_properties(${target} PROPERTIES CERTFLEET_STATIC_RUNTIME ON POSITION_INDEPENDENT_CODE OFF)
  target_link_options(${target} PRIVATE -no-pie)
endfunction()
