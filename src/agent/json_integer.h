// Integers in the JSON the agent reads (the hub's answers, its own manifest on disk).
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace certfleet::agent {

// `j` as T, or std::invalid_argument when it is not a JSON integer. nlohmann's get<T>() on a
// floating-point number is a static_cast, undefined outside T's range (4.3e44 as a revision:
// found by tests/fuzz/agent_hub_answers_fuzz), and truncates 3.7 silently. The callers' parse
// wrappers turn the exception into "malformed" like any other type error.
template <typename T>
T JsonInteger(const nlohmann::json& j) {
  if (!j.is_number_integer()) {
    throw std::invalid_argument("expected an integer, got " + j.dump().substr(0, 40));
  }
  return j.get<T>();
}

}  // namespace certfleet::agent
