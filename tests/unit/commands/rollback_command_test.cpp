#include "commands/rollback_command.h"

#include <doctest/doctest.h>

#include "fakes/run_cli.h"

namespace llm {
namespace {

RevisionAudit At(int number, RevisionStatus status) {
  RevisionAudit a;
  a.number = number;
  a.status = status;
  return a;
}

TEST_CASE("rollback: by default the deployed revision before the current one") {
  using S = RevisionStatus;
  CHECK(DefaultRollbackTarget({At(1, S::kSuperseded), At(2, S::kSuperseded), At(3, S::kDeployed)}) == 2);
  // A failed revision was never deployed: not a target.
  CHECK(DefaultRollbackTarget({At(1, S::kSuperseded), At(2, S::kFailed), At(3, S::kDeployed)}) == 1);
  // After --rollback-on-failure: 1 deployed, 2 failed, 3 the rollback (deployed), 1 superseded by it.
  CHECK(DefaultRollbackTarget({At(1, S::kSuperseded), At(2, S::kFailed), At(3, S::kDeployed), At(4, S::kPending)}) ==
        1);
  CHECK_FALSE(DefaultRollbackTarget({At(1, S::kDeployed)}));
  CHECK_FALSE(DefaultRollbackTarget({}));
}

TEST_CASE("rollback: usage errors name the flag or argument") {
  RollbackOptions options;
  CHECK(ValidateRollbackOptions(options).error().message() ==
        "rollback needs a NAME: kubectl llm rollback NAME [REVISION]");
  options.name = "chat";
  options.revision = 0;
  CHECK(ValidateRollbackOptions(options).error().message() == "REVISION must be 1 or more, got 0");
  options.revision = 2;
  options.wait = true;
  options.dry_run = "client";
  CHECK(ValidateRollbackOptions(options).error().message() ==
        "--wait cannot be used with --dry-run: nothing would be created to wait for");
  options.wait = false;
  options.history_max = -2;
  CHECK(ValidateRollbackOptions(options).error().kind() == ErrorKind::kUsage);
  options.history_max = 10;
  CHECK(ValidateRollbackOptions(options).ok());

  auto r = testing::RunCli({"rollback", "chat", "--dry-run", "maybe"});
  CHECK(r.code == 2);
  CHECK(r.err == "error: --dry-run must be one of 'none', 'client' or 'server', got 'maybe'\n");
}

}  // namespace
}  // namespace llm
