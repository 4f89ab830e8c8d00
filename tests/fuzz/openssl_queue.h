// The crypto layer's promise to its callers: a call leaves nothing on OpenSSL's per-thread
// error queue, so a later failure never reports a stale reason (and a failed parse holds no
// error strings; libFuzzer's leak check ran after every input that left some, issue 13).
#pragma once

#include <openssl/err.h>

#include "fuzz_input.h"

namespace certfleet::fuzz {

inline void ExpectEmptyOpensslErrorQueue() {
  if (ERR_peek_error() != 0) Broken("an OpenSSL error was left on the thread's error queue");
}

}  // namespace certfleet::fuzz
