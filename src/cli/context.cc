#include "cli/context.h"

namespace certfleet::cli {

Status ConfirmOrRefuse(CliContext& ctx, const std::string& question) {
  if (ctx.assume_yes) return Ok();
  if (!ctx.can_ask) {
    return Fail(ErrorCode::kInvalidArgument,
                question + " — not done: nobody to ask here; pass --yes to confirm");
  }
  if (ctx.confirm(question)) return Ok();
  return Fail(ErrorCode::kInvalidArgument, "cancelled: nothing was changed");
}

}  // namespace certfleet::cli
