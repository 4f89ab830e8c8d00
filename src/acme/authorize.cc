#include "acme/authorize.h"

#include "acme/authorization.h"
#include "acme/challenge.h"
#include "crypto/jwk.h"

namespace certfleet::acme {
namespace {

// One challenge we are answering, and how far it got.
struct Attempt {
  ChallengeSolver* solver = nullptr;
  std::string authz_url;
  ChallengeTask task;
  bool presented = false;  // Present was called (whatever it returned)
  bool decided = false;    // the CA already answered "valid" to our response
  // Only a "pending" challenge may be answered (RFC 8555 §7.5.1). A resumed order can find
  // it "processing" (answered before a crash, the CA is validating): then we present the
  // key authorization again, for the CA's fetch, and only poll.
  bool respond = true;
};

// "shop.example.com: " or, for the wildcard's authorization, "*.shop.example.com: ".
std::string Prefix(const Attempt& attempt) {
  return (attempt.task.wildcard ? "*." : "") + attempt.task.identifier + ": ";
}

Result<Attempt> PlanAttempt(const Authorization& authz,
                            const std::vector<ChallengeSolver*>& solvers,
                            const std::string& thumbprint) {
  const std::string& name = authz.identifier.value;
  if (authz.status != "pending") {
    return Fail(ErrorCode::kAcmeProblem,
                name + ": the authorization is \"" + authz.status + "\", not pending");
  }
  for (ChallengeSolver* solver : solvers) {
    if (!solver->Covers(name, authz.wildcard)) continue;
    const Challenge* challenge = authz.FindChallenge(solver->Type());
    if (challenge == nullptr) continue;
    if (!IsValidChallengeToken(challenge->token)) {
      return Fail(ErrorCode::kProtocol,
                  name + ": the CA sent a malformed " + challenge->type + " token");
    }
    ChallengeTask task{name,
                       challenge->type,
                       challenge->token,
                       KeyAuthorization(challenge->token, thumbprint),
                       challenge->url,
                       authz.wildcard};
    return Attempt{solver, authz.url, std::move(task),
                   false,  false,     challenge->status == "pending"};
  }
  std::string offered;
  for (const Challenge& challenge : authz.challenges)
    offered += (offered.empty() ? "" : ", ") + challenge.type;
  std::string ours;
  for (const ChallengeSolver* solver : solvers) {
    if (solver->Covers(name, authz.wildcard))
      ours += (ours.empty() ? "" : ", ") + std::string(solver->Type());
  }
  const std::string shown = authz.wildcard ? "*." + name : name;
  return Fail(ErrorCode::kInvalidArgument,
              shown + ": the CA offers no challenge type we can solve for it (it offers: " +
                  offered + "; we can answer: " + (ours.empty() ? "none" : ours) + ")");
}

// Fetches every authorization that is not yet valid and plans its challenge.
Status PlanAttempts(Session& session, const Signer& signer, const Order& order,
                    const std::vector<ChallengeSolver*>& solvers, std::vector<Attempt>* attempts) {
  const std::string thumbprint = crypto::JwkThumbprint(signer.key);
  for (const std::string& url : order.authorizations) {
    auto authz = FetchAuthorization(session, signer, url);
    if (!authz) return Fail(authz.error());
    if (authz->status == "valid") continue;  // reused from an earlier order (§7.1.4)
    auto attempt = PlanAttempt(*authz, solvers, thumbprint);
    if (!attempt) return Fail(attempt.error());
    attempts->push_back(std::move(*attempt));
  }
  return Ok();
}

Status PresentAll(std::vector<Attempt>& attempts) {
  for (Attempt& attempt : attempts) {
    attempt.presented = true;
    if (auto status = attempt.solver->Present(attempt.task); !status) {
      return Fail(status.error().WithContext(Prefix(attempt) + "presenting the " +
                                             attempt.task.type + " challenge"));
    }
  }
  return Ok();
}

Error ChallengeFailed(const Attempt& attempt, const Authorization& authz) {
  std::string step = Prefix(attempt) + attempt.task.type + " challenge failed";
  if (const Challenge* failed = authz.FailedChallenge())
    return ProblemToError(*failed->error).WithContext(step);
  return Error{ErrorCode::kAcmeProblem, step + ": the authorization is \"" + authz.status + "\""};
}

// The CA refused our answer. A resumed order can read the challenge "pending" while the CA
// is finishing the validation of the answer sent before the crash; by the time we answer,
// the challenge is "valid" and the CA refuses (Pebble: "Cannot update challenge with status
// valid, only status pending"). What counts is the authorization now: valid → decided,
// our challenge still processing → poll on, invalid → the CA's reason; else the refusal.
Status JudgeRefusedAnswer(Session& session, const Signer& signer, Attempt& attempt,
                          const Error& refusal) {
  auto authz = FetchAuthorization(session, signer, attempt.authz_url);
  if (authz) {
    if (authz->status == "valid") {
      attempt.decided = true;
      return Ok();
    }
    if (authz->status == "invalid") return Fail(ChallengeFailed(attempt, *authz));
    const Challenge* ours = authz->FindChallenge(attempt.task.type);
    if (ours != nullptr && ours->status == "processing") return Ok();
  }
  return Fail(refusal.WithContext(Prefix(attempt) + "responding to the " + attempt.task.type +
                                  " challenge"));
}

Status RespondAll(Session& session, const Signer& signer, std::vector<Attempt>& attempts) {
  for (Attempt& attempt : attempts) {
    if (!attempt.respond) continue;
    auto challenge = RespondToChallenge(session, signer, attempt.task.url);
    if (!challenge) {
      if (auto judged = JudgeRefusedAnswer(session, signer, attempt, challenge.error()); !judged)
        return judged;
      continue;
    }
    attempt.decided = challenge->status == "valid";
  }
  return Ok();
}

Status AwaitAll(Session& session, const Signer& signer, const std::vector<Attempt>& attempts,
                const PollPolicy& policy) {
  bool first = true;
  for (const Attempt& attempt : attempts) {
    if (attempt.decided) continue;
    // After the first authorization was decided, the CA has had as long for the others:
    // look at them at once instead of starting each wait with a fresh delay.
    auto authz = first ? PollAuthorization(session, signer, attempt.authz_url, policy)
                       : FetchAuthorization(session, signer, attempt.authz_url);
    if (authz && authz->status == "pending")
      authz = PollAuthorization(session, signer, attempt.authz_url, policy);
    first = false;
    if (!authz) {
      return Fail(authz.error().WithContext(Prefix(attempt) + "waiting for the " +
                                            attempt.task.type + " validation"));
    }
    if (authz->status != "valid") return Fail(ChallengeFailed(attempt, *authz));
  }
  return Ok();
}

void CleanUpAll(std::vector<Attempt>& attempts, std::vector<std::string>* warnings) {
  for (Attempt& attempt : attempts) {
    if (!attempt.presented) continue;
    auto status = attempt.solver->CleanUp(attempt.task);
    if (!status && warnings != nullptr) {
      warnings->push_back(Prefix(attempt) + "cleaning up the " + attempt.task.type +
                          " challenge: " + status.error().message);
    }
  }
}

}  // namespace

Status AuthorizeOrder(Session& session, const Signer& signer, const Order& order,
                      const std::vector<ChallengeSolver*>& solvers, const PollPolicy& policy,
                      std::vector<std::string>* warnings) {
  std::vector<Attempt> attempts;
  if (auto status = PlanAttempts(session, signer, order, solvers, &attempts); !status)
    return status;
  Status result = PresentAll(attempts);
  if (result) result = RespondAll(session, signer, attempts);
  if (result) result = AwaitAll(session, signer, attempts, policy);
  CleanUpAll(attempts, warnings);
  return result;
}

}  // namespace certfleet::acme
