// The system's resolver, as /etc/resolv.conf names it: where certfleet asks recursive
// questions (a zone's NS records, the delegation check) when no resolver is configured.
#pragma once

#include <filesystem>

#include "common/error.h"
#include "dns/server_address.h"

namespace certfleet::dns {

// The first usable "nameserver IP" line of `file` (port 53). kNotFound naming the file
// when it has none (then configure a resolver explicitly).
Result<ServerAddress> SystemResolver(const std::filesystem::path& file = "/etc/resolv.conf");

}  // namespace certfleet::dns
