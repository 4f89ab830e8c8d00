// Process-wide OpenSSL settings for short-lived command-line processes.
#pragma once

namespace certfleet::crypto {

// Keeps OpenSSL from freeing all of its tables (providers, fetched methods, name maps,
// error strings) in an atexit handler: ~1.4M instructions, about 4% of the CPU of a
// `certfleet acme issue`, for memory the kernel reclaims anyway. The memory stays
// reachable from OpenSSL's globals, so leak checkers do not report it.
// Call first thing in main, before anything uses OpenSSL: once OpenSSL has initialised
// itself the handler is registered and this has no effect. Safe to call more than once.
void SkipOpensslCleanupAtExit();

}  // namespace certfleet::crypto
