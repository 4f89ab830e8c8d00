# Project-wide compile flags, applied to our own targets through certfleet_flags.
add_library(certfleet_flags INTERFACE)
target_compile_options(certfleet_flags INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough
  # Designated initializers that leave members at their defaults are idiomatic here.
  # (-Wnull-dereference is left out: at -O2 GCC 12 reports false positives inside
  # libstdc++ and Asio code inlined into ours.)
  -Wno-missing-field-initializers)
if(CERTFLEET_WERROR)
  target_compile_options(certfleet_flags INTERFACE -Werror)
endif()
target_include_directories(certfleet_flags INTERFACE ${PROJECT_SOURCE_DIR}/src)
if(CERTFLEET_SANITIZE)
  target_compile_options(certfleet_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  target_link_options(certfleet_flags INTERFACE -fsanitize=address,undefined)
endif()
if(CERTFLEET_SANITIZE_THREAD)
  if(CERTFLEET_SANITIZE OR CERTFLEET_FUZZ)
    message(FATAL_ERROR "CERTFLEET_SANITIZE_THREAD cannot be combined with AddressSanitizer")
  endif()
  # -Wno-tsan: g++ warns that TSan does not model atomic_thread_fence, which Boost.Asio's
  # scheduler uses; a race TSan reports there would have to be checked by hand (none so far).
  target_compile_options(certfleet_flags INTERFACE -fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
  target_link_options(certfleet_flags INTERFACE -fsanitize=thread)
endif()
if(CERTFLEET_FUZZ)
  # Every library is instrumented for coverage; only the fuzz targets link libFuzzer's main
  # (tests/fuzz). UBSan findings abort, so the fuzzer reports them as crashes.
  target_compile_options(certfleet_flags INTERFACE -fsanitize=fuzzer-no-link,address,undefined
    -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(certfleet_flags INTERFACE -fsanitize=address,undefined)
endif()

# certfleet_test(name sources... LIBS libs...) builds one gtest binary and registers its tests.
function(certfleet_test name)
  cmake_parse_arguments(ARG "" "" "LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main certfleet_flags)
  if(ARG_LABELS)
    set(labels ${ARG_LABELS})
  else()
    set(labels unit)
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${labels}")
endfunction()
include(GoogleTest)
