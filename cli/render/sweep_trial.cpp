#include "render/sweep_trial.h"

#include <fmt/format.h>

namespace llm {

// POSIX sh (dash, busybox, bash), so any training image runs it. The command's
// stdout goes through a FIFO to a filter that echoes each line and writes each
// one naming the metric ("val_loss=" at the start of the line or after a
// character that is not part of a name) to the termination log, so the last
// stays there however the run ends; stderr is untouched. The shell, PID 1 in
// the container, forwards SIGTERM/SIGINT (the pod's termination) to the
// command and exits with the command's status once the filter has drained,
// or 5 s after the command ended when a process the command left behind
// still holds its stdout open. A wait that a trapped signal interrupts returns
// above 128 while the command may still run: it is waited for again, until
// the shell reports it gone (127, dash) or the same status twice (bash).
const char* const kTrialWrapperScript = R"sh(metric=$1; shift
log=${KUBECTL_LLM_TERMINATION_LOG:-/dev/termination-log}
fifo=${TMPDIR:-/tmp}/kubectl-llm-trial.$$
mkfifo "$fifo" 2>/dev/null || exec "$@"
child=
trap 'kill -TERM "$child" 2>/dev/null' TERM
trap 'kill -INT "$child" 2>/dev/null' INT
while IFS= read -r line || [ -n "$line" ]; do
  printf '%s\n' "$line"
  case $line in "$metric="*|*[!A-Za-z0-9_]"$metric="*) printf '%.1024s\n' "$line" > "$log" ;; esac
done < "$fifo" &
filter=$!
"$@" > "$fifo" &
child=$!
wait "$child"; status=$?
while [ "$status" -gt 128 ]; do
  wait "$child"; next=$?
  if [ "$next" -eq 127 ] || [ "$next" -eq "$status" ]; then break; fi
  status=$next
done
(sleep 5; kill "$filter" 2>/dev/null) >/dev/null 2>&1 &
guard=$!
wait "$filter"
kill "$guard" 2>/dev/null
rm -f "$fifo"
exit "$status")sh";

std::string TrialJobName(const std::string& sweep, int index) { return fmt::format("{}-{}", sweep, index); }

std::vector<std::string> TrialCommand(const std::string& metric, const std::vector<std::string>& command) {
  std::vector<std::string> wrapped = {"/bin/sh", "-c", kTrialWrapperScript, "kubectl-llm-trial", metric};
  wrapped.insert(wrapped.end(), command.begin(), command.end());
  return wrapped;
}

}  // namespace llm
