#include "store/sql/connection.h"

namespace certfleet::store::sql {

std::int64_t ToMillis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint FromMillis(std::int64_t ms) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms)));
}

Status Statement::Run() {
  while (true) {
    auto row = Step();
    if (!row) return Fail(row.error());
    if (!*row) return Ok();
  }
}

}  // namespace certfleet::store::sql
