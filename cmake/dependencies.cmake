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
pkg_check_modules(RABBITMQ_C REQUIRED IMPORTED_TARGET librabbitmq>=0.11)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
if(CERTFLEET_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(CERTFLEET_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()

# OpenSSL, Boost.URL, libidn2, rabbitmq-c, spdlog, fmt and toml++ for our targets: shared by default, static in executables
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
# Static archives are searched once, in order: libssl.a needs libcrypto.a after it on the line.
target_link_libraries(certfleet_openssl_ssl INTERFACE
  "$<${certfleet_static}:${CERTFLEET_LIBSSL_A};${CERTFLEET_LIBCRYPTO_A}>" "$<${certfleet_shared}:OpenSSL::SSL>"
  certfleet_openssl_crypto)
add_library(certfleet_boost_url INTERFACE)
target_link_libraries(certfleet_boost_url INTERFACE
  "$<${certfleet_static}:${CERTFLEET_LIBBOOST_URL_A}>" "$<${certfleet_shared}:Boost::url>"
  Boost::headers)

find_library(CERTFLEET_LIBIDN2_A NAMES libidn2.a REQUIRED)
find_library(CERTFLEET_LIBUNISTRING_A NAMES libunistring.a REQUIRED)
find_library(CERTFLEET_LIBRABBITMQ_A NAMES librabbitmq.a REQUIRED)
add_library(certfleet_idn2 INTERFACE)
target_link_libraries(certfleet_idn2 INTERFACE
  "$<${certfleet_static}:${CERTFLEET_LIBIDN2_A};${CERTFLEET_LIBUNISTRING_A}>" "$<${certfleet_shared}:PkgConfig::IDN2>")
target_include_directories(certfleet_idn2 SYSTEM INTERFACE ${IDN2_INCLUDE_DIRS})
add_library(certfleet_rabbitmq INTERFACE)
target_link_libraries(certfleet_rabbitmq INTERFACE
  "$<${certfleet_static}:${CERTFLEET_LIBRABBITMQ_A};${CERTFLEET_LIBSSL_A};${CERTFLEET_LIBCRYPTO_A}>"
  "$<${certfleet_shared}:PkgConfig::RABBITMQ_C>" certfleet_openssl_ssl)
target_include_directories(certfleet_rabbitmq SYSTEM INTERFACE ${RABBITMQ_C_INCLUDE_DIRS})
# ldns (NLnet Labs): DNS wire format and TSIG for DNS-01 (docs/design/2026-12-06-dns01.md says why ldns). It uses
# OpenSSL's HMAC, so a static executable links it with the same libcrypto.a.
pkg_check_modules(LDNS REQUIRED IMPORTED_TARGET ldns)
find_library(CERTFLEET_LIBLDNS_A NAMES libldns.a REQUIRED)
add_library(certfleet_ldns INTERFACE)
target_link_libraries(certfleet_ldns INTERFACE
  "$<${certfleet_static}:${CERTFLEET_LIBLDNS_A};${CERTFLEET_LIBSSL_A};${CERTFLEET_LIBCRYPTO_A}>"
  "$<${certfleet_shared}:PkgConfig::LDNS>" certfleet_openssl_ssl)
target_include_directories(certfleet_ldns SYSTEM INTERFACE ${LDNS_INCLUDE_DIRS})
# spdlog and fmt: every object is compiled against the packaged headers in "compiled library" mode; the
# definitions come from libspdlog.so/libfmt.so, or in a static executable from certfleet_spdlog_compiled
# (src/common/spdlog_compiled.cc, the same headers' implementation parts).
add_library(certfleet_spdlog INTERFACE)
target_link_libraries(certfleet_spdlog INTERFACE
  "$<${certfleet_static}:certfleet_spdlog_compiled>" "$<${certfleet_shared}:spdlog::spdlog>")
# (In the shared case the definitions come with spdlog::spdlog, unchanged.)
target_compile_definitions(certfleet_spdlog INTERFACE "$<${certfleet_static}:SPDLOG_COMPILED_LIB;SPDLOG_FMT_EXTERNAL>")
# toml++ the same way (src/common/toml_compiled.cc).
add_library(certfleet_tomlplusplus INTERFACE)
target_link_libraries(certfleet_tomlplusplus INTERFACE
  "$<${certfleet_static}:certfleet_toml_compiled>" "$<${certfleet_shared}:tomlplusplus::tomlplusplus>")
target_compile_definitions(certfleet_tomlplusplus INTERFACE "$<${certfleet_static}:TOML_HEADER_ONLY=0;TOML_SHARED_LIB=1>")

# Links the libraries above, libstdc++ and libgcc statically into `target` (an executable): only glibc stays
# shared. With FULLY_STATIC, glibc too, except in sanitizer builds (ASan needs the shared glibc): for an executable
# that never dlopen()s a library (the CLI does, for libcurl). Its getaddrinfo keeps glibc's built-in "files" and
# "dns" lookups; another NSS module named in /etc/nsswitch.conf would be loaded from the host's glibc.
# Debian's libcrypto.a is not position-independent, so the executable is not a PIE. In optimised builds the
# linker drops unused sections (see the -ffunction-sections in CMakeLists.txt): less code mapped, smaller RSS.
function(certfleet_static_runtime target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "FULLY_STATIC" "" "")
  set_target_properties(${target} PROPERTIES CERTFLEET_STATIC_RUNTIME ON POSITION_INDEPENDENT_CODE OFF)
  target_link_options(${target} PRIVATE -no-pie -static-libstdc++ -static-libgcc
    "$<$<NOT:$<CONFIG:Debug>>:LINKER:--gc-sections>")
  if(arg_FULLY_STATIC AND NOT CERTFLEET_SANITIZE AND NOT CERTFLEET_SANITIZE_THREAD AND NOT CERTFLEET_FUZZ)
    target_link_options(${target} PRIVATE -static)
  endif()
endfunction()
