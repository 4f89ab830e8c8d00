// toml++, compiled into the executables that link their runtime statically
// (certfleet_static_runtime in cmake/dependencies.cmake): Debian 12 ships it as a shared
// library, which every other translation unit is compiled against (TOML_HEADER_ONLY=0);
// this file is that library's implementation, from the same headers, for those executables.
#if TOML_HEADER_ONLY || !defined(TOML_IMPLEMENTATION)
#error \
    "toml_compiled.cc needs TOML_HEADER_ONLY=0 and TOML_IMPLEMENTATION (see src/common/CMakeLists.txt)"
#endif

#include <toml++/toml.h>
