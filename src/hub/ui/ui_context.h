// UiContext: what the web UI's handlers share; Viewer: the signed-in person of one request.
#pragma once

#include <memory>

#include "hub/api/context.h"
#include "hub/ui/session_store.h"
#include "hub/ui/sign_in_form.h"

namespace certfleet::hub::ui {

// Owned through a shared_ptr captured by every UI route, so it lives as long as the router.
// Thread-safe: the ApiContext members are, and so is the SessionStore (kept in the store).
struct UiContext {
  UiContext(api::ApiContext& api_context, SessionOptions options)
      : api(api_context),
        sessions(api_context.store, api_context.clock, options),
        sign_in(api_context.clock, api_context.envelope.DeriveKey("ui sign-in form")) {}
  api::ApiContext& api;
  SessionStore sessions;
  SignInForm sign_in;  // the sign-in form's CSRF pair: no state per visitor, one key on every hub
};
using UiPtr = std::shared_ptr<UiContext>;

struct Viewer {
  Session session;  // signed in: session.principal is set
  const Principal& principal() const { return *session.principal; }
  // support and admin may change things; readonly sees no buttons and its POSTs fail.
  bool can_manage() const { return RoleAllows(principal().role, Action::kManage); }
};

}  // namespace certfleet::hub::ui
