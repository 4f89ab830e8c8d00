#include "common/log_fields.h"

namespace certfleet {
namespace {

std::vector<LogField>& Fields() {
  thread_local std::vector<LogField> fields;
  return fields;
}

}  // namespace

ScopedLogFields::ScopedLogFields(std::initializer_list<LogField> fields) : added_(fields.size()) {
  auto& current = Fields();
  current.insert(current.end(), fields.begin(), fields.end());
}

ScopedLogFields::~ScopedLogFields() {
  auto& current = Fields();
  current.resize(current.size() - added_);
}

const std::vector<LogField>& CurrentLogFields() { return Fields(); }

}  // namespace certfleet
